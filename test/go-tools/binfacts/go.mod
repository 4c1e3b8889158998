module gokiln.test/binfacts

go 1.22
