// Command sleep never ends: it starts a copy of itself (so a process tree is left to clean up), says so, and
// blocks forever. verify's --timeout test stops it and checks that neither process survives; the
// arguments (a marker the test looks for in /proc) are passed on to the copy.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"time"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] != "child" {
		self, err := os.Executable()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		child := exec.Command(self, append([]string{"child"}, os.Args[1:]...)...)
		if err := child.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("sleeping, with child %d\n", child.Process.Pid)
	}
	// not `select {}`: with no other goroutine the runtime calls that a deadlock and exits
	for {
		time.Sleep(time.Hour)
	}
}
