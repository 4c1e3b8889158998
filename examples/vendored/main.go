// Command vendored prints a UUID from a module kept in vendor/, so the build needs no network.
package main

import (
	"fmt"

	"github.com/google/uuid"
)

func main() { fmt.Println(uuid.NewString()) }
