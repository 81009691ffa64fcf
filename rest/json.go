package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/runner"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeJSON answers v as compact JSON, as Apache writes it: no HTML escaping, no trailing newline.
func writeJSON(w http.ResponseWriter, status int, v any) {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		// A rare large answer (a big validation) is not worth keeping around.
		if buf.Cap() <= 64<<10 {
			bufPool.Put(buf)
		}
	}()
	if err := encode(buf, v); err != nil {
		// Only a bug can get here (every answer is made of plain values); say what failed.
		buf.Reset()
		encode(buf, errorBody{ErrorCode: http.StatusInternalServerError, Message: "encoding the answer: " + err.Error()})
		status = http.StatusInternalServerError
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// encode appends v to buf as compact JSON without the newline json.Encoder adds.
func encode(buf *bytes.Buffer, v any) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.Truncate(buf.Len() - 1)
	return nil
}

// errorBody is Apache's ErrorMessage.
type errorBody struct {
	ErrorCode int    `json:"error_code"`
	Message   string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{ErrorCode: status, Message: msg})
}

// errTimedOut answers a herder call that did not finish within the request timeout, as Apache's.
var errTimedOut = &runner.Error{Kind: runner.KindInternal, Msg: "Request timed out"}

// writeHerderError answers a herder error with the status its kind calls for.
func writeHerderError(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	switch runner.KindOf(err) {
	case runner.KindNotFound:
		status = http.StatusNotFound
	case runner.KindExists:
		status = http.StatusConflict
	case runner.KindInvalid:
		status = http.StatusBadRequest
	case runner.KindForbidden:
		status = http.StatusForbidden
	}
	msg := err.Error()
	var he *runner.Error
	if errors.As(err, &he) {
		msg = he.Msg
	}
	writeError(w, status, msg)
}

// object is a JSON object whose members keep their order (encoding/json sorts map keys).
type object []member

type member struct {
	key   string
	value any
}

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		if err := encode(&b, m.key); err != nil {
			return nil, err
		}
		b.WriteByte(':')
		if err := encode(&b, m.value); err != nil {
			return nil, err
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// valueMap is a partition or offset map. Doubles are written as Jackson writes them (8.0, 1.0E7), so that
// an offset reads back with the type it was stored with.
type valueMap map[string]any

func (m valueMap) MarshalJSON() ([]byte, error) {
	if m == nil {
		return []byte("null"), nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	// Sorted, so that the same offsets always read the same.
	slices.Sort(keys)
	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		encode(&b, k)
		b.WriteByte(':')
		switch v := m[k].(type) {
		case float64:
			b.Write(connectors.AppendFloat64(nil, v))
		case float32:
			b.Write(connectors.AppendFloat32(nil, v))
		default:
			if err := encode(&b, v); err != nil {
				return nil, err
			}
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// requestError is a problem with a request's body, answered with its status (400, 413 or 415).
type requestError struct {
	status int
	msg    string
}

func badRequest(format string, args ...any) *requestError {
	return &requestError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// readBody reads a JSON request body: the content type must be JSON (else 415, as Apache), the body at
// most MaxBodyBytes (else 413) and not empty (Apache: 500 with a Java NullPointerException text).
func readBody(r *http.Request) ([]byte, *requestError) {
	typ, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || typ != "application/json" {
		return nil, &requestError{status: http.StatusUnsupportedMediaType, msg: "HTTP 415 Unsupported Media Type"}
	}
	body, err := io.ReadAll(r.Body)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, &requestError{status: http.StatusRequestEntityTooLarge,
			msg: fmt.Sprintf("The request body is larger than the limit of %d bytes", tooLarge.Limit)}
	}
	if err != nil {
		return nil, badRequest("Reading the request body: %v", err)
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, badRequest("The request body is empty; a JSON object is expected")
	}
	return body, nil
}

// decodeStrict decodes body into the struct v, rejecting unknown fields, and explains any problem: where
// the JSON is malformed, which field has the wrong type, which field is unknown.
func decodeStrict(body []byte, v any) *requestError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(body, err, v)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(body, int(dec.InputOffset())-1)
		return badRequest("Malformed JSON in the request body at line %d, column %d: unexpected data after the JSON value", line, col)
	}
	return nil
}

// jsonProblem turns an encoding/json error into a message a user can act on. target is what was being
// decoded, for the list of known fields.
func jsonProblem(body []byte, err error, target any) *requestError {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.As(err, &syntax) && syntax.Offset >= int64(len(body)) &&
		strings.HasPrefix(syntax.Error(), "unexpected end of JSON input"):
		line, col := position(body, len(body)-1)
		return badRequest("Malformed JSON in the request body: it ends (line %d, column %d) before the JSON value is complete", line, col)
	case errors.As(err, &syntax):
		line, col := position(body, int(syntax.Offset)-1)
		return badRequest("Malformed JSON in the request body at line %d, column %d: %s", line, col, syntax.Error())
	case errors.As(err, &typ):
		if typ.Field == "" {
			return badRequest("The request body must be %s, not %s", kindOf(typ.Type), article(typ.Value))
		}
		line, col := position(body, int(typ.Offset)-1)
		return badRequest("Invalid request body: field %q must be %s, not %s (line %d, column %d)",
			typ.Field, kindOf(typ.Type), article(typ.Value), line, col)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		return badRequest("Invalid request body: unknown field %s; the known fields are %s", field, knownFields(target))
	}
	return badRequest("Invalid request body: %v", err)
}

// position returns the 1-based line and column of byte offset off of body.
func position(body []byte, off int) (line, col int) {
	off = max(0, min(off, len(body)))
	line = 1 + bytes.Count(body[:off], []byte{'\n'})
	return line, off - bytes.LastIndexByte(body[:off], '\n')
}

// kindOf describes a Go type as the JSON it decodes from.
func kindOf(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Map, reflect.Struct:
		return "a JSON object"
	case reflect.Slice, reflect.Array:
		return "a JSON array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Pointer:
		return kindOf(t.Elem())
	}
	return "a number"
}

