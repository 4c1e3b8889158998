// Package main is built with -buildmode=c-shared: a Go shared library with one exported C symbol.
package main

import "C"

//export Add
func Add(a, b C.int) C.int { return a + b }

func main() {}
