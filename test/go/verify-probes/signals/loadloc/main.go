// Command loadloc loads the zone its argument names, but only when it gets one: without an argument it
// never reads zoneinfo, yet time.LoadLocation is linked (the conservative zoneinfo verdict's case).
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Println("no zone asked for")
		return
	}
	loc, err := time.LoadLocation(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(loc)
}
