module example.com/gokiln/execshim

go 1.26
