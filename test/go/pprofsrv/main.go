// Command pprofsrv links net/http/pprof and expvar (their handlers register on import), which is
// what gokiln looks for when it warns about debug endpoints; it serves only when asked.
package main

import (
	"expvar"
	"fmt"
	"net/http"
	_ "net/http/pprof"
	"os"
)

func main() {
	expvar.NewString("fixture").Set("pprofsrv")
	if len(os.Args) > 2 && os.Args[1] == "serve" {
		if err := http.ListenAndServe(os.Args[2], nil); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	fmt.Println("ok")
}
