# connect-standalone — build, run and test.
#
#   make demo    build, then run the examples against the embedded broker (no Kafka needed)
#   make test    vet, format check and the whole test suite with the race detector
#   make bench   performance measurements (not part of make test)

GO      ?= $(shell command -v go 2>/dev/null || echo /usr/local/go/bin/go)
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
BIN     := bin/connect-standalone
LDFLAGS := -s -w -X main.version=$(VERSION)

.PHONY: all build demo test vet fmt-check clean

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

clean:
	rm -rf bin
