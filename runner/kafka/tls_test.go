package kafka

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
)

// pki is a test CA with a broker certificate and a client certificate, written as PEM files.
type pki struct {
	caPEM                  string
	caFile                 string
	serverCert             tls.Certificate
	clientChain, clientKey string // PEM
	clientFile             string // chain and key in one PEM file
	pool                   *x509.CertPool
}

func newPKI(t *testing.T, serverIPs []net.IP, serverDNS []string) *pki {
	t.Helper()
	dir := t.TempDir()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "test CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		KeyUsage:              x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	issue := func(serial int64, cn string, usage x509.ExtKeyUsage, ips []net.IP, dns []string) (certPEM, keyPEM []byte) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{
			SerialNumber: big.NewInt(serial),
			Subject:      pkix.Name{CommonName: cn},
			NotBefore:    time.Now().Add(-time.Hour),
			NotAfter:     time.Now().Add(time.Hour),
			KeyUsage:     x509.KeyUsageDigitalSignature,
			ExtKeyUsage:  []x509.ExtKeyUsage{usage},
			IPAddresses:  ips,
			DNSNames:     dns,
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
			pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	}
	p := &pki{caPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER})), pool: x509.NewCertPool()}
	p.pool.AddCert(ca)
	p.caFile = filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(p.caFile, []byte(p.caPEM), 0o600); err != nil {
		t.Fatal(err)
	}
	sc, sk := issue(2, "broker", x509.ExtKeyUsageServerAuth, serverIPs, serverDNS)
	if p.serverCert, err = tls.X509KeyPair(sc, sk); err != nil {
		t.Fatal(err)
	}
	cc, ck := issue(3, "connect", x509.ExtKeyUsageClientAuth, nil, nil)
	p.clientChain, p.clientKey = string(cc), string(ck)
	p.clientFile = filepath.Join(dir, "client.pem")
	if err := os.WriteFile(p.clientFile, append(ck, cc...), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *pki) cluster(t *testing.T, requireClientCert bool, opts ...kfake.Opt) string {
	t.Helper()
	cfg := &tls.Config{Certificates: []tls.Certificate{p.serverCert}, MinVersion: tls.VersionTLS12}
	if requireClientCert {
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
		cfg.ClientCAs = p.pool
	}
	c := newCluster(t, append(opts, kfake.TLS(cfg), kfake.ClusterID("tls-cluster"))...)
	return c.ListenAddrs()[0]
}

func TestTLSConnections(t *testing.T) {
	loopback := []net.IP{net.ParseIP("127.0.0.1")}
	withIP := newPKI(t, loopback, nil)
	dnsOnly := newPKI(t, nil, []string{"kafka.example"})

	ipAddr := withIP.cluster(t, false)
	dnsAddr := dnsOnly.cluster(t, false)
	mtlsAddr := withIP.cluster(t, true)
	saslAddr := withIP.cluster(t, false, kfake.EnableSASL(), kfake.Superuser("PLAIN", "alice", "alice-secret"))

	ok := []struct {
		name  string
		addr  string
		props map[string]string
	}{
		{"PEM trust store file", ipAddr, map[string]string{
			"security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.location": withIP.caFile}},
		{"inline trust certificates, type in lower case", ipAddr, map[string]string{
			"security.protocol": "ssl", "ssl.truststore.type": "pem", "ssl.truststore.certificates": withIP.caPEM}},
		{"host name verification off", dnsAddr, map[string]string{
			"security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.location": dnsOnly.caFile,
			"ssl.endpoint.identification.algorithm": ""}},
		{"client certificate from a PEM key store file", mtlsAddr, map[string]string{
			"security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.location": withIP.caFile,
			"ssl.keystore.type": "PEM", "ssl.keystore.location": withIP.clientFile}},
		{"inline client certificate and key", mtlsAddr, map[string]string{
			"security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.certificates": withIP.caPEM,
			"ssl.keystore.type": "PEM", "ssl.keystore.certificate.chain": withIP.clientChain, "ssl.keystore.key": withIP.clientKey}},
		{"SASL_SSL", saslAddr, map[string]string{
			"security.protocol": "SASL_SSL", "ssl.truststore.type": "PEM", "ssl.truststore.location": withIP.caFile,
			"sasl.mechanism":   "PLAIN",
			"sasl.jaas.config": `org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";`}},
	}
	for _, tt := range ok {
		t.Run(tt.name, func(t *testing.T) {
			tt.props["bootstrap.servers"] = tt.addr
			id, err := ClusterID(timeout(t, 10*time.Second), []string{tt.addr}, adminConfig(t, tt.props))
			if err != nil {
				t.Fatal(err)
			}
			if id != "tls-cluster" {
				t.Errorf("ClusterID = %q", id)
			}
		})
	}

	fail := []struct {
		name  string
		addr  string
		props map[string]string
		want  string
	}{
		{"host name not in the certificate", dnsAddr, map[string]string{
			"security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.location": dnsOnly.caFile},
			"127.0.0.1"},
		{"unknown CA", ipAddr, map[string]string{"security.protocol": "SSL"}, "certificate"},
		{"client certificate missing", mtlsAddr, map[string]string{
			"security.protocol": "SSL", "ssl.truststore.type": "PEM", "ssl.truststore.location": withIP.caFile},
			"tls: certificate required"},
	}
	for _, tt := range fail {
		t.Run(tt.name, func(t *testing.T) {
			tt.props["bootstrap.servers"] = tt.addr
			start := time.Now()
			_, err := ClusterID(timeout(t, 3*time.Second), []string{tt.addr}, adminConfig(t, tt.props))
			if err == nil {
				t.Fatal("connected")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to mention %q", err, tt.want)
			}
			if time.Since(start) > 2*time.Second {
				t.Errorf("a TLS verification failure was retried until the deadline")
			}
		})
	}
}

