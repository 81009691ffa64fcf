// Package rest serves Apache Kafka Connect's REST API over the runner: it decodes requests, calls the
// herder and encodes Apache's JSON shapes and errors. It holds no connector state of its own.
//
// Besides Apache's endpoints it serves a few extra spellings (POST for pause and resume, task-level pause,
// …) and answers with 400 or 404 where Apache answers a bad request with 500; see the README.
package rest

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/logging"
	"github.com/connect-standalone/connect-standalone/runner"
	"github.com/connect-standalone/connect-standalone/runner/reload"
)

// Defaults of Config's timeouts and limits.
const (
	// DefaultRequestTimeout is how long a request waits for the herder, as Apache's 90 s.
	DefaultRequestTimeout = 90 * time.Second
	// DefaultHealthTimeout is how long GET /health waits for the herder, as Apache's 10 s.
	DefaultHealthTimeout = 10 * time.Second
	// MaxBodyBytes bounds request bodies; a connector configuration is a few kilobytes.
	MaxBodyBytes = 1 << 20

	readHeaderTimeout = 10 * time.Second
	readTimeout       = 30 * time.Second
	idleTimeout       = 2 * time.Minute
)

// Config configures the REST server.
type Config struct {
	// Listeners are the URLs to listen on (the listeners key), such as http://127.0.0.1:8083. An empty host
	// listens on every interface, as in Apache; port 0 picks a free port.
	Listeners []string
	// AdminListeners are where the admin endpoints (/admin/loggers) are served (admin.listeners): nil serves
	// them on Listeners, an empty list turns them off.
	AdminListeners []string
	// AdvertisedHost and AdvertisedPort override the host and port of the worker id
	// (rest.advertised.host.name, rest.advertised.port); zero values take the first listener's.
	AdvertisedHost string
	AdvertisedPort int
	// AllowOrigin and AllowMethods answer cross-origin requests (access.control.allow.origin,
	// access.control.allow.methods). An empty AllowOrigin sends no CORS headers.
	AllowOrigin  string
	AllowMethods string
	// HeaderRules are added to every response (response.http.headers.config).
	HeaderRules []config.HeaderRule
	// Commit is this project's version, which GET / reports as "commit".
	Commit string
	// Loggers backs /admin/loggers.
	Loggers *logging.Levels
	Log     zerolog.Logger
	// RequestTimeout and HealthTimeout default to DefaultRequestTimeout and DefaultHealthTimeout.
	RequestTimeout time.Duration
	HealthTimeout  time.Duration
}

// WorkerConfig reads the REST server's keys from a parsed worker configuration. Errors are *config.Error
// naming the key.
func WorkerConfig(v config.Values) (Config, error) {
	c := Config{
		Listeners:      v.List(config.Listeners),
		AdvertisedHost: v.String("rest.advertised.host.name"),
		AdvertisedPort: v.Int("rest.advertised.port"),
		AllowOrigin:    v.String("access.control.allow.origin"),
		AllowMethods:   v.String("access.control.allow.methods"),
	}
	if !v.IsNull(config.AdminListeners) {
		c.AdminListeners = v.List(config.AdminListeners)
		if c.AdminListeners == nil {
			c.AdminListeners = []string{}
		}
	}
	for _, set := range []struct {
		key  string
		urls []string
	}{{config.Listeners, c.Listeners}, {config.AdminListeners, c.AdminListeners}} {
		for _, u := range set.urls {
			if _, err := parseListener(u); err != nil {
				return Config{}, &config.Error{Key: set.key, Msg: err.Error()}
			}
		}
	}
	rules, err := config.ParseHeaderRules(v.String("response.http.headers.config"))
	if err != nil {
		return Config{}, &config.Error{Key: "response.http.headers.config", Msg: err.Error()}
	}
	if err := checkHeaderRules(rules); err != nil {
		return Config{}, err
	}
	c.HeaderRules = rules
	return c, nil
}

// listener is one parsed listener URL.
type listener struct {
	url  string // as configured
	host string // empty: every interface
	port string
}

