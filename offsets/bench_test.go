package offsets

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// BenchmarkFlush measures one commit cycle: one partition's offset changes, then Flush rewrites the whole
// file (temp file, fsync, rename, directory fsync).
func BenchmarkFlush(b *testing.B) {
	for _, partitions := range []int{1, 1000} {
		b.Run(fmt.Sprintf("partitions=%d", partitions), func(b *testing.B) {
			s, err := Open(filepath.Join(b.TempDir(), "connect.offsets"), zerolog.Nop())
			if err != nil {
				b.Fatal(err)
			}
			parts := make([]map[string]any, partitions)
			for i := range parts {
				parts[i] = map[string]any{"filename": fmt.Sprintf("/var/log/app/input-%04d.log", i)}
				if err := s.Put("local-file-source", connectors.PartitionOffset{
					Partition: parts[i], Offset: map[string]any{"position": int64(i)}}); err != nil {
					b.Fatal(err)
				}
			}
			if err := s.Flush(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if err := s.Put("local-file-source", connectors.PartitionOffset{
					Partition: parts[i%partitions], Offset: map[string]any{"position": int64(partitions + i)}}); err != nil {
					b.Fatal(err)
				}
				if err := s.Flush(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPut measures recording one offset, the per-record-batch cost for a task.
func BenchmarkPut(b *testing.B) {
	s, err := Open(filepath.Join(b.TempDir(), "connect.offsets"), zerolog.Nop())
	if err != nil {
		b.Fatal(err)
	}
	part := map[string]any{"filename": "/var/log/app/input.log"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if err := s.Put("local-file-source", connectors.PartitionOffset{
			Partition: part, Offset: map[string]any{"position": int64(i)}}); err != nil {
			b.Fatal(err)
		}
	}
}
