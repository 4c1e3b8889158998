// Command tz loads the zone named by its argument: it needs zoneinfo in the image (verify's matrix).
package main

import (
	"fmt"
	"os"
	"time"
)

func main() {
	loc, err := time.LoadLocation(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(loc.String())
}
