package checkpoint

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// DType is the element type a tensor had in its file.
type DType uint8

const (
	Invalid DType = iota
	Float16
	BFloat16
	Float32
	Float64
	Int8
	Int16
	Int32
	Int64
	Uint8
	Bool
)

var dtypeNames = [...]string{
	Invalid:  "invalid",
	Float16:  "float16",
	BFloat16: "bfloat16",
	Float32:  "float32",
	Float64:  "float64",
	Int8:     "int8",
	Int16:    "int16",
	Int32:    "int32",
	Int64:    "int64",
	Uint8:    "uint8",
	Bool:     "bool",
}

func (d DType) String() string {
	if int(d) < len(dtypeNames) {
		return dtypeNames[d]
	}
	return fmt.Sprintf("DType(%d)", uint8(d))
}

// IsFloat reports whether d is a floating-point type (the only kind a weight may have).
func (d DType) IsFloat() bool {
	switch d {
	case Float16, BFloat16, Float32, Float64:
		return true
	}
	return false
}

// Size is the number of bytes one element of type d occupies in a file.
func (d DType) Size() int {
	switch d {
	case Int8, Uint8, Bool:
		return 1
	case Float16, BFloat16, Int16:
		return 2
	case Float32, Int32:
		return 4
	case Float64, Int64:
		return 8
	}
	return 0
}

// Tensor is one named array of a state_dict: a view of the bytes of its
// storage, at the dtype and byte order the file gave them, with the offset
// and strides the file gave. Nothing is copied or widened when a checkpoint
// is read; several tensors viewing one storage (views, broadcasts) share its
// bytes. Float64s widens a copy, in row-major (C) order, when a caller needs
// one; Stats summarises without widening.
//
// The widening is exact for all floating-point dtypes and for integers up to
// 2^53 in magnitude, so a float32 checkpoint evaluated in float64 sees exactly
// the numbers PyTorch's `model.double()` would see.
type Tensor struct {
	Name  string
	DType DType
	Shape []int // empty for a 0-d (scalar) tensor

	raw    []byte           // the storage (or, for npz and safetensors, the tensor's own bytes)
	order  binary.ByteOrder // of raw
	offset int64            // element of raw at index (0, …, 0)
	stride []int64          // per dimension, in elements; checked to stay within raw
}

// NewTensor returns a float64 tensor of the given shape holding a copy of
// data in C order, for callers that build a state_dict in memory (tests,
// converters). It panics if len(data) is not the product of shape.
func NewTensor(name string, shape []int, data []float64) *Tensor {
	t := &Tensor{Name: name, DType: Float64, Shape: slices.Clone(shape), order: binary.LittleEndian, stride: cStrides(shape)}
	if t.Len() != len(data) {
		panic(fmt.Sprintf("checkpoint.NewTensor: shape %v needs %d elements, got %d", shape, t.Len(), len(data)))
	}
	t.raw = make([]byte, 8*len(data))
	for i, v := range data {
		binary.LittleEndian.PutUint64(t.raw[8*i:], math.Float64bits(v))
	}
	return t
}

// Len is the number of elements (1 for a 0-d tensor).
func (t *Tensor) Len() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Float64s returns the elements in C order, widened to float64, in a new
// slice of Len elements.
func (t *Tensor) Float64s() []float64 {
	n := t.Len()
	if n == 0 {
		return []float64{} // (an empty view's storage may be absent)
	}
	if !t.contiguous() {
		out := make([]float64, 0, n)
		t.each(func(v float64) { out = append(out, v) })
		return out
	}
	// The elements lie in order, one after another: converted in one loop
	// (a checkpoint's tensors are, and hold hundreds of thousands).
	out := make([]float64, n)
	size := t.DType.Size()
	b := t.raw[t.offset*int64(size):][:n*size]
	switch {
	case t.DType == Float32 && t.order == binary.LittleEndian:
		for i := range out {
			out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:])))
		}
	case t.DType == Float64 && t.order == binary.LittleEndian:
		for i := range out {
			out[i] = math.Float64frombits(binary.LittleEndian.Uint64(b[8*i:]))
		}
	default:
		conv := converter(t.DType, t.order)
		for i := range out {
			out[i] = conv(b[i*size:])
		}
	}
	return out
}

// contiguous reports whether t's elements lie in C order one after another
// (a dimension of size 1 may have any stride).
func (t *Tensor) contiguous() bool {
	want := int64(1)
	for d := len(t.Shape) - 1; d >= 0; d-- {
		if t.Shape[d] != 1 && t.stride[d] != want {
			return false
		}
		want *= int64(t.Shape[d])
	}
	return true
}

