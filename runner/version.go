package runner

import "github.com/connect-standalone/connect-standalone/connectors"

// ApacheVersion is the Apache Kafka Connect release whose behaviour and REST API this runner implements.
// Clients parse it (kcctl turns features on by it), so it keeps Apache's X.Y.Z form.
const ApacheVersion = connectors.APIVersion
