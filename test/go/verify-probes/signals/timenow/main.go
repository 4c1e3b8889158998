// Command timenow prints the time in the Local zone and in a fixed zone: no zone is loaded by name.
package main

import (
	"fmt"
	"time"
)

func main() {
	fmt.Println(time.Now().Format(time.RFC3339), time.Now().In(time.FixedZone("X", 3600)).Format(time.Kitchen))
}
