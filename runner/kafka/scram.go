package kafka

import (
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
)

// minSCRAMIterations is the smallest iteration count Kafka's SCRAM client accepts from a broker: fewer
// would make a captured exchange cheap to brute-force.
const minSCRAMIterations = 4096

// scramClient is a SCRAM client (RFC 5802, RFC 7677) for sarama's SCRAMClientGeneratorFunc. Like Kafka's
// Java client it sends the username escaped but otherwise as given (no SASLprep) and, for delegation
// tokens, the tokenauth=true extension in its first message.
type scramClient struct {
	newHash   func() hash.Hash
	tokenAuth bool
	nonce     func() (string, error) // the client nonce; tests fix it

	step                              int
	user, pass, authz                 string
	clientNonce, clientFirstBare, gs2 string
	serverSignature                   []byte
}

func newSCRAMClient(h func() hash.Hash, tokenAuth bool) *scramClient {
	return &scramClient{newHash: h, tokenAuth: tokenAuth, nonce: randomNonce}
}

func randomNonce() (string, error) {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("SCRAM nonce: %w", err)
	}
	return base64.RawStdEncoding.EncodeToString(b), nil
}

// Begin prepares an exchange for user and password; authzID is the optional authorization identity.
func (c *scramClient) Begin(user, pass, authzID string) error {
	c.user, c.pass, c.authz, c.step = user, pass, authzID, 0
	c.serverSignature = nil
	return nil
}

// Step answers the server's last message: "" starts the exchange with the client-first message, the
// server-first message gets the client-final message, the server-final message is verified.
func (c *scramClient) Step(challenge string) (string, error) {
	c.step++
	switch c.step {
	case 1:
		return c.first()
	case 2:
		return c.final(challenge)
	case 3:
		return "", c.verify(challenge)
	}
	return "", errors.New("SCRAM: exchange already complete")
}

// Done reports whether the server's signature has been verified.
func (c *scramClient) Done() bool { return c.step >= 3 }

// escapeSASLName escapes '=' and ',' in a username (RFC 5802 saslname).
func escapeSASLName(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}

func (c *scramClient) first() (string, error) {
	nonce, err := c.nonce()
	if err != nil {
		return "", err
	}
	c.clientNonce = nonce
	c.gs2 = "n,,"
	if c.authz != "" {
		c.gs2 = "n,a=" + escapeSASLName(c.authz) + ","
	}
	c.clientFirstBare = "n=" + escapeSASLName(c.user) + ",r=" + nonce
	if c.tokenAuth {
		c.clientFirstBare += ",tokenauth=true"
	}
	return c.gs2 + c.clientFirstBare, nil
}

func (c *scramClient) final(serverFirst string) (string, error) {
	var nonce, salt64, iters string
	for i, attr := range strings.Split(serverFirst, ",") {
		switch {
		case i == 0 && strings.HasPrefix(attr, "m="):
			return "", errors.New("SCRAM: the server requires an extension this client does not know")
		case strings.HasPrefix(attr, "e="):
			return "", fmt.Errorf("SCRAM: the server refused the exchange: %s", attr[2:])
		case strings.HasPrefix(attr, "r="):
			nonce = attr[2:]
		case strings.HasPrefix(attr, "s="):
			salt64 = attr[2:]
		case strings.HasPrefix(attr, "i="):
			iters = attr[2:]
		}
	}
	if !strings.HasPrefix(nonce, c.clientNonce) || len(nonce) == len(c.clientNonce) {
		return "", errors.New("SCRAM: the server's nonce does not extend the client's")
	}
	salt, err := base64.StdEncoding.DecodeString(salt64)
	if err != nil || len(salt) == 0 {
		return "", errors.New("SCRAM: the server sent no valid salt")
	}
	n, err := strconv.Atoi(iters)
	if err != nil || n < minSCRAMIterations {
		return "", fmt.Errorf("SCRAM: the server asked for %q iterations, fewer than the minimum %d", iters, minSCRAMIterations)
	}

	size := c.newHash().Size()
	salted, err := pbkdf2.Key(c.newHash, c.pass, salt, n, size)
	if err != nil {
		return "", fmt.Errorf("SCRAM: %w", err)
	}
	clientKey := c.hmac(salted, "Client Key")
	h := c.newHash()
	h.Write(clientKey)
	storedKey := h.Sum(nil)

	withoutProof := "c=" + base64.StdEncoding.EncodeToString([]byte(c.gs2)) + ",r=" + nonce
	authMessage := c.clientFirstBare + "," + serverFirst + "," + withoutProof
	signature := c.hmac(storedKey, authMessage)
	proof := make([]byte, len(clientKey))
	subtle.XORBytes(proof, clientKey, signature)

	c.serverSignature = c.hmac(c.hmac(salted, "Server Key"), authMessage)
	return withoutProof + ",p=" + base64.StdEncoding.EncodeToString(proof), nil
}

func (c *scramClient) verify(serverFinal string) error {
	for _, attr := range strings.Split(serverFinal, ",") {
		switch {
		case strings.HasPrefix(attr, "e="):
			return fmt.Errorf("SCRAM: the server refused the credentials: %s", attr[2:])
		case strings.HasPrefix(attr, "v="):
			got, err := base64.StdEncoding.DecodeString(attr[2:])
			if err != nil || !hmac.Equal(got, c.serverSignature) {
				return errors.New("SCRAM: the server's signature is wrong (is this the right broker?)")
			}
			return nil
		}
	}
	return errors.New("SCRAM: the server's final message has no signature")
}

func (c *scramClient) hmac(key []byte, msg string) []byte {
	m := hmac.New(c.newHash, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}
