package npyfile

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxHeader bounds the header dictionary. NumPy writes a few hundred bytes;
// version 1 cannot exceed 65535.
const MaxHeader = 1 << 20

// Magic starts every .npy stream.
const Magic = "\x93NUMPY"

// DType is the type of an array's elements.
type DType uint8

const (
	Invalid DType = iota
	Bool
	Int8
	Int16
	Int32
	Int64
	Uint8
	Uint16
	Uint32
	Uint64
	Float16
	Float32
	Float64
)

var dtypeNames = [...]string{
	Invalid: "invalid", Bool: "bool",
	Int8: "int8", Int16: "int16", Int32: "int32", Int64: "int64",
	Uint8: "uint8", Uint16: "uint16", Uint32: "uint32", Uint64: "uint64",
	Float16: "float16", Float32: "float32", Float64: "float64",
}

func (d DType) String() string {
	if int(d) < len(dtypeNames) {
		return dtypeNames[d]
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// Size is the number of bytes of one element.
func (d DType) Size() int {
	switch d {
	case Bool, Int8, Uint8:
		return 1
	case Int16, Uint16, Float16:
		return 2
	case Int32, Uint32, Float32:
		return 4
	case Int64, Uint64, Float64:
		return 8
	}
	return 0
}

// IsFloat reports whether d is a floating-point type.
func (d DType) IsFloat() bool { return d == Float16 || d == Float32 || d == Float64 }

// IsInt reports whether d is an integer type (bool is not).
func (d DType) IsInt() bool { return d >= Int8 && d <= Uint64 }

// codes maps the type part of a descr ("f8" of "<f8") to a DType.
var codes = map[string]DType{
	"b1": Bool, "?": Bool,
	"i1": Int8, "i2": Int16, "i4": Int32, "i8": Int64,
	"u1": Uint8, "u2": Uint16, "u4": Uint32, "u8": Uint64,
	"f2": Float16, "f4": Float32, "f8": Float64,
}

// Header is a parsed .npy header.
type Header struct {
	Major   int // format version: 1, 2 or 3
	DType   DType
	Order   binary.ByteOrder // of multi-byte elements
	Fortran bool             // elements in column-major order
	Shape   []int            // empty for a 0-d array
	Len     int64            // number of elements, the product of Shape
	// DataOffset is the number of bytes before the data: preamble and header.
	DataOffset int64
}

// DataBytes is the number of bytes the elements occupy.
func (h *Header) DataBytes() int64 { return h.Len * int64(h.DType.Size()) }

// A FormatError reports a stream that is not a well-formed .npy array, or
// one using a feature not read here.
type FormatError struct{ Msg string }

func (e *FormatError) Error() string { return e.Msg }

func errorf(format string, args ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, args...)}
}

// ReadHeader reads the preamble and header from r, leaving r at the first
// byte of data. The header is read in full before it is parsed, and never
// more than its declared length (at most MaxHeader) is allocated; a stream
// shorter than that length is refused.
func ReadHeader(r io.Reader) (*Header, error) {
	var pre [12]byte
	if n, err := io.ReadFull(r, pre[:10]); err != nil {
		if err != io.EOF && err != io.ErrUnexpectedEOF {
			return nil, err // from the source (a size cap, a file system)
		}
		if n >= len(Magic) && string(pre[:len(Magic)]) == Magic {
			return nil, errorf("truncated .npy preamble (%d bytes)", n)
		}
		return nil, errorf("not a .npy file (no \\x93NUMPY magic)")
	}
	if string(pre[:len(Magic)]) != Magic {
		return nil, errorf("not a .npy file (no \\x93NUMPY magic)")
	}
	major, minor := int(pre[6]), int(pre[7])
	if major < 1 || major > 3 || minor != 0 {
		return nil, errorf("unsupported .npy version %d.%d (want 1.0, 2.0 or 3.0)", major, minor)
	}
	var hlen int64
	prefix := int64(10)
	if major == 1 {
		hlen = int64(binary.LittleEndian.Uint16(pre[8:10]))
	} else {
		if _, err := io.ReadFull(r, pre[10:12]); err != nil {
			if err != io.EOF && err != io.ErrUnexpectedEOF {
				return nil, err
			}
			return nil, errorf("truncated .npy preamble")
		}
		hlen, prefix = int64(binary.LittleEndian.Uint32(pre[8:12])), 12
	}
	if hlen > MaxHeader {
		return nil, errorf(".npy header claims %d bytes (limit %d)", hlen, MaxHeader)
	}
	// Grow as the bytes arrive: the length is a claim.
	text, err := io.ReadAll(io.LimitReader(r, hlen))
	if err != nil {
		return nil, fmt.Errorf("reading the .npy header: %w", err)
	}
	if int64(len(text)) < hlen {
		return nil, errorf(".npy header claims %d bytes, only %d present", hlen, len(text))
	}
	h, err := parseHeader(text, major)
	if err != nil {
		return nil, err
	}
	h.Major, h.DataOffset = major, prefix+hlen
	return h, nil
}

