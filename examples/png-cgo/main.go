// Command zlib-cgo compresses its input with the system zlib through cgo and pkg-config.
package main

/*
#cgo pkg-config: zlib
#include <zlib.h>
*/
import "C"

import (
	"fmt"
	"unsafe"
)

func main() {
	in := []byte("gokiln gokiln gokiln gokiln gokiln gokiln")
	out := make([]byte, C.compressBound(C.uLong(len(in))))
	n := C.uLongf(len(out))
	rc := C.compress2((*C.Bytef)(unsafe.Pointer(&out[0])), &n, (*C.Bytef)(unsafe.Pointer(&in[0])), C.uLong(len(in)), 9)
	if rc != C.Z_OK {
		panic(fmt.Sprintf("compress2: %d", rc))
	}
	fmt.Printf("zlib %s: %d -> %d bytes\n", C.GoString(C.zlibVersion()), len(in), int(n))
}
