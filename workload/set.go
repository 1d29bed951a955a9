package workload

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unsafe"

	"github.com/neurosim/neurosim/internal/input"
	"github.com/neurosim/neurosim/internal/npyfile"
)

// DefaultMaxFileBytes is the default of MaxFileBytes.
const DefaultMaxFileBytes int64 = 4 << 30

// MaxFileBytes bounds the size of an inputs or labels file (a regular file
// larger than this is refused before it is read, a stream when it has sent
// this many bytes); since inputs stay at their own dtype, it also bounds the
// memory of a Set read from a file. A program may change it at start-up,
// before any file is read (the neurosim command does, from --max-input-bytes).
var MaxFileBytes = DefaultMaxFileBytes

// Set is a batch of N input sequences of T steps of I values, row-major:
// value i of step t of sequence n is element (n*T+t)*I+i. The values are
// held at the dtype they were read with (float32 or float64) and widened to
// float64 per step or per sequence when a caller asks (Step, Sequence), so a
// float32 file costs 4 bytes per value, once.
type Set struct {
	Name    string // file path or a description such as "art(n=128, seed=1)"
	N, T, I int
	// Obs is the shape of one step, [I] for an array [N T I]; an array of
	// observations [N T d1 d2 …] has I = d1·d2·… values per step, in
	// row-major order.
	Obs    []int
	Labels []int // nil when no labels; else len N, all ≥ 0
	// LabelsName is the file path or description the labels came from;
	// "" when there are no labels.
	LabelsName string

	x32 []float32 // the values, when held as float32
	x64 []float64 // the values, when held as float64
}

// NewSet returns a set of n sequences of t steps of i values, holding x (not
// a copy). It panics unless n, t, i ≥ 1 and len(x) = n·t·i: building a set
// by hand is the caller's own business, unlike reading one from a file.
func NewSet(name string, n, t, i int, x []float64) *Set {
	if n < 1 || t < 1 || i < 1 || len(x) != n*t*i {
		panic(fmt.Sprintf("workload.NewSet: %d values for %d×%d×%d", len(x), n, t, i))
	}
	return &Set{Name: name, N: n, T: t, I: i, x64: x}
}

// DType is "float32" or "float64": how the values are held.
func (s *Set) DType() string {
	if s.x32 != nil {
		return "float32"
	}
	return "float64"
}

// Step writes the I values of step t of sequence n, widened to float64, into
// dst[:I]. It panics if n, t are out of range or dst is shorter than I.
func (s *Set) Step(n, t int, dst []float64) {
	if n < 0 || n >= s.N || t < 0 || t >= s.T {
		panic(fmt.Sprintf("workload: step %d of sequence %d out of range [0, %d)×[0, %d)", t, n, s.T, s.N))
	}
	off := (n*s.T + t) * s.I
	dst = dst[:s.I]
	if s.x32 != nil {
		for i, v := range s.x32[off : off+s.I] {
			dst[i] = float64(v)
		}
		return
	}
	copy(dst, s.x64[off:off+s.I])
}

// step is Step, returning how many of the values are nonzero (a stream's
// Input).
func (s *Set) step(n, t int, dst []float64) (nonzero int) {
	s.Step(n, t, dst)
	for _, v := range dst[:s.I] {
		if v != 0 {
			nonzero++
		}
	}
	return nonzero
}

// Sequence returns the T·I values of sequence n, step-major, widened to
// float64 into dst (grown if its capacity is short): one sequence at a time,
// as a worker needs it. It panics if n is out of range.
func (s *Set) Sequence(n int, dst []float64) []float64 {
	if n < 0 || n >= s.N {
		panic(fmt.Sprintf("workload: sequence %d out of range [0, %d)", n, s.N))
	}
	w := s.T * s.I
	if cap(dst) < w {
		dst = make([]float64, w)
	}
	dst = dst[:w]
	for t := range s.T {
		s.Step(n, t, dst[t*s.I:])
	}
	return dst
}

