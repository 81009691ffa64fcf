// Package broker runs an embedded Kafka-protocol broker (franz-go's kfake) inside the runner, so that the
// quick start and demos work on a machine with no Kafka installed. It is meant for development and demos:
// it is a single process with no replication, not a production Kafka cluster.
package broker

import (
	"fmt"
	"net"
	"strconv"

	"github.com/rs/zerolog"
	"github.com/twmb/franz-go/pkg/kfake"
)

// Broker is a running embedded broker.
type Broker struct {
	cluster *kfake.Cluster
}

// Config says where the embedded broker listens and keeps its data.
type Config struct {
	// Listeners are host:port addresses, one broker each. Port 0 picks a free port.
	Listeners []string
	// DataDir, when set, persists topics, records and consumer-group offsets across restarts.
	DataDir string
	// ClusterID is reported to clients; empty picks kfake's default.
	ClusterID string
}

// Start starts the broker. Topics are created on first use with one partition, as a default Kafka
// broker does.
func Start(cfg Config, log zerolog.Logger) (*Broker, error) {
	if len(cfg.Listeners) == 0 {
		return nil, fmt.Errorf("embedded broker: no listeners")
	}
	hosts := make(map[int]string, len(cfg.Listeners))
	ports := make([]int, 0, len(cfg.Listeners))
	for _, l := range cfg.Listeners {
		host, portText, err := net.SplitHostPort(l)
		if err != nil {
			return nil, fmt.Errorf("embedded broker: listener %q: want host:port", l)
		}
		port, err := strconv.Atoi(portText)
		if err != nil || port < 0 || port > 65535 {
			return nil, fmt.Errorf("embedded broker: listener %q: invalid port", l)
		}
		if host == "" {
			host = "127.0.0.1"
		}
		if port != 0 {
			if _, dup := hosts[port]; dup {
				return nil, fmt.Errorf("embedded broker: port %d listed twice", port)
			}
		}
		hosts[port] = host
		ports = append(ports, port)
	}
	opts := []kfake.Opt{
		kfake.NumBrokers(len(ports)),
		kfake.Ports(ports...),
		kfake.AllowAutoTopicCreation(),
		kfake.DefaultNumPartitions(1),
		// kfake always asks for 127.0.0.1:<port>; bind the host the user configured instead.
		kfake.ListenFn(func(network, address string) (net.Listener, error) {
			_, portText, _ := net.SplitHostPort(address)
			port, _ := strconv.Atoi(portText)
			host, ok := hosts[port]
			if !ok {
				host = "127.0.0.1"
			}
			ln, err := net.Listen(network, net.JoinHostPort(host, portText))
			if err != nil {
				return nil, fmt.Errorf("embedded broker: listen on %s: %w", net.JoinHostPort(host, portText), err)
			}
			return ln, nil
		}),
	}
	if cfg.DataDir != "" {
		opts = append(opts, kfake.DataDir(cfg.DataDir))
	}
	if cfg.ClusterID != "" {
		opts = append(opts, kfake.ClusterID(cfg.ClusterID))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		return nil, fmt.Errorf("embedded broker: %w", err)
	}
	b := &Broker{cluster: c}
	log.Info().Strs("listeners", b.Addrs()).Str("data_dir", cfg.DataDir).
		Msg("embedded Kafka-protocol broker started (for development and demos, not for production)")
	return b, nil
}

// Addrs returns the host:port of every broker, for bootstrap.servers.
func (b *Broker) Addrs() []string { return b.cluster.ListenAddrs() }

// Close stops the broker, flushing its data directory if it has one.
func (b *Broker) Close() { b.cluster.Close() }
