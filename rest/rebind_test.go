package rest_test

import (
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/internal/kafkatest"
)

// TestRebind: a new configuration keeps the listeners whose address did not change (same port, even a
// port 0 one), binds the new ones, moves the admin endpoints, and applies new header rules; a listener that
// cannot be bound changes nothing; Abort gives a prepared change up.
func TestRebind(t *testing.T) {
	e := newEnv(t, options{})
	e.expect("GET", "/admin/loggers/root", "", 200, `{"level":"INFO","last_modified":null}`)

	cfg := e.restCfg
	cfg.AdminListeners = []string{"http://127.0.0.1:0"}
	cfg.HeaderRules = []config.HeaderRule{{Action: "set", Name: "X-Generation", Value: "2"}}
	rb, err := e.server.Rebind(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := e.req("GET", "/admin/loggers/root", ""); r.status != 200 || r.header.Get("X-Generation") != "" {
		t.Fatalf("before Commit: %s %v", r, r.header)
	}
	rb.Commit()
	addrs := e.server.Addrs()
	if len(addrs) != 2 || "http://"+addrs[0].String() != e.base {
		t.Fatalf("addresses %v: want the API listener kept at %s", addrs, e.base)
	}
	if rb.WorkerID() != strings.TrimPrefix(e.base, "http://") || e.server.WorkerID() != rb.WorkerID() {
		t.Fatalf("worker id %q / %q", rb.WorkerID(), e.server.WorkerID())
	}
	if r := e.req("GET", "/admin/loggers/root", ""); r.status != 404 || r.header.Get("X-Generation") != "2" {
		t.Fatalf("the API listener after the change: %s %v", r, r.header)
	}
	admin := "http://" + addrs[1].String()
	if r := doRequest(t, e.client, "GET", admin+"/admin/loggers/root", ""); r.status != 200 {
		t.Fatalf("the new admin listener: %s", r)
	}

	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	bad := cfg
	bad.Listeners = []string{e.base, "http://" + busy.Addr().String()}
	if _, err := e.server.Rebind(bad); err == nil || err.Error() != "listeners http://"+busy.Addr().String()+": address already in use — is another worker running?" {
		t.Fatalf("Rebind with a port in use: %v", err)
	}
	// A free port for the listener the aborted change binds: once Abort closes it, it can be bound again.
	free, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	freeAddr := free.Addr().String()
	free.Close()
	fresh := cfg
	fresh.Listeners = []string{e.base, "http://" + freeAddr}
	rb, err = e.server.Rebind(fresh)
	if err != nil {
		t.Fatal(err)
	}
	rb.Abort()
	if got := e.server.Addrs(); len(got) != 2 || got[0].String() != addrs[0].String() || got[1].String() != addrs[1].String() {
		t.Fatalf("addresses after Abort: %v, want %v", got, addrs)
	}
	l, err := net.Listen("tcp", freeAddr)
	if err != nil {
		t.Fatalf("the listener Abort gave up is still bound: %v", err)
	}
	l.Close()

	// Back to the admin endpoints on the API listener: the admin listener closes.
	rb, err = e.server.Rebind(e.restCfg)
	if err != nil {
		t.Fatal(err)
	}
	rb.Commit()
	e.expect("GET", "/admin/loggers/root", "", 200, `{"level":"INFO","last_modified":null}`)
	eventuallyRefused(t, admin)
}

// eventuallyRefused waits until nothing answers at url any more.
func eventuallyRefused(t *testing.T, url string) {
	t.Helper()
	kafkatest.Eventually(t, 15*time.Second, func() error {
		resp, err := http.Get(url + "/")
		if err != nil {
			return nil
		}
		resp.Body.Close()
		return fmt.Errorf("%s still answers", url)
	})
}
