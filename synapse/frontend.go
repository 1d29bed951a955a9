package synapse

import (
	"fmt"
	"slices"

	"github.com/neurosim/neurosim/arch"
)

// stage is one stateless front-end layer with its parameters, and the shapes
// it maps (one step, no batch dimension).
type stage struct {
	kind    arch.LayerKind
	name    string
	in, out []int
	// w holds a linear layer's weight [out × in], or a convolution's kernels
	// unrolled to [out_channels × in_channels·kh·kw]: one crossbar read per
	// output position, driven by the patch under the kernel.
	w                      dense
	bias                   []float64 // nil without bias
	kh, kw, sh, sw, ph, pw int
	act                    arch.Activation
	perm                   []int // permute: output element i is input element perm[i]
}

// Layer describes a front-end layer or a head of a built network.
type Layer struct {
	Name    string
	Kind    string // "linear", "conv2d", "relu", "tanh", "sigmoid", "flatten", "permute", "head"
	In, Out []int  // shapes of one step
}

func size(shape []int) int {
	n := 1
	for _, d := range shape {
		n *= d
	}
	return n
}

// newStage builds layer l for inputs of shape in, reading its tensors from p
// (sizes the description leaves at 0 come from the tensors).
func newStage(l arch.Layer, in []int, p *params, file, key string) (stage, error) {
	s := stage{kind: l.Kind, name: l.Name, in: in, act: l.Activation}
	shapeErr := func(format string, args ...any) error {
		return &arch.Error{File: file, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	var err error
	switch l.Kind {
	case arch.Linear:
		if len(in) != 1 {
			return s, shapeErr("linear layer %s takes a vector, its input has shape %v (flatten it first)", l.Name, in)
		}
		out := l.Out
		if out == 0 {
			if sh := p.shape(l.Name + ".weight"); len(sh) == 2 {
				out = sh[0]
			}
			if out <= 0 || out > arch.MaxElements {
				out = 1 // the tensor is missing or malformed: get reports it
			}
		}
		w, err := p.get(l.Name+".weight", out, in[0])
		if err != nil {
			return s, err
		}
		s.w = dense{rows: out, cols: in[0], w: w}
		s.out = []int{out}
	case arch.Conv2d:
		if len(in) != 3 {
			return s, shapeErr("conv2d layer %s takes [channels, height, width], its input has shape %v", l.Name, in)
		}
		c, h, wd := in[0], in[1], in[2]
		s.kh, s.kw, s.sh, s.sw, s.ph, s.pw = l.Kernel[0], l.Kernel[1], l.Stride[0], l.Stride[1], l.Padding[0], l.Padding[1]
		ho := (h+2*s.ph-s.kh)/s.sh + 1
		wo := (wd+2*s.pw-s.kw)/s.sw + 1
		if h+2*s.ph < s.kh || wd+2*s.pw < s.kw {
			return s, shapeErr("conv2d layer %s: kernel %d×%d does not fit its input %v (padding %d×%d)", l.Name, s.kh, s.kw, in, s.ph, s.pw)
		}
		out := l.Out
		if out == 0 {
			if sh := p.shape(l.Name + ".weight"); len(sh) == 4 {
				out = sh[0]
			}
			if out <= 0 || out > arch.MaxElements {
				out = 1
			}
		}
		k := c * s.kh * s.kw
		if k > arch.MaxElements || out*ho*wo > arch.MaxElements {
			return s, shapeErr("conv2d layer %s: more than %d values", l.Name, arch.MaxElements)
		}
		w, err := p.get(l.Name+".weight", out, c, s.kh, s.kw)
		if err != nil {
			return s, err
		}
		s.w = dense{rows: out, cols: k, w: w}
		s.out = []int{out, ho, wo}
	case arch.Act:
		s.out = in
	case arch.Flatten:
		s.out = []int{size(in)}
	case arch.Permute:
		if len(l.Dims) != len(in) {
			return s, shapeErr("permute %v does not match its input of shape %v", l.Dims, in)
		}
		s.out = make([]int, len(in))
		for i, d := range l.Dims {
			s.out[i] = in[d]
		}
		s.perm = permutation(in, l.Dims)
	}
	if l.Kind == arch.Linear || l.Kind == arch.Conv2d {
		if l.Bias {
			if s.bias, err = p.get(l.Name+".bias", s.out[0]); err != nil {
				return s, err
			}
		}
	}
	return s, nil
}

// permutation returns, for each element of the permuted tensor in
// row-major order, the index of the input element it takes.
func permutation(in, dims []int) []int {
	stride := make([]int, len(in))
	st := 1
	for i := len(in) - 1; i >= 0; i-- {
		stride[i] = st
		st *= in[i]
	}
	out := make([]int, len(dims))
	for i, d := range dims {
		out[i] = in[d]
	}
	perm := make([]int, 0, size(in))
	idx := make([]int, len(out))
	for range size(in) {
		src := 0
		for i, j := range idx {
			src += j * stride[dims[i]]
		}
		perm = append(perm, src)
		for i := len(idx) - 1; i >= 0; i-- {
			idx[i]++
			if idx[i] < out[i] {
				break
			}
			idx[i] = 0
		}
	}
	return perm
}

// weighted reports whether the stage holds a synaptic array.
func (s *stage) weighted() bool { return s.kind == arch.Linear || s.kind == arch.Conv2d }

// info describes the stage.
func (s *stage) info() Layer {
	kind := s.kind.String()
	if s.kind == arch.Act {
		kind = s.act.String()
	}
	return Layer{Name: s.name, Kind: kind, In: slices.Clone(s.in), Out: slices.Clone(s.out)}
}

// forward computes the stage's output of in into out (len size(s.out)),
// reading its array through pr as array a; patch, acc and scratch are
// scratch space (the kernel size, the output channels, and a device row).
// It returns out, or in itself for a flatten.
func (s *stage) forward(in, out []float64, pr *probe, a int, patch, acc, scratch []float64, metered bool) []float64 {
	switch s.kind {
	case arch.Linear:
		biased(out, s.bias)
		s.w.read(a, in, out, scratch, pr)
	case arch.Conv2d:
		s.conv(in, out, pr, a, patch[:s.w.cols], acc[:s.w.rows], scratch)
	case arch.Act:
		for i, v := range in {
			out[i] = s.act.Apply(v)
		}
		if metered {
			pr.neurons(len(in))
		}
	case arch.Flatten:
		return in
	case arch.Permute:
		for i, j := range s.perm {
			out[i] = in[j]
		}
	}
	return out
}

// conv is torch.nn.Conv2d (zero padding, no dilation, one group) on one
// [C, H, W] input: each output position reads the unrolled kernels against
// the patch under them, as one crossbar read.
func (s *stage) conv(in, out []float64, pr *probe, a int, patch, acc, scratch []float64) {
	c, h, w := s.in[0], s.in[1], s.in[2]
	ho, wo := s.out[1], s.out[2]
	for oy := range ho {
		for ox := range wo {
			i := 0
			for ch := range c {
				plane := in[ch*h*w : (ch+1)*h*w]
				for ky := range s.kh {
					y := oy*s.sh - s.ph + ky
					for kx := range s.kw {
						x := ox*s.sw - s.pw + kx
						v := 0.0
						if y >= 0 && y < h && x >= 0 && x < w {
							v = plane[y*w+x]
						}
						patch[i] = v
						i++
					}
				}
			}
			biased(acc, s.bias)
			s.w.read(a, patch, acc, scratch, pr)
			p := oy*wo + ox
			for co, v := range acc {
				out[co*ho*wo+p] = v
			}
		}
	}
}
