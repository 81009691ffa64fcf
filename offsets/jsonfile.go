package offsets

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// FormatMarker names the layout of the files this package writes. A file carrying another marker is refused
// rather than guessed at, so that the layout can evolve without an old binary misreading a new file.
const FormatMarker = "connect-standalone-offsets/1"

// The file is pretty-printed JSON with one entry per line, sorted by connector and then by partition text,
// so that it reads well and diffs line by line:
//
//	{
//	  "format": "connect-standalone-offsets/1",
//	  "offsets": [
//	    {"key":["local-file-source",{"filename":"test.txt"}],"offset":{"position":8}}
//	  ]
//	}
//
// Each key is written the way Apache keys the entry, ["<connector>", {<partition>}], with the partition's
// keys sorted.
const (
	fileHead       = "{\n  \"format\": \"" + FormatMarker + "\",\n  \"offsets\": ["
	fileEntryStart = "\n    "
	fileTail       = "]\n}\n"
)

// appendEntryLine appends one entry as it appears in the file, without indentation.
func appendEntryLine(b []byte, connector, partition string, offset map[string]any) []byte {
	b = append(b, `{"key":[`...)
	b = appendString(b, connector)
	b = append(b, ',')
	b = append(b, partition...)
	b = append(b, `],"offset":`...)
	b = appendMap(b, offset)
	return append(b, '}')
}

// loaded is one entry read from a file. A nil offset is a tombstone.
type loaded struct {
	connector         string
	partition, offset map[string]any
	// where names the entry in error messages.
	where string
}

// FormatError reports an offsets file written in a layout this version does not know, most likely by a
// newer version of connect-standalone.
type FormatError struct {
	Path   string
	Format string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("offsets file %s has format %q, but this version of connect-standalone reads only %q: "+
		"it was probably written by a newer version; run that version, or move the file away to start every "+
		"source connector from the beginning", e.Path, e.Format, FormatMarker)
}

// decodeFile reads a file in this package's format. Errors other than *FormatError describe what is wrong
// with the content, for a CorruptError.
func decodeFile(path string, data []byte) ([]loaded, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")) // a byte-order mark left by an editor
	if !utf8.Valid(data) {
		return nil, errors.New("it is not valid UTF-8 text, so it is neither JSON nor an Apache Kafka offsets file")
	}
	var top struct {
		Format  *string         `json:"format"`
		Offsets json.RawMessage `json:"offsets"`
	}
	if err := decodeStrict(data, &top, false); err != nil {
		return nil, err
	}
	if top.Format == nil {
		return nil, fmt.Errorf("it has no %q field, so it is not a connect-standalone offsets file", "format")
	}
	if *top.Format != FormatMarker {
		return nil, &FormatError{Path: path, Format: *top.Format}
	}
	if top.Offsets == nil || string(top.Offsets) == "null" {
		return nil, fmt.Errorf("it has no %q list", "offsets")
	}
	var entries []struct {
		Key    []json.RawMessage `json:"key"`
		Offset json.RawMessage   `json:"offset"`
	}
	if err := decodeStrict(top.Offsets, &entries, true); err != nil {
		return nil, fmt.Errorf("in the offsets list: %w", err)
	}
	out := make([]loaded, 0, len(entries))
	for i, e := range entries {
		l := loaded{where: fmt.Sprintf("entry %d of the offsets list", i+1)}
		var err error
		if l.connector, l.partition, err = decodeKey(e.Key); err != nil {
			return nil, fmt.Errorf("%s: %w", l.where, err)
		}
		if e.Offset == nil {
			return nil, fmt.Errorf("%s: it has no %q", l.where, "offset")
		}
		if l.offset, _, err = decodeObject(e.Offset); err != nil {
			return nil, fmt.Errorf("%s: offset: %w", l.where, err)
		}
		out = append(out, l)
	}
	return out, nil
}

// decodeStrict decodes exactly one JSON value filling v, and says plainly when the text is cut short.
func decodeStrict(data []byte, v any, disallowUnknown bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	if disallowUnknown {
		dec.DisallowUnknownFields()
	}
	err := dec.Decode(v)
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
	case errors.Is(err, io.EOF):
		return errors.New("it contains no JSON value")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the JSON is truncated: it ends after %d bytes, before the value is complete", len(data))
	case errors.As(err, &syntax):
		return fmt.Errorf("invalid JSON at byte %d: %v", syntax.Offset, err)
	case errors.As(err, &typ):
		return fmt.Errorf("wrong JSON type at byte %d: %v", typ.Offset, err)
	default:
		return fmt.Errorf("invalid content: %v", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("unexpected data after the end of the JSON value, at byte %d", dec.InputOffset())
	}
	return nil
}

// decodeKey reads Apache's key ["<connector>", {<partition>}]. A null partition (which Apache allows) is
// read as the empty partition.
func decodeKey(key []json.RawMessage) (connector string, partition map[string]any, err error) {
	if len(key) != 2 {
		return "", nil, fmt.Errorf("the key must be [connector, partition], but it has %d elements", len(key))
	}
	if len(key[0]) == 0 || key[0][0] != '"' {
		return "", nil, fmt.Errorf("the connector name in the key is %s, not a string", key[0])
	}
	if err := json.Unmarshal(key[0], &connector); err != nil {
		return "", nil, fmt.Errorf("the connector name in the key: %w", err)
	}
	partition, isNull, err := decodeObject(key[1])
	if err != nil {
		return "", nil, fmt.Errorf("the partition of connector %q: %w", connector, err)
	}
	if isNull {
		partition = map[string]any{}
	}
	return connector, partition, nil
}

// decodeObject reads a JSON object of primitive values, normalised; null gives (nil, true, nil).
func decodeObject(raw []byte) (m map[string]any, isNull bool, err error) {
	raw = bytes.TrimSpace(raw)
	if string(raw) == "null" {
		return nil, true, nil
	}
	if len(raw) == 0 || raw[0] != '{' {
		return nil, false, fmt.Errorf("%s is not a JSON object", raw)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keeps 8 and 8.0 apart, and large integers exact
	if err := dec.Decode(&m); err != nil {
		return nil, false, err
	}
	if rest := len(raw) - int(dec.InputOffset()); rest != 0 {
		return nil, false, fmt.Errorf("%d unexpected bytes follow the JSON object", rest)
	}
	if m, err = normalizeMap(m); err != nil {
		return nil, false, err
	}
	return m, false, nil
}