// Head returns the set of the first n sequences of s (and their labels),
// sharing its values. It panics unless 1 ≤ n ≤ N.
func (s *Set) Head(n int) *Set {
	if n < 1 || n > s.N {
		panic(fmt.Sprintf("workload: Head(%d) of %d sequences", n, s.N))
	}
	h := *s
	h.N = n
	w := n * s.T * s.I
	if s.x32 != nil {
		h.x32 = s.x32[:w:w]
	} else {
		h.x64 = s.x64[:w:w]
	}
	if s.Labels != nil {
		h.Labels = s.Labels[:n:n]
	}
	return &h
}

// Error reports a workload file, or a setting, that cannot be used.
type Error struct {
	What string // "inputs", "labels", "art", "events", "time", "poisson" or "bursts"
	Name string // file path or description
	Msg  string // what was expected versus what was found
	Err  error  // underlying error (e.g. *npyfile.FormatError, *fs.PathError), or nil
}

func (e *Error) Error() string {
	if e.Name == "" {
		return e.What + ": " + e.Msg
	}
	return e.What + " " + e.Name + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

func errorf(what, name, format string, args ...any) error {
	return &Error{What: what, Name: name, Msg: fmt.Sprintf(format, args...)}
}

// wrap turns an error of npyfile, zipread or the file system into an *Error;
// flag names the command-line flag that raises a size limit.
func wrap(what, name string, err error, flag string) error {
	msg := oneLine(err.Error())
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		msg = "cannot " + pe.Op + ": " + oneLine(pe.Err.Error())
	}
	if _, ok := errors.AsType[*input.SizeError](err); ok && flag != "" {
		msg += " (" + flag + ")"
	}
	return &Error{What: what, Name: name, Msg: msg, Err: err}
}

// oneLine escapes control characters (npyfile quotes header bytes, which may
// hold newlines) so that every error stays on one line.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, unicode.IsControl) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// LoadInputs reads a float32 or float64 .npy array of shape [N T I], or of
// observations [N T d1 d2 …] (every dimension ≥ 1, all values finite),
// from path: a regular file, or a pipe or device (--inputs /dev/stdin).
// The file is read once, through MaxFileBytes, and its values are kept at
// their own dtype. The returned Set is named path and has no labels.
func LoadInputs(path string) (*Set, error) {
	f, err := input.Open(path, MaxFileBytes)
	if err != nil {
		return nil, wrap("inputs", path, err, "--max-input-bytes")
	}
	defer f.Close()
	return readInputs(path, f, f.Size(), f.ReaderAt())
}

// DecodeInputs is LoadInputs for the bytes of a .npy file; name is used in
// errors and as the Set's Name.
func DecodeInputs(name string, data []byte) (*Set, error) {
	return readInputs(name, bytes.NewReader(data), int64(len(data)), nil)
}

// ReadInputs is LoadInputs for a stream r (an fs.File, a network body):
// read once, through MaxFileBytes; name is used in errors and as the Set's
// Name.
func ReadInputs(name string, r io.Reader) (*Set, error) {
	return readInputs(name, input.LimitReader(r, MaxFileBytes), -1, nil)
}

