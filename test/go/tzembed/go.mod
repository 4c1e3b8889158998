module example.com/gokiln/tzembed

go 1.26
