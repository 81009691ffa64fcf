package file

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/rs/zerolog"

	"github.com/connect-standalone/connect-standalone/connectors"
)

// Timing of Poll. Apache sleeps a fixed second whenever it finds nothing to read; backing off from a few
// milliseconds instead picks up appended lines quickly without spinning on an idle file.
const (
	minIdleWait = 2 * time.Millisecond
	maxIdleWait = 250 * time.Millisecond
	// maxPollWait bounds how long Poll waits for data, so the runner regains control regularly.
	maxPollWait = time.Second
	// maxPrealloc caps the records allocated up front for a batch; a larger batch.size still works, by
	// growing the slice.
	maxPrealloc = 8192
)

// SourceTask is FileStreamSourceTask. It reads the file (or standard input) in large chunks and returns each
// complete line as a record whose source offset is the byte position after the line's terminator.
type SourceTask struct {
	// stdin is what "standard input" means; nil is os.Stdin. Tests put their own reader here.
	stdin io.Reader

	name      string         // file to read; "" reads stdin
	partition map[string]any // {"filename": file setting}, shared by every record
	topic     string
	batchSize int
	log       zerolog.Logger
	offsets   connectors.OffsetReader

	f            *os.File
	in           *stdinReader
	stdinData    <-chan []byte // in.data until end of input, then nil
	lines        lineBuffer
	lastReadFull bool // the last read filled the room offered: a full batch is likely
	// batch is the array of the last batch returned, reused by the next Poll: allocating one per batch
	// was most of what the file source allocated besides the lines.
	batch         []connectors.Record
	warnedMissing bool
	idle          time.Duration
	timer         *time.Timer
}

var _ connectors.SourceTask = (*SourceTask)(nil)

// Start parses the configuration. The file itself is opened by Poll, which keeps waiting for it if it does
// not exist yet.
func (t *SourceTask) Start(tc connectors.TaskContext, cfg map[string]string) error {
	c, err := parseSourceConfig(cfg)
	if err != nil {
		return err
	}
	t.name, t.topic = c.file, c.topic
	// batch.size has no validator in Apache; anything below 1 behaves as 1 there (Poll returns after the
	// first line), and so it does here.
	t.batchSize = max(c.batchSize, 1)
	t.partition = map[string]any{filenameField: nil}
	if c.fileSet {
		t.partition[filenameField] = c.file
	}
	t.log, t.offsets = tc.Log, tc.Offsets
	t.lines.reset(0)
	t.timer = time.NewTimer(time.Hour)
	t.timer.Stop()
	if t.name == "" {
		r := t.stdin
		if r == nil {
			r = os.Stdin
		}
		t.in = startStdinReader(r)
		t.stdinData = t.in.data
	}
	return nil
}

// Poll returns up to batch.size lines. Lines already buffered are returned before anything more is read
// (Apache leaves them behind until the file grows). When there is nothing to read it waits, returning an
// empty batch after at most a second, or as soon as ctx is done; it never keeps lines it has for longer
// than that second either.
func (t *SourceTask) Poll(ctx context.Context) ([]connectors.Record, error) {
	deadline := time.Now().Add(maxPollWait)
	recs := t.batch[:0]
	defer func() { t.batch = recs }()
	for {
		recs = t.extract(recs)
		// Even while data keeps coming, hand over what there is every second: a large batch.size on a large
		// file must not keep the runner waiting (nor pile up unbounded memory) for minutes.
		if len(recs) >= t.batchSize || ctx.Err() != nil || (len(recs) > 0 && time.Now().After(deadline)) {
			return recs, nil
		}
		more, err := t.fill(ctx, deadline, len(recs) > 0)
		if err != nil {
			return nil, err
		}
		if !more {
			return recs, nil
		}
	}
}

