// Command sqlite uses mattn/go-sqlite3, a cgo driver: built with CGO_ENABLED=0 it compiles to a stub
// that fails at run time, which is the failure gokiln must predict.
package main

import (
	"database/sql"
	"fmt"
	"os"

	_ "github.com/mattn/go-sqlite3"
)

func main() {
	db, err := sql.Open("sqlite3", ":memory:")
	if err != nil {
		fail(err)
	}
	defer db.Close()
	var v string
	if err := db.QueryRow("select sqlite_version()").Scan(&v); err != nil {
		fail(err)
	}
	fmt.Println(v)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}
