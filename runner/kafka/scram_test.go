package kafka

import (
	"crypto/sha1"
	"crypto/sha256"
	"hash"
	"strings"
	"testing"
)

// exchange runs a SCRAM conversation against scripted server messages and checks the client's messages.
func exchange(t *testing.T, h func() hash.Hash, user, pass, nonce, serverFirst, clientFinal, serverFinal, clientFirst string) {
	t.Helper()
	c := newSCRAMClient(h, false)
	c.nonce = func() (string, error) { return nonce, nil }
	if err := c.Begin(user, pass, ""); err != nil {
		t.Fatal(err)
	}
	first, err := c.Step("")
	if err != nil || first != clientFirst {
		t.Fatalf("client-first = %q, %v; want %q", first, err, clientFirst)
	}
	final, err := c.Step(serverFirst)
	if err != nil || final != clientFinal {
		t.Fatalf("client-final = %q, %v; want %q", final, err, clientFinal)
	}
	if c.Done() {
		t.Fatal("done before the server's signature")
	}
	if _, err := c.Step(serverFinal); err != nil {
		t.Fatalf("server-final: %v", err)
	}
	if !c.Done() {
		t.Fatal("not done after the server's signature")
	}
}

// TestSCRAMSHA256Vector is the example exchange of RFC 7677, section 3.
func TestSCRAMSHA256Vector(t *testing.T) {
	exchange(t, sha256.New, "user", "pencil", "rOprNGfwEbeRWgbNEkqO",
		"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
		"c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=",
		"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=",
		"n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
}

// TestSCRAMSHA1Vector is the example exchange of RFC 5802, section 5: the client is generic in its hash.
func TestSCRAMSHA1Vector(t *testing.T) {
	exchange(t, sha1.New, "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL",
		"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
		"c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=",
		"v=rmF9pqV8S7suAoZWja4dJRkFsKQ=",
		"n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL")
}

func TestSCRAMClientFirst(t *testing.T) {
	c := newSCRAMClient(sha256.New, true)
	c.nonce = func() (string, error) { return "abc", nil }
	c.Begin("a=b,c", "p", "")
	first, _ := c.Step("")
	if want := "n,,n=a=3Db=2Cc,r=abc,tokenauth=true"; first != want {
		t.Errorf("client-first = %q, want %q", first, want)
	}

	// The real nonce source gives a fresh, comma-free nonce each time.
	a, b := newSCRAMClient(sha256.New, false), newSCRAMClient(sha256.New, false)
	a.Begin("u", "p", "")
	b.Begin("u", "p", "")
	fa, _ := a.Step("")
	fb, _ := b.Step("")
	if fa == fb || strings.Count(fa, ",") != 3 || len(fa) < len("n,,n=u,r=")+24 {
		t.Errorf("nonces: %q %q", fa, fb)
	}
}

func TestSCRAMRejectsBadServers(t *testing.T) {
	tests := []struct {
		name, serverFirst, serverFinal, want string
	}{
		{"nonce not extended", "r=other,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "", "SCRAM: the server's nonce does not extend the client's"},
		{"nonce not extended at all", "r=abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "", "SCRAM: the server's nonce does not extend the client's"},
		{"too few iterations", "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1000", "", `SCRAM: the server asked for "1000" iterations, fewer than the minimum 4096`},
		{"no salt", "r=abcdef,i=4096", "", "SCRAM: the server sent no valid salt"},
		{"server error", "e=unknown-user", "", "SCRAM: the server refused the exchange: unknown-user"},
		{"mandatory extension", "m=ext,r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "", "SCRAM: the server requires an extension this client does not know"},
		{"wrong signature", "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "v=AAAA", "SCRAM: the server's signature is wrong (is this the right broker?)"},
		{"final error", "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "e=invalid-proof", "SCRAM: the server refused the credentials: invalid-proof"},
		{"final without signature", "r=abcdef,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096", "x=1", "SCRAM: the server's final message has no signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newSCRAMClient(sha256.New, false)
			c.nonce = func() (string, error) { return "abc", nil }
			c.Begin("u", "p", "")
			c.Step("")
			_, err := c.Step(tt.serverFirst)
			if err == nil && tt.serverFinal != "" {
				_, err = c.Step(tt.serverFinal)
			}
			if err == nil || err.Error() != tt.want {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
			if c.Done() && tt.serverFinal == "" {
				t.Error("done after a failed exchange")
			}
		})
	}
}