// extract appends the buffered complete lines to recs, up to batch.size.
func (t *SourceTask) extract(recs []connectors.Record) []connectors.Record {
	// Every record of a pass but the last carries the position where the pass began, in one map the pass
	// shares: a map per line was the largest cost of reading a file. Resuming from an earlier position is
	// always safe (the lines after it are read again); the last record carries its exact position, and the
	// runner commits a batch whole when it stops gracefully, so a clean restart resumes exactly where it left.
	var now time.Time
	var shared map[string]any
	first, start := len(recs), t.position()
	for len(recs) < t.batchSize {
		line, ok := t.lines.next()
		if !ok {
			break
		}
		if cap(recs) == 0 {
			recs = make([]connectors.Record, 0, t.batchCap())
		}
		if now.IsZero() {
			// One clock read per pass: the lines of a pass are extracted within microseconds, the same
			// instant for a millisecond timestamp.
			now = time.Now()
			shared = map[string]any{positionField: start}
		}
		recs = append(recs, connectors.Record{
			Topic:           t.topic,
			Partition:       connectors.AnyPartition,
			ValueSchema:     connectors.StringSchema,
			Value:           decodeLine(line),
			Timestamp:       now,
			SourcePartition: t.partition,
			SourceOffset:    shared,
		})
	}
	if len(recs) > first {
		recs[len(recs)-1].SourceOffset = map[string]any{positionField: t.position()}
	}
	return recs
}

// position is the offset after the lines read so far: the byte position, or nil when reading stdin, whose
// offsets are not tracked (Apache stores a null position).
func (t *SourceTask) position() any {
	if t.name == "" {
		return nil
	}
	return t.lines.pos
}

// batchCap sizes a new batch: batch.size when the last read filled its buffer (a bulk read is under way),
// else the lines visibly buffered, so that a quiet file does not allocate thousands of records per line.
func (t *SourceTask) batchCap() int {
	n := t.batchSize
	if !t.lastReadFull {
		// +1 for the line just taken; lines ended by a lone '\r' are not counted and cost an append.
		n = min(n, bytes.Count(t.lines.buffered(), []byte{'\n'})+1)
	}
	return min(n, maxPrealloc)
}

// fill adds input to the buffer. It reports false when there is none for now: at once if the caller already
// has records to return, else after waiting until the deadline or until ctx is done.
func (t *SourceTask) fill(ctx context.Context, deadline time.Time, haveRecords bool) (bool, error) {
	if t.in != nil {
		return t.fillStdin(ctx, deadline, haveRecords)
	}
	for {
		if t.f == nil {
			if err := t.open(); err != nil {
				return false, err
			}
		}
		if t.f != nil {
			n, full, err := t.lines.readFrom(t.f)
			if n > 0 {
				t.idle, t.lastReadFull = 0, full
				return true, nil
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return false, fmt.Errorf("reading file %q: %w", t.name, err)
			}
			t.lastReadFull = false
		}
		if haveRecords || !t.sleep(ctx, deadline) {
			return false, nil
		}
	}
}

// sleep waits for the next read attempt, backing off while the input stays idle. It reports false when
// the deadline has passed or ctx is done.
func (t *SourceTask) sleep(ctx context.Context, deadline time.Time) bool {
	left := time.Until(deadline)
	if left <= 0 {
		return false
	}
	t.idle = min(max(2*t.idle, minIdleWait), maxIdleWait)
	t.timer.Reset(min(t.idle, left))
	select {
	case <-ctx.Done():
		t.timer.Stop()
		return false
	case <-t.timer.C:
		return true
	}
}

