package main

import (
	"fmt"
	"os/user"

	"example.com/multi-cmd/internal/greet"
)

func main() {
	name := "worker"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	fmt.Println(greet.Hello(name))
}
