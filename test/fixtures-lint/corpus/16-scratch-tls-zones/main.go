package main

import (
	"fmt"
	"net/http"
	"time"
)

func main() {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	resp, err := http.Get("https://example.com/feed")
	if err != nil {
		panic(err)
	}
	fmt.Println(resp.Status, time.Now().In(loc))
}
