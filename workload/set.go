package workload

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"strconv"
	"strings"
	"unicode"

	"github.com/neurosim/neurosim/internal/npyfile"
)

// MaxFileBytes bounds the size of an inputs or labels file; larger files are
// refused before they are read.
const MaxFileBytes int64 = 4 << 30

// Set is a batch of N input sequences of T steps of I values, row-major
// X[n][t][i] = X[(n*T+t)*I+i].
type Set struct {
	Name    string // file path or a description such as "art(n=128, seed=1)"
	N, T, I int
	// Obs is the shape of one step, [I] for an array [N T I]; an array of
	// observations [N T d1 d2 …] has I = d1·d2·… values per step, in
	// row-major order.
	Obs    []int
	X      []float64 // len N*T*I, all finite
	Labels []int     // nil when no labels; else len N, all ≥ 0
	// LabelsName is the file path or description the labels came from;
	// "" when there are no labels.
	LabelsName string
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

// wrap turns an error of npyfile or the file system into an *Error.
func wrap(what, name string, err error) error {
	msg := oneLine(err.Error())
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		msg = "cannot " + pe.Op + ": " + oneLine(pe.Err.Error())
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

// Seq returns the T*I values of sequence n, step-major, as a subslice of X
// (no copy; its capacity ends with the sequence). It panics if n is out of
// range.
func (s *Set) Seq(n int) []float64 {
	if n < 0 || n >= s.N {
		panic(fmt.Sprintf("workload: sequence %d out of range [0, %d)", n, s.N))
	}
	w := s.T * s.I
	return s.X[n*w : (n+1)*w : (n+1)*w]
}

// LoadInputs reads a float32 or float64 .npy array of shape [N T I], or of
// observations [N T d1 d2 …] (every dimension ≥ 1, all values finite). The returned Set is named path and has no
// labels.
func LoadInputs(path string) (*Set, error) {
	a, err := npyfile.ReadFile(path, MaxFileBytes)
	if err != nil {
		return nil, wrap("inputs", path, err)
	}
	return inputs(path, a)
}

// DecodeInputs is LoadInputs for the bytes of a .npy file; name is used in
// errors and as the Set's Name.
func DecodeInputs(name string, data []byte) (*Set, error) {
	a, err := npyfile.Decode(data)
	if err != nil {
		return nil, wrap("inputs", name, err)
	}
	return inputs(name, a)
}

func inputs(name string, a *npyfile.Array) (*Set, error) {
	if len(a.Shape) < 3 || len(a.Shape) > 6 {
		return nil, errorf("inputs", name, "shape %v has rank %d, want [N T I] (rank 3) or observations [N T …] (rank 3 to 6)", a.Shape, len(a.Shape))
	}
	if a.DType != "float32" && a.DType != "float64" {
		return nil, errorf("inputs", name, "dtype %s, want float32 or float64", a.DType)
	}
	n, t, i := a.Shape[0], a.Shape[1], 1
	for _, d := range a.Shape[2:] {
		i *= d
	}
	if n == 0 || t == 0 || i == 0 {
		return nil, errorf("inputs", name, "shape %v has a zero dimension, want N, T, I ≥ 1", a.Shape)
	}
	for k, v := range a.Float {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, errorf("inputs", name, "sequence %d step %d channel %d is %v, want a finite value",
				k/(t*i), k/i%t, k%i, v)
		}
	}
	return &Set{Name: name, N: n, T: t, I: i, Obs: append([]int(nil), a.Shape[2:]...), X: a.Float}, nil
}

// LoadLabels reads an integer .npy array of shape [N], one non-negative class
// index per sequence of s, and sets s.Labels and s.LabelsName. On error s is
// unchanged.
func (s *Set) LoadLabels(path string) error {
	a, err := npyfile.ReadFile(path, MaxFileBytes)
	if err != nil {
		return wrap("labels", path, err)
	}
	return s.labels(path, a)
}

// DecodeLabels is LoadLabels for the bytes of a .npy file; name is used in
// errors and as s.LabelsName.
func (s *Set) DecodeLabels(name string, data []byte) error {
	a, err := npyfile.Decode(data)
	if err != nil {
		return wrap("labels", name, err)
	}
	return s.labels(name, a)
}

func (s *Set) labels(name string, a *npyfile.Array) error {
	if len(a.Shape) != 1 {
		return errorf("labels", name, "shape %v has rank %d, want [N] (rank 1)", a.Shape, len(a.Shape))
	}
	if a.Int == nil || a.DType == "bool" {
		return errorf("labels", name, "dtype %s, want an integer dtype (int8..int64, uint8..uint64)", a.DType)
	}
	if len(a.Int) != s.N {
		return errorf("labels", name, "%d labels, want %d (one per sequence of inputs %s)", len(a.Int), s.N, s.Name)
	}
	labels := make([]int, len(a.Int))
	for n, v := range a.Int {
		if v < 0 {
			return errorf("labels", name, "label %d is %d, want ≥ 0", n, v)
		}
		if v > math.MaxInt32 {
			return errorf("labels", name, "label %d is %d, want < 2^31", n, v)
		}
		labels[n] = int(v)
	}
	s.Labels, s.LabelsName = labels, name
	return nil
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
