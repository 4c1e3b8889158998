// Command hello-service answers HTTP requests with the time in a named zone and can check an
// upstream over HTTPS: it needs CA certificates and zoneinfo in its runtime image.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"time"
)

var version = "dev"

func main() {
	if len(os.Args) > 1 && os.Args[1] == "-version" {
		fmt.Println(version)
		return
	}
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = ":8080"
	}
	client := &http.Client{Timeout: 5 * time.Second}
	http.HandleFunc("/time", func(w http.ResponseWriter, r *http.Request) {
		zone := r.URL.Query().Get("tz")
		if zone == "" {
			zone = "Europe/Berlin"
		}
		loc, err := time.LoadLocation(zone)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		fmt.Fprintln(w, time.Now().In(loc).Format(time.RFC3339))
	})
	http.HandleFunc("/upstream", func(w http.ResponseWriter, r *http.Request) {
		resp, err := client.Get("https://example.com/")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		resp.Body.Close()
		fmt.Fprintln(w, resp.Status)
	})
	log.Printf("hello-service %s listening on %s", version, addr)
	log.Fatal(http.ListenAndServe(addr, nil))
}
