package synapse_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// A user's own model, described in neurosim's YAML: observations (H, W, C)
// permuted to (C, H, W), a padded, strided, non-square convolution, ReLU,
// flatten, a linear layer with tanh, an STPN core (the agents' convention)
// and two heads, every tensor under a global prefix.
const describedYAML = `
prefix: model.
input: {shape: [6, 7, 2]}
front_end:
  - {type: permute, dims: [2, 0, 1]}
  - {type: conv2d, name: enc.conv, out_channels: 3, kernel_size: [3, 2], stride: [2, 1], padding: 1}
  - {type: relu}
  - {type: flatten}
  - {type: linear, name: enc.fc, out_features: 5}
  - {type: tanh}
core:
  unit: STPNr
  prefix: core.
  hidden_size: 4
  rnn_args:
    stp:
      plastic_weight_connections: all
      learn_plastic_weight_params_dims: [0, 1]
      plastic_weight_clamp_val: null
      plasticity_type_kwargs: {weight_norm: {ord: 2}, plastic_weight_norm: {norm: G, time: pre}}
heads:
  - {name: logits, tensor: pi, size: 3}
  - {name: value, tensor: v, size: 1}
`

// describedNet is an independent, plain transcription of that model, written
// from the PyTorch semantics of each layer (Conv2d with zero padding, flatten
// in C, H, W order, Linear) and the STPN equations of the paper's agents
// (../shared/reference/rl/README.md, "stpn"), with nested loops and no code
// of package synapse.
type describedNet struct {
	conv       [3][2][3][2]float64 // [out][in][ky][kx]
	convB      [3]float64
	fc         [5][72]float64
	fcB        [5]float64
	w, lam, gm [4][9]float64
	b          [4]float64
	pi         [3][4]float64
	piB        [3]float64
	v          [4]float64
	vB         float64
}

const (
	dH, dW, dC     = 6, 7, 2
	dHo, dWo       = 3, 8 // (6 + 2·1 − 3)/2 + 1, (7 + 2·1 − 2)/1 + 1
	dFlat          = 3 * dHo * dWo
	dIn, dHid      = 5, 4
	dLogits        = 3
	dConvPositions = dHo * dWo
)

func (m *describedNet) fill(rng *rand.Rand) {
	u := func(s float64) float64 { return s * (2*rng.Float64() - 1) }
	for o := range m.conv {
		for i := range m.conv[o] {
			for y := range m.conv[o][i] {
				for x := range m.conv[o][i][y] {
					m.conv[o][i][y][x] = u(0.6)
				}
			}
		}
		m.convB[o] = u(0.2)
	}
	for o := range m.fc {
		for i := range m.fc[o] {
			m.fc[o][i] = u(0.3)
		}
		m.fcB[o] = u(0.2)
	}
	for r := range m.w {
		for c := range m.w[r] {
			m.w[r][c], m.lam[r][c], m.gm[r][c] = u(0.8), 0.5+u(0.7), u(0.5)
		}
		m.b[r] = u(0.3)
	}
	for o := range m.pi {
		for j := range m.pi[o] {
			m.pi[o][j] = u(0.7)
		}
		m.piB[o] = u(0.1)
	}
	for j := range m.v {
		m.v[j] = u(0.7)
	}
	m.vB = u(0.1)
}

func (m *describedNet) stateDict() *checkpoint.StateDict {
	var conv, fc, w, lam, gm, pi []float64
	for o := range m.conv {
		for i := range m.conv[o] {
			for y := range m.conv[o][i] {
				conv = append(conv, m.conv[o][i][y][:]...)
			}
		}
	}
	for o := range m.fc {
		fc = append(fc, m.fc[o][:]...)
	}
	for r := range m.w {
		w, lam, gm = append(w, m.w[r][:]...), append(lam, m.lam[r][:]...), append(gm, m.gm[r][:]...)
	}
	for o := range m.pi {
		pi = append(pi, m.pi[o][:]...)
	}
	ten := func(name string, data []float64, shape ...int) *checkpoint.Tensor {
		return checkpoint.NewTensor("model."+name, shape, data)
	}
	return &checkpoint.StateDict{File: "described.pth", Tensors: []*checkpoint.Tensor{
		ten("enc.conv.weight", conv, 3, 2, 3, 2), ten("enc.conv.bias", m.convB[:], 3),
		ten("enc.fc.weight", fc, 5, dFlat), ten("enc.fc.bias", m.fcB[:], 5),
		ten("core.weight", w, dHid, dIn+dHid), ten("core.bias", m.b[:], dHid),
		ten("core.weight_lambda", lam, dHid, dIn+dHid), ten("core.weight_gamma", gm, dHid, dIn+dHid),
		ten("pi.weight", pi, 3, dHid), ten("pi.bias", m.piB[:], 3),
		ten("v.weight", m.v[:], 1, dHid), ten("v.bias", []float64{m.vB}, 1),
	}}
}

