// Command x509parse only parses a certificate: crypto/x509 is linked, its system-root loading is not.
package main

import (
	"crypto/x509"
	"fmt"
	"os"
)

func main() {
	_, err := x509.ParseCertificate([]byte(os.Args[0]))
	fmt.Println("parsed:", err != nil)
}
