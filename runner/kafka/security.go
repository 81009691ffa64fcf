package kafka

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/IBM/sarama"
)

// security applies security.protocol and, as it requires, the ssl.* and sasl.* keys. Like the Java
// client, known ssl.* keys are ignored on a connection without TLS and sasl.* keys on one without SASL:
// the worker's top-level ssl.* keys, for instance, configure its HTTPS listener and reach the admin
// client too.
func (r *reader) security(cfg *sarama.Config) {
	proto := r.oneOf("security.protocol", "PLAINTEXT", true, "PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
	if proto == "SSL" || proto == "SASL_SSL" {
		if t := r.tlsConfig(); t != nil {
			cfg.Net.TLS.Enable = true
			cfg.Net.TLS.Config = t
		}
	} else {
		r.ignore(func(k string) bool { _, known := keyTable[k]; return known && strings.HasPrefix(k, "ssl.") })
	}
	if proto == "SASL_PLAINTEXT" || proto == "SASL_SSL" {
		r.sasl(cfg, proto)
	} else {
		r.ignore(func(k string) bool { _, known := keyTable[k]; return known && strings.HasPrefix(k, "sasl.") })
	}
}

// sasl applies sasl.mechanism and the credentials of sasl.jaas.config.
func (r *reader) sasl(cfg *sarama.Config, proto string) {
	// GSSAPI is Kafka's default mechanism.
	mech := r.str("sasl.mechanism", "GSSAPI")
	switch mech {
	case "PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512":
	case "GSSAPI", "OAUTHBEARER":
		what := mech
		if !r.has("sasl.mechanism") {
			what = "GSSAPI (Kafka's default when sasl.mechanism is not set)"
		}
		r.fail("sasl.mechanism", what+" is not supported by connect-standalone (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)")
		r.lookup("sasl.jaas.config")
		return
	default:
		r.fail("sasl.mechanism", "unknown SASL mechanism "+mech+" (supported: PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)")
		r.lookup("sasl.jaas.config")
		return
	}
	jaas, ok := r.secret("sasl.jaas.config")
	if !ok {
		r.fail("sasl.jaas.config", "required with security.protocol="+proto+" (connect-standalone does not read the JVM's JAAS files)")
		return
	}
	entry, err := parseJAAS(jaas)
	var user, pass string
	var tokenAuth bool
	if err == nil {
		user, pass, tokenAuth, err = entry.credentials()
	}
	if err != nil {
		r.fail("sasl.jaas.config", err.Error())
		return
	}
	cfg.Net.SASL.Enable = true
	cfg.Net.SASL.Handshake = true
	cfg.Net.SASL.Version = sarama.SASLHandshakeV1
	cfg.Net.SASL.User = user
	cfg.Net.SASL.Password = pass
	switch mech {
	case "PLAIN":
		if tokenAuth {
			r.fail("sasl.jaas.config", "tokenauth=true needs a SCRAM mechanism, not PLAIN")
		}
		cfg.Net.SASL.Mechanism = sarama.SASLTypePlaintext
	case "SCRAM-SHA-256":
		cfg.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA256
		cfg.Net.SASL.SCRAMClientGeneratorFunc = func() sarama.SCRAMClient { return newSCRAMClient(sha256.New, tokenAuth) }
	case "SCRAM-SHA-512":
		cfg.Net.SASL.Mechanism = sarama.SASLTypeSCRAMSHA512
		cfg.Net.SASL.SCRAMClientGeneratorFunc = func() sarama.SCRAMClient { return newSCRAMClient(sha512.New, tokenAuth) }
	}
}

var tlsVersions = map[string]uint16{
	"TLSv1":   tls.VersionTLS10,
	"TLSv1.1": tls.VersionTLS11,
	"TLSv1.2": tls.VersionTLS12,
	"TLSv1.3": tls.VersionTLS13,
}

// tlsConfig builds the TLS configuration of the ssl.* keys, following the rules of Kafka's
// DefaultSslEngineFactory. Only PEM key and trust stores can be read; JKS and PKCS12 stores get an error
// that says how to convert them.
func (r *reader) tlsConfig() *tls.Config {
	nerr := len(r.errs)
	t := &tls.Config{}

	// ssl.protocol picks the JVM's SSLContext; which versions are used is ssl.enabled.protocols.
	switch p := r.str("ssl.protocol", "TLSv1.3"); p {
	case "TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1", "TLS", "SSL":
	default:
		r.fail("ssl.protocol", "unknown protocol "+p+" (supported: TLSv1.3, TLSv1.2, TLSv1.1, TLSv1, TLS, SSL)")
	}
	for _, p := range r.list("ssl.enabled.protocols", []string{"TLSv1.2", "TLSv1.3"}) {
		v, ok := tlsVersions[p]
		if !ok {
			r.fail("ssl.enabled.protocols", "unsupported protocol "+p+" (supported: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)")
			continue
		}
		if t.MinVersion == 0 || v < t.MinVersion {
			t.MinVersion = v
		}
		t.MaxVersion = max(t.MaxVersion, v)
	}
	if suites := r.list("ssl.cipher.suites", nil); len(suites) > 0 {
		ids := cipherSuiteIDs()
		for _, s := range suites {
			id, ok := ids[s]
			if !ok {
				r.fail("ssl.cipher.suites", "unknown or unsupported cipher suite "+s)
				continue
			}
			t.CipherSuites = append(t.CipherSuites, id)
		}
	}

	roots := r.trustStore()
	if cert := r.keyStore(); cert != nil {
		t.Certificates = []tls.Certificate{*cert}
	}

	switch alg := r.str("ssl.endpoint.identification.algorithm", "https"); {
	case strings.EqualFold(alg, "https"):
		t.RootCAs = roots
	case alg == "":
		// Verify the chain but not the host name, as Java does with an empty algorithm.
		t.InsecureSkipVerify = true
		t.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("the broker sent no certificate")
			}
			opts := x509.VerifyOptions{Roots: roots, Intermediates: x509.NewCertPool()}
			for _, c := range cs.PeerCertificates[1:] {
				opts.Intermediates.AddCert(c)
			}
			_, err := cs.PeerCertificates[0].Verify(opts)
			return err
		}
	default:
		r.fail("ssl.endpoint.identification.algorithm", "unsupported algorithm "+alg+" (use https, or an empty value to skip host name verification)")
	}
	if len(r.errs) > nerr {
		return nil
	}
	return t
}

