package transforms

import (
	"slices"

	"github.com/connect-standalone/connect-standalone/config"
	"github.com/connect-standalone/connect-standalone/connectors"
	"github.com/connect-standalone/connect-standalone/converters"
)

// filter is Filter: it drops every record. It is meant to be used with a predicate.
type filter struct{}

var filterDef = config.NewDef()

func (filter) Config() *config.Def                                  { return filterDef }
func (filter) Configure(map[string]string) error                    { return nil }
func (filter) Apply(*connectors.Record) (*connectors.Record, error) { return nil, nil }

// dropHeaders is DropHeaders: it removes every header whose key is one of the configured names.
type dropHeaders struct {
	names []string
}

var dropHeadersDef = config.NewDef(
	config.Key{Name: "headers", Type: config.List, Required: true, Validator: nonEmptyList, Importance: config.High,
		Doc: "The name of the headers to be removed."},
)

func (t *dropHeaders) Config() *config.Def { return dropHeadersDef }

func (t *dropHeaders) Configure(cfg map[string]string) error {
	v, err := dropHeadersDef.Parse(cfg)
	if err != nil {
		return err
	}
	t.names = v.List("headers")
	return nil
}

func (t *dropHeaders) Apply(r *connectors.Record) (*connectors.Record, error) {
	if !slices.ContainsFunc(r.Headers, t.dropped) {
		return r, nil
	}
	kept := make([]connectors.Header, 0, len(r.Headers))
	for _, h := range r.Headers {
		if !t.dropped(h) {
			kept = append(kept, h)
		}
	}
	r.Headers = kept
	return r, nil
}

func (t *dropHeaders) dropped(h connectors.Header) bool { return slices.Contains(t.names, h.Key) }

// insertHeader is InsertHeader: it appends a header whose value is parsed once from a literal, as the
// SimpleHeaderConverter reads header text ("42" is an INT8, "true" a BOOLEAN).
type insertHeader struct {
	header connectors.Header
}

var insertHeaderDef = config.NewDef(
	config.Key{Name: "header", Type: config.String, Required: true, Validator: config.NonNull(), Importance: config.High,
		Doc: "The name of the header."},
	config.Key{Name: "value.literal", Type: config.String, Required: true, Validator: config.NonNull(), Importance: config.High,
		Doc: "The literal value that is to be set as the header value on all records."},
)

func (t *insertHeader) Config() *config.Def { return insertHeaderDef }

func (t *insertHeader) Configure(cfg map[string]string) error {
	v, err := insertHeaderDef.Parse(cfg)
	if err != nil {
		return err
	}
	literal := v.String("value.literal")
	schema, value, err := converters.SimpleHeaderConverter{}.ToHeader("", "", append(make([]byte, 0, len(literal)), literal...))
	if err != nil {
		return configError("value.literal", err.Error())
	}
	t.header = connectors.Header{Key: v.String("header"), Schema: schema, Value: value}
	return nil
}

func (t *insertHeader) Apply(r *connectors.Record) (*connectors.Record, error) {
	// Appending to a clipped slice copies the headers, which the record's producer may share.
	r.Headers = append(slices.Clip(r.Headers), t.header)
	return r, nil
}

// hasHeaderKey is the HasHeaderKey predicate: true when some header has exactly the configured key.
type hasHeaderKey struct {
	name string
}

var hasHeaderKeyDef = config.NewDef(
	config.Key{Name: "name", Type: config.String, Required: true, Validator: config.NonEmptyString(), Importance: config.Medium,
		Doc: "The header name."},
)

func (p *hasHeaderKey) Config() *config.Def { return hasHeaderKeyDef }

func (p *hasHeaderKey) Configure(cfg map[string]string) error {
	v, err := hasHeaderKeyDef.Parse(cfg)
	if err != nil {
		return err
	}
	p.name = v.String("name")
	return nil
}

func (p *hasHeaderKey) Test(r *connectors.Record) (bool, error) {
	for _, h := range r.Headers {
		if h.Key == p.name {
			return true, nil
		}
	}
	return false, nil
}

// recordIsTombstone is the RecordIsTombstone predicate: true when the value is null, whatever the key.
type recordIsTombstone struct{}

var recordIsTombstoneDef = config.NewDef()

func (recordIsTombstone) Config() *config.Def               { return recordIsTombstoneDef }
func (recordIsTombstone) Configure(map[string]string) error { return nil }
func (recordIsTombstone) Test(r *connectors.Record) (bool, error) {
	return r.Value == nil, nil
}