// parseHeader parses the header dictionary.
func parseHeader(text []byte, major int) (*Header, error) {
	var s string
	if major == 3 {
		if !utf8.Valid(text) {
			return nil, errorf(".npy version 3 header is not valid UTF-8")
		}
		s = string(text)
	} else {
		// Latin-1: every byte is one character. Only ASCII can matter to
		// the keys and values read here; other bytes are reported escaped.
		s = string(text)
	}
	p := &lit{s: s}
	h := &Header{}
	var seen [3]bool
	p.space()
	if !p.eat('{') {
		return nil, p.fail("want '{' at the start of the header dictionary")
	}
	for {
		p.space()
		if p.eat('}') {
			break
		}
		key, err := p.str("a key")
		if err != nil {
			return nil, err
		}
		p.space()
		if !p.eat(':') {
			return nil, p.fail("want ':' after key %s", strconv.Quote(key))
		}
		p.space()
		k := -1
		switch key {
		case "descr":
			k = 0
			descr, err := p.str("the 'descr' value (a dtype string)")
			if err != nil {
				return nil, err
			}
			if h.DType, h.Order, err = parseDescr(descr); err != nil {
				return nil, err
			}
		case "fortran_order":
			k = 1
			switch {
			case p.word("True"):
				h.Fortran = true
			case p.word("False"):
				h.Fortran = false
			default:
				return nil, p.fail("'fortran_order' must be True or False")
			}
		case "shape":
			k = 2
			if h.Shape, err = p.shape(); err != nil {
				return nil, err
			}
		default:
			return nil, errorf(".npy header has key %s (want exactly 'descr', 'fortran_order', 'shape')", quoteShort(key))
		}
		if seen[k] {
			return nil, errorf(".npy header has key %s twice", strconv.Quote(key))
		}
		seen[k] = true
		p.space()
		if p.eat(',') {
			continue
		}
		p.space()
		if !p.eat('}') {
			return nil, p.fail("want ',' or '}' after the value of %s", strconv.Quote(key))
		}
		break
	}
	p.space()
	if p.i != len(p.s) {
		return nil, p.fail("unexpected text after the header dictionary")
	}
	for k, name := range [...]string{"descr", "fortran_order", "shape"} {
		if !seen[k] {
			return nil, errorf(".npy header has no %s key (want 'descr', 'fortran_order', 'shape')", strconv.Quote(name))
		}
	}
	// Element count and byte size, with overflow checks.
	h.Len = 1
	size := int64(h.DType.Size())
	for _, d := range h.Shape {
		if d == 0 {
			h.Len = 0
		}
	}
	if h.Len != 0 {
		for _, d := range h.Shape {
			if int64(d) > math.MaxInt64/size/h.Len {
				return nil, errorf(".npy shape %v of %s is more than 2^63 bytes", h.Shape, h.DType)
			}
			h.Len *= int64(d)
		}
	}
	return h, nil
}

// parseDescr reads a dtype string such as "<f8".
func parseDescr(descr string) (DType, binary.ByteOrder, error) {
	var order binary.ByteOrder = binary.LittleEndian
	code := descr
	if code != "" {
		switch code[0] {
		case '>':
			order, code = binary.BigEndian, code[1:]
		case '<', '|', '=':
			code = code[1:]
		}
	}
	dt, ok := codes[code]
	if !ok {
		return 0, nil, errorf("unsupported .npy dtype %s (supported: bool, int8..int64, uint8..uint64, float16/32/64)", quoteShort(descr))
	}
	return dt, order, nil
}