// open opens the file and positions it at the stored offset. A file that does not exist yet is not an
// error: open leaves t.f nil and Poll tries again later.
func (t *SourceTask) open() error {
	f, err := os.Open(t.name)
	if errors.Is(err, fs.ErrNotExist) {
		if !t.warnedMissing {
			t.warnedMissing = true
			t.log.Warn().Str("file", t.name).
				Msgf("Couldn't find file %s for FileStreamSourceTask, sleeping to wait for it to be created", t.name)
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("opening file %q: %w", t.name, err)
	}
	pos, err := t.resumePosition(f)
	if err != nil {
		f.Close()
		return err
	}
	t.f = f
	t.lines.reset(pos)
	t.log.Debug().Str("file", t.name).Int64("position", pos).Msg("Opened file for reading")
	return nil
}

// resumePosition reads the stored offset and seeks f to it. Positions are byte offsets, so seeking is exact.
// A position past the end of the file (truncated or replaced while the task was stopped) starts at the end
// with a warning, where Apache spins forever.
func (t *SourceTask) resumePosition(f *os.File) (int64, error) {
	if t.offsets == nil {
		return 0, nil
	}
	off, err := t.offsets.Offset(t.partition)
	if err != nil {
		return 0, fmt.Errorf("reading the stored offset of file %q: %w", t.name, err)
	}
	v := off[positionField]
	if v == nil {
		return 0, nil
	}
	pos, ok := v.(int64)
	if !ok {
		return 0, fmt.Errorf("Offset position is the incorrect type: file %q has stored position %v (%s), want a Long",
			t.name, v, connectors.JavaClass(v))
	}
	if pos < 0 {
		return 0, fmt.Errorf("file %q: stored position %d is negative", t.name, pos)
	}
	if pos == 0 {
		return 0, nil
	}
	fi, err := f.Stat()
	if err != nil {
		return 0, fmt.Errorf("file %q: %w", t.name, err)
	}
	if !fi.Mode().IsRegular() {
		// A pipe or device cannot seek, and what it delivered before is gone: carry on from here, counting
		// from the stored position so that offsets keep growing.
		return pos, nil
	}
	if size := fi.Size(); pos > size {
		t.log.Warn().Str("file", t.name).Int64("position", pos).Int64("size", size).
			Msgf("Stored position %d is past the end of file %s (%d bytes), which was truncated or replaced; reading from the end of the file",
				pos, t.name, size)
		pos = size
	}
	if _, err := f.Seek(pos, io.SeekStart); err != nil {
		return 0, fmt.Errorf("file %q: seeking to stored position %d: %w", t.name, pos, err)
	}
	return pos, nil
}

// Stop closes the file. Standard input is never closed; its reader goroutine is told to stop handing over
// data (a blocked read of stdin cannot be interrupted, so it ends with the process or at end of input).
func (t *SourceTask) Stop() error {
	if t.in != nil {
		t.in.stop()
	}
	if t.f == nil {
		return nil
	}
	err := t.f.Close()
	t.f = nil
	if err != nil {
		return fmt.Errorf("closing file %q: %w", t.name, err)
	}
	return nil
}

// fillStdin is fill for standard input, whose data arrives through the reader goroutine.
func (t *SourceTask) fillStdin(ctx context.Context, deadline time.Time, haveRecords bool) (bool, error) {
	select {
	case chunk, ok := <-t.stdinData:
		return t.takeStdin(chunk, ok)
	default:
	}
	if haveRecords {
		return false, nil
	}
	left := time.Until(deadline)
	if left <= 0 {
		return false, nil
	}
	t.timer.Reset(left)
	defer t.timer.Stop()
	select {
	case chunk, ok := <-t.stdinData:
		return t.takeStdin(chunk, ok)
	case <-ctx.Done():
		return false, nil
	case <-t.timer.C:
		return false, nil
	}
}

func (t *SourceTask) takeStdin(chunk []byte, ok bool) (bool, error) {
	if !ok {
		// End of input, like Apache: nothing more will come, and Polls return empty batches from now on.
		t.stdinData = nil
		t.lastReadFull = false
		if err := t.in.err; err != nil {
			return false, fmt.Errorf("reading standard input: %w", err)
		}
		return false, nil
	}
	t.lines.add(chunk)
	t.lastReadFull = len(chunk) == readChunk
	return true, nil
}

// stdinReader reads standard input in its own goroutine: a read of stdin blocks and cannot be interrupted,
// and Poll must still return when its context ends.
type stdinReader struct {
	data chan []byte // closed at end of input; err is set before
	done chan struct{}
	err  error
}

func startStdinReader(r io.Reader) *stdinReader {
	s := &stdinReader{data: make(chan []byte, 1), done: make(chan struct{})}
	go s.run(r)
	return s
}

func (s *stdinReader) run(r io.Reader) {
	defer close(s.data)
	buf := make([]byte, readChunk)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			chunk := make([]byte, n)
			copy(chunk, buf[:n])
			select {
			case s.data <- chunk:
			case <-s.done:
				return
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				s.err = err
			}
			return
		}
	}
}

func (s *stdinReader) stop() {
	select {
	case <-s.done:
	default:
		close(s.done)
	}
}
