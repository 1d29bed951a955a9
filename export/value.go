package export

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// Value is a quantity known to lie in [Lo, Hi]; Lo == Hi when it is exact.
// It encodes to JSON as {"low": Lo, "high": Hi} whether or not it is exact,
// so that every reader sees one shape.
type Value struct{ Lo, Hi float64 }

type valueJSON struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

// MarshalJSON writes {"low": …, "high": …}, with the bytes encoding/json
// writes for such a struct, without its reflection (reports hold one per
// sequence).
func (v Value) MarshalJSON() ([]byte, error) {
	if !isFinite(v.Lo) || !isFinite(v.Hi) {
		return json.Marshal(valueJSON{v.Lo, v.Hi}) // encoding/json's error
	}
	b := make([]byte, 0, 56)
	b = append(b, `{"low":`...)
	b = appendFloat(b, v.Lo)
	b = append(b, `,"high":`...)
	b = appendFloat(b, v.Hi)
	return append(b, '}'), nil
}

// Values is a list of Values. It writes its JSON in one pass (one value per
// sequence of a run can be a long list), with the bytes encoding/json
// writes for a []Value.
type Values []Value

// MarshalJSON writes [{"low": …, "high": …}, …]; a nil list is null.
func (vs Values) MarshalJSON() ([]byte, error) {
	if vs == nil {
		return []byte("null"), nil
	}
	b := make([]byte, 0, 2+len(vs)*48)
	b = append(b, '[')
	for i, v := range vs {
		if !isFinite(v.Lo) || !isFinite(v.Hi) {
			return v.MarshalJSON() // encoding/json's error
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"low":`...)
		b = appendPair(b, v, `,"high":`)
		b = append(b, '}')
	}
	return append(b, ']'), nil
}

// appendIndented appends vs as encoding/json indents a []Value that is the
// value of a key at depth 1 (indent "  "): one object per element, its keys
// on their own lines. vs is finite (validated).
func appendIndented(b []byte, vs Values) []byte {
	if vs == nil {
		return append(b, "null"...)
	}
	if len(vs) == 0 {
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i, v := range vs {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n    {\n      \"low\": "...)
		b = appendPair(b, v, ",\n      \"high\": ")
		b = append(b, "\n    }"...)
	}
	return append(b, "\n  ]"...)
}

// appendPair appends v.Lo, sep and v.Hi; an exact value's number is
// formatted once.
func appendPair(b []byte, v Value, sep string) []byte {
	at := len(b)
	b = appendFloat(b, v.Lo)
	end := len(b)
	b = append(b, sep...)
	if math.Float64bits(v.Hi) == math.Float64bits(v.Lo) {
		return append(b, b[at:end]...)
	}
	return appendFloat(b, v.Hi)
}

// appendFloat appends a finite float64 as encoding/json writes it: ES6
// number style, 'e' form below 1e-6 or from 1e21, exponents unpadded.
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// UnmarshalJSON reads {"low": …, "high": …}.
func (v *Value) UnmarshalJSON(b []byte) error {
	var j valueJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*v = Value{j.Low, j.High}
	return nil
}

// span makes a Value of any interval-like pair of float64-based numbers
// (joules, siemens, dimensionless).
func span[T ~float64](lo, hi T) Value { return Value{float64(lo), float64(hi)} }

// exact is the Value of a number known exactly.
func exact[T ~float64](v T) Value { return Value{float64(v), float64(v)} }

// hull widens v to hold x.
func (v Value) hull(x float64) Value { return Value{min(v.Lo, x), max(v.Hi, x)} }

// NonFiniteError is a number of a report that is NaN or infinite: nothing
// is written when one is found.
type NonFiniteError struct {
	Output string // "report", a file name
	Path   string // JSON path or CSV column of the number
	Value  float64
}

func (e *NonFiniteError) Error() string {
	return fmt.Sprintf("%s: %s is %v, not a finite number; nothing was written", e.Output, e.Path, e.Value)
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// validate walks a report document and returns a *NonFiniteError for the
// first NaN or infinity it holds, named by its JSON path.
func validate(output string, doc any) error {
	return walk(output, reflect.ValueOf(doc), "")
}

func walk(output string, v reflect.Value, path string) error {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return walk(output, v.Elem(), path)
	case reflect.Float32, reflect.Float64:
		if f := v.Float(); !isFinite(f) {
			return &NonFiniteError{Output: output, Path: path, Value: f}
		}
	case reflect.Struct:
		if val, ok := v.Interface().(Value); ok {
			if !isFinite(val.Lo) {
				return &NonFiniteError{Output: output, Path: path + ".low", Value: val.Lo}
			}
			if !isFinite(val.Hi) {
				return &NonFiniteError{Output: output, Path: path + ".high", Value: val.Hi}
			}
			return nil
		}
		t := v.Type()
		for i := range t.NumField() {
			f := t.Field(i)
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			if name == "-" || !f.IsExported() {
				continue
			}
			if name == "" {
				name = f.Name
			}
			if err := walk(output, v.Field(i), join(path, name)); err != nil {
				return err
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
		for _, k := range keys {
			if err := walk(output, v.MapIndex(k), join(path, k.String())); err != nil {
				return err
			}
		}
	case reflect.Slice, reflect.Array:
		// The long lists (one entry per sequence) are checked without
		// reflection or a path per element; the path is made for the
		// element that fails.
		if vs, ok := v.Interface().(Values); ok {
			for i, val := range vs {
				if !isFinite(val.Lo) || !isFinite(val.Hi) {
					return walk(output, reflect.ValueOf(val), fmt.Sprintf("%s[%d]", path, i))
				}
			}
			return nil
		}
		for i := range v.Len() {
			if err := walk(output, v.Index(i), fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}
