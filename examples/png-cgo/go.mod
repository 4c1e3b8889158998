module example.com/zlib-cgo

go 1.26
