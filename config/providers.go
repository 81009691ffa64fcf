package config

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// Config provider classes, by the names Apache knows them under.
const (
	FileConfigProviderClass      = "org.apache.kafka.common.config.provider.FileConfigProvider"
	DirectoryConfigProviderClass = "org.apache.kafka.common.config.provider.DirectoryConfigProvider"
	EnvVarConfigProviderClass    = "org.apache.kafka.common.config.provider.EnvVarConfigProvider"
)

// providerClasses maps every accepted class name and alias to its class.
var providerClasses = map[string]string{
	FileConfigProviderClass: FileConfigProviderClass, "FileConfigProvider": FileConfigProviderClass, "File": FileConfigProviderClass,
	DirectoryConfigProviderClass: DirectoryConfigProviderClass, "DirectoryConfigProvider": DirectoryConfigProviderClass, "Directory": DirectoryConfigProviderClass,
	EnvVarConfigProviderClass: EnvVarConfigProviderClass, "EnvVarConfigProvider": EnvVarConfigProviderClass, "EnvVar": EnvVarConfigProviderClass,
}

// provider is one configured config provider: Apache's ConfigProvider.get(path, keys).
type provider interface {
	get(path string, keys []string) (map[string]string, error)
}

// Providers resolves ${provider:path:key} references with the config providers a worker configures. It is
// safe for concurrent use. A nil *Providers has no providers: Resolve returns the values unchanged.
type Providers struct {
	byName map[string]provider
}

