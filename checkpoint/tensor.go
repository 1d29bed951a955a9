package checkpoint

import (
	"fmt"
	"math"
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

// Tensor is one named array of a state_dict, decoded and laid out contiguously in
// row-major (C) order whatever its strides were in the file.
//
// Data holds every element widened to float64. The widening is exact for all
// floating-point dtypes and for integers up to 2^53 in magnitude, so a float32
// checkpoint evaluated in float64 sees exactly the numbers PyTorch's
// `model.double()` would see.
type Tensor struct {
	Name  string
	DType DType
	Shape []int // empty for a 0-d (scalar) tensor
	Data  []float64
}

// Len is the number of elements (1 for a 0-d tensor).
func (t *Tensor) Len() int {
	n := 1
	for _, d := range t.Shape {
		n *= d
	}
	return n
}

// Stats summarises a tensor for `neurosim inspect`.
type Stats struct {
	Min, Max, Mean float64
	NonFinite      int // number of NaN or ±Inf elements (excluded from Min/Max/Mean)
}

// Stats returns min, max and mean over the finite elements, summed in index order.
func (t *Tensor) Stats() Stats {
	s := Stats{Min: math.Inf(1), Max: math.Inf(-1)}
	var sum float64
	n := 0
	for _, v := range t.Data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			s.NonFinite++
			continue
		}
		s.Min = math.Min(s.Min, v)
		s.Max = math.Max(s.Max, v)
		sum += v
		n++
	}
	if n == 0 {
		return Stats{Min: math.NaN(), Max: math.NaN(), Mean: math.NaN(), NonFinite: s.NonFinite}
	}
	s.Mean = sum / float64(n)
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