// lit is a cursor over a Python literal.
type lit struct {
	s string
	i int
}

func (p *lit) fail(format string, args ...any) error {
	at := p.s[p.i:]
	if len(at) > 20 {
		at = at[:20] + "…"
	}
	return errorf("malformed .npy header: %s, found %s at byte %d", fmt.Sprintf(format, args...), quoteShort(at), p.i)
}

// space skips Python whitespace (inside brackets newlines are whitespace too).
func (p *lit) space() {
	for p.i < len(p.s) && strings.IndexByte(" \t\n\r\f\v", p.s[p.i]) >= 0 {
		p.i++
	}
}

func (p *lit) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

// word consumes the identifier w when it is not followed by more of one.
func (p *lit) word(w string) bool {
	if !strings.HasPrefix(p.s[p.i:], w) {
		return false
	}
	if j := p.i + len(w); j < len(p.s) && (isIdent(p.s[j]) || p.s[j] >= utf8.RuneSelf) {
		return false
	}
	p.i += len(w)
	return true
}

func isIdent(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// str reads a string literal in single or double quotes, without escapes
// (no name or dtype string needs them).
func (p *lit) str(what string) (string, error) {
	if p.i >= len(p.s) || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
		return "", p.fail("want %s in quotes", what)
	}
	q := p.s[p.i]
	end := strings.IndexByte(p.s[p.i+1:], q)
	if end < 0 {
		return "", p.fail("unterminated string")
	}
	v := p.s[p.i+1 : p.i+1+end]
	if strings.ContainsAny(v, "\\\n\r") {
		return "", p.fail("escapes and line breaks in strings are not supported")
	}
	p.i += end + 2
	return v, nil
}

// shape reads a tuple of non-negative ints: (), (n,), (n, m), … A
// parenthesised single int without a comma is an int, not a tuple, and is
// refused as NumPy refuses it.
func (p *lit) shape() ([]int, error) {
	if !p.eat('(') {
		return nil, p.fail("'shape' must be a tuple of ints")
	}
	shape := []int{}
	comma := false
	for {
		p.space()
		if p.eat(')') {
			break
		}
		if len(shape) > 0 && !comma {
			return nil, p.fail("want ',' or ')' in the shape tuple")
		}
		if len(shape) == 64 {
			return nil, p.fail("shape of more than 64 dimensions")
		}
		d, err := p.dim()
		if err != nil {
			return nil, err
		}
		shape = append(shape, d)
		p.space()
		comma = p.eat(',')
	}
	if len(shape) == 1 && !comma {
		return nil, errorf("malformed .npy header: 'shape' is (%d), an int, not a tuple (want (%d,))", shape[0], shape[0])
	}
	return shape, nil
}

// dim reads a non-negative decimal int, with Python 2's optional L suffix.
func (p *lit) dim() (int, error) {
	j := p.i
	if j < len(p.s) && (p.s[j] == '-' || p.s[j] == '+') {
		if p.s[j] == '-' {
			return 0, p.fail("a shape dimension is negative")
		}
		j++
	}
	start := j
	for j < len(p.s) && p.s[j] >= '0' && p.s[j] <= '9' {
		j++
	}
	if j == start {
		return 0, p.fail("want a non-negative int in the shape tuple")
	}
	v, err := strconv.ParseInt(p.s[start:j], 10, 64)
	if err != nil || int64(int(v)) != v {
		return 0, p.fail("shape dimension %s is too large", quoteShort(p.s[start:j]))
	}
	if j < len(p.s) && (p.s[j] == 'L' || p.s[j] == 'l') {
		j++
	}
	p.i = j
	return int(v), nil
}

// quoteShort quotes text from the header for a message, escaping control
// characters and bounding its length.
func quoteShort(s string) string {
	if len(s) > 40 {
		return strconv.Quote(s[:40]) + "…"
	}
	return strconv.Quote(s)
}

// oneLine escapes control characters so that a message stays on one line.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}
