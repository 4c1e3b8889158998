module example.com/gokiln/cshared

go 1.26
