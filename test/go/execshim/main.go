// Command execshim starts a program the way runc does, with a bare execve: no PATH search and no
// fallback to /bin/sh on ENOEXEC (which execvp in bwrap and libuv does), so a foreign-architecture
// binary fails with "exec format error" as it would in a container.
package main

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: execshim PROGRAM [ARG…]")
		os.Exit(2)
	}
	err := syscall.Exec(os.Args[1], os.Args[1:], os.Environ())
	// the wording of runc: "exec /app: exec format error"
	fmt.Fprintf(os.Stderr, "exec %s: %v\n", os.Args[1], err)
	if errors.Is(err, syscall.ENOENT) {
		os.Exit(127)
	}
	os.Exit(126)
}
