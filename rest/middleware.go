package rest

import (
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/connect-standalone/connect-standalone/config"
)

// handler wraps a mux with what applies to every request: response header rules, CORS, trailing slashes,
// the body size limit, the 503 answer before Start, and JSON answers where net/http would answer in plain
// text (unknown route, wrong verb).
func (s *Server) handler(b *binding) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		cfg, rt := s.cfg.Load(), s.routing.Load()
		mux := rt.main
		if b.admin.Load() && rt.admin != nil {
			mux = rt.admin
		}
		// Every request is logged once answered, as Apache's request log does, under the REST server's logger
		// (PUT /admin/loggers/org.apache.kafka.connect.runtime.rest.RestServer {"level":"WARN"} quiets it).
		began, uri := time.Now(), r.URL.RequestURI()
		w := &loggingWriter{ResponseWriter: rw, status: http.StatusOK}
		defer func() {
			s.log.Info().Str("remote", r.RemoteAddr).Str("method", r.Method).Str("uri", uri).Int("status", w.status).
				Int("bytes", w.bytes).Dur("duration", time.Since(began)).Str("user_agent", r.UserAgent()).Msg("REST request")
		}()
		addHeaders(cfg, w.Header())
		if cors(cfg, w, r) {
			return
		}
		// Apache serves /connectors/ like /connectors.
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
			r.URL.Path = p[:len(p)-1]
			r.URL.RawPath = strings.TrimSuffix(r.URL.RawPath, "/")
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxBodyBytes)
		if s.api.Load() == nil {
			if r.URL.Path == "/health" {
				writeJSON(w, http.StatusServiceUnavailable, healthStarting)
				return
			}
			writeError(w, http.StatusServiceUnavailable, "Worker is still starting up.")
			return
		}
		if _, pattern := mux.Handler(r); pattern == "" {
			allowed := allowedMethods(mux, r)
			switch {
			case len(allowed) == 0:
				writeError(w, http.StatusNotFound, "HTTP 404 Not Found")
			case r.Method == http.MethodOptions:
				// As JAX-RS: the verbs of the resource, in the Allow header and as text.
				text := strings.Join(append([]string{http.MethodOptions}, allowed...), ", ")
				w.Header().Set("Allow", text)
				w.Header().Set("Content-Type", "text/plain")
				w.WriteHeader(http.StatusOK)
				w.Write([]byte(text))
			default:
				w.Header().Set("Allow", strings.Join(allowed, ", "))
				writeError(w, http.StatusMethodNotAllowed, "HTTP 405 Method Not Allowed")
			}
			return
		}
		if !acceptsJSON(r) {
			writeError(w, http.StatusNotAcceptable, "HTTP 406 Not Acceptable")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// allowedMethods lists the methods the mux serves on the request's path.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.WithContext(r.Context())
		probe.Method = m
		if _, pattern := mux.Handler(probe); pattern != "" {
			out = append(out, m)
		}
	}
	return out
}

// acceptsJSON reports whether the Accept header (if any) admits application/json.
func acceptsJSON(r *http.Request) bool {
	values := r.Header.Values("Accept")
	if len(values) == 0 {
		return true
	}
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			typ, params, err := mime.ParseMediaType(strings.TrimSpace(part))
			if err != nil {
				continue
			}
			if q, err := strconv.ParseFloat(params["q"], 64); err == nil && q <= 0 {
				continue
			}
			if typ == "*/*" || typ == "application/*" || typ == "application/json" {
				return true
			}
		}
	}
	return false
}

// addHeaders applies response.http.headers.config. The rules were checked when the configuration was read.
func addHeaders(cfg *Config, h http.Header) {
	for _, rule := range cfg.HeaderRules {
		value := rule.Value
		action := strings.ToLower(rule.Action)
		if action == "setdate" || action == "adddate" {
			ms, _ := strconv.ParseInt(value, 10, 64)
			value = time.Now().Add(time.Duration(ms) * time.Millisecond).UTC().Format(http.TimeFormat)
		}
		switch action {
		case "set", "setdate":
			h.Set(rule.Name, value)
		case "add", "adddate":
			h.Add(rule.Name, value)
		}
	}
}

// checkHeaderRules checks what config.ParseHeaderRules leaves to the server: the offsets of date rules.
func checkHeaderRules(rules []config.HeaderRule) error {
	for _, rule := range rules {
		if a := strings.ToLower(rule.Action); a == "setdate" || a == "adddate" {
			if _, err := strconv.ParseInt(rule.Value, 10, 64); err != nil {
				return &config.Error{Key: "response.http.headers.config",
					Msg: "Invalid header value '" + rule.Value + "' for " + rule.Action + " " + rule.Name + ": want a number of milliseconds"}
			}
		}
	}
	return nil
}

// Defaults of Jetty's cross-origin filter, which Apache uses.
const (
	defaultAllowMethods = "GET,POST,HEAD"
	allowHeaders        = "X-Requested-With,Content-Type,Accept,Origin"
	corsMaxAge          = "1800"
)

// cors adds the CORS headers to a request from an allowed origin, and answers a preflight request itself
// (reporting true). With no access.control.allow.origin it does nothing, as Apache.
func cors(cfg *Config, w http.ResponseWriter, r *http.Request) bool {
	if cfg.AllowOrigin == "" {
		return false
	}
	h := w.Header()
	h.Add("Vary", "Origin")
	origin := r.Header.Get("Origin")
	if origin == "" || !originAllowed(cfg.AllowOrigin, origin) {
		return false
	}
	// The origin is echoed rather than "*" because credentials are allowed, which "*" forbids.
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Credentials", "true")
	method := r.Header.Get("Access-Control-Request-Method")
	if r.Method != http.MethodOptions || method == "" {
		return false
	}
	methods := cfg.AllowMethods
	if strings.TrimSpace(methods) == "" {
		methods = defaultAllowMethods
	}
	if slices.ContainsFunc(strings.Split(methods, ","), func(m string) bool { return strings.TrimSpace(m) == method }) {
		h.Set("Access-Control-Allow-Methods", methods)
		h.Set("Access-Control-Allow-Headers", allowHeaders)
		h.Set("Access-Control-Max-Age", corsMaxAge)
	}
	w.WriteHeader(http.StatusNoContent)
	return true
}

// originAllowed matches an origin against access.control.allow.origin: comma-separated origins, where *
// stands for any text (a lone * for any origin).
func originAllowed(allowed, origin string) bool {
	for _, pat := range strings.Split(allowed, ",") {
		if wildcardMatch(strings.TrimSpace(pat), origin) {
			return true
		}
	}
	return false
}

func wildcardMatch(pat, s string) bool {
	parts := strings.Split(pat, "*")
	if len(parts) == 1 {
		return pat == s
	}
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	for _, p := range parts[1 : len(parts)-1] {
		i := strings.Index(s, p)
		if i < 0 {
			return false
		}
		s = s[i+len(p):]
	}
	return strings.HasSuffix(s, parts[len(parts)-1])
}

// loggingWriter records the status and size of an answer for the request log.
type loggingWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *loggingWriter) WriteHeader(status int) {
	w.status = status
	w.ResponseWriter.WriteHeader(status)
}

func (w *loggingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (w *loggingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