// run evaluates one sequence of observations (each H·W·C values, row-major
// (y, x, c)) and returns per step the energy, the logits, the value, and the
// convolution's paper-rule read sum Σ_positions Σ_out Σ_k patch_k²·|W_out,k|.
func (m *describedNet) run(obs [][]float64) (e, logits, value, convReads []float64) {
	var F [dHid][dIn + dHid]float64
	var h [dHid]float64
	for _, o := range obs {
		at := func(c, y, x int) float64 { // the permuted (C, H, W) input, zero outside
			if y < 0 || y >= dH || x < 0 || x >= dW {
				return 0
			}
			return o[(y*dW+x)*dC+c]
		}
		var flat [dFlat]float64
		var reads float64
		for oy := range dHo {
			for ox := range dWo {
				for co := range 3 {
					s := m.convB[co]
					for ci := range dC {
						for ky := range 3 {
							for kx := range 2 {
								v := at(ci, oy*2-1+ky, ox*1-1+kx)
								s += m.conv[co][ci][ky][kx] * v
								reads += v * v * math.Abs(m.conv[co][ci][ky][kx])
							}
						}
					}
					flat[co*dHo*dWo+oy*dWo+ox] = math.Max(s, 0)
				}
			}
		}
		var z [dIn + dHid]float64
		for o := range dIn {
			s := m.fcB[o]
			for i := range dFlat {
				s += m.fc[o][i] * flat[i]
			}
			z[o] = math.Tanh(s)
		}
		copy(z[dIn:], h[:])
		var energy float64
		var hn, norm [dHid]float64
		for r := range dHid {
			var G [dIn + dHid]float64
			var ss float64
			for c := range G {
				G[c] = m.w[r][c] + F[r][c]
				ss += G[c] * G[c]
			}
			norm[r] = math.Sqrt(ss) + 1e-16
			a := m.b[r]
			for c := range G {
				G[c] /= norm[r]
				energy += z[c] * z[c] * math.Abs(G[c])
				a += G[c] * z[c]
			}
			hn[r] = math.Tanh(a)
		}
		// The agents' Hebbian term: postsynaptic h_t, presynaptic [x_t ; h_{t−1}] = z.
		for r := range dHid {
			for c := range F[r] {
				F[r][c] = m.lam[r][c]*(F[r][c]/norm[r]) + m.gm[r][c]*hn[r]*z[c]
			}
		}
		h = hn
		for o := range dLogits {
			s := m.piB[o]
			for j := range dHid {
				s += m.pi[o][j] * h[j]
			}
			logits = append(logits, s)
		}
		v := m.vB
		for j := range dHid {
			v += m.v[j] * h[j]
		}
		e, value, convReads = append(e, energy), append(value, v), append(convReads, reads)
	}
	return e, logits, value, convReads
}

func TestDescribedNetworkAgainstPlainLoop(t *testing.T) {
	desc, err := arch.ParseNetwork("described.yaml", []byte(describedYAML))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(11, 12))
	var m describedNet
	m.fill(rng)
	net, err := synapse.Build(desc, m.stateDict())
	if err != nil {
		t.Fatal(err)
	}
	if net.InputSize() != dH*dW*dC || net.Cell.InputSize() != dIn || net.Classes != dLogits {
		t.Fatalf("sizes: observation %d, core input %d, logits %d", net.InputSize(), net.Cell.InputSize(), net.Classes)
	}
	const T = 10
	obs := make([][]float64, T)
	for k := range obs {
		obs[k] = make([]float64, dH*dW*dC)
		for i := range obs[k] {
			obs[k][i] = rng.Float64() // zeros come from the padding
		}
	}
	wantE, wantL, wantV, wantReads := m.run(obs)
	r := net.WholeNetwork().NewRunner()
	r.Meter(energy.Meter{})
	var gotE, gotL, gotV, gotReads []float64
	for _, o := range obs {
		gotE = append(gotE, float64(r.Step(o)))
		gotL = append(gotL, r.Head(0)...)
		gotV = append(gotV, r.Head(net.Head("value"))[0])
		c := r.Counts()
		gotReads = append(gotReads, c.Arrays[1].Paper)
		// Padding leaves some patches partly zero, never wholly: every
		// position is one read of the 3 unrolled kernels.
		if c.Arrays[1].Reads != dConvPositions || c.Arrays[1].Rows != 3*dConvPositions {
			t.Errorf("conv: %d reads of %d rows, want %d of %d", c.Arrays[1].Reads, c.Arrays[1].Rows, dConvPositions, 3*dConvPositions)
		}
	}
	// Same float64 expressions in other orders (and a reciprocal multiply
	// for the division by the row norm) over 10 steps of a recurrent map:
	// a few ulps each; 1e-12 relative.
	testutil.Close(t, "energy", gotE, wantE, 1e-12, 1e-12)
	testutil.Close(t, "logits", gotL, wantL, 1e-12, 1e-12)
	testutil.Close(t, "value", gotV, wantV, 1e-12, 1e-12)
	testutil.Close(t, "conv reads", gotReads, wantReads, 1e-12, 1e-12)
}

