package kafka

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/IBM/sarama"
	"github.com/twmb/franz-go/pkg/kversion"
)

// ErrClusterUnreachable is the error ClusterID wraps when it cannot describe the cluster. Its text is
// Apache's, which fails the worker's start-up with it.
var ErrClusterUnreachable = errors.New("Failed to connect to and describe Kafka cluster. Check worker's broker connection and security properties.")

// LookupCluster asks the brokers, with the worker's admin client settings, for the cluster id and the
// protocol version to speak, as Apache does before it starts anything. It waits for the brokers up to
// the admin client's default.api.timeout.ms (60 s by default) or until ctx ends. The warnings are those of
// the admin settings, for the caller to log.
func LookupCluster(ctx context.Context, worker map[string]string, bootstrap []string) (id string, version sarama.KafkaVersion, warnings []Warning, err error) {
	props := WorkerAdminProps(worker)
	if props["client.id"] == "" {
		props["client.id"] = "connect-standalone-cluster-lookup"
	}
	cfg, warnings, err := AdminConfig(props, props["client.id"])
	if err != nil {
		return "", sarama.KafkaVersion{}, nil, err
	}
	timeout := 60 * time.Second
	if ms, err := strconv.Atoi(strings.TrimSpace(props["default.api.timeout.ms"])); err == nil && ms > 0 {
		timeout = time.Duration(ms) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// ClusterID waits for the brokers (it retries until ctx ends), as Apache's start-up does.
	if id, err = ClusterID(ctx, bootstrap, cfg); err != nil {
		return "", sarama.KafkaVersion{}, warnings, err
	}
	if version, err = NegotiateVersion(ctx, bootstrap, cfg); err != nil {
		return "", sarama.KafkaVersion{}, warnings, err
	}
	return id, version, warnings, nil
}

// ClusterID returns the Kafka cluster id, which GET / shows as kafka_cluster_id. It asks the brokers of
// addrs in turn, retrying with cfg's retry backoff until ctx ends, as Apache's admin client retries until
// its API timeout; give ctx a deadline. Authentication and TLS failures end it at once. Its errors wrap
// ErrClusterUnreachable and the cause.
func ClusterID(ctx context.Context, addrs []string, cfg *sarama.Config) (string, error) {
	var id string
	err := withBroker(ctx, addrs, cfg, func(b *sarama.Broker) error {
		// DescribeCluster (Kafka 2.8+) answers without listing topics; older brokers get Metadata.
		if resp, err := b.DescribeCluster(sarama.NewDescribeClusterRequest(cfg.Version)); err == nil {
			if !errors.Is(resp.Err, sarama.ErrNoError) {
				return resp.Err
			}
			id = resp.ClusterID
			return nil
		} else if !errors.Is(err, sarama.ErrUnsupportedVersion) {
			return err
		}
		resp, err := b.GetMetadata(sarama.NewMetadataRequest(cfg.Version, nil))
		if err != nil {
			return err
		}
		if resp.ClusterID == nil {
			return errors.New("the broker is too old to report a cluster id")
		}
		id = *resp.ClusterID
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("%w (%w)", ErrClusterUnreachable, err)
	}
	return id, nil
}

// NegotiateVersion asks a broker for its API versions and returns the newest sarama.KafkaVersion whose
// requests the broker supports, so that clients speak the broker's protocol instead of sarama's fixed
// default (2.8.0): the newest Kafka release for which the broker supports every request the producer,
// consumer group and admin clients send at that release's newest version. The release tables are
// franz-go's kversion, the project's reference for what each Kafka release speaks. Connection handling
// is as in ClusterID.
func NegotiateVersion(ctx context.Context, addrs []string, cfg *sarama.Config) (sarama.KafkaVersion, error) {
	var keys []sarama.ApiVersionsResponseKey
	err := withBroker(ctx, addrs, cfg, func(b *sarama.Broker) error {
		resp, err := b.ApiVersions(&sarama.ApiVersionsRequest{
			Version:               3,
			ClientSoftwareName:    "sarama",
			ClientSoftwareVersion: saramaVersion(),
		})
		if err != nil {
			return err
		}
		if resp.ErrorCode != 0 {
			return fmt.Errorf("ApiVersions: %w", sarama.KError(resp.ErrorCode))
		}
		keys = resp.ApiKeys
		return nil
	})
	if err != nil {
		return sarama.DefaultVersion, fmt.Errorf("asking the broker for its API versions: %w", err)
	}
	return versionFor(keys)
}

// clientKeys are the requests sarama's producer, consumer group and admin client send: Produce, Fetch,
// ListOffsets, Metadata, OffsetCommit, OffsetFetch, FindCoordinator, JoinGroup, Heartbeat, LeaveGroup,
// SyncGroup, DescribeGroups, ApiVersions, CreateTopics, InitProducerId and DescribeConfigs.
var clientKeys = []int16{0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 18, 19, 22, 32}

// versionFor picks, newest first, the first sarama version whose Kafka release the broker's API versions
// cover for clientKeys.
func versionFor(keys []sarama.ApiVersionsResponseKey) (sarama.KafkaVersion, error) {
	broker := make(map[int16]sarama.ApiVersionsResponseKey, len(keys))
	for _, k := range keys {
		broker[k.ApiKey] = k
	}
	for _, key := range []int16{0, 1, 3} {
		if _, ok := broker[key]; !ok {
			return sarama.DefaultVersion, fmt.Errorf("the broker does not support the %s request", map[int16]string{0: "Produce", 1: "Fetch", 3: "Metadata"}[key])
		}
	}
	for i := len(sarama.SupportedVersions) - 1; i >= 0; i-- {
		v := sarama.SupportedVersions[i]
		release := kversion.FromString(releaseName(v))
		if release == nil {
			continue
		}
		if covers(broker, release) {
			return v, nil
		}
	}
	return sarama.DefaultVersion, errors.New("the broker supports no Kafka release sarama can speak (Kafka 0.10 or newer is needed)")
}

// covers reports whether the broker supports each client request at the release's newest version. A
// request the broker does not offer at all (some Kafka-compatible brokers lack InitProducerId or
// DescribeConfigs) fails in sarama whatever the version, so it does not hold the version back.
func covers(broker map[int16]sarama.ApiVersionsResponseKey, release *kversion.Versions) bool {
	for _, key := range clientKeys {
		want, ok := release.LookupMaxKeyVersion(key)
		if !ok {
			continue // the release did not have this request yet
		}
		if got, ok := broker[key]; ok && got.MaxVersion < want {
			return false
		}
	}
	return true
}

// releaseName turns a sarama version into kversion's release name: 3.6.2 -> v3.6, 0.10.2.1 -> v0.10.2.
func releaseName(v sarama.KafkaVersion) string {
	parts := strings.Split(v.String(), ".")
	if len(parts) >= 3 && parts[0] == "0" {
		return "v" + strings.Join(parts[:3], ".")
	}
	if len(parts) >= 2 {
		return "v" + parts[0] + "." + parts[1]
	}
	return ""
}

// saramaVersion is the version sarama itself reports to brokers.
func saramaVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "github.com/IBM/sarama" && d.Version != "" && d.Version != "(devel)" {
				return d.Version
			}
		}
	}
	return "dev"
}