func cipherSuiteIDs() map[string]uint16 {
	ids := make(map[string]uint16)
	for _, s := range tls.CipherSuites() {
		ids[s.Name] = s.ID
	}
	for _, s := range tls.InsecureCipherSuites() {
		ids[s.Name] = s.ID
	}
	return ids
}

func isPEM(typ string) bool { return strings.EqualFold(typ, "PEM") }

// convertHint says how to turn a Java key or trust store into PEM.
const convertHint = "convert it to PEM (keytool -importkeystore -deststoretype PKCS12, then openssl pkcs12 -nodes) and set %s=PEM"

// trustStore returns the CA pool of ssl.truststore.*, or nil for the system's roots (the JVM's cacerts in
// Java).
func (r *reader) trustStore() *x509.CertPool {
	typ := r.str("ssl.truststore.type", "JKS")
	loc := r.str("ssl.truststore.location", "")
	hasLoc := r.has("ssl.truststore.location")
	certs, hasCerts := r.secret("ssl.truststore.certificates")
	_, hasPass := r.secret("ssl.truststore.password")

	var data []byte
	var from string
	switch {
	case hasCerts:
		switch {
		case !isPEM(typ):
			r.fail("ssl.truststore.type", "SSL trust store certs can be specified only for PEM, but trust store type is "+typ+".")
		case hasLoc:
			r.fail("ssl.truststore.location", "Both SSL trust store location and separate trust certificates are specified.")
		case hasPass:
			r.fail("ssl.truststore.password", "SSL trust store password cannot be specified for PEM format.")
		}
		data, from = []byte(certs), "ssl.truststore.certificates"
	case hasLoc && isPEM(typ):
		if hasPass {
			r.fail("ssl.truststore.password", "SSL trust store password cannot be specified for PEM format.")
			return nil
		}
		b, err := os.ReadFile(loc)
		if err != nil {
			r.fail("ssl.truststore.location", "cannot read the trust store: "+err.Error())
			return nil
		}
		data, from = b, "ssl.truststore.location"
	case hasLoc:
		r.fail("ssl.truststore.type", typ+" trust stores are not supported by connect-standalone; "+fmt.Sprintf(convertHint, "ssl.truststore.type"))
		return nil
	case hasPass:
		r.fail("ssl.truststore.password", "SSL trust store is not specified, but trust store password is specified.")
		return nil
	default:
		return nil
	}
	pool := x509.NewCertPool()
	n := 0
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			r.fail(from, "invalid certificate in the trust store: "+err.Error())
			return nil
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		r.fail(from, "Invalid PEM truststore configs: At least one certificate expected, but none found")
		return nil
	}
	return pool
}