func TestTLSConfig(t *testing.T) {
	p := newPKI(t, []net.IP{net.ParseIP("127.0.0.1")}, nil)
	base := func(kv ...string) map[string]string {
		m := map[string]string{"bootstrap.servers": "b:9092", "security.protocol": "SSL"}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}

	t.Run("defaults: TLS 1.2 and 1.3, system roots, host name checked", func(t *testing.T) {
		cfg, _, err := ProducerConfig(base(), "")
		if err != nil {
			t.Fatal(err)
		}
		tc := cfg.Net.TLS.Config
		if !cfg.Net.TLS.Enable || tc.MinVersion != tls.VersionTLS12 || tc.MaxVersion != tls.VersionTLS13 ||
			tc.RootCAs != nil || tc.InsecureSkipVerify {
			t.Errorf("TLS = enable %v, %+v", cfg.Net.TLS.Enable, tc)
		}
	})
	t.Run("enabled protocols set the range", func(t *testing.T) {
		cfg, _, err := ProducerConfig(base("ssl.enabled.protocols", "TLSv1.3"), "")
		if err != nil {
			t.Fatal(err)
		}
		if tc := cfg.Net.TLS.Config; tc.MinVersion != tls.VersionTLS13 || tc.MaxVersion != tls.VersionTLS13 {
			t.Errorf("min %x max %x", tc.MinVersion, tc.MaxVersion)
		}
	})
	t.Run("cipher suites by their IANA names", func(t *testing.T) {
		cfg, _, err := ProducerConfig(base("ssl.cipher.suites", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"), "")
		if err != nil {
			t.Fatal(err)
		}
		want := []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384}
		if got := cfg.Net.TLS.Config.CipherSuites; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
			t.Errorf("CipherSuites = %v", got)
		}
	})
	t.Run("JVM-only keys warn", func(t *testing.T) {
		_, warns, err := ProducerConfig(base("ssl.keymanager.algorithm", "SunX509", "ssl.provider", "SunJSSE"), "")
		if err != nil {
			t.Fatal(err)
		}
		got := warningTexts(warns)
		want := []string{
			"producer.ssl.keymanager.algorithm has no effect in connect-standalone (the Go TLS stack is used, not the JVM's)",
			"producer.ssl.provider has no effect in connect-standalone (the Go TLS stack is used, not the JVM's)",
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
	t.Run("ssl keys are ignored without TLS", func(t *testing.T) {
		props := base("security.protocol", "PLAINTEXT", "ssl.truststore.location", "/no/such.jks", "ssl.keystore.password", "pw",
			"ssl.engine.factory.class", "com.example.Factory")
		cfg, warns, err := ProducerConfig(props, "")
		if err != nil || len(warns) != 0 || cfg.Net.TLS.Enable {
			t.Errorf("err %v, warnings %v, TLS %v", err, warns, cfg != nil && cfg.Net.TLS.Enable)
		}
	})

	encKey := string(pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1, 2, 3}}))
	errs := []struct {
		name  string
		props map[string]string
		want  string
	}{
		{"JKS trust store", base("ssl.truststore.location", "/etc/kafka/truststore.jks", "ssl.truststore.password", "changeit"),
			"producer.ssl.truststore.type: JKS trust stores are not supported by connect-standalone; convert it to PEM (keytool -importkeystore -deststoretype PKCS12, then openssl pkcs12 -nodes) and set ssl.truststore.type=PEM"},
		{"PKCS12 key store", base("ssl.keystore.type", "PKCS12", "ssl.keystore.location", "/k.p12", "ssl.keystore.password", "pw"),
			"producer.ssl.keystore.type: PKCS12 key stores are not supported by connect-standalone; convert it to PEM (keytool -importkeystore -deststoretype PKCS12, then openssl pkcs12 -nodes) and set ssl.keystore.type=PEM"},
		{"trust certificates need PEM", base("ssl.truststore.certificates", p.caPEM),
			"producer.ssl.truststore.type: SSL trust store certs can be specified only for PEM, but trust store type is JKS."},
		{"trust certificates and a location", base("ssl.truststore.type", "PEM", "ssl.truststore.certificates", p.caPEM, "ssl.truststore.location", p.caFile),
			"producer.ssl.truststore.location: Both SSL trust store location and separate trust certificates are specified."},
		{"PEM trust store with a password", base("ssl.truststore.type", "PEM", "ssl.truststore.location", p.caFile, "ssl.truststore.password", "pw"),
			"producer.ssl.truststore.password: SSL trust store password cannot be specified for PEM format."},
		{"trust store password alone", base("ssl.truststore.password", "pw"),
			"producer.ssl.truststore.password: SSL trust store is not specified, but trust store password is specified."},
		{"missing trust store file", base("ssl.truststore.type", "PEM", "ssl.truststore.location", "/no/such/ca.pem"),
			"producer.ssl.truststore.location: cannot read the trust store: open /no/such/ca.pem: no such file or directory"},
		{"trust store without certificates", base("ssl.truststore.type", "PEM", "ssl.truststore.certificates", "not pem"),
			"producer.ssl.truststore.certificates: Invalid PEM truststore configs: At least one certificate expected, but none found"},
		{"key without chain", base("ssl.keystore.type", "PEM", "ssl.keystore.key", p.clientKey),
			"producer.ssl.keystore.certificate.chain: SSL private key is specified, but certificate chain is not specified."},
		{"chain without key", base("ssl.keystore.type", "PEM", "ssl.keystore.certificate.chain", p.clientChain),
			"producer.ssl.keystore.key: SSL certificate chain is specified, but private key is not specified"},
		{"PEM key store with a store password", base("ssl.keystore.type", "PEM", "ssl.keystore.location", p.clientFile, "ssl.keystore.password", "pw"),
			"producer.ssl.keystore.password: SSL key store password cannot be specified with PEM format, only key password may be specified"},
		{"encrypted key", base("ssl.keystore.type", "PEM", "ssl.keystore.certificate.chain", p.clientChain, "ssl.keystore.key", encKey, "ssl.key.password", "pw"),
			"producer.ssl.keystore.key: encrypted private keys are not supported by connect-standalone; decrypt the key (openssl pkcs8 -topk8 -nocrypt) and remove ssl.key.password"},
		{"key password for a plain key", base("ssl.keystore.type", "PEM", "ssl.keystore.location", p.clientFile, "ssl.key.password", "pw"),
			"producer.ssl.key.password: set, but the private key is not encrypted; remove ssl.key.password"},
		{"key of another certificate", base("ssl.keystore.type", "PEM", "ssl.keystore.certificate.chain", p.caPEM, "ssl.keystore.key", p.clientKey),
			"producer.ssl.keystore.key: Invalid PEM keystore configs: tls: private key does not match public key"},
		{"unknown protocol", base("ssl.enabled.protocols", "TLSv1.2,SSLv3"),
			"producer.ssl.enabled.protocols: unsupported protocol SSLv3 (supported: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3)"},
		{"ssl.protocol", base("ssl.protocol", "TLSv9"),
			"producer.ssl.protocol: unknown protocol TLSv9 (supported: TLSv1.3, TLSv1.2, TLSv1.1, TLSv1, TLS, SSL)"},
		{"unknown cipher suite", base("ssl.cipher.suites", "TLS_NOT_A_SUITE"),
			"producer.ssl.cipher.suites: unknown or unsupported cipher suite TLS_NOT_A_SUITE"},
		{"endpoint identification", base("ssl.endpoint.identification.algorithm", "ldaps"),
			"producer.ssl.endpoint.identification.algorithm: unsupported algorithm ldaps (use https, or an empty value to skip host name verification)"},
		{"custom engine factory", base("ssl.engine.factory.class", "com.example.Factory"),
			"producer.ssl.engine.factory.class: not supported by connect-standalone (it names a Java class, and connect-standalone runs no Java code)"},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ProducerConfig(tt.props, "")
			if err == nil {
				t.Fatal("accepted")
			}
			if err.Error() != tt.want {
				t.Errorf("error:\n%s\nwant:\n%s", err, tt.want)
			}
			for _, secret := range []string{"changeit", "PRIVATE KEY", p.clientKey[40:60]} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error leaks %q", secret)
				}
			}
		})
	}
}