// withBroker runs fn on a connection to one of addrs, trying them in turn until one answers or ctx ends.
func withBroker(ctx context.Context, addrs []string, cfg *sarama.Config, fn func(*sarama.Broker) error) error {
	if len(addrs) == 0 {
		return errors.New("no broker addresses")
	}
	backoff := max(cfg.Metadata.Retry.Backoff, 50*time.Millisecond)
	var last error
	for {
		for _, addr := range addrs {
			err := onBroker(ctx, addr, cfg, fn)
			if err == nil {
				return nil
			}
			if ctx.Err() != nil {
				if last == nil {
					last = err
				}
				return last
			}
			last = explain(addr, cfg, err)
			if fatal(cfg, err) {
				return last
			}
		}
		select {
		case <-ctx.Done():
			return last
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, time.Second)
	}
}

// onBroker opens one connection, runs fn and closes it. sarama's calls are bounded by its dial and read
// timeouts, not by ctx, so they run aside and are abandoned (then closed) when ctx ends first.
func onBroker(ctx context.Context, addr string, cfg *sarama.Config, fn func(*sarama.Broker) error) error {
	b := sarama.NewBroker(addr)
	if err := b.Open(cfg); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() {
		ok, err := b.Connected()
		if err == nil && !ok {
			err = errors.New("not connected")
		}
		if err == nil {
			err = fn(b)
		}
		done <- err
	}()
	select {
	case err := <-done:
		_ = b.Close()
		return err
	case <-ctx.Done():
		go func() {
			<-done
			_ = b.Close()
		}()
		return fmt.Errorf("%s: %w", addr, ctx.Err())
	}
}

// fatal reports errors that retrying cannot cure: bad configuration, failed authentication, TLS.
func fatal(cfg *sarama.Config, err error) bool {
	var confErr sarama.ConfigurationError
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var recordErr tls.RecordHeaderError
	switch {
	case errors.As(err, &confErr), errors.As(err, &certErr), errors.As(err, &unknownAuth),
		errors.As(err, &hostErr), errors.As(err, &recordErr),
		// The broker refused the handshake (no client certificate, no common protocol): crypto/tls
		// reports the alert with an unexported type, so only its text identifies it.
		strings.Contains(err.Error(), "remote error: tls: "),
		errors.Is(err, sarama.ErrSASLAuthenticationFailed), errors.Is(err, sarama.ErrUnsupportedSASLMechanism),
		errors.Is(err, sarama.ErrIllegalSASLState), errors.Is(err, sarama.ErrClusterAuthorizationFailed):
		return true
	}
	return cfg.Net.SASL.Enable && droppedConnection(err)
}

// droppedConnection reports a connection the broker closed on us.
func droppedConnection(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}

// explain adds what the user can do to errors whose cause sarama does not name. A Kafka broker answers a
// wrong password with SASL_AUTHENTICATION_FAILED before it hangs up; some brokers (kfake among them) just
// close the connection, which sarama reports as EOF.
func explain(addr string, cfg *sarama.Config, err error) error {
	if cfg.Net.SASL.Enable && (droppedConnection(err) || errors.Is(err, sarama.ErrSASLAuthenticationFailed)) {
		return fmt.Errorf("broker %s: SASL %s authentication of user %q failed or was refused: check the username and password in sasl.jaas.config and that the broker enables %s: %w",
			addr, cfg.Net.SASL.Mechanism, cfg.Net.SASL.User, cfg.Net.SASL.Mechanism, err)
	}
	if strings.Contains(err.Error(), addr) {
		return err
	}
	return fmt.Errorf("broker %s: %w", addr, err)
}
