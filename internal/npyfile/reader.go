package npyfile

import (
	"encoding/binary"
	"io"
	"math"
	"unsafe"

	"github.com/neurosim/neurosim/internal/half"
)

// Reader decodes the elements of a .npy stream in chunks of the caller's
// size, so that memory follows what the caller keeps, not what the header
// claims. Elements come in file order: C order, or Fortran order when
// Header.Fortran is set (see FortranToC).
type Reader struct {
	Header
	r    io.Reader
	left int64 // elements not yet read
	buf  []byte
	err  error
}

// chunk is the number of bytes a Reader decodes at a time.
const chunk = 64 << 10

// NewReader reads the header of the .npy stream r.
func NewReader(r io.Reader) (*Reader, error) {
	h, err := ReadHeader(r)
	if err != nil {
		return nil, err
	}
	return &Reader{Header: *h, r: r, left: h.Len}, nil
}

// Left is the number of elements not yet read.
func (r *Reader) Left() int64 { return r.left }

// next reads the raw bytes of up to n elements.
func (r *Reader) next(n int) ([]byte, error) {
	if r.err != nil {
		return nil, r.err
	}
	if r.left == 0 {
		return nil, io.EOF
	}
	size := r.DType.Size()
	n = int(min(int64(n), r.left, int64(chunk/size)))
	if cap(r.buf) < n*size {
		r.buf = make([]byte, min(chunk, int(r.left)*size))
	}
	b := r.buf[:n*size]
	if got, err := io.ReadFull(r.r, b); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			done := r.Len - r.left + int64(got/size)
			r.err = errorf(".npy data ends after %d of the %d elements of shape %v", done, r.Len, r.Shape)
		} else {
			r.err = err
		}
		return nil, r.err
	}
	r.left -= int64(n)
	return b, nil
}

// ReadFloat64 reads the next elements into dst, widened to float64 (exact
// for every dtype except integers beyond 2^53 in magnitude). It returns the
// number read; io.EOF once every element has been read.
func (r *Reader) ReadFloat64(dst []float64) (int, error) {
	b, err := r.next(len(dst))
	if err != nil {
		return 0, err
	}
	n := len(b) / r.DType.Size()
	decodeFloat64(dst[:n], b, r.DType, r.Order)
	return n, nil
}

// ReadFloat32 reads the next elements of a float16 or float32 array into
// dst (exactly); other dtypes are an error.
func (r *Reader) ReadFloat32(dst []float32) (int, error) {
	if r.DType != Float32 && r.DType != Float16 {
		return 0, errorf("a %s array cannot be read as float32", r.DType)
	}
	b, err := r.next(len(dst))
	if err != nil {
		return 0, err
	}
	n := len(b) / r.DType.Size()
	switch {
	case r.DType == Float16:
		for i := range dst[:n] {
			dst[i] = float32(half.Float64(r.Order.Uint16(b[2*i:])))
		}
	case Native(r.Order):
		// The common case: the bytes are the host's float32s already.
		copy(Bytes(dst[:n]), b)
	default:
		for i := range dst[:n] {
			dst[i] = math.Float32frombits(r.Order.Uint32(b[4*i:]))
		}
	}
	return n, nil
}

// ReadInt64 reads the next elements of an integer or bool array into dst;
// a uint64 above 2^63−1 is an error naming its index.
func (r *Reader) ReadInt64(dst []int64) (int, error) {
	if !r.DType.IsInt() && r.DType != Bool {
		return 0, errorf("a %s array cannot be read as integers", r.DType)
	}
	first := r.Len - r.left
	b, err := r.next(len(dst))
	if err != nil {
		return 0, err
	}
	n := len(b) / r.DType.Size()
	for i := range dst[:n] {
		v, ok := intAt(b, i, r.DType, r.Order)
		if !ok {
			r.err = errorf(".npy uint64 element %d is above 2^63-1", first+int64(i))
			return 0, r.err
		}
		dst[i] = v
	}
	return n, nil
}

// End checks that the stream ends right after the data.
func (r *Reader) End() error {
	if r.left > 0 {
		return errorf(".npy data not read to the end (%d elements left)", r.left)
	}
	var one [1]byte
	n, err := io.ReadFull(r.r, one[:])
	switch {
	case n > 0:
		return errorf(".npy stream holds bytes after the %d bytes of data of shape %v of %s", r.DataBytes(), r.Shape, r.DType)
	case err == io.EOF:
		return nil
	}
	return err
}

// hostLittle says the host stores numbers little-endian.
var hostLittle = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

// Native reports whether bo is the host's byte order, in which case an
// array's bytes are the host's values and can be copied as they are.
func Native(bo binary.ByteOrder) bool {
	return hostLittle && bo == binary.LittleEndian || !hostLittle && bo == binary.BigEndian
}

// Bytes is the memory of x as bytes (no copy): where the host's byte order
// is the array's (Native), reading into it fills x with the values.
func Bytes[T float32 | float64](x []T) []byte {
	if len(x) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(x))), len(x)*int(unsafe.Sizeof(x[0])))
}

// decodeFloat64 widens len(dst) elements of b.
func decodeFloat64(dst []float64, b []byte, dt DType, bo binary.ByteOrder) {
	switch dt {
	case Float64:
		if Native(bo) {
			copy(Bytes(dst), b)
			break
		}
		for i := range dst {
			dst[i] = math.Float64frombits(bo.Uint64(b[8*i:]))
		}
	case Float32:
		for i := range dst {
			dst[i] = float64(math.Float32frombits(bo.Uint32(b[4*i:])))
		}
	case Float16:
		for i := range dst {
			dst[i] = half.Float64(bo.Uint16(b[2*i:]))
		}
	default:
		for i := range dst {
			if v, ok := intAt(b, i, dt, bo); ok {
				dst[i] = float64(v)
			} else {
				dst[i] = float64(bo.Uint64(b[8*i:])) // a uint64 beyond 2^63
			}
		}
	}
}

// intAt decodes integer element i of b; ok is false for a uint64 above 2^63−1.
func intAt(b []byte, i int, dt DType, bo binary.ByteOrder) (int64, bool) {
	switch dt {
	case Bool:
		if b[i] != 0 {
			return 1, true
		}
		return 0, true
	case Int8:
		return int64(int8(b[i])), true
	case Uint8:
		return int64(b[i]), true
	case Int16:
		return int64(int16(bo.Uint16(b[2*i:]))), true
	case Uint16:
		return int64(bo.Uint16(b[2*i:])), true
	case Int32:
		return int64(int32(bo.Uint32(b[4*i:]))), true
	case Uint32:
		return int64(bo.Uint32(b[4*i:])), true
	case Int64:
		return int64(bo.Uint64(b[8*i:])), true
	case Uint64:
		u := bo.Uint64(b[8*i:])
		return int64(u), u <= math.MaxInt64
	}
	return 0, false
}

// FortranToC reorders the elements of a column-major array of the given
// shape into row-major order.
func FortranToC[T any](src []T, shape []int) []T {
	if len(shape) < 2 {
		return src
	}
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
