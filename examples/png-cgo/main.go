// Command png-cgo reports the libpng it links through cgo and pkg-config: a system library that
// distroless images do not ship, so its runtime needs the library package installed.
package main

/*
#cgo pkg-config: libpng
#include <png.h>
*/
import "C"

import "fmt"

func main() {
	v := uint32(C.png_access_version_number())
	fmt.Printf("libpng %d.%d.%d (header %s)\n", v/10000, v/100%100, v%100, C.PNG_LIBPNG_VER_STRING)
}
