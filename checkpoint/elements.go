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

// decodeRange fills dst with consecutive elements of type dt from the start of raw,
// which the caller has checked holds len(dst) of them.
func decodeRange(dst []float64, raw []byte, dt DType, bo binary.ByteOrder) {
	conv := converter(dt, bo)
	size := dt.Size()
	for i := range dst {
		dst[i] = conv(raw[i*size:])
	}
}