// parseListener parses http://host:port. HTTPS is not served yet: saying so at start beats a worker that
// silently speaks plain HTTP on a port meant for TLS.
func parseListener(raw string) (listener, error) {
	s := strings.TrimSpace(raw)
	u, err := url.Parse(s)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return listener{}, fmt.Errorf("listener %q: want a URL such as http://127.0.0.1:8083", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "http":
	case "https":
		return listener{}, fmt.Errorf("listener %s: HTTPS listeners are not supported yet; use http:// (behind a TLS proxy if needed)", s)
	default:
		return listener{}, fmt.Errorf("listener %s: unknown scheme %q; want http", s, u.Scheme)
	}
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		return listener{}, fmt.Errorf("listener %s: a listener URL has no path or query", s)
	}
	port := u.Port()
	if port == "" {
		return listener{}, fmt.Errorf("listener %s: no port; want a URL such as http://127.0.0.1:8083", s)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return listener{}, fmt.Errorf("listener %s: invalid port %q", s, port)
	}
	return listener{url: s, host: u.Hostname(), port: port}, nil
}

// Server is the REST server. Listen binds its ports and answers 503 until Start hands it the herder.
type Server struct {
	log zerolog.Logger
	// cfg holds the settings read at each request (header rules, CORS); Rebind replaces it.
	cfg atomic.Pointer[Config]
	// routing holds the muxes the listeners serve; Rebind replaces it.
	routing atomic.Pointer[routing]
	api     atomic.Pointer[api]
	// apiMu serialises the updates of api.
	apiMu    sync.Mutex
	reloader atomic.Pointer[reloaderBox]

	// mu guards bound and workerID.
	mu       sync.Mutex
	bound    []*binding // the listeners, then the admin listeners, in configuration order
	workerID string
	// wg counts the serving goroutines and the shutdowns of listeners that Rebind retired.
	wg sync.WaitGroup
}

// routing is what each kind of listener serves.
type routing struct {
	main  *http.ServeMux // the API on Listeners
	admin *http.ServeMux // the admin endpoints on AdminListeners; nil when there are none
}

// binding is one bound listener.
type binding struct {
	key   string // host:port as configured (#n added to the n-th port 0): a listener kept across a rebind keeps its port
	admin atomic.Bool
	srv   *http.Server
	addr  net.Addr
}

// Listen binds every listener (and admin listener) and starts serving; until Start is called every request
// is answered 503. A port in use is an error naming the listener.
func Listen(cfg Config) (*Server, error) {
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	s := &Server{log: cfg.Log}
	r, err := s.Rebind(cfg)
	if err != nil {
		return nil, err
	}
	r.Commit()
	return s, nil
}

func withDefaults(cfg Config) (Config, error) {
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.HealthTimeout <= 0 {
		cfg.HealthTimeout = DefaultHealthTimeout
	}
	if len(cfg.Listeners) == 0 {
		cfg.Listeners = []string{config.DefaultListener}
	}
	if cfg.Loggers == nil {
		return cfg, errors.New("rest: Config.Loggers is required")
	}
	return cfg, nil
}

// Rebinding is a new configuration of the server, with its new listeners bound but not serving yet: Commit
// switches to it, Abort gives it up. Only one may be pending at a time.
type Rebinding struct {
	s       *Server
	cfg     Config
	routing *routing
	bound   []*binding // the new set: kept bindings and fresh ones
	fresh   map[*binding]net.Listener
	admin   map[*binding]bool
	id      string
	done    bool
}

