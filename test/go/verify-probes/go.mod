module gokiln.test/verifyprobes

go 1.22
