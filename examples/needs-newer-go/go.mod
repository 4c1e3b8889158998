module example.com/needs-newer-go

go 1.27.0

toolchain go1.27.3