// Rebind prepares a new configuration while the server runs, as a change of the worker file asks: the
// listeners whose host:port is already bound are kept (with their connections), the others are bound now.
// If one cannot be bound, nothing changes and the error names it. Header rules and CORS settings take
// effect at Commit, for every listener.
func (s *Server) Rebind(cfg Config) (*Rebinding, error) {
	cfg, err := withDefaults(cfg)
	if err != nil {
		return nil, err
	}
	r := &Rebinding{s: s, cfg: cfg, fresh: map[*binding]net.Listener{}, admin: map[*binding]bool{}}
	r.routing = &routing{main: s.routes(cfg.AdminListeners == nil)}
	if len(cfg.AdminListeners) > 0 {
		r.routing.admin = http.NewServeMux()
		s.adminRoutes(r.routing.admin)
	}
	s.mu.Lock()
	current := map[string]*binding{}
	for _, b := range s.bound {
		current[b.key] = b
	}
	s.mu.Unlock()
	type entry struct {
		group string // the worker key
		raw   string
		ls    listener
		key   string
		admin bool
		b     *binding
	}
	var entries []*entry
	seen := map[string]bool{}
	for _, group := range []struct {
		key   string
		urls  []string
		admin bool
	}{{config.Listeners, cfg.Listeners, false}, {config.AdminListeners, cfg.AdminListeners, true}} {
		for _, raw := range group.urls {
			ls, err := parseListener(raw)
			if err != nil {
				r.Abort()
				return nil, fmt.Errorf("%s: %w", group.key, err)
			}
			key := net.JoinHostPort(ls.host, ls.port)
			if ls.port == "0" {
				// Each port-0 listener is a port of its own: the n-th one is kept as the n-th one.
				n := 0
				for seen[key+"#"+strconv.Itoa(n)] {
					n++
				}
				key += "#" + strconv.Itoa(n)
			}
			if seen[key] {
				r.Abort()
				return nil, fmt.Errorf("%s %s: address already in use — it is listed twice", group.key, ls.url)
			}
			seen[key] = true
			entries = append(entries, &entry{group: group.key, raw: raw, ls: ls, key: key, admin: group.admin})
		}
	}
	// Listeners with a port keep the binding at their address first; a port-0 listener keeps the one it had
	// unless an address took it, else gets a new port.
	claimed := map[*binding]bool{}
	for _, e := range entries {
		if e.ls.port == "0" {
			continue
		}
		e.b = current[e.key]
		if e.b == nil {
			e.b = boundAt(current, e.ls)
		}
		if e.b != nil {
			if claimed[e.b] {
				r.Abort()
				return nil, fmt.Errorf("%s %s: address already in use — it is listed twice", e.group, e.ls.url)
			}
			claimed[e.b] = true
		}
	}
	for _, e := range entries {
		if e.ls.port == "0" {
			if b := current[e.key]; b != nil && !claimed[b] {
				e.b, claimed[b] = b, true
			}
		}
		if e.b == nil {
			l, err := bind(e.group, e.raw)
			if err != nil {
				r.Abort()
				return nil, err
			}
			e.b = &binding{key: e.key, addr: l.Addr()}
			r.fresh[e.b] = l
		}
		r.admin[e.b] = e.admin
		r.bound = append(r.bound, e.b)
	}
	r.id = advertised(cfg, r.bound[0].addr)
	return r, nil
}

// boundAt returns the binding already listening where ls asks (http://localhost:8083 after
// http://127.0.0.1:8083), so that it is kept rather than bound a second time; nil if none.
func boundAt(bound map[string]*binding, ls listener) *binding {
	want, err := net.ResolveTCPAddr("tcp", net.JoinHostPort(ls.host, ls.port))
	if err != nil {
		return nil
	}
	for _, b := range bound {
		if have, ok := b.addr.(*net.TCPAddr); ok && have.Port == want.Port &&
			(have.IP.Equal(want.IP) || have.IP.IsUnspecified() && (want.IP == nil || want.IP.IsUnspecified())) {
			return b
		}
	}
	return nil
}

// WorkerID is the worker id the new configuration advertises.
func (r *Rebinding) WorkerID() string { return r.id }

// Commit serves the new configuration: new listeners start serving, kept ones serve the new routes, and
// listeners no longer configured stop taking connections and are closed once their requests in flight
// are answered (in the background, so a request that triggered the change is answered too).
func (r *Rebinding) Commit() {
	if r.done {
		return
	}
	r.done = true
	s := r.s
	s.cfg.Store(&r.cfg)
	s.routing.Store(r.routing)
	s.mu.Lock()
	defer s.mu.Unlock()
	keep := map[*binding]bool{}
	for _, b := range r.bound {
		keep[b] = true
		b.admin.Store(r.admin[b])
		if l := r.fresh[b]; l != nil {
			s.serve(b, l, r.cfg)
		}
	}
	for _, b := range s.bound {
		if keep[b] {
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), retireTimeout)
			defer cancel()
			if err := b.srv.Shutdown(ctx); err != nil {
				b.srv.Close()
			}
			s.log.Info().Str("address", b.addr.String()).Msg("REST listener closed: it is no longer configured")
		}()
	}
	s.bound, s.workerID = r.bound, r.id
}

// Abort closes the listeners Rebind bound; the server carries on as it was.
func (r *Rebinding) Abort() {
	if r.done {
		return
	}
	r.done = true
	for _, l := range r.fresh {
		l.Close()
	}
}

// retireTimeout bounds the wait for the requests in flight on a listener a rebind closes.
const retireTimeout = 10 * time.Second

// bind opens one listener; key names the worker key it comes from, for the error.
func bind(key, raw string) (net.Listener, error) {
	ls, err := parseListener(raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", key, err)
	}
	l, err := net.Listen("tcp", net.JoinHostPort(ls.host, ls.port))
	if errors.Is(err, syscall.EADDRINUSE) {
		return nil, fmt.Errorf("%s %s: address already in use — is another worker running?", key, ls.url)
	}
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w", key, ls.url, err)
	}
	return l, nil
}

