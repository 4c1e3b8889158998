module example.com/gokiln/hello

go 1.26
