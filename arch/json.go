package arch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/internal/input"
)

// DefaultMaxFileBytes is the default of MaxFileBytes: a config JSON of the
// reference code is about 2 KB.
const DefaultMaxFileBytes int64 = 1 << 20

// MaxFileBytes bounds the size of a config file: a regular file larger than
// this is refused before it is read, a stream (--config /dev/stdin) once it
// has sent this many bytes, so --config /dev/zero fails at once. A program
// may change it at start-up, before any config is read (the neurosim command
// does, from --max-config-bytes).
var MaxFileBytes = DefaultMaxFileBytes

// readFile reads a config file through MaxFileBytes.
func readFile(path string) ([]byte, error) {
	data, err := input.ReadFile(path, MaxFileBytes)
	if err != nil {
		if pe, ok := err.(*fs.PathError); ok {
			err = pe.Err
		}
		msg := err.Error()
		if _, ok := err.(*input.SizeError); ok {
			msg += " (--max-config-bytes)"
		}
		return nil, &Error{File: path, Msg: msg}
	}
	return data, nil
}

// Error reports a problem with one key of a config file.
type Error struct {
	File string // the config file
	Key  string // dotted path of the key, "" for the whole file
	Msg  string
}

func (e *Error) Error() string {
	msg := cut(e.Msg, 4*maxShown)
	if e.Key == "" {
		return fmt.Sprintf("config %s: %s", e.File, msg)
	}
	return fmt.Sprintf("config %s: %s: %s", e.File, oneLine(e.Key), msg)
}

// maxShown bounds how much of a key or value of the file a message repeats:
// either may be as long as the file.
const maxShown = 200

// cut shortens s to at most n bytes (and a whole character), marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// oneLine escapes control characters, which a JSON key may hold, so that a
// message stays on one line, and bounds its length.
func oneLine(s string) string {
	q := strconv.QuoteToGraphic(s)
	return cut(q[1:len(q)-1], maxShown)
}

// object is one JSON object of the config, with its dotted path for errors.
type object struct {
	file string
	path string
	m    map[string]json.RawMessage
}

func (o object) errf(key, format string, args ...any) error {
	return &Error{File: o.file, Key: o.join(key), Msg: fmt.Sprintf(format, args...)}
}

func (o object) join(key string) string {
	if o.path == "" {
		return key
	}
	if key == "" {
		return o.path
	}
	return o.path + "." + key
}

// parseObject decodes raw as a JSON object; a null or absent value is an empty object.
func parseObject(file, path string, raw json.RawMessage) (object, error) {
	o := object{file: file, path: path, m: map[string]json.RawMessage{}}
	if len(raw) == 0 || isNull(raw) {
		return o, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&o.m); err != nil {
		return o, &Error{File: file, Key: path, Msg: "not a JSON object: " + jsonMsg(err)}
	}
	return o, nil
}

func jsonMsg(err error) string {
	return strings.TrimPrefix(err.Error(), "json: ")
}

// show renders a raw JSON value on one short line for an error message.
func show(raw json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		b.Reset()
		b.Write(raw)
	}
	s := strings.Join(strings.Fields(b.String()), " ")
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

// has reports whether key is present (even when null).
func (o object) has(key string) bool { _, ok := o.m[key]; return ok }

// null reports whether key is present and null.
func (o object) null(key string) bool { r, ok := o.m[key]; return ok && isNull(r) }

// allow refuses any key not in known, listing what is supported.
func (o object) allow(known ...string) error {
	var unknown []string
	for k := range o.m {
		found := false
		for _, kk := range known {
			if k == kk {
				found = true
				break
			}
		}
		if !found {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	sort.Strings(unknown)
	sorted := append([]string{}, known...)
	sort.Strings(sorted)
	return o.errf(unknown[0], "unknown option (supported here: %s)", strings.Join(sorted, ", "))
}

func (o object) sub(key string) (object, error) {
	return parseObject(o.file, o.join(key), o.m[key])
}

// str returns the string at key; ok is false when absent or null.
func (o object) str(key string) (s string, ok bool, err error) {
	raw, present := o.m[key]
	if !present || isNull(raw) {
		return "", false, nil
	}
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", false, o.errf(key, "want a string, found %s", show(raw))
	}
	if len(s) > maxShown {
		// Names, prefixes and options are short; a message repeats them.
		return "", false, o.errf(key, "want a string of at most %d bytes, found one of %d", maxShown, len(s))
	}
	return s, true, nil
}

// integer returns the integer at key; ok is false when absent or null.
func (o object) integer(key string) (n int, ok bool, err error) {
	raw, present := o.m[key]
	if !present || isNull(raw) {
		return 0, false, nil
	}
	var f float64
	if err := json.Unmarshal(raw, &f); err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<31 {
		return 0, false, o.errf(key, "want an integer, found %s", show(raw))
	}
	return int(f), true, nil
}

// number returns the number at key; ok is false when absent or null.
func (o object) number(key string) (f float64, ok bool, err error) {
	raw, present := o.m[key]
	if !present || isNull(raw) {
		return 0, false, nil
	}
	if err := json.Unmarshal(raw, &f); err != nil {
		return 0, false, o.errf(key, "want a number, found %s", show(raw))
	}
	return f, true, nil
}

// boolean returns the boolean at key, def when absent or null.
func (o object) boolean(key string, def bool) (bool, error) {
	raw, present := o.m[key]
	if !present || isNull(raw) {
		return def, nil
	}
	var b bool
	if err := json.Unmarshal(raw, &b); err != nil {
		return false, o.errf(key, "want true or false, found %s", show(raw))
	}
	return b, nil
}

// ints returns the integer list at key; ok is false when absent or null.
func (o object) ints(key string) (v []int, ok bool, err error) {
	raw, present := o.m[key]
	if !present || isNull(raw) {
		return nil, false, nil
	}
	var fs []float64
	if err := json.Unmarshal(raw, &fs); err != nil {
		return nil, false, o.errf(key, "want a list of integers, found %s", show(raw))
	}
	v = make([]int, len(fs))
	for i, f := range fs {
		if f != math.Trunc(f) || math.Abs(f) > 1<<31 {
			return nil, false, o.errf(key, "want a list of integers, found %s", show(raw))
		}
		v[i] = int(f)
	}
	return v, true, nil
}
