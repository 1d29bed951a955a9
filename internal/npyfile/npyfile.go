// Package npyfile reads and writes NumPy .npy arrays on top of
// codeberg.org/sbinet/npyio, with every size taken from the file checked
// against the bytes really present before anything is allocated.
//
// npyio trusts the header: it allocates the header length and the element count
// it reads, and a data section cut short at an element boundary reads as zeros.
// This package therefore validates the preamble, the header dictionary, the
// dtype and the exact data length itself and only then lets npyio decode.
//
// Format: https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
package npyfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"unicode"

	"codeberg.org/sbinet/npyio/npy"
	"gonum.org/v1/gonum/mat"

	"github.com/neurosim/neurosim/internal/half"
)

// MaxHeader bounds the header dictionary. NumPy writes a few hundred bytes;
// version 1 cannot exceed 65535.
const MaxHeader = 1 << 20

// Array is a decoded .npy array in C (row-major) order.
type Array struct {
	DType string // "float16", "float32", "float64", "int8" … "uint64", "bool"
	Shape []int  // empty for a 0-d array
	// Float holds the elements widened to float64 for every dtype (exact for
	// floats; exact for integers up to 2^53).
	Float []float64
	// Int holds the elements of an integer or bool array, exactly; nil for floats.
	Int []int64
}

// IsFloat reports whether the array's dtype is a floating-point type.
func (a *Array) IsFloat() bool {
	return a.DType == "float16" || a.DType == "float32" || a.DType == "float64"
}

// Len is the number of elements.
func (a *Array) Len() int { return len(a.Float) }

// FormatError describes an .npy stream that cannot be decoded.
type FormatError struct{ Msg string }

func (e *FormatError) Error() string { return e.Msg }

// formatErr builds a FormatError; control characters (header bytes quoted by
// npyio may hold newlines) are escaped so the message stays on one line.
func formatErr(format string, args ...any) error {
	var b strings.Builder
	for _, r := range fmt.Sprintf(format, args...) {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return &FormatError{Msg: b.String()}
}

var magic = []byte("\x93NUMPY")

// ReadFile reads and decodes the .npy file at path; maxBytes (0 = no limit)
// refuses larger files before they are read.
func ReadFile(path string, maxBytes int64) (*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if maxBytes > 0 && info.Size() > maxBytes {
		return nil, formatErr("file is %d bytes, more than the %d allowed", info.Size(), maxBytes)
	}
	data := make([]byte, info.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	return Decode(data)
}

type kind struct {
	name string
	size int
}

var kinds = map[string]kind{
	"f2": {"float16", 2}, "f4": {"float32", 4}, "f8": {"float64", 8},
	"i1": {"int8", 1}, "i2": {"int16", 2}, "i4": {"int32", 4}, "i8": {"int64", 8},
	"u1": {"uint8", 1}, "u2": {"uint16", 2}, "u4": {"uint32", 4}, "u8": {"uint64", 8},
	"b1": {"bool", 1},
}

// Decode decodes a complete .npy stream held in data.
func Decode(data []byte) (a *Array, err error) {
	if len(data) < len(magic)+4 || !bytes.Equal(data[:len(magic)], magic) {
		return nil, formatErr("not a .npy file (no \\x93NUMPY magic)")
	}
	major := data[6]
	var hdrLen, prefix int
	switch major {
	case 1:
		hdrLen, prefix = int(binary.LittleEndian.Uint16(data[8:10])), 10
	case 2, 3:
		if len(data) < 12 {
			return nil, formatErr("truncated .npy preamble")
		}
		hdrLen, prefix = int(binary.LittleEndian.Uint32(data[8:12])), 12
	default:
		return nil, formatErr("unsupported .npy version %d", major)
	}
	if hdrLen > MaxHeader {
		return nil, formatErr(".npy header claims %d bytes (limit %d)", hdrLen, MaxHeader)
	}
	if hdrLen > len(data)-prefix {
		return nil, formatErr(".npy header claims %d bytes, only %d present", hdrLen, len(data)-prefix)
	}
	header := data[prefix : prefix+hdrLen]
	if bytes.IndexByte(header, '\n') < 0 {
		return nil, formatErr(".npy header does not end with a newline")
	}
	body := data[prefix+hdrLen:]

	// npyio parses the dictionary; a malformed one could make it index out of
	// range, which we report as a format error rather than crash.
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, formatErr("malformed .npy header: %v", r)
		}
	}()
	rd, err := npy.NewReader(bytes.NewReader(data[:prefix+hdrLen]))
	if err != nil {
		return nil, formatErr("malformed .npy header: %v", err)
	}
	descr := rd.Header.Descr
	if len(descr.Type) < 4 || descr.Type[0] != '\'' || descr.Type[len(descr.Type)-1] != '\'' {
		return nil, formatErr("unsupported .npy dtype %s", descr.Type)
	}
	typ := descr.Type[1 : len(descr.Type)-1]
	order, code := typ[0], typ[1:]
	k, ok := kinds[code]
	if !ok || (order != '<' && order != '>' && order != '|' && order != '=') {
		return nil, formatErr("unsupported .npy dtype %q (supported: float16/32/64, int8..64, uint8..64, bool)", typ)
	}
	var bo binary.ByteOrder = binary.LittleEndian
	if order == '>' {
		bo = binary.BigEndian
	}

	// Count elements, saturating: a claim beyond the data present is refused
	// without computing (or allocating) it.
	n, over := 1, false
	for _, d := range descr.Shape {
		if d < 0 {
			return nil, formatErr(".npy shape %v has a negative dimension", descr.Shape)
		}
		if d == 0 {
			n, over = 0, false
			break
		}
		if n > len(body)/d {
			over = true
		} else {
			n *= d
		}
	}
	if over || n*k.size > len(body) {
		return nil, formatErr(".npy header claims shape %v of %s, more than the %d bytes of data present",
			descr.Shape, k.name, len(body))
	}
	if n*k.size != len(body) {
		return nil, formatErr(".npy holds %d bytes of data, shape %v of %s needs %d", len(body), descr.Shape, k.name, n*k.size)
	}

	a = &Array{DType: k.name, Shape: append([]int{}, descr.Shape...), Float: make([]float64, n)}
	if k.name != "float16" && k.name != "float32" && k.name != "float64" {
		a.Int = make([]int64, n)
	}
	for i := range n {
		raw := body[i*k.size : (i+1)*k.size]
		var f float64
		var v int64
		switch k.name {
		case "float16":
			f = half.Float64(bo.Uint16(raw))
		case "float32":
			f = float64(math.Float32frombits(bo.Uint32(raw)))
		case "float64":
			f = math.Float64frombits(bo.Uint64(raw))
		case "int8":
			v = int64(int8(raw[0]))
		case "int16":
			v = int64(int16(bo.Uint16(raw)))
		case "int32":
			v = int64(int32(bo.Uint32(raw)))
		case "int64":
			v = int64(bo.Uint64(raw))
		case "uint8", "bool":
			v = int64(raw[0])
		case "uint16":
			v = int64(bo.Uint16(raw))
		case "uint32":
			v = int64(bo.Uint32(raw))
		case "uint64":
			u := bo.Uint64(raw)
			if u > math.MaxInt64 {
				return nil, formatErr(".npy uint64 element %d is too large", i)
			}
			v = int64(u)
		}
		if a.Int != nil {
			a.Int[i] = v
			f = float64(v)
		}
		a.Float[i] = f
	}
	if descr.Fortran && len(a.Shape) > 1 {
		a.Float = fortranToC(a.Float, a.Shape)
		if a.Int != nil {
			a.Int = fortranToC(a.Int, a.Shape)
		}
	}
	return a, nil
}

