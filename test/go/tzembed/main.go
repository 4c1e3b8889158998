// Command tzembed embeds the zoneinfo database, so `tzembed tz ZONE` works in an empty image.
package main

import (
	"fmt"
	"os"
	"time"
	_ "time/tzdata"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: tzembed ok|tz ZONE")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "ok":
		fmt.Println("ok")
	case "tz":
		zone := ""
		if len(os.Args) > 2 {
			zone = os.Args[2]
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		_, offset := time.Date(2026, 1, 15, 12, 0, 0, 0, loc).Zone()
		fmt.Println(offset)
	default:
		fmt.Fprintln(os.Stderr, "unknown subcommand", os.Args[1])
		os.Exit(2)
	}
}