// naiveGRU is torch.nn.GRU's one layer written out (gate order r, z, n),
// with the paper's rule for its energy: Σ z²·|W| over every gate row, input
// and recurrent.
func naiveGRU(wih, whh [][]float64, bih, bhh []float64, xs [][]float64) (e, h []float64) {
	H := len(whh[0])
	h = make([]float64, H)
	for _, x := range xs {
		gi, gh := make([]float64, 3*H), make([]float64, 3*H)
		var en float64
		for k := range 3 * H {
			gi[k], gh[k] = bih[k], bhh[k]
			for i, v := range x {
				gi[k] += wih[k][i] * v
				en += v * v * math.Abs(wih[k][i])
			}
			for j, v := range h {
				gh[k] += whh[k][j] * v
				en += v * v * math.Abs(whh[k][j])
			}
		}
		hn := make([]float64, H)
		for j := range H {
			r := 1 / (1 + math.Exp(-(gi[j] + gh[j])))
			z := 1 / (1 + math.Exp(-(gi[H+j] + gh[H+j])))
			n := math.Tanh(gi[2*H+j] + r*gh[2*H+j])
			hn[j] = (1-z)*n + z*h[j]
		}
		h = hn
		e = append(e, en)
	}
	return e, h
}

func TestGRUAgainstPlainLoop(t *testing.T) {
	const I, H, T = 3, 5, 12
	rng := rand.New(rand.NewPCG(3, 4))
	wih, whh := randMatrix(rng, 3*H, I, 0.8), randMatrix(rng, 3*H, H, 0.8)
	bih, bhh := flat(randMatrix(rng, 1, 3*H, 0.3)), flat(randMatrix(rng, 1, 3*H, 0.3))
	desc, err := arch.ParseNetwork("gru.yaml", []byte(`
core: {unit: nn.GRU, hidden_size: 5}
heads: [{name: logits, tensor: out}]`))
	if err != nil {
		t.Fatal(err)
	}
	sd := &checkpoint.StateDict{File: "gru.pth", Tensors: []*checkpoint.Tensor{
		checkpoint.NewTensor("rnn.weight_ih_l0", []int{3 * H, I}, flat(wih)),
		checkpoint.NewTensor("rnn.weight_hh_l0", []int{3 * H, H}, flat(whh)),
		checkpoint.NewTensor("rnn.bias_ih_l0", []int{3 * H}, bih),
		checkpoint.NewTensor("rnn.bias_hh_l0", []int{3 * H}, bhh),
		checkpoint.NewTensor("out.weight", []int{2, H}, make([]float64, 2*H)),
		checkpoint.NewTensor("out.bias", []int{2}, make([]float64, 2)),
	}}
	net, err := synapse.Build(desc, sd)
	if err != nil {
		t.Fatal(err)
	}
	if net.InputSize() != I || net.Cell.Synapses() != 3*H*(I+H) {
		t.Fatalf("input %d, synapses %d; want %d, %d", net.InputSize(), net.Cell.Synapses(), I, 3*H*(I+H))
	}
	xs := randMatrix(rng, T, I, 1)
	wantE, wantH := naiveGRU(wih, whh, bih, bhh, xs)
	r := net.NewRunner()
	var gotE []float64
	for _, x := range xs {
		gotE = append(gotE, float64(r.Step(x)))
	}
	// The same float64 expressions in another order: a few ulps per step.
	testutil.Close(t, "energy", gotE, wantE, 1e-12, 1e-12)
	testutil.Close(t, "hidden", r.Output(), wantH, 1e-12, 1e-12)
}