// advertised is the worker id: the advertised host and port, else the first listener's host (loopback for
// a listener on every interface) and its bound port.
func advertised(cfg Config, addr net.Addr) string {
	ls, _ := parseListener(cfg.Listeners[0])
	host := ls.host
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	port := ""
	if tcp, ok := addr.(*net.TCPAddr); ok {
		port = strconv.Itoa(tcp.Port)
	}
	if cfg.AdvertisedHost != "" {
		host = cfg.AdvertisedHost
	}
	if cfg.AdvertisedPort > 0 {
		port = strconv.Itoa(cfg.AdvertisedPort)
	}
	return net.JoinHostPort(host, port)
}

// serve starts serving a new binding. The caller holds s.mu.
func (s *Server) serve(b *binding, l net.Listener, cfg Config) {
	b.srv = &http.Server{
		Handler:           s.handler(b),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		// A request may wait RequestTimeout for the herder; the answer must still get out after that.
		WriteTimeout: cfg.RequestTimeout + 30*time.Second,
		IdleTimeout:  idleTimeout,
		ErrorLog:     log.New(errorLog{s.log}, "", 0),
	}
	srv := b.srv
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error().Err(err).Str("listener", l.Addr().String()).Msg("REST listener failed")
		}
	}()
	s.log.Info().Str("address", l.Addr().String()).Msg("REST server listening")
}

// WorkerID is the advertised host:port that statuses show as worker_id.
func (s *Server) WorkerID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.workerID
}

// Addrs are the bound addresses of the listeners, then of the admin listeners.
func (s *Server) Addrs() []net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]net.Addr, len(s.bound))
	for i, b := range s.bound {
		out[i] = b.addr
	}
	return out
}

// Start serves the API with the herder; clusterID is the Kafka cluster id GET / reports.
func (s *Server) Start(h *runner.Herder, clusterID string) {
	cfg := s.cfg.Load()
	s.apiMu.Lock()
	s.api.Store(&api{srv: s, h: h, clusterID: clusterID, commit: cfg.Commit, loggers: cfg.Loggers, log: s.log,
		timeout: cfg.RequestTimeout, healthTimeout: cfg.HealthTimeout})
	s.apiMu.Unlock()
	s.log.Info().Msg("REST resources initialized; the worker's REST API is available")
}

// SetClusterID changes the Kafka cluster id GET / reports, after Start (the worker file named other
// brokers).
func (s *Server) SetClusterID(id string) {
	s.apiMu.Lock()
	defer s.apiMu.Unlock()
	if cur := s.api.Load(); cur != nil {
		next := *cur
		next.clusterID = id
		s.api.Store(&next)
	}
}

// Reloader is the file watcher as the reload endpoints and GET /health see it.
type Reloader interface {
	// Status returns every watched file with its last applied and failed versions.
	Status() reload.Status
	// Reload reads every file again and applies it, as SIGHUP does.
	Reload(ctx context.Context) (reload.Status, error)
}

// reloaderBox lets an interface value live in an atomic.Pointer.
type reloaderBox struct{ r Reloader }

// SetReloader serves GET and POST /admin/reload, and the reload errors of GET /health, from r.
func (s *Server) SetReloader(r Reloader) { s.reloader.Store(&reloaderBox{r}) }

// reloaderOf returns the reloader; nil until SetReloader.
func (s *Server) reloaderOf() Reloader {
	if b := s.reloader.Load(); b != nil {
		return b.r
	}
	return nil
}

// Shutdown stops accepting requests and waits for those in flight until ctx ends, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	servers := make([]*http.Server, 0, len(s.bound))
	for _, b := range s.bound {
		if b.srv != nil {
			servers = append(servers, b.srv)
		}
	}
	s.mu.Unlock()
	var errs []error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, srv := range servers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := srv.Shutdown(ctx); err != nil {
				srv.Close()
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	s.wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("REST server shutdown: %w", err)
	}
	return nil
}

// errorLog sends net/http's own complaints (a client that hung up mid-request, …) to the process log.
type errorLog struct{ log zerolog.Logger }

func (e errorLog) Write(p []byte) (int, error) {
	e.log.Warn().Msg(strings.TrimSpace(string(p)))
	return len(p), nil
}
