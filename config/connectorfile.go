package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// ConnectorFile is a connector configuration read from a file named on the command line.
type ConnectorFile struct {
	Path string
	// Name is the connector name: the "name" of the file, as written (not trimmed).
	Name string
	// Config is the connector configuration, always with a "name" entry. Values are as written.
	Config map[string]string
	// InitialState is "RUNNING", "PAUSED" or "STOPPED" when the file sets initial_state, else "".
	InitialState string
	// Lines is the 1-based line on which each config key is defined.
	Lines map[string]int
}

// Annotate returns err with this file and the line of each problem's key filled in; see Locate.
func (f *ConnectorFile) Annotate(err error) error { return Locate(err, f.Path, f.Lines) }

// Annotate returns err with this file and the line of each problem's key filled in; see Locate.
func (f *File) Annotate(err error) error { return Locate(err, f.Path, f.Lines) }

// LoadConnectorFile reads a connector file in any of the forms Apache's connect-standalone accepts (3.7+,
// KIP-980), tried in order:
//
//  1. a JSON object whose values are all strings, numbers or booleans: the connector config itself;
//  2. a JSON object shaped like the POST /connectors body: {"name": ..., "config": {...},
//     "initial_state": "RUNNING"|"PAUSED"|"STOPPED"} (case-insensitive; unknown fields are ignored;
//     config.name, if present, must equal name, and is filled in otherwise);
//  3. a Java .properties file (read like Load).
//
// Numbers and booleans in JSON become their text as written. Unlike Apache, a file whose first
// non-blank character is '{' is always read as JSON, so that a JSON mistake is reported with its line
// and column instead of a confusing properties reading of the JSON text; and a null or nested value in a
// config is an error naming its key.
func LoadConnectorFile(path string) (*ConnectorFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading connector file: %w", err)
	}
	return ParseConnectorFile(path, data)
}

// ParseConnectorFile parses the content of a connector file read from path (used in messages), with the
// rules of LoadConnectorFile.
func ParseConnectorFile(path string, data []byte) (*ConnectorFile, error) {
	body := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // JSON readers skip a UTF-8 BOM
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) > 0 && trimmed[0] == '{' {
		return parseJSONConnectorFile(path, body)
	}
	props, err := ParseProperties(path, data)
	if err != nil {
		return nil, err
	}
	name, ok := props.Props["name"]
	if !ok {
		return nil, missingName(path)
	}
	return &ConnectorFile{Path: path, Name: name, Config: props.Props, Lines: props.Lines}, nil
}

func missingName(path string) error {
	return &Error{Msg: "Connector configuration at '" + path + "' is missing the mandatory 'name' configuration"}
}

