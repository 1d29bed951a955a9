package synapse_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// naiveSTPN is an independent, deliberately plain transcription of the
// reference STPNr forward_energy path (STPLayers.py, NoEmbed_AssociativeNet)
// for the options the reference configs do not exercise. It builds the full
// [H, I+H] efficacy matrix every step, exactly as the PyTorch code does with
// total_weights[:, :, plastic_input_slice] += F.
type naiveSTPN struct {
	c           arch.Config
	W, Lam, Gam [][]float64 // W [H][I+H]; Λ, Γ [H][P]
	b           []float64
	lnW, lnB    []float64
}

func (m *naiveSTPN) run(xs [][]float64) (energies []float64, h []float64) {
	return m.runTimed(xs, nil)
}

// decayed is the event-driven decay factor of a step lasting delta network
// steps: λ^delta for λ in [0, 1], λ itself otherwise (applied once per step).
func decayed(l, delta float64) float64 {
	if l >= 0 && l <= 1 {
		return math.Pow(l, delta)
	}
	return l
}

// runTimed is run with step k lasting deltas[k] network steps (nil: all 1).
func (m *naiveSTPN) runTimed(xs [][]float64, deltas []float64) (energies []float64, h []float64) {
	I, H := m.c.InputSize, m.c.Hidden
	p0, p1 := 0, I+H
	switch m.c.STP.Connections {
	case arch.InputConnections:
		p1 = I
	case arch.HiddenConnections:
		p0 = I
	}
	P := p1 - p0
	F := make([][]float64, H)
	for r := range F {
		F[r] = make([]float64, P)
	}
	h = make([]float64, H)
	for k, x := range xs {
		delta := 1.0
		if deltas != nil {
			delta = deltas[k]
		}
		z := append(append([]float64{}, x...), h...)
		// total_weights
		G := make([][]float64, H)
		norm := make([]float64, H)
		for r := range H {
			G[r] = append([]float64{}, m.W[r]...)
			for c := p0; c < p1; c++ {
				G[r][c] += F[r][c-p0]
			}
			var ss float64
			for _, v := range G[r] {
				ss += v * v
			}
			norm[r] = math.Sqrt(ss)
			if m.c.STP.WeightNorm {
				for c := range G[r] {
					G[r][c] /= norm[r] + 1e-16
				}
			}
		}
		var e float64
		pre := make([]float64, H)
		for r := range H {
			for c := range G[r] {
				e += z[c] * z[c] * math.Abs(G[r][c])
				pre[r] += G[r][c] * z[c]
			}
			if m.b != nil {
				pre[r] += m.b[r]
			}
		}
		energies = append(energies, e)
		if m.lnW != nil {
			var mean, v float64
			for _, p := range pre {
				mean += p / float64(H)
			}
			for _, p := range pre {
				v += (p - mean) * (p - mean) / float64(H)
			}
			for r := range pre {
				pre[r] = (pre[r]-mean)/math.Sqrt(v+1e-5)*m.lnW[r] + m.lnB[r]
			}
		}
		for r := range H {
			h[r] = math.Tanh(pre[r])
		}
		// F̂ (pre normalisation by the total-efficacy norm)
		if m.c.STP.WeightNorm && m.c.STP.PlasticNormTime == arch.NormPre {
			for r := range H {
				for c := range F[r] {
					F[r][c] /= norm[r] + 1e-16
				}
			}
		}
		u := append(append([]float64{}, x...), h...)[p0:p1]
		if m.c.STP.Rule == arch.Oja {
			v := append([]float64{}, u...)
			for c := range v {
				for r := range H {
					v[c] -= h[r] * F[r][c]
				}
			}
			u = v
		}
		for r := range H {
			for c := range P {
				d := m.Gam[r][c] * h[r] * u[c]
				lam := decayed(m.Lam[r][c], delta)
				if m.c.STP.Type == arch.PromptDecay {
					F[r][c] = lam * (F[r][c] + d)
				} else {
					F[r][c] = F[r][c]*lam + d
				}
				F[r][c] = math.Max(-m.c.STP.Clamp, math.Min(m.c.STP.Clamp, F[r][c]))
			}
		}
		if m.c.STP.PlasticNormTime == arch.NormPost {
			for r := range H {
				var ss float64
				if m.c.STP.PlasticNorm == arch.NormOfTotal {
					for c, v := range m.W[r] {
						if c >= p0 && c < p1 {
							v += F[r][c-p0]
						}
						ss += v * v
					}
				} else {
					for _, v := range F[r] {
						ss += v * v
					}
				}
				for c := range F[r] {
					F[r][c] /= math.Sqrt(ss) + 1e-16
				}
			}
		}
	}
	return energies, h
}

