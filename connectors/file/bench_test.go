package file

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// BenchmarkSourcePoll reads a file of 100k lines of 100 bytes (99 characters and "\n") from start to end,
// Poll after Poll with the default batch.size; one op is the whole file.
func BenchmarkSourcePoll(b *testing.B) {
	const lines, lineLen = 100_000, 100
	path := filepath.Join(b.TempDir(), "bench.txt")
	line := append(bytes.Repeat([]byte("x"), lineLen-1), '\n')
	if err := os.WriteFile(path, bytes.Repeat(line, lines), 0o644); err != nil {
		b.Fatal(err)
	}
	cfg := map[string]string{"file": path, "topic": "bench"}
	ctx := context.Background()
	b.SetBytes(lines * lineLen)
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		task := &SourceTask{}
		if err := task.Start(connectors.TaskContext{Log: zerolog.Nop()}, cfg); err != nil {
			b.Fatal(err)
		}
		for n := 0; n < lines; {
			recs, err := task.Poll(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n += len(recs)
		}
		task.Stop()
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	total := float64(b.N * lines)
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/total, "ns/line")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/line")
	b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/total, "B/line")
}
