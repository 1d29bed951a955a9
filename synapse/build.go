package synapse

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
)

// BuildError reports a checkpoint that does not fit its architecture config.
type BuildError struct {
	File   string // the checkpoint
	Tensor string // the tensor concerned, "" when not about one tensor
	Msg    string
}

func (e *BuildError) Error() string {
	if e.Tensor == "" {
		return fmt.Sprintf("checkpoint %s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("checkpoint %s: tensor %s %s", e.File, checkpoint.Quote(e.Tensor), e.Msg)
}

// params hands out the tensors a unit needs and remembers which were used, so
// that tensors the config does not explain can be refused (as PyTorch's strict
// load_state_dict does). Names are relative to prefix.
type params struct {
	sd     *checkpoint.StateDict
	used   map[string]bool
	prefix string
}

func newParams(sd *checkpoint.StateDict) *params {
	return &params{sd: sd, used: map[string]bool{}}
}

// at returns the params of the tensors under prefix (names relative to it),
// sharing what has been used.
func (p *params) at(prefix string) *params {
	return &params{sd: p.sd, used: p.used, prefix: p.prefix + prefix}
}

// errf reports a problem with tensor (a name relative to the prefix).
func (p *params) errf(tensor, format string, args ...any) error {
	return &BuildError{File: p.sd.File, Tensor: p.prefix + tensor, Msg: fmt.Sprintf(format, args...)}
}

// shape returns the shape of tensor name, or nil when it is absent.
func (p *params) shape(name string) []int {
	if t, ok := p.sd.Get(p.prefix + name); ok {
		return t.Shape
	}
	return nil
}

func shapeString(s []int) string {
	if len(s) == 0 {
		return "[] (0-d)"
	}
	return fmt.Sprint(s)
}

// get returns the data of tensor name after checking it exists, is a float
// tensor of the given shape and holds only finite values.
func (p *params) get(name string, shape ...int) ([]float64, error) {
	t, ok := p.sd.Get(p.prefix + name)
	if !ok {
		return nil, p.errf(name, "is missing (the config needs shape %s; the file has: %s)",
			shapeString(shape), names(p.sd))
	}
	p.used[t.Name] = true
	if !t.DType.IsFloat() {
		return nil, p.errf(name, "has integer dtype %s; weights must be floating point", t.DType)
	}
	if !slices.Equal(t.Shape, shape) {
		return nil, p.errf(name, "has shape %s, config needs %s", shapeString(t.Shape), shapeString(shape))
	}
	data := t.Float64s()
	if err := p.finite(t, data); err != nil {
		return nil, err
	}
	return data, nil
}

// finite checks that data, the values of t, are finite.
func (p *params) finite(t *checkpoint.Tensor, data []float64) error {
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return &BuildError{File: p.sd.File, Tensor: t.Name, Msg: fmt.Sprintf("holds %v at flat index %d; weights must be finite", v, i)}
		}
	}
	return nil
}

// names lists the tensors of sd for a message: at most 40 of them, each
// shown as checkpoint.Printable shows it (a name may be megabytes long).
func names(sd *checkpoint.StateDict) string {
	all := sd.Names()
	n := min(len(all), 40)
	shown := make([]string, n)
	for i, name := range all[:n] {
		shown[i] = checkpoint.Printable(name)
	}
	if len(all) > n {
		return strings.Join(shown, ", ") + fmt.Sprintf(", … (%d in all)", len(all))
	}
	return strings.Join(shown, ", ")
}

// getAny returns a float tensor of any shape, with the same checks as get.
func (p *params) getAny(name string) (*checkpoint.Tensor, error) {
	t, ok := p.sd.Get(p.prefix + name)
	if !ok {
		return nil, p.errf(name, "is missing (the file has: %s)", names(p.sd))
	}
	p.used[t.Name] = true
	if !t.DType.IsFloat() {
		return nil, p.errf(name, "has integer dtype %s; weights must be floating point", t.DType)
	}
	return t, p.finite(t, t.Float64s())
}