// readInputs reads an inputs array from r, of size bytes (-1 for a stream);
// ra, when not nil, gives random access to the same bytes (a regular file).
func readInputs(name string, r io.Reader, size int64, ra io.ReaderAt) (*Set, error) {
	nr, err := npyfile.NewReader(r)
	if err != nil {
		return nil, wrap("inputs", name, err, "--max-input-bytes")
	}
	if len(nr.Shape) < 3 || len(nr.Shape) > 6 {
		return nil, errorf("inputs", name, "shape %v has rank %d, want [N T I] (rank 3) or observations [N T …] (rank 3 to 6)", nr.Shape, len(nr.Shape))
	}
	if nr.DType != npyfile.Float32 && nr.DType != npyfile.Float64 {
		return nil, errorf("inputs", name, "dtype %s, want float32 or float64", nr.DType)
	}
	// The header's size is checked first: it bounds the product of the
	// dimensions, which then cannot overflow.
	if err := checkData(name, "inputs", &nr.Header, size); err != nil {
		return nil, err
	}
	n, t, i := nr.Shape[0], nr.Shape[1], 1
	for _, d := range nr.Shape[2:] {
		i *= d
	}
	if n == 0 || t == 0 || i == 0 {
		return nil, errorf("inputs", name, "shape %v has a zero dimension, want every dimension ≥ 1", nr.Shape)
	}
	s := &Set{Name: name, N: n, T: t, I: i, Obs: append([]int(nil), nr.Shape[2:]...)}
	// A chunk of values starting at element k is checked at once; the
	// first non-finite value is named by sequence, step and channel.
	bad := func(k int, v float64) error {
		return errorf("inputs", name, "sequence %d step %d channel %d is %v, want a finite value", k/(t*i), k/i%t, k%i, v)
	}
	check32 := func(k int, vs []float32) error {
		if j := nonFinite(vs); j >= 0 {
			return bad(k+j, float64(vs[j]))
		}
		return nil
	}
	check64 := func(k int, vs []float64) error {
		if j := nonFinite(vs); j >= 0 {
			return bad(k+j, vs[j])
		}
		return nil
	}
	switch direct := ra != nil && size >= 0 && !nr.Fortran && npyfile.Native(nr.Order); {
	case direct && nr.DType == npyfile.Float32:
		s.x32 = make([]float32, nr.Len)
		err = readAt(ra, nr.DataOffset, s.x32, check32)
	case direct:
		s.x64 = make([]float64, nr.Len)
		err = readAt(ra, nr.DataOffset, s.x64, check64)
	case nr.DType == npyfile.Float32:
		s.x32, err = readElems(nr, size >= 0, nr.ReadFloat32, check32)
	default:
		s.x64, err = readElems(nr, size >= 0, nr.ReadFloat64, check64)
	}
	if err != nil {
		return nil, inputErr("inputs", name, err)
	}
	if nr.Fortran {
		s.x32, s.x64 = fortran(s.x32, nr.Shape), fortran(s.x64, nr.Shape)
	}
	return s, nil
}

// nonFinite returns the index of the first NaN or ±Inf of vs, or −1. An
// exponent of all ones (NaN, ±Inf; a float32 keeps it when widened) is the
// one that carries into the sign bit when the exponent's lowest bit is
// added: a block is tested without a branch, four chains at a time, and
// searched only when it holds one (inputs are tens of megabytes, all
// finite).
func nonFinite[T float32 | float64](vs []T) int {
	const exp, one = 0x7ff0000000000000, 0x0010000000000000
	for lo := 0; lo < len(vs); lo += finiteBlock {
		b := vs[lo:min(lo+finiteBlock, len(vs))]
		var a, c, d, e uint64
		i := 0
		for ; i+4 <= len(b); i += 4 {
			w := b[i : i+4 : i+4]
			a |= math.Float64bits(float64(w[0]))&exp + one
			c |= math.Float64bits(float64(w[1]))&exp + one
			d |= math.Float64bits(float64(w[2]))&exp + one
			e |= math.Float64bits(float64(w[3]))&exp + one
		}
		for _, v := range b[i:] {
			a |= math.Float64bits(float64(v))&exp + one
		}
		if (a|c|d|e)&(exp+one) != 0 {
			return lo + firstNonFinite(b)
		}
	}
	return -1
}

// finiteBlock is how many values nonFinite tests at once.
const finiteBlock = 1 << 14

// firstNonFinite returns the index of the first NaN or ±Inf of b (one is
// there).
func firstNonFinite[T float32 | float64](b []T) int {
	for j, v := range b {
		if v-v != 0 {
			return j
		}
	}
	return -1
}