func parseJSONConnectorFile(path string, data []byte) (*ConnectorFile, error) {
	p := jsonReader{path: path, data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	p.dec.UseNumber()
	top, err := p.object()
	if err == nil {
		err = p.end()
	}
	if err != nil {
		return nil, err
	}
	if top.flat() {
		cf := &ConnectorFile{Path: path, Config: map[string]string{}, Lines: map[string]int{}}
		for _, m := range top {
			if m.kind == jsonNull {
				return nil, p.fail(m.line, m.key, "null is not a valid value; write a string")
			}
			cf.Config[m.key], cf.Lines[m.key] = m.text, m.line
		}
		name, ok := cf.Config["name"]
		if !ok {
			return nil, missingName(path)
		}
		cf.Name = name
		return cf, nil
	}

	// The POST /connectors form.
	cf := &ConnectorFile{Path: path}
	var config *jsonMember
	hasName := false
	for i := range top {
		m := &top[i]
		switch m.key {
		case "name":
			switch m.kind {
			case jsonObject, jsonArray:
				return nil, p.fail(m.line, "name", "the connector name must be a string")
			case jsonNull:
				hasName = false
			default:
				cf.Name, hasName = m.text, true
			}
		case "config":
			config = m
		case "initial_state":
			switch m.kind {
			case jsonNull:
				cf.InitialState = ""
			case jsonString:
				state := strings.ToUpper(m.text)
				if state != "RUNNING" && state != "PAUSED" && state != "STOPPED" {
					return nil, p.fail(m.line, "initial_state", fmt.Sprintf("invalid initial state %q: must be RUNNING, PAUSED or STOPPED", m.text))
				}
				cf.InitialState = state
			default:
				return nil, p.fail(m.line, "initial_state", "initial_state must be a string: RUNNING, PAUSED or STOPPED")
			}
		}
	}
	if config == nil {
		// Apache would fail here with a NullPointerException; name the problem instead.
		for _, m := range top {
			if m.kind == jsonObject || m.kind == jsonArray {
				return nil, p.fail(m.line, m.key, "the value must be a string, a number or a boolean (a connector file is either a flat JSON object of strings, or {\"name\": ..., \"config\": {...}})")
			}
		}
	}
	if config == nil || config.kind != jsonObject {
		line := 0
		if config != nil {
			line = config.line
		}
		return nil, p.fail(line, "config", "\"config\" must be a JSON object of strings")
	}
	cf.Config = make(map[string]string, len(config.obj)+1)
	cf.Lines = make(map[string]int, len(config.obj)+1)
	for _, m := range config.obj {
		switch m.kind {
		case jsonNull:
			return nil, p.fail(m.line, m.key, "null is not a valid value; write a string")
		case jsonObject, jsonArray:
			return nil, p.fail(m.line, m.key, "the value must be a string, a number or a boolean")
		}
		cf.Config[m.key], cf.Lines[m.key] = m.text, m.line
	}
	if inner, ok := cf.Config["name"]; ok {
		if !hasName || inner != cf.Name {
			return nil, &Error{Msg: "Connector name configuration in 'config' doesn't match the one specified in 'name' at '" + path + "'"}
		}
	} else {
		if !hasName {
			return nil, missingName(path)
		}
		cf.Config["name"] = cf.Name
		cf.Lines["name"] = lineOfKey(top, "name")
	}
	return cf, nil
}

type jsonKind uint8

const (
	jsonString jsonKind = iota
	jsonNumber
	jsonBool
	jsonNull
	jsonObject
	jsonArray
)

// jsonMember is one member of a JSON object, with the line its key is on.
type jsonMember struct {
	key  string
	line int
	kind jsonKind
	text string       // scalars: the string, the number as written, true or false
	obj  []jsonMember // objects
}

type jsonObjectValue []jsonMember

// flat reports whether every value is a scalar (Apache's first form, Map<String, String>).
func (o jsonObjectValue) flat() bool {
	for _, m := range o {
		if m.kind == jsonObject || m.kind == jsonArray {
			return false
		}
	}
	return true
}

func lineOfKey(o jsonObjectValue, key string) int {
	line := 0
	for _, m := range o {
		if m.key == key {
			line = m.line // the last one wins, as in Jackson
		}
	}
	return line
}

// jsonReader walks a JSON document token by token, keeping positions for messages.
type jsonReader struct {
	path string
	data []byte
	dec  *json.Decoder
}

func (p *jsonReader) position(offset int64) (line, col int) {
	if offset > int64(len(p.data)) {
		offset = int64(len(p.data))
	}
	before := p.data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	col = len(before) - (bytes.LastIndexByte(before, '\n') + 1) + 1
	return line, col
}

func (p *jsonReader) fail(line int, key, msg string) error {
	return &Error{File: p.path, Line: line, Key: key, Msg: msg}
}

// syntaxError turns a decoding error into an *Error with the line and column of the offending byte.
func (p *jsonReader) syntaxError(err error) error {
	at := p.dec.InputOffset() - 1 // the last byte read
	msg := err.Error()
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		msg, at = "unexpected end of JSON input", int64(len(p.data))
	case errors.As(err, &se):
		// A Decoder's offsets are not from the start of the input; Unmarshal's are.
		var v any
		if uerr := json.Unmarshal(p.data, &v); errors.As(uerr, &se) {
			msg, at = se.Error(), se.Offset-1
		}
	}
	line, col := p.position(max(at, 0))
	return &Error{File: p.path, Line: line, Column: col, Msg: "invalid JSON: " + msg}
}

func (p *jsonReader) object() (jsonObjectValue, error) {
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntaxError(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, p.syntaxError(fmt.Errorf("expected a JSON object"))
	}
	return p.members()
}

// members reads the members of an object whose '{' was read.
func (p *jsonReader) members() (jsonObjectValue, error) {
	var out jsonObjectValue
	for {
		tok, err := p.dec.Token()
		if err != nil {
			return nil, p.syntaxError(err)
		}
		if d, ok := tok.(json.Delim); ok && d == '}' {
			return out, nil
		}
		key, _ := tok.(string)
		line, _ := p.position(p.dec.InputOffset())
		m := jsonMember{key: key, line: line}
		if tok, err = p.dec.Token(); err != nil {
			return nil, p.syntaxError(err)
		}
		switch v := tok.(type) {
		case string:
			m.kind, m.text = jsonString, v
		case json.Number:
			m.kind, m.text = jsonNumber, v.String()
		case bool:
			m.kind, m.text = jsonBool, fmt.Sprint(v)
		case nil:
			m.kind = jsonNull
		case json.Delim:
			if v == '{' {
				m.kind = jsonObject
				if m.obj, err = p.members(); err != nil {
					return nil, err
				}
			} else {
				m.kind = jsonArray
				if err = p.skipArray(); err != nil {
					return nil, err
				}
			}
		}
		out = append(out, m)
	}
}

// skipArray reads up to the ']' closing an array whose '[' was read.
func (p *jsonReader) skipArray() error {
	depth := 1
	for depth > 0 {
		tok, err := p.dec.Token()
		if err != nil {
			return p.syntaxError(err)
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '[', '{':
				depth++
			case ']', '}':
				depth--
			}
		}
	}
	return nil
}

// end checks that nothing but whitespace follows the object.
func (p *jsonReader) end() error {
	if _, err := p.dec.Token(); err != io.EOF {
		if err == nil {
			err = fmt.Errorf("unexpected data after the JSON object")
		}
		return p.syntaxError(err)
	}
	return nil
}