// unused refuses tensors the architecture has no place for.
func (p *params) unused(n *arch.Network) error {
	for _, t := range p.sd.Tensors {
		if !p.used[t.Name] {
			return &BuildError{File: p.sd.File, Tensor: t.Name, Msg: fmt.Sprintf(
				"is not used by a %s network with this config (%s); check the config matches the checkpoint",
				n.Core.Unit, n.File)}
		}
	}
	return nil
}

// plasticParam returns λ or γ expanded to a full rows×cols matrix. A learned
// parameter has the shape learn_plastic_weight_params_dims gives (scalar [1]
// when empty) and broadcasts against the plastic state with PyTorch's rules
// (trailing dimensions aligned); a fixed one is the config's value everywhere.
func (p *params) plasticParam(name string, learned bool, dims []int, fixed float64, rows, cols int) ([]float64, error) {
	out := make([]float64, rows*cols)
	if !learned {
		for i := range out {
			out[i] = fixed
		}
		return out, nil
	}
	full := []int{rows, cols}
	want := []int{1}
	if len(dims) > 0 {
		want = make([]int, len(dims))
		for i, d := range dims {
			want[i] = full[d]
		}
	}
	data, err := p.get(name, want...)
	if err != nil {
		return nil, err
	}
	if err := broadcast(out, rows, cols, data, want); err != nil {
		return nil, p.errf(name, "of shape %s does not broadcast against the plastic state [%d %d]", shapeString(want), rows, cols)
	}
	return out, nil
}

// broadcast fills dst (rows×cols) from src of shape shape using PyTorch's
// broadcasting: dimensions are aligned from the right and must equal the target
// or be 1.
func broadcast(dst []float64, rows, cols int, src []float64, shape []int) error {
	if len(shape) > 2 {
		return fmt.Errorf("rank %d", len(shape))
	}
	s := []int{1, 1}
	copy(s[2-len(shape):], shape)
	if (s[0] != rows && s[0] != 1) || (s[1] != cols && s[1] != 1) {
		return fmt.Errorf("shape %v vs [%d %d]", shape, rows, cols)
	}
	if s[0] == rows && s[1] == cols {
		copy(dst, src) // nothing to broadcast
		return nil
	}
	for r := range rows {
		for c := range cols {
			i := 0
			if s[0] != 1 {
				i += r * s[1]
			}
			if s[1] != 1 {
				i += c
			}
			dst[r*cols+c] = src[i]
		}
	}
	return nil
}

// scalar returns a 0-d or one-element tensor's value.
func (p *params) scalar(name string) (float64, error) {
	t, err := p.getAny(name)
	if err != nil {
		return 0, err
	}
	if t.Len() != 1 {
		return 0, p.errf(name, "has shape %s, config needs a scalar ([] or [1])", shapeString(t.Shape))
	}
	return t.Float64s()[0], nil
}

// layerNorm returns the affine parameters of the core's layer_norm when cfg uses it.
func (p *params) layerNorm(n int) (*layerNorm, error) {
	w, err := p.get("layer_norm.weight", n)
	if err != nil {
		return nil, err
	}
	b, err := p.get("layer_norm.bias", n)
	if err != nil {
		return nil, err
	}
	return &layerNorm{weight: w, bias: b}, nil
}

// layerNorm is torch.nn.LayerNorm over the last dimension: biased variance,
// ε = 1e-5, elementwise affine.
type layerNorm struct{ weight, bias []float64 }

const layerNormEps = 1e-5

func (ln *layerNorm) apply(v []float64) {
	n := float64(len(v))
	var mean float64
	for _, x := range v {
		mean += x
	}
	mean /= n
	var variance float64
	for _, x := range v {
		d := x - mean
		variance += d * d
	}
	variance /= n
	inv := 1 / math.Sqrt(variance+layerNormEps)
	for i, x := range v {
		v[i] = (x-mean)*inv*ln.weight[i] + ln.bias[i]
	}
}

// biasAndNorm returns the core's bias and layer_norm (n elements each) when
// the config uses them.
func (p *params) biasAndNorm(c *arch.Config, n int) (bias []float64, ln *layerNorm, err error) {
	if c.Bias {
		if bias, err = p.get("bias", n); err != nil {
			return nil, nil, err
		}
	}
	if c.LayerNorm {
		if ln, err = p.layerNorm(n); err != nil {
			return nil, nil, err
		}
	}
	return bias, ln, nil
}