func randMatrix(rng *rand.Rand, rows, cols int, scale float64) [][]float64 {
	m := make([][]float64, rows)
	for r := range m {
		m[r] = make([]float64, cols)
		for c := range m[r] {
			m[r][c] = scale * (2*rng.Float64() - 1)
		}
	}
	return m
}

func flat(m [][]float64) []float64 {
	var out []float64
	for _, r := range m {
		out = append(out, r...)
	}
	return out
}

// TestSTPNOptions checks the kernel against the naive transcription above for
// every combination of the options the reference configs leave at defaults.
func TestSTPNOptions(t *testing.T) {
	const I, H, T = 5, 4, 12
	rng := rand.New(rand.NewPCG(1, 2))
	xs := randMatrix(rng, T, I, 1)
	for _, conn := range []arch.Connections{arch.AllConnections, arch.InputConnections, arch.HiddenConnections} {
		for _, wn := range []bool{true, false} {
			for _, variant := range []string{"plain", "clamp", "prompt", "oja", "post-G", "post-F", "layernorm", "nobias"} {
				name := fmt.Sprintf("%s/weightnorm=%v/%s", conn, wn, variant)
				t.Run(name, func(t *testing.T) {
					c := arch.Config{File: "test", Unit: arch.STPNr, InputSize: I, Hidden: H, Activation: arch.Tanh, Bias: true,
						STP: arch.STP{Connections: conn, Learned: true, Dims: []int{0, 1}, Clamp: math.Inf(1), WeightNorm: wn}}
					if wn {
						c.STP.PlasticNormTime = arch.NormPre
					}
					switch variant {
					case "clamp":
						c.STP.Clamp = 0.05
					case "prompt":
						c.STP.Type = arch.PromptDecay
					case "oja":
						c.STP.Rule = arch.Oja
					case "post-G":
						c.STP.PlasticNormTime, c.STP.PlasticNorm = arch.NormPost, arch.NormOfTotal
					case "post-F":
						c.STP.PlasticNormTime, c.STP.PlasticNorm = arch.NormPost, arch.NormOfPlastic
					case "layernorm":
						c.LayerNorm = true
					case "nobias":
						c.Bias = false
					}
					P := map[arch.Connections]int{arch.AllConnections: I + H, arch.InputConnections: I, arch.HiddenConnections: H}[conn]
					m := &naiveSTPN{c: c, W: randMatrix(rng, H, I+H, 0.8),
						Lam: randMatrix(rng, H, P, 1.2), Gam: randMatrix(rng, H, P, 0.5)}
					sd := &checkpoint.StateDict{File: "test.pth", Tensors: []*checkpoint.Tensor{
						checkpoint.NewTensor("rnn.weight", []int{H, I + H}, flat(m.W)),
						checkpoint.NewTensor("rnn.weight_lambda", []int{H, P}, flat(m.Lam)),
						checkpoint.NewTensor("rnn.weight_gamma", []int{H, P}, flat(m.Gam)),
						checkpoint.NewTensor("hidden2tag.weight", []int{I, H}, make([]float64, I*H)),
						checkpoint.NewTensor("hidden2tag.bias", []int{I}, make([]float64, I)),
					}}
					if c.Bias {
						m.b = flat(randMatrix(rng, 1, H, 0.3))
						sd.Tensors = append(sd.Tensors, checkpoint.NewTensor("rnn.bias", []int{H}, m.b))
					}
					if c.LayerNorm {
						m.lnW, m.lnB = flat(randMatrix(rng, 1, H, 1)), flat(randMatrix(rng, 1, H, 0.2))
						sd.Tensors = append(sd.Tensors,
							checkpoint.NewTensor("rnn.layer_norm.weight", []int{H}, m.lnW),
							checkpoint.NewTensor("rnn.layer_norm.bias", []int{H}, m.lnB))
					}
					net, err := synapse.Build(c.Network(), sd)
					if err != nil {
						t.Fatal(err)
					}
					wantE, wantH := m.run(xs)
					r := net.NewRunner()
					var gotE []float64
					for _, x := range xs {
						gotE = append(gotE, float64(r.Step(x)))
					}
					// Same float64 equations, different association order and
					// reciprocal-multiply instead of divide: a few ulps per step,
					// amplified over 12 steps of a recurrent map.
					testutil.Close(t, "energy", gotE, wantE, 1e-12, 1e-12)
					testutil.Close(t, "hidden", r.Output(), wantH, 1e-12, 1e-12)
					checkBlock(t, net, xs)
				})
			}
		}
	}
}