func fortran[T any](x []T, shape []int) []T {
	if x == nil {
		return nil
	}
	return npyfile.FortranToC(x, shape)
}

// checkData compares the data an array's header claims with the bytes of a
// file of known size (size ≥ 0), and with MaxFileBytes.
func checkData(name, what string, h *npyfile.Header, size int64) error {
	need := h.DataBytes()
	if size >= 0 {
		switch have := size - h.DataOffset; {
		case need > have:
			return errorf(what, name, "header claims shape %v of %s, more than the %d bytes of data present", h.Shape, h.DType, have)
		case need < have:
			return errorf(what, name, "holds %d bytes of data, shape %v of %s needs %d", have, h.Shape, h.DType, need)
		}
	}
	if need > MaxFileBytes {
		return errorf(what, name, "header claims shape %v of %s (%d bytes), more than the %d bytes allowed (--max-input-bytes)",
			h.Shape, h.DType, need, MaxFileBytes)
	}
	return nil
}

// inputErr turns a read error into an *Error, unless it already is one.
func inputErr(what, name string, err error) error {
	if _, ok := err.(*Error); ok {
		return err
	}
	return wrap(what, name, err, "--max-input-bytes")
}

// readAt fills dst with the host-order values stored from offset off of ra
// (a regular file checked to hold exactly them), in parts that are read and
// checked concurrently, straight into dst: reading is the one serial phase
// of a run, and a 68 MB input is read in about half the time on two cores.
// check reports a part's first bad value; the error of the earliest part
// wins, so it names the first bad value of the file.
func readAt[T float32 | float64](ra io.ReaderAt, off int64, dst []T, check func(int, []T) error) error {
	size := int(unsafe.Sizeof(dst[0]))
	parts := max(1, min(runtime.GOMAXPROCS(0), len(dst)*size/(4<<20)))
	errs := make([]error, parts)
	var wg sync.WaitGroup
	for p := range parts {
		lo, hi := p*len(dst)/parts, (p+1)*len(dst)/parts
		wg.Go(func() {
			if _, err := ra.ReadAt(npyfile.Bytes(dst[lo:hi]), off+int64(lo*size)); err != nil {
				if err == io.EOF { // the file shrank since it was measured
					err = io.ErrUnexpectedEOF
				}
				errs[p] = err
				return
			}
			errs[p] = check(lo, dst[lo:hi])
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// readElems reads every element of nr through read, calling check on each
// chunk read (with the index of its first element). When present is true the file was checked to hold them all and the slice
// is allocated at once; from a stream it grows as elements arrive (doubling,
// the last step to the exact length).
func readElems[T any](nr *npyfile.Reader, present bool, read func([]T) (int, error), check func(int, []T) error) ([]T, error) {
	total := int(nr.Len)
	c := total
	if !present {
		c = min(total, 1<<16)
	}
	out := make([]T, 0, c)
	for len(out) < total {
		if len(out) == cap(out) {
			c := 2 * cap(out)
			if 2*c > total {
				c = total
			}
			grown := make([]T, len(out), c)
			copy(grown, out)
			out = grown
		}
		n, err := read(out[len(out):cap(out)])
		if err := check(len(out), out[len(out):len(out)+n]); err != nil {
			return nil, err
		}
		out = out[:len(out)+n]
		if err != nil && err != io.EOF {
			return nil, err
		}
		if err == io.EOF && len(out) < total {
			return nil, io.ErrUnexpectedEOF
		}
	}
	if err := nr.End(); err != nil {
		return nil, err
	}
	return out, nil
}

// LoadLabels reads an integer .npy array of shape [N], one non-negative class
// index per sequence of s (a regular file or a stream, through MaxFileBytes),
// and sets s.Labels and s.LabelsName. On error s is unchanged.
func (s *Set) LoadLabels(path string) error {
	labels, err := loadLabels(path, s.N, s.Name)
	if err != nil {
		return err
	}
	s.Labels, s.LabelsName = labels, path
	return nil
}

// DecodeLabels is LoadLabels for the bytes of a .npy file; name is used in
// errors and as s.LabelsName.
func (s *Set) DecodeLabels(name string, data []byte) error {
	labels, err := readLabels(name, bytes.NewReader(data), int64(len(data)), s.N, s.Name)
	if err != nil {
		return err
	}
	s.Labels, s.LabelsName = labels, name
	return nil
}

// ReadLabels is LoadLabels for a stream r, read through MaxFileBytes; name
// is used in errors and as s.LabelsName.
func (s *Set) ReadLabels(name string, r io.Reader) error {
	labels, err := readLabels(name, input.LimitReader(r, MaxFileBytes), -1, s.N, s.Name)
	if err != nil {
		return err
	}
	s.Labels, s.LabelsName = labels, name
	return nil
}

func loadLabels(path string, n int, of string) ([]int, error) {
	f, err := input.Open(path, MaxFileBytes)
	if err != nil {
		return nil, wrap("labels", path, err, "--max-input-bytes")
	}
	defer f.Close()
	return readLabels(path, f, f.Size(), n, of)
}

// readLabels reads n labels from r (size bytes, -1 for a stream) for the
// inputs called of. The count is checked against n before any label is read.
func readLabels(name string, r io.Reader, size int64, n int, of string) ([]int, error) {
	nr, err := npyfile.NewReader(r)
	if err != nil {
		return nil, wrap("labels", name, err, "--max-input-bytes")
	}
	if len(nr.Shape) != 1 {
		return nil, errorf("labels", name, "shape %v has rank %d, want [N] (rank 1)", nr.Shape, len(nr.Shape))
	}
	if !nr.DType.IsInt() {
		return nil, errorf("labels", name, "dtype %s, want an integer dtype (int8..int64, uint8..uint64)", nr.DType)
	}
	if err := checkData(name, "labels", &nr.Header, size); err != nil {
		return nil, err
	}
	if nr.Len != int64(n) {
		return nil, errorf("labels", name, "%d labels, want %d (one per sequence of inputs %s)", nr.Len, n, of)
	}
	labels := make([]int, 0, n)
	buf := make([]int64, min(n, 8192))
	for len(labels) < n {
		k, err := nr.ReadInt64(buf)
		for j, v := range buf[:k] {
			switch {
			case v < 0:
				return nil, errorf("labels", name, "label %d is %d, want ≥ 0", len(labels)+j, v)
			case v > math.MaxInt32:
				return nil, errorf("labels", name, "label %d is %d, want < 2^31", len(labels)+j, v)
			}
		}
		for _, v := range buf[:k] {
			labels = append(labels, int(v))
		}
		if err != nil && err != io.EOF {
			return nil, inputErr("labels", name, err)
		}
		if err == io.EOF {
			break
		}
	}
	if err := nr.End(); err != nil {
		return nil, inputErr("labels", name, err)
	}
	return labels, nil
}

// CheckWidth reports an error unless every step holds inputSize values.
func (s *Set) CheckWidth(inputSize int) error {
	if s.I != inputSize {
		return errorf("inputs", s.Name, "%d values per step, the model takes %d", s.I, inputSize)
	}
	return nil
}

// CheckLabels reports an error unless s has labels and every label lies in
// [0, classes).
func (s *Set) CheckLabels(classes int) error {
	if classes < 1 {
		return errorf("labels", s.LabelsName, "the model has %d classes, want ≥ 1", classes)
	}
	if s.Labels == nil {
		return errorf("inputs", s.Name, "no labels, want one per sequence")
	}
	for n, l := range s.Labels {
		if l < 0 || l >= classes {
			return errorf("labels", s.LabelsName, "label %d is %d, the model has %d classes (want 0..%d)",
				n, l, classes, classes-1)
		}
	}
	return nil
}