// NewProviders builds the providers named by the worker's config.providers. Each name needs
// config.providers.<name>.class: FileConfigProvider, DirectoryConfigProvider or EnvVarConfigProvider, by
// full class name or alias (File, Directory, EnvVar); a name without a class is skipped, as in Apache.
// Parameters come from config.providers.<name>.param.*: allowed.paths for the file and directory
// providers, allowlist.pattern for the environment provider, which takes its snapshot of the environment
// now. The worker values are used raw: providers are not resolved with providers.
//
// Unlike Apache, which splits config.providers on commas without trimming when it resolves the worker's
// own values ("file, env" then names a provider " env" that has no class), the names are always trimmed.
func NewProviders(worker map[string]string) (*Providers, error) {
	p := &Providers{byName: map[string]provider{}}
	var errs Errors
	for _, name := range SplitList(worker[ConfigProviders]) {
		prefix := ConfigProviders + "." + name + "."
		rawClass, ok := worker[prefix+"class"]
		if !ok || p.byName[name] != nil {
			continue
		}
		params := map[string]string{}
		for k, v := range worker {
			if rest, ok := strings.CutPrefix(k, prefix+"param."); ok {
				params[rest] = v
			}
		}
		var (
			prov provider
			err  *Error
		)
		switch class := providerClasses[JavaTrim(rawClass)]; class {
		case FileConfigProviderClass, DirectoryConfigProviderClass:
			var allowed []string
			if allowed, err = allowedPaths(params, prefix+"param.allowed.paths"); err == nil {
				if class == FileConfigProviderClass {
					prov = fileProvider{allowed: allowed}
				} else {
					prov = dirProvider{allowed: allowed}
				}
			}
		case EnvVarConfigProviderClass:
			prov, err = newEnvProvider(params, prefix+"param.allowlist.pattern")
		default:
			err = keyError(prefix+"class", "Failed to find any class that implements ConfigProvider and which name matches "+
				rawClass+", available ConfigProviders are: "+DirectoryConfigProviderClass+", "+EnvVarConfigProviderClass+", "+FileConfigProviderClass)
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p.byName[name] = prov
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return p, nil
}

// variable is Apache's ConfigTransformer pattern: the path ends at the first ':' after the provider
// name, and the key takes the rest.
var variable = regexp.MustCompile(`\$\{([^}]*?):(([^}]*?):)?([^}]*?)\}`)

// Resolve returns a copy of props with every ${provider:path:key} reference replaced, as Apache's
// ConfigTransformer does: many references per value, a single pass (a replacement is not resolved
// again), and a reference to an unknown provider or to a key the provider does not have left as written.
// Each provider is asked once per path. A provider failure (an unreadable file, a path given to the
// environment provider) is an *Error naming the config key, the provider and the path.
func (p *Providers) Resolve(props map[string]string) (map[string]string, error) {
	return p.resolve(props, nil)
}

// ResolveWorker resolves the worker's own values as Apache does at start-up: like Resolve, except for
// plugin.path, which is used raw.
func (p *Providers) ResolveWorker(worker map[string]string) (map[string]string, error) {
	return p.resolve(worker, func(k string) bool { return k == PluginPath })
}

func (p *Providers) resolve(props map[string]string, raw func(string) bool) (map[string]string, error) {
	out := maps.Clone(props)
	if out == nil {
		out = map[string]string{}
	}
	if p == nil || len(p.byName) == 0 {
		return out, nil
	}
	type request struct {
		keys      []string
		configKey string // the first config key (in sorted order) that asked, for messages
	}
	requests := map[string]map[string]*request{} // provider -> path -> request
	configKeys := slices.Sorted(maps.Keys(props))
	for _, ck := range configKeys {
		v := props[ck]
		if (raw != nil && raw(ck)) || !strings.Contains(v, "${") {
			continue
		}
		for _, m := range variable.FindAllStringSubmatch(v, -1) {
			name, path, key := m[1], m[3], m[4]
			if p.byName[name] == nil {
				continue
			}
			if requests[name] == nil {
				requests[name] = map[string]*request{}
			}
			r := requests[name][path]
			if r == nil {
				r = &request{configKey: ck}
				requests[name][path] = r
			}
			if !slices.Contains(r.keys, key) {
				r.keys = append(r.keys, key)
			}
		}
	}
	data := map[string]map[string]map[string]string{} // provider -> path -> key -> value
	for _, name := range slices.Sorted(maps.Keys(requests)) {
		data[name] = map[string]map[string]string{}
		for _, path := range slices.Sorted(maps.Keys(requests[name])) {
			r := requests[name][path]
			values, err := p.byName[name].get(path, r.keys)
			if err != nil {
				return nil, keyError(r.configKey, fmt.Sprintf("config provider %q could not resolve path %q: %v", name, path, err))
			}
			data[name][path] = values
		}
	}
	for _, ck := range configKeys {
		v := props[ck]
		if (raw != nil && raw(ck)) || !strings.Contains(v, "${") {
			continue
		}
		out[ck] = variable.ReplaceAllStringFunc(v, func(ref string) string {
			m := variable.FindStringSubmatch(ref)
			if value, ok := data[m[1]][m[3]][m[4]]; ok {
				return value
			}
			return ref
		})
	}
	return out, nil
}

// allowedPaths parses allowed.paths: comma-separated absolute paths that exist; nil when not set (every
// path is allowed).
func allowedPaths(params map[string]string, key string) ([]string, *Error) {
	raw, ok := params["allowed.paths"]
	if !ok || raw == "" {
		return nil, nil
	}
	var out []string
	for _, p := range strings.Split(raw, ",") {
		clean := p
		if p != "" {
			clean = filepath.Clean(p)
		}
		if !filepath.IsAbs(clean) {
			return nil, keyError(key, "Path "+clean+" is not absolute")
		}
		if _, err := os.Stat(clean); err != nil {
			return nil, keyError(key, "Path "+clean+" does not exist")
		}
		out = append(out, clean)
	}
	return out, nil
}

// allowedPath returns the path to open, or "" when allowed.paths does not include it: a path is
// included when one of the allowed paths is a leading run of its (normalised) components.
func allowedPath(allowed []string, path string) string {
	if allowed == nil {
		return path
	}
	clean := filepath.Clean(path)
	for _, a := range allowed {
		if clean == a || strings.HasPrefix(clean, strings.TrimSuffix(a, string(filepath.Separator))+string(filepath.Separator)) {
			return clean
		}
	}
	return ""
}

// fileProvider is FileConfigProvider: the path is a properties file, read as UTF-8.
type fileProvider struct{ allowed []string }

func (f fileProvider) get(path string, keys []string) (map[string]string, error) {
	out := map[string]string{}
	if path == "" {
		return out, nil
	}
	name := allowedPath(f.allowed, path)
	if name == "" {
		return out, nil // not allowed: the reference stays as written, as in Apache
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("Could not read properties from file %s: %w", path, err)
	}
	props, err := parsePropertiesUTF8(name, data)
	if err != nil {
		return nil, fmt.Errorf("Could not read properties from file %s: %w", path, err)
	}
	for _, k := range keys {
		if v, ok := props.Props[k]; ok {
			out[k] = v
		}
	}
	return out, nil
}

// dirProvider is DirectoryConfigProvider: the path is a directory, each key the name of a regular file
// in it, and the value the whole file (with any trailing newline).
type dirProvider struct{ allowed []string }

func (d dirProvider) get(path string, keys []string) (map[string]string, error) {
	out := map[string]string{}
	if path == "" {
		return out, nil
	}
	dir := allowedPath(d.allowed, path)
	if dir == "" {
		return out, nil
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return out, nil // not a directory: the references stay as written, as in Apache
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("Could not list directory %s: %w", dir, err)
	}
	for _, e := range entries {
		if !slices.Contains(keys, e.Name()) {
			continue
		}
		file := filepath.Join(dir, e.Name())
		if st, err := os.Stat(file); err != nil || !st.Mode().IsRegular() {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("Could not read file %s for property %s: %w", file, e.Name(), err)
		}
		out[e.Name()] = strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return out, nil
}

// envProvider is EnvVarConfigProvider: the keys are environment variables, from a snapshot taken when the
// provider was built.
type envProvider struct{ vars map[string]string }

func newEnvProvider(params map[string]string, key string) (provider, *Error) {
	var allow *regexp.Regexp
	if pattern, ok := params["allowlist.pattern"]; ok {
		re, err := JavaRegex(pattern)
		if err != nil {
			return nil, keyError(key, invalidValue(key, pattern, "Invalid regex: "+err.Error()))
		}
		allow = re
	}
	vars := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if allow == nil || allow.MatchString(k) {
			vars[k] = v
		}
	}
	return envProvider{vars: vars}, nil
}

func (e envProvider) get(path string, keys []string) (map[string]string, error) {
	if path != "" {
		return nil, errors.New("Path is not supported for EnvVarConfigProvider, invalid value '" + path + "'")
	}
	out := map[string]string{}
	for _, k := range keys {
		if v, ok := e.vars[k]; ok {
			out[k] = v
		}
	}
	return out, nil
}
