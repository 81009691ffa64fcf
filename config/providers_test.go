package config

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestResolve(t *testing.T) {
	dir := t.TempDir()
	secrets := filepath.Join(dir, "secrets.properties")
	// FileConfigProvider reads UTF-8, unlike worker files.
	writeFile(t, secrets, "db.password=s3cr=t\nuser = é\nnested=${env:KAFKA_A}\n")
	secretDir := filepath.Join(dir, "run")
	if err := os.Mkdir(secretDir, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(secretDir, "token"), "abc\n")
	if err := os.Mkdir(filepath.Join(secretDir, "sub"), 0o700); err != nil {
		t.Fatal(err)
	}
	t.Setenv("KAFKA_A", "alpha")
	t.Setenv("KAFKA_B", "beta")
	t.Setenv("OTHER", "hidden")

	p, err := NewProviders(map[string]string{
		"config.providers":                             "file, env,dir,ghost",
		"config.providers.file.class":                  "org.apache.kafka.common.config.provider.FileConfigProvider",
		"config.providers.env.class":                   "EnvVar",
		"config.providers.env.param.allowlist.pattern": "KAFKA_.*",
		"config.providers.dir.class":                   "DirectoryConfigProvider",
		"config.providers.dir.param.allowed.paths":     secretDir,
	})
	if err != nil {
		t.Fatal(err)
	}
	in := map[string]string{
		"password": "${file:" + secrets + ":db.password}",
		"user":     "${file:" + secrets + ":user}",
		"two":      "x${env:KAFKA_A}y${env:KAFKA_B}z",
		"filtered": "${env:OTHER}",
		"unset":    "${env:KAFKA_NOPE}",
		"unknown":  "${vault:a:b}",
		"noColon":  "${noColon}",
		"single":   "${file:" + secrets + ":nested}", // not resolved again
		"token":    "${dir:" + secretDir + ":token}",
		"subdir":   "${dir:" + secretDir + ":sub}",
		"outside":  "${dir:" + dir + ":secrets.properties}", // not under allowed.paths
		"missing":  "${file:" + secrets + ":nope}",
		"emptyKey": "${file::x}",
		"plain":    "no references",
	}
	out, err := p.Resolve(in)
	if err != nil {
		t.Fatal(err)
	}
	want := maps.Clone(in)
	want["password"] = "s3cr=t"
	want["user"] = "é"
	want["two"] = "xalphaybetaz"
	want["single"] = "${env:KAFKA_A}"
	want["token"] = "abc\n"
	if !maps.Equal(out, want) {
		for k := range want {
			if out[k] != want[k] {
				t.Errorf("%s = %q, want %q", k, out[k], want[k])
			}
		}
	}
	if in["password"] != "${file:"+secrets+":db.password}" {
		t.Fatal("Resolve changed its input")
	}

	// The environment is a snapshot taken when the providers were built.
	t.Setenv("KAFKA_A", "changed")
	out, _ = p.Resolve(map[string]string{"a": "${env:KAFKA_A}"})
	if out["a"] != "alpha" {
		t.Fatalf("env read again: %q", out["a"])
	}
}

func TestResolveErrors(t *testing.T) {
	dir := t.TempDir()
	p, err := NewProviders(map[string]string{
		"config.providers":            "file,env",
		"config.providers.file.class": "File",
		"config.providers.env.class":  "EnvVarConfigProvider",
	})
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nope.properties")
	_, err = p.Resolve(map[string]string{"b": "${file:" + missing + ":k}", "a": "${file:" + missing + ":j}"})
	want := `key "a": config provider "file" could not resolve path "` + missing + `": Could not read properties from file ` + missing + `: open ` + missing + `: no such file or directory`
	if err == nil || err.Error() != want {
		t.Fatalf("error\n %v\nwant\n %s", err, want)
	}
	_, err = p.Resolve(map[string]string{"x": "${env:/etc:HOME}"})
	want = `key "x": config provider "env" could not resolve path "/etc": Path is not supported for EnvVarConfigProvider, invalid value '/etc'`
	if err == nil || err.Error() != want {
		t.Fatalf("error\n %v\nwant\n %s", err, want)
	}
}