// fortranToC reorders column-major data into row-major order.
func fortranToC[T any](src []T, shape []int) []T {
	dst := make([]T, len(src))
	idx := make([]int, len(shape))
	for c := range dst {
		// c is the row-major index of idx; compute its column-major offset.
		off, stride := 0, 1
		for d := range shape {
			off += idx[d] * stride
			stride *= shape[d]
		}
		dst[c] = src[off]
		for d := len(shape) - 1; d >= 0; d-- {
			idx[d]++
			if idx[d] < shape[d] {
				break
			}
			idx[d] = 0
		}
	}
	return dst
}

// EncodeFloat64 writes data as a little-endian float64 .npy array of the given
// shape (1-D or 2-D).
func EncodeFloat64(w io.Writer, shape []int, data []float64) error {
	n := 1
	for _, d := range shape {
		n *= d
	}
	if n != len(data) {
		return fmt.Errorf("npyfile: shape %v needs %d elements, got %d", shape, n, len(data))
	}
	switch len(shape) {
	case 1:
		return npy.Write(w, data)
	case 2:
		if shape[0] == 0 || shape[1] == 0 {
			return errors.New("npyfile: cannot write an empty 2-D array")
		}
		return npy.Write(w, mat.NewDense(shape[0], shape[1], data))
	}
	return encodeRaw(w, shape, data)
}

// encodeRaw writes a C-order little-endian float64 array of any rank with a
// version 1.0 header padded to a multiple of 64 bytes, as NumPy does.
func encodeRaw(w io.Writer, shape []int, data []float64) error {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = strconv.Itoa(d)
	}
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (" + strings.Join(dims, ", ") + "), }"
	pad := (64 - (10+len(dict)+1)%64) % 64
	text := dict + strings.Repeat(" ", pad) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(text)))
	b.WriteString(text)
	binary.Write(&b, binary.LittleEndian, data)
	_, err := w.Write(b.Bytes())
	return err
}
