package checkpoint

import (
	"encoding/binary"
	"math"

	"github.com/neurosim/neurosim/internal/half"
)

// converter returns a function decoding one element of type dt from the
// start of b. Every conversion to float64 is exact, except integers beyond
// 2^53 in magnitude.
func converter(dt DType, bo binary.ByteOrder) func(b []byte) float64 {
	switch dt {
	case Float16:
		return func(b []byte) float64 { return half.Float64(bo.Uint16(b)) }
	case BFloat16:
		// bfloat16 is the top half of a float32.
		return func(b []byte) float64 { return float64(math.Float32frombits(uint32(bo.Uint16(b)) << 16)) }
	case Float32:
		return func(b []byte) float64 { return float64(math.Float32frombits(bo.Uint32(b))) }
	case Float64:
		return func(b []byte) float64 { return math.Float64frombits(bo.Uint64(b)) }
	case Int8:
		return func(b []byte) float64 { return float64(int8(b[0])) }
	case Int16:
		return func(b []byte) float64 { return float64(int16(bo.Uint16(b))) }
	case Int32:
		return func(b []byte) float64 { return float64(int32(bo.Uint32(b))) }
	case Int64:
		return func(b []byte) float64 { return float64(int64(bo.Uint64(b))) }
	case Uint8:
		return func(b []byte) float64 { return float64(b[0]) }
	case Bool:
		return func(b []byte) float64 {
			if b[0] != 0 {
				return 1
			}
			return 0
		}
	}
	panic("checkpoint: converter for invalid dtype " + dt.String()) // callers only pass decoded dtypes
}

// cStrides returns the row-major strides of shape, in elements.
func cStrides(shape []int) []int64 {
	s := make([]int64, len(shape))
	n := int64(1)
	for i := len(shape) - 1; i >= 0; i-- {
		s[i] = n
		n *= int64(shape[i])
	}
	return s
}

// fStrides returns the column-major strides of shape, in elements.
func fStrides(shape []int) []int64 {
	s := make([]int64, len(shape))
	n := int64(1)
	for i := range shape {
		s[i] = n
		n *= int64(shape[i])
	}
	return s
}

// contiguous reports whether strides are the C-order strides of shape
// (ignoring dimensions of size 1, whose stride is never used).
func contiguous(shape []int, stride []int64) bool {
	want := int64(1)
	for i := len(shape) - 1; i >= 0; i-- {
		if shape[i] != 1 && stride[i] != want {
			return false
		}
		want *= int64(shape[i])
	}
	return true
}