// each calls fn on every element in C order.
func (t *Tensor) each(fn func(float64)) {
	if t.Len() == 0 {
		return
	}
	conv := converter(t.DType, t.order)
	size := int64(t.DType.Size())
	idx := make([]int, len(t.Shape))
	off := t.offset
	for {
		fn(conv(t.raw[off*size:]))
		dim := len(idx) - 1
		for ; dim >= 0; dim-- {
			idx[dim]++
			off += t.stride[dim]
			if idx[dim] < t.Shape[dim] {
				break
			}
			off -= int64(idx[dim]) * t.stride[dim]
			idx[dim] = 0
		}
		if dim < 0 {
			return
		}
	}
}

// Stats summarises a tensor for `neurosim inspect`.
type Stats struct {
	Min, Max, Mean float64 // over the finite elements; NaN when there are none
	NonFinite      int     // number of NaN or ±Inf elements
	// OutsideUnit is the number of elements below 0 or above 1 (±Inf
	// included, NaN not): for a tensor of decay factors λ, the synapses that
	// cannot be passive decays.
	OutsideUnit int
}

// Stats returns the tensor's statistics without widening or copying it. A
// dimension of stride 0 (a broadcast) repeats the same elements, so it is
// counted, not walked: a 16384×16384 broadcast of one element costs one
// element's work. The mean is the sum over the distinct positions walked, in
// C order, divided by their number (the repetition cancels).
func (t *Tensor) Stats() Stats {
	shape, stride, rep := reduce(t.Shape, t.stride)
	if rep == 0 {
		return acc{}.stats(0)
	}
	r := &Tensor{DType: t.DType, Shape: shape, raw: t.raw, order: t.order, offset: t.offset, stride: stride}
	var a acc
	r.each(a.add)
	return a.stats(rep)
}

// reduce drops the dimensions of size 1 and of stride 0 from a view and
// returns how many times each remaining position is repeated (0 for an
// empty view).
func reduce(shape []int, stride []int64) ([]int, []int64, int64) {
	rep := int64(1)
	var s []int
	var st []int64
	for i, d := range shape {
		switch {
		case d == 0:
			return nil, nil, 0
		case stride[i] == 0:
			rep *= int64(d)
		case d != 1:
			s, st = append(s, d), append(st, stride[i])
		}
	}
	return s, st, rep
}

// acc accumulates statistics over elements.
type acc struct {
	min, max, sum         float64
	n, nonFinite, outside int64
}

func (a *acc) add(v float64) {
	if v < 0 || v > 1 {
		a.outside++
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		a.nonFinite++
		return
	}
	if a.n == 0 {
		a.min, a.max = v, v
	} else {
		a.min, a.max = min(a.min, v), max(a.max, v)
	}
	a.sum += v
	a.n++
}

// stats is the summary of the elements added, each standing for rep elements.
func (a acc) stats(rep int64) Stats {
	s := Stats{NonFinite: int(a.nonFinite * rep), OutsideUnit: int(a.outside * rep)}
	if a.n == 0 {
		s.Min, s.Max, s.Mean = math.NaN(), math.NaN(), math.NaN()
		return s
	}
	s.Min, s.Max, s.Mean = a.min, a.max, a.sum/float64(a.n)
	return s
}

// Format is the container a state_dict was read from.
type Format uint8

const (
	TorchZip    Format = iota + 1 // torch.save, torch >= 1.6 (zip container)
	TorchLegacy                   // torch.save with _use_new_zipfile_serialization=False, or torch < 1.6
	SafeTensors                   // Hugging Face safetensors
	NPZ                           // NumPy .npz archive, one .npy member per tensor
)

func (f Format) String() string {
	switch f {
	case TorchZip:
		return "torch-zip"
	case TorchLegacy:
		return "torch-legacy"
	case SafeTensors:
		return "safetensors"
	case NPZ:
		return "npz"
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// StateDict is the set of tensors read from one checkpoint file, in file order.
type StateDict struct {
	File    string // the path (or name) it was read from, for error messages
	Format  Format
	Key     string // the wrapper key the state_dict was found under ("" when the file is a bare state_dict)
	Tensors []*Tensor
}

// Get returns the tensor called name.
func (s *StateDict) Get(name string) (*Tensor, bool) {
	for _, t := range s.Tensors {
		if t.Name == name {
			return t, true
		}
	}
	return nil, false
}

// Names lists the tensor names in file order.
func (s *StateDict) Names() []string {
	names := make([]string, len(s.Tensors))
	for i, t := range s.Tensors {
		names[i] = t.Name
	}
	return names
}

// Summary describes one tensor without holding its elements.
type Summary struct {
	Name  string
	DType DType
	Shape []int // empty for a 0-d tensor
	Stats Stats
}

// Len is the number of elements (1 for a 0-d tensor).
func (s *Summary) Len() int {
	n := 1
	for _, d := range s.Shape {
		n *= d
	}
	return n
}

// Inventory is what Inspect finds in a checkpoint: its tensors' summaries, in
// file order.
type Inventory struct {
	File    string
	Format  Format
	Key     string // the wrapper key of the state_dict, "" when bare
	Tensors []Summary
}
