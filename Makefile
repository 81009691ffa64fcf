# connect-standalone — build, run and test.
#
#   make demo    build, then run the examples against the embedded broker (no Kafka needed)
#   make test    vet, format check and the whole test suite with the race detector
#   make bench   performance measurements (not part of make test)

GO      ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN     := bin/connect-standalone
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: all build demo test vet fmt-check clean bench

all: build

build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) .

# The quick start: lines appended to test.txt go through the topic connect-test into test.sink.txt.
demo: build
	@test -f test.txt || printf 'hello\nworld\n' > test.txt
	$(BIN) examples/connect-standalone.properties examples/connect-file-source.properties examples/connect-file-sink.properties

vet:
	$(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

test: vet fmt-check
	$(GO) test -race -count=1 -timeout 15m ./...

# Performance against a kfake broker in its own process, side by side with the raw sarama clients; a few
# minutes on 2 cores. N lines of SIZE bytes per run, RUNS runs of each scenario; COMPARE=bench/results/<file>.json
# compares with an earlier run; BENCH_FLAGS passes more flags (see bench/README.md).
N           ?= 1000000
SIZE        ?= 100
RUNS        ?= 3
COMPARE     ?=
BENCH_FLAGS ?=

bench: build
	$(GO) build -o bin/bench ./bench
	bin/bench -bin $(BIN) -n $(N) -size $(SIZE) -runs $(RUNS) -version '$(VERSION)' $(if $(COMPARE),-compare '$(COMPARE)') $(BENCH_FLAGS)

clean:
	rm -rf bin
