package kafka

import (
	"maps"
	"strings"
	"testing"
)

func TestParseJAAS(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		module  string
		options map[string]string
	}{
		{"plain", `org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";`,
			plainLoginModule, map[string]string{"username": "alice", "password": "alice-secret"}},
		{"scram over lines with comments", "// credentials for the cluster\n" +
			"org.apache.kafka.common.security.scram.ScramLoginModule REQUIRED /* upper case is fine */\n" +
			"  username='bob'\n  password=\"p@ss word, with ; and = inside\"\n  tokenauth=true ;",
			scramLoginModule, map[string]string{"username": "bob", "password": "p@ss word, with ; and = inside", "tokenauth": "true"}},
		{"escapes", `org.apache.kafka.common.security.plain.PlainLoginModule optional username=alice password="a\"b\\c\td\101";`,
			plainLoginModule, map[string]string{"username": "alice", "password": "a\"b\\c\tdA"}},
		{"non-ASCII", `org.apache.kafka.common.security.plain.PlainLoginModule sufficient username="é€" password="😀";`,
			plainLoginModule, map[string]string{"username": "é€", "password": "😀"}},
		{"no options", `org.apache.kafka.common.security.plain.PlainLoginModule requisite;`,
			plainLoginModule, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := parseJAAS(tt.text)
			if err != nil {
				t.Fatal(err)
			}
			if e.module != tt.module || !maps.Equal(e.options, tt.options) {
				t.Errorf("got %s %v, want %s %v", e.module, e.options, tt.module, tt.options)
			}
		})
	}
}

func TestParseJAASErrors(t *testing.T) {
	const m = "org.apache.kafka.common.security.plain.PlainLoginModule"
	tests := []struct {
		text, want string
	}{
		{"", "Login module not specified in JAAS config"},
		{"  // only a comment", "Login module not specified in JAAS config"},
		{m, "Login module control flag not specified in JAAS config"},
		{m + ` mandatory username="u" password="s3cret";`, "Invalid login module control flag in JAAS config (want required, requisite, sufficient or optional)"},
		{m + ` required username="u" password="s3cret"`, "JAAS config entry not terminated by semi-colon"},
		{m + ` required username=;`, "Value not specified for key 'username' in JAAS config"},
		{m + ` required username="u" password "s3cret";`, "Value not specified for key 'password' in JAAS config"},
		// A bare number is no value for Java's StreamTokenizer: it must be quoted.
		{m + ` required username="u" password=12345;`, "Value not specified for key 'password' in JAAS config"},
		// A quoted "key" may be a password that lost its key: it is not repeated.
		{m + ` required username="u" "s3cret";`, "Value not specified for a key in JAAS config"},
		{m + ` required username="u" password="s3cret"; ` + m + ` required;`, "JAAS config property contains 2 login modules, should be 1 module"},
	}
	for _, tt := range tests {
		_, err := parseJAAS(tt.text)
		if err == nil || err.Error() != tt.want {
			t.Errorf("parseJAAS(%q) = %v, want %q", tt.text, err, tt.want)
		}
		if err != nil && strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error leaks the password: %v", err)
		}
	}
}

func TestJAASCredentials(t *testing.T) {
	e, _ := parseJAAS(`org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p" tokenauth="TRUE";`)
	user, pass, token, err := e.credentials()
	if err != nil || user != "u" || pass != "p" || !token {
		t.Errorf("credentials = %q %q %v %v", user, pass, token, err)
	}
	for text, want := range map[string]string{
		`org.apache.kafka.common.security.plain.PlainLoginModule required password="p";`: "the login module has no username option",
		`org.apache.kafka.common.security.plain.PlainLoginModule required username="u";`: "the login module has no password option",
		`org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;`:  "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule is not supported by connect-standalone (use org.apache.kafka.common.security.plain.PlainLoginModule or org.apache.kafka.common.security.scram.ScramLoginModule)",
		`"s3cret" required;`: "this login module is not supported by connect-standalone (use org.apache.kafka.common.security.plain.PlainLoginModule or org.apache.kafka.common.security.scram.ScramLoginModule)",
	} {
		e, err := parseJAAS(text)
		if err != nil {
			t.Fatalf("%s: %v", text, err)
		}
		if _, _, _, err := e.credentials(); err == nil || err.Error() != want {
			t.Errorf("%s: %v, want %q", text, err, want)
		}
	}
}