func TestProvidersCalledOncePerPath(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "a.properties")
	writeFile(t, f, "x=1\ny=2\n")
	p, err := NewProviders(map[string]string{"config.providers": "file", "config.providers.file.class": "File"})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	real := p.byName["file"]
	p.byName["file"] = providerFunc(func(path string, keys []string) (map[string]string, error) {
		calls++
		if len(keys) != 2 {
			t.Errorf("keys %q asked separately", keys)
		}
		return real.get(path, keys)
	})
	out, err := p.Resolve(map[string]string{"a": "${file:" + f + ":x}", "b": "${file:" + f + ":y}-${file:" + f + ":x}"})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1 || out["a"] != "1" || out["b"] != "2-1" {
		t.Fatalf("calls=%d out=%v", calls, out)
	}
}

type providerFunc func(path string, keys []string) (map[string]string, error)

func (f providerFunc) get(path string, keys []string) (map[string]string, error) {
	return f(path, keys)
}

func TestNewProvidersErrors(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		worker map[string]string
		want   string
	}{
		{"unknown class", map[string]string{"config.providers": "v", "config.providers.v.class": "com.example.Vault"},
			`key "config.providers.v.class": Failed to find any class that implements ConfigProvider and which name matches com.example.Vault, available ConfigProviders are: org.apache.kafka.common.config.provider.DirectoryConfigProvider, org.apache.kafka.common.config.provider.EnvVarConfigProvider, org.apache.kafka.common.config.provider.FileConfigProvider`},
		{"relative allowed path", map[string]string{"config.providers": "f", "config.providers.f.class": "File", "config.providers.f.param.allowed.paths": "rel/dir"},
			`key "config.providers.f.param.allowed.paths": Path rel/dir is not absolute`},
		{"missing allowed path", map[string]string{"config.providers": "f", "config.providers.f.class": "File", "config.providers.f.param.allowed.paths": dir + "/a/../nope"},
			`key "config.providers.f.param.allowed.paths": Path ` + dir + `/nope does not exist`},
		{"bad allowlist", map[string]string{"config.providers": "e", "config.providers.e.class": "EnvVar", "config.providers.e.param.allowlist.pattern": "KAFKA_(?=X)"},
			`key "config.providers.e.param.allowlist.pattern": Invalid value KAFKA_(?=X) for configuration config.providers.e.param.allowlist.pattern: Invalid regex: lookahead ((?=) is not supported in "KAFKA_(?=X)"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewProviders(tc.worker)
			if err == nil || err.Error() != tc.want {
				t.Fatalf("error\n %v\nwant\n %s", err, tc.want)
			}
		})
	}
}

func TestResolveWorker(t *testing.T) {
	t.Setenv("KAFKA_BOOT", "broker:9092")
	worker := map[string]string{
		"config.providers":           "env",
		"config.providers.env.class": "EnvVar",
		"bootstrap.servers":          "${env:KAFKA_BOOT}",
		"plugin.path":                "${env:KAFKA_BOOT}",
	}
	p, err := NewProviders(worker)
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.ResolveWorker(worker)
	if err != nil {
		t.Fatal(err)
	}
	if out["bootstrap.servers"] != "broker:9092" || out["plugin.path"] != "${env:KAFKA_BOOT}" {
		t.Fatalf("resolved %v", out)
	}
	var none *Providers
	out, err = none.Resolve(map[string]string{"a": "${env:KAFKA_BOOT}"})
	if err != nil || out["a"] != "${env:KAFKA_BOOT}" {
		t.Fatalf("nil providers: %v %v", out, err)
	}
}

func TestAllowedPaths(t *testing.T) {
	dir := t.TempDir()
	allowed := filepath.Join(dir, "ok")
	if err := os.Mkdir(allowed, 0o700); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(allowed, "a.properties"), "k=in\n")
	writeFile(t, filepath.Join(dir, "okay.properties"), "k=sibling\n") // shares a string prefix, not a component
	p, err := NewProviders(map[string]string{"config.providers": "f", "config.providers.f.class": "File", "config.providers.f.param.allowed.paths": allowed})
	if err != nil {
		t.Fatal(err)
	}
	out, err := p.Resolve(map[string]string{
		"in":      "${f:" + allowed + "/a.properties:k}",
		"dotdot":  "${f:" + allowed + "/../okay.properties:k}",
		"sibling": "${f:" + dir + "/okay.properties:k}",
	})
	if err != nil {
		t.Fatal(err)
	}
	if out["in"] != "in" || !strings.HasPrefix(out["dotdot"], "${") || !strings.HasPrefix(out["sibling"], "${") {
		t.Fatalf("resolved %v", out)
	}
}
