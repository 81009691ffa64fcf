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
	cfg      Config
	log      zerolog.Logger
	mux      *http.ServeMux // the API on Listeners
	adminMux *http.ServeMux // the admin endpoints on AdminListeners, nil when they have none
	api      atomic.Pointer[api]

	workerID string
	servers  []*http.Server
	addrs    []net.Addr
	wg       sync.WaitGroup
}

// Listen binds every listener (and admin listener) and starts serving; until Start is called every request
// is answered 503. A port in use is an error naming the listener.
func Listen(cfg Config) (*Server, error) {
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
		return nil, errors.New("rest: Config.Loggers is required")
	}
	s := &Server{cfg: cfg, log: cfg.Log}
	s.mux = s.routes(cfg.AdminListeners == nil)
	if len(cfg.AdminListeners) > 0 {
		s.adminMux = http.NewServeMux()
		s.adminRoutes(s.adminMux)
	}

	var mainListeners, adminListeners []net.Listener
	closeAll := func() {
		for _, l := range append(mainListeners, adminListeners...) {
			l.Close()
		}
	}
	for _, group := range []struct {
		key  string
		urls []string
		out  *[]net.Listener
	}{{config.Listeners, cfg.Listeners, &mainListeners}, {config.AdminListeners, cfg.AdminListeners, &adminListeners}} {
		for _, raw := range group.urls {
			l, err := bind(group.key, raw)
			if err != nil {
				closeAll()
				return nil, err
			}
			*group.out = append(*group.out, l)
		}
	}
	s.workerID = advertised(cfg, mainListeners[0].Addr())

	for _, l := range mainListeners {
		s.serve(l, s.mux)
	}
	for _, l := range adminListeners {
		s.serve(l, s.adminMux)
	}
	return s, nil
}

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

func (s *Server) serve(l net.Listener, mux *http.ServeMux) {
	srv := &http.Server{
		Handler:           s.handler(mux),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		// A request may wait RequestTimeout for the herder; the answer must still get out after that.
		WriteTimeout: s.cfg.RequestTimeout + 30*time.Second,
		IdleTimeout:  idleTimeout,
		ErrorLog:     log.New(errorLog{s.log}, "", 0),
	}
	s.servers = append(s.servers, srv)
	s.addrs = append(s.addrs, l.Addr())
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
func (s *Server) WorkerID() string { return s.workerID }

// Addrs are the bound addresses of the listeners, then of the admin listeners.
func (s *Server) Addrs() []net.Addr { return s.addrs }

// Start serves the API with the herder; clusterID is the Kafka cluster id GET / reports.
func (s *Server) Start(h *runner.Herder, clusterID string) {
	s.api.Store(&api{
		h: h, clusterID: clusterID, commit: s.cfg.Commit, loggers: s.cfg.Loggers, log: s.log,
		timeout: s.cfg.RequestTimeout, healthTimeout: s.cfg.HealthTimeout,
	})
	s.log.Info().Msg("REST resources initialized; the worker's REST API is available")
}

// Shutdown stops accepting requests and waits for those in flight until ctx ends, then closes what is left.
func (s *Server) Shutdown(ctx context.Context) error {
	var errs []error
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, srv := range s.servers {
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