// checkBlock runs xs through a block, lane l fed xs scaled by 1 + l/8 (lane
// 3 all zeros), and checks that every lane gives its own runner's bits;
// then, after a Reset, the same with xs scaled by 1 − l/16 against new
// runners (the block must start from a zero state whatever it last held).
func checkBlock(t *testing.T, net *synapse.Network, xs [][]float64) {
	t.Helper()
	blk := net.NewBlock()
	in := make([][]float64, synapse.Lanes)
	var e [synapse.Lanes]energy.Paper
	for pass, scale := range []func(l int) float64{
		func(l int) float64 { return 1 + float64(l)/8 },
		func(l int) float64 { return 1 - float64(l)/16 },
	} {
		blk.Reset()
		var single [synapse.Lanes]*synapse.Runner
		for l := range single {
			single[l] = net.NewRunner()
		}
		for k, x := range xs {
			for l := range in {
				in[l] = make([]float64, len(x))
				for i, v := range x {
					if l != 3 {
						in[l][i] = v * scale(l)
					}
				}
			}
			blk.Step(in, e[:])
			for l := range single {
				if want := single[l].Step(in[l]); math.Float64bits(float64(e[l])) != math.Float64bits(float64(want)) {
					t.Fatalf("block (lock-step %v) pass %d step %d lane %d: %v, runner %v", blk.Lockstep(), pass, k, l, e[l], want)
				}
			}
		}
		for l := range single {
			a, b := blk.Runner(l).Output(), single[l].Output()
			for i := range a {
				if math.Float64bits(a[i]) != math.Float64bits(b[i]) {
					t.Fatalf("block pass %d lane %d: hidden %d %v, runner %v", pass, l, i, a[i], b[i])
				}
			}
		}
	}
	if !blk.Lockstep() {
		return
	}
	// In float32: the kernels give the pure-Go loops' bits, and stay within
	// float32 rounding of float64 (12 steps of a random recurrent map: a
	// loose 1e−4).
	float32Energies := func() []float64 {
		b := net.NewBlockPrecision(synapse.Float32)
		b.Reset()
		var out []float64
		for _, x := range xs {
			for l := range in {
				in[l] = x
			}
			b.Step(in, e[:])
			out = append(out, float64(e[0]))
		}
		return out
	}
	got := float32Energies()
	old := synapse.SetKernels(false)
	goE := float32Energies()
	synapse.SetKernels(old)
	r := net.NewRunner()
	for k, x := range xs {
		if got[k] != goE[k] {
			t.Fatalf("float32 step %d: kernels %v, pure Go %v", k, got[k], goE[k])
		}
		if want := float64(r.Step(x)); math.Abs(got[k]-want) > 1e-4*math.Abs(want) {
			t.Fatalf("float32 step %d: %v, float64 %v", k, got[k], want)
		}
	}
}
