package rest

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/logging"
)

// TestServerTimeouts: every listener bounds how long a client may take to send its request and how long
// an idle connection stays open; the write timeout leaves room for a request that waits the whole request
// timeout for the herder.
func TestServerTimeouts(t *testing.T) {
	levels, _ := logging.New(io.Discard, "info", "json")
	s, err := Listen(Config{Listeners: []string{"http://127.0.0.1:0"}, AdminListeners: []string{"http://127.0.0.1:0"},
		Loggers: levels, RequestTimeout: 3 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Shutdown(context.Background())
	if len(s.bound) != 2 {
		t.Fatalf("%d servers, want one per listener", len(s.bound))
	}
	for _, b := range s.bound {
		srv := b.srv
		if srv.ReadHeaderTimeout != 10*time.Second || srv.ReadTimeout != 30*time.Second || srv.IdleTimeout != 2*time.Minute ||
			srv.WriteTimeout != 33*time.Second {
			t.Fatalf("timeouts: header %s, read %s, write %s, idle %s", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
		}
	}
	d, _ := Listen(Config{Listeners: []string{"http://127.0.0.1:0"}, Loggers: levels})
	defer d.Shutdown(context.Background())
	if c := d.cfg.Load(); c.RequestTimeout != 90*time.Second || c.HealthTimeout != 10*time.Second || d.bound[0].srv.WriteTimeout != 120*time.Second {
		t.Fatalf("default timeouts: request %s, health %s, write %s", c.RequestTimeout, c.HealthTimeout, d.bound[0].srv.WriteTimeout)
	}
}

func TestWildcardMatch(t *testing.T) {
	for _, c := range []struct {
		pat, s string
		want   bool
	}{
		{"*", "http://a", true},
		{"http://a", "http://a", true},
		{"http://a", "http://b", false},
		{"https://*.example.com", "https://x.example.com", true},
		{"https://*.example.com", "https://example.com", false},
		{"https://*.example.com", "http://x.example.com", false},
		{"http://*:3000", "http://localhost:3000", true},
		{"ab*b", "ab", false},
	} {
		if got := wildcardMatch(c.pat, c.s); got != c.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", c.pat, c.s, got)
		}
	}
}