// keyStore returns the client certificate of ssl.keystore.* (and ssl.key.password), or nil for none.
func (r *reader) keyStore() *tls.Certificate {
	typ := r.str("ssl.keystore.type", "JKS")
	loc := r.str("ssl.keystore.location", "")
	hasLoc := r.has("ssl.keystore.location")
	key, hasKey := r.secret("ssl.keystore.key")
	chain, hasChain := r.secret("ssl.keystore.certificate.chain")
	_, hasPass := r.secret("ssl.keystore.password")
	keyPass, hasKeyPass := r.secret("ssl.key.password")

	var certPEM, keyPEM []byte
	from := "ssl.keystore.key"
	switch {
	case hasKey:
		switch {
		case !isPEM(typ):
			r.fail("ssl.keystore.type", "SSL private key can be specified only for PEM, but key store type is "+typ+".")
		case !hasChain:
			r.fail("ssl.keystore.certificate.chain", "SSL private key is specified, but certificate chain is not specified.")
		case hasLoc:
			r.fail("ssl.keystore.location", "Both SSL key store location and separate private key are specified.")
		case hasPass:
			r.fail("ssl.keystore.password", "SSL key store password cannot be specified with PEM format, only key password may be specified.")
		default:
			certPEM, keyPEM = []byte(chain), []byte(key)
		}
		if certPEM == nil {
			return nil
		}
	case hasChain:
		r.fail("ssl.keystore.key", "SSL certificate chain is specified, but private key is not specified")
		return nil
	case hasLoc && isPEM(typ):
		if hasPass {
			r.fail("ssl.keystore.password", "SSL key store password cannot be specified with PEM format, only key password may be specified")
			return nil
		}
		b, err := os.ReadFile(loc)
		if err != nil {
			r.fail("ssl.keystore.location", "cannot read the key store: "+err.Error())
			return nil
		}
		certPEM, keyPEM, from = b, b, "ssl.keystore.location"
	case hasLoc:
		r.fail("ssl.keystore.type", typ+" key stores are not supported by connect-standalone; "+fmt.Sprintf(convertHint, "ssl.keystore.type"))
		return nil
	case hasPass:
		r.fail("ssl.keystore.password", "SSL key store is not specified, but key store password is specified.")
		return nil
	default:
		return nil
	}

	var certs []byte
	for rest := certPEM; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type == "CERTIFICATE" {
			certs = append(certs, pem.EncodeToMemory(block)...)
		}
	}
	var keyBlock *pem.Block
	for rest := keyPEM; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		switch {
		case block.Type == "ENCRYPTED PRIVATE KEY" || block.Headers["Proc-Type"] != "":
			r.fail(from, "encrypted private keys are not supported by connect-standalone; decrypt the key (openssl pkcs8 -topk8 -nocrypt) and remove ssl.key.password")
			return nil
		case strings.HasSuffix(block.Type, "PRIVATE KEY"):
			if keyBlock != nil {
				r.fail(from, "Invalid PEM keystore configs: Expected one private key, but found more")
				return nil
			}
			keyBlock = block
		}
	}
	switch {
	case certs == nil:
		r.fail(from, "Invalid PEM keystore configs: At least one certificate expected, but none found")
		return nil
	case keyBlock == nil:
		r.fail(from, "Invalid PEM keystore configs: Private key not provided")
		return nil
	case hasKeyPass && keyPass != "":
		r.fail("ssl.key.password", "set, but the private key is not encrypted; remove ssl.key.password")
		return nil
	}
	cert, err := tls.X509KeyPair(certs, pem.EncodeToMemory(keyBlock))
	if err != nil {
		// crypto/tls errors name what is wrong, never the key material.
		r.fail(from, "Invalid PEM keystore configs: "+err.Error())
		return nil
	}
	return &cert
}
