module example.com/gokiln/pprofsrv

go 1.26
