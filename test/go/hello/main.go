// Command hello is a gokiln test fixture: each subcommand exercises one thing a runtime image must
// provide (zoneinfo, CA certificates, /etc/passwd, a resolver), so a run in a rootfs proves a verdict.
package main

import (
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/user"
	"time"
)

// version is set with -ldflags "-X main.version=…" by the vcs fixtures.
var version = "dev"

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: hello ok|version|tz ZONE|certs|user|dns HOST|get URL")
		os.Exit(2)
	}
	arg := ""
	if len(os.Args) > 2 {
		arg = os.Args[2]
	}
	switch os.Args[1] {
	case "ok":
		fmt.Println("ok")
	case "version":
		fmt.Println(version)
	case "tz":
		loc, err := time.LoadLocation(arg)
		if err != nil {
			fail(err)
		}
		_, offset := time.Date(2026, 1, 15, 12, 0, 0, 0, loc).Zone()
		fmt.Println(offset)
	case "certs":
		pool, err := x509.SystemCertPool()
		if err != nil {
			fail(err)
		}
		n := len(pool.Subjects()) //nolint:staticcheck // a count is all a runtime check needs
		fmt.Println(n)
		if n == 0 {
			fmt.Fprintln(os.Stderr, "no system certificates")
			os.Exit(1)
		}
	case "user":
		u, err := user.Current()
		if err != nil {
			fail(err)
		}
		fmt.Printf("%s %s\n", u.Uid, u.Username)
	case "dns":
		addrs, err := net.LookupHost(arg)
		if err != nil {
			fail(err)
		}
		fmt.Println(addrs)
	case "get":
		// links crypto/tls and net/http; never used by tests (no network in the sandbox)
		c := &http.Client{Timeout: 5 * time.Second}
		resp, err := c.Get(arg)
		if err != nil {
			fail(err)
		}
		resp.Body.Close()
		fmt.Println(resp.Status)
	default:
		fmt.Fprintln(os.Stderr, "unknown subcommand", os.Args[1])
		os.Exit(2)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
