package npyfile

import (
	"bytes"

	"github.com/neurosim/neurosim/internal/input"
)

// Array is a .npy array held in memory at its own dtype.
type Array struct {
	Header
	// Data holds the Len elements in C order, in Header.Order. Decode
	// returns a subslice of its input when the array is in C order, and a
	// reordered copy when it is in Fortran order (Header.Fortran is then
	// false).
	Data []byte
}

// Decode parses a complete .npy stream held in data. The header's shape must
// account for exactly the bytes after it, and hold at most maxElements
// elements (maxElements ≤ 0 means no cap beyond the bytes present).
func Decode(data []byte, maxElements int64) (*Array, error) {
	h, err := ReadHeader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	body := data[h.DataOffset:]
	if maxElements > 0 && h.Len > maxElements {
		return nil, errorf(".npy shape %v holds %d elements, more than the %d allowed", h.Shape, h.Len, maxElements)
	}
	switch need := h.DataBytes(); {
	case need > int64(len(body)):
		return nil, errorf(".npy header claims shape %v of %s (%d bytes), more than the %d bytes of data present",
			h.Shape, h.DType, need, len(body))
	case need < int64(len(body)):
		return nil, errorf(".npy holds %d bytes of data, shape %v of %s needs %d", len(body), h.Shape, h.DType, need)
	}
	a := &Array{Header: *h, Data: body[:len(body):len(body)]}
	if h.Fortran {
		a.Data = fortranBytes(body, h.Shape, h.DType.Size())
		a.Fortran = false
	}
	return a, nil
}

// fortranBytes reorders column-major elements of size bytes into row-major order.
func fortranBytes(src []byte, shape []int, size int) []byte {
	n := len(src) / size
	perm := FortranToC(indices(n), shape)
	dst := make([]byte, len(src))
	for c, f := range perm {
		copy(dst[c*size:(c+1)*size], src[f*size:])
	}
	return dst
}

func indices(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = i
	}
	return s
}

// ReadFile reads and decodes the .npy file at path (a regular file or a
// stream), refusing files of more than maxBytes before reading them.
func ReadFile(path string, maxBytes, maxElements int64) (*Array, error) {
	data, err := input.ReadFile(path, maxBytes)
	if err != nil {
		return nil, err
	}
	return Decode(data, maxElements)
}

// Float64 returns element i widened to float64.
func (a *Array) Float64(i int) float64 {
	var v [1]float64
	size := a.DType.Size()
	decodeFloat64(v[:], a.Data[i*size:(i+1)*size], a.DType, a.Order)
	return v[0]
}

// Float64s returns every element widened to float64, in a new slice.
func (a *Array) Float64s() []float64 {
	out := make([]float64, a.Len)
	decodeFloat64(out, a.Data, a.DType, a.Order)
	return out
}

// Int64s returns the elements of an integer or bool array, in a new slice;
// ok is false for other dtypes and for a uint64 above 2^63−1.
func (a *Array) Int64s() (v []int64, ok bool) {
	if !a.DType.IsInt() && a.DType != Bool {
		return nil, false
	}
	out := make([]int64, a.Len)
	for i := range out {
		if out[i], ok = intAt(a.Data, i, a.DType, a.Order); !ok {
			return nil, false
		}
	}
	return out, true
}