// article turns encoding/json's description of a JSON value ("array", "number 5") into prose.
func article(value string) string {
	word, _, _ := strings.Cut(value, " ")
	switch word {
	case "array", "object":
		return "an " + word
	case "bool":
		return "a boolean"
	case "":
		return "this value"
	}
	return "a " + word
}

// knownFields lists the JSON field names of the struct target points to.
func knownFields(target any) string {
	t := reflect.TypeOf(target)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return "none"
	}
	var names []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		names = append(names, strconv.Quote(name))
	}
	return strings.Join(names, ", ")
}

// configValues decodes a JSON object of configuration values as Apache's Jackson does: strings as they
// are, numbers and booleans as their JSON text ("tasks.max": 2 is "2"). null stays nil (PATCH removes the
// key with it; elsewhere callers reject it); an object or array is an error naming the key.
func configValues(raw []byte, what string) (map[string]*string, *requestError) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		var typ *json.UnmarshalTypeError
		if errors.As(err, &typ) {
			return nil, badRequest("%s must be a JSON object of configuration values, not %s", what, article(typ.Value))
		}
		return nil, jsonProblem(raw, err, nil)
	}
	if fields == nil {
		return nil, badRequest("%s must be a JSON object of configuration values, not null", what)
	}
	out := make(map[string]*string, len(fields))
	for k, v := range fields {
		switch v[0] {
		case 'n':
			out[k] = nil
		case '"':
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return nil, badRequest("Invalid value of configuration %s: %v", k, err)
			}
			out[k] = &s
		case '{', '[':
			kind := "an object"
			if v[0] == '[' {
				kind = "an array"
			}
			return nil, badRequest("Invalid value of configuration %s: a configuration value must be a string, not %s", k, kind)
		default: // a number or a boolean: its text
			s := string(v)
			out[k] = &s
		}
	}
	return out, nil
}

// requireValues rejects null configuration values, naming the key. Apache answers them with 500 after it
// has stored a connector that can only fail.
func requireValues(cfg map[string]*string) (map[string]string, *requestError) {
	out := make(map[string]string, len(cfg))
	var nulls []string
	for k, v := range cfg {
		if v == nil {
			nulls = append(nulls, k)
			continue
		}
		out[k] = *v
	}
	if len(nulls) > 0 {
		slices.Sort(nulls)
		return nil, badRequest("Invalid value null for configuration %s: Null value can not be supplied as the configuration value.",
			strings.Join(nulls, ", "))
	}
	return out, nil
}

// numbers replaces the json.Numbers of a decoded value by int64 (integers) or float64, as Jackson reads them
// as Integer/Long or Double.
func numbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if n, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return n
		}
		f, _ := strconv.ParseFloat(string(v), 64)
		return f
	case map[string]any:
		for k, e := range v {
			v[k] = numbers(e)
		}
	case []any:
		for i, e := range v {
			v[i] = numbers(e)
		}
	}
	return v
}
