// Package greet is shared by the api and worker commands.
package greet

func Hello(name string) string { return "hello, " + name }
