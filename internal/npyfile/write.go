package npyfile

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// header returns the preamble and header NumPy writes for a C-order array
// of descr and shape: version 1.0 (2.0 if the header is longer than 65535
// bytes), padded with spaces so that the data starts at a multiple of 64.
func header(descr string, shape []int) []byte {
	var sh strings.Builder
	sh.WriteByte('(')
	for i, d := range shape {
		if i > 0 {
			sh.WriteString(", ")
		}
		sh.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		sh.WriteByte(',')
	}
	sh.WriteByte(')')
	dict := "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + sh.String() + ", }"
	for _, pre := range []int{10, 12} {
		pad := (64 - (pre+len(dict)+1)%64) % 64
		text := dict + strings.Repeat(" ", pad) + "\n"
		if pre == 10 && len(text) > math.MaxUint16 {
			continue
		}
		b := []byte(Magic)
		if pre == 10 {
			b = append(b, 1, 0)
			b = binary.LittleEndian.AppendUint16(b, uint16(len(text)))
		} else {
			b = append(b, 2, 0)
			b = binary.LittleEndian.AppendUint32(b, uint32(len(text)))
		}
		return append(b, text...)
	}
	panic("unreachable")
}

// EncodeFloat64 writes data as a little-endian float64 C-order .npy array of
// the given shape (any rank, including 0-d and empty arrays).
func EncodeFloat64(w io.Writer, shape []int, data []float64) error {
	n := 1
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("npyfile: shape %v has a negative dimension", shape)
		}
		n *= d
	}
	if n != len(data) {
		return fmt.Errorf("npyfile: shape %v needs %d elements, got %d", shape, n, len(data))
	}
	bw := bufio.NewWriter(w)
	bw.Write(header("<f8", shape))
	var b [8]byte
	for _, v := range data {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		bw.Write(b[:])
	}
	return bw.Flush()
}
