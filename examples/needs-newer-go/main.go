// Command needs-newer-go declares go 1.27 in go.mod: a Go 1.26 toolchain with GOTOOLCHAIN=local refuses it.
package main

import "fmt"

func main() { fmt.Println("built with a Go 1.27 toolchain") }
