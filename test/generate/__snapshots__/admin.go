// Package admin serves pprof and expvar on a private listener, localhost:6060 by default.
//
// Written by gokiln init. Start it from main:
//
//	if _, err := admin.Start(""); err != nil { log.Printf("admin: %v", err) }
//
// Reach it from a workstation with kubectl port-forward POD 6060 (the debug overlay names the port).
//
// Importing net/http/pprof and expvar also registers their handlers on http.DefaultServeMux (their
// init functions do), so serve the public API from its own ServeMux, never from DefaultServeMux.
package admin

import (
	"expvar"
	"net"
	"net/http"
	"net/http/pprof"
	"time"
)

// DefaultAddr binds the loopback interface only: nothing outside the pod (or host) can connect.
const DefaultAddr = "localhost:6060"

// Handler is the admin mux: pprof under /debug/pprof/ and expvar at /debug/vars.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	mux.Handle("/debug/vars", expvar.Handler())
	return mux
}

// Start listens on addr (DefaultAddr when empty) and serves in the background. The listen error
// comes back at once, so a port clash is not silent.
func Start(addr string) (net.Listener, error) {
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	srv := &http.Server{
		Handler:           Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		// profiles run for up to 30 s by default (?seconds=), so no short write timeout
		IdleTimeout: 60 * time.Second,
	}
	go srv.Serve(ln)
	return ln, nil
}
