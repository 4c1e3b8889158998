// Command cgo prints a line through C's puts: built with cgo it needs the image's glibc loader and libc.so.6
// (verify's emulated run of an arm64 glibc-dynamic program, cross-built with aarch64-linux-gnu-gcc).
package main

/*
#include <stdio.h>
static void hello(void) { puts("ok from C"); fflush(stdout); }
*/
import "C"

func main() { C.hello() }
