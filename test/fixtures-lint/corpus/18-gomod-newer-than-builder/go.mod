module example.com/app

go 1.27.1

toolchain go1.27.3
