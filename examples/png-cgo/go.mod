module example.com/png-cgo

go 1.26
