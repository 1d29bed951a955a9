package synapse_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// Event-driven semantics, checked against independent plain loops written
// from the rule itself: in a step lasting Δ network steps every decay factor
// λ in [0, 1] acts as λ^Δ (math.Pow), λ outside [0, 1] acts once; hidden
// states hold between steps.

func tensors(t *testing.T, name string) (map[string]*checkpoint.Tensor, *arch.Config) {
	t.Helper()
	sd, cfg := fixture.Model(t, name)
	m := map[string]*checkpoint.Tensor{}
	for _, ten := range sd.Tensors {
		m[ten.Name] = ten
	}
	return m, cfg
}

func rows(ten *checkpoint.Tensor) [][]float64 {
	r, c := ten.Shape[0], ten.Shape[1]
	out := make([][]float64, r)
	for i := range out {
		out[i] = ten.Float64s()[i*c : (i+1)*c]
	}
	return out
}

// gaps draws irregular step lengths: fractions, ones, long silences.
func gaps(rng *rand.Rand, n int) []float64 {
	d := make([]float64, n)
	for k := range d {
		switch {
		case k == 0:
			d[k] = 1 // Δ₁ = 1
		case k%4 == 1:
			d[k] = 0.25 + rng.Float64()
		case k%4 == 2:
			d[k] = 1
		default:
			d[k] = 1 + 50*rng.ExpFloat64()
		}
	}
	return d
}

func sequences(t *testing.T, n int) [][][]float64 {
	in := testutil.NPY(t, testutil.Testdata("art", "inputs.npy"))
	T, I := in.Shape[1], in.Shape[2]
	out := make([][][]float64, n)
	for s := range n {
		for k := range T {
			off := (s*T + k) * I
			out[s] = append(out[s], in.Float[off:off+I])
		}
	}
	return out
}

// Tolerance: the same float64 formulas in other association orders, over 9
// recurrent steps (1e-9 is the bar; we ask 1e-11).
const eventTol = 1e-11

func TestEventsSTPN(t *testing.T) {
	ts, cfg := tensors(t, "ART_STPN_h11")
	m := &naiveSTPN{c: *cfg, W: rows(ts["rnn.weight"]), Lam: rows(ts["rnn.weight_lambda"]),
		Gam: rows(ts["rnn.weight_gamma"]), b: ts["rnn.bias"].Float64s()}
	m.c.InputSize = 37
	net := load(t, testutil.Testdata("art", "ART_STPN_h11"))
	if out, _ := net.DecayOutside(); out == 0 {
		t.Fatal("the test needs λ outside [0, 1]")
	}
	rng := rand.New(rand.NewPCG(3, 4))
	r := net.NewRunner()
	for _, seq := range sequences(t, 24) {
		d := gaps(rng, len(seq))
		wantE, wantH := m.runTimed(seq, d)
		r.Reset()
		var gotE []float64
		for k, x := range seq {
			gotE = append(gotE, float64(r.StepFor(x, d[k])))
		}
		testutil.Close(t, "STPN energy", gotE, wantE, eventTol, 1e-12)
		testutil.Close(t, "STPN hidden", r.Output(), wantH, eventTol, 1e-12)
	}
}

// naiveFF runs STPNf / HebbFF: G = (W + F)/‖·‖ (weight norm) or W + F,
// h = act(G x [+ b]), F ← λ^Δ ⊙ act(F) + γ ⊙ (h ⊗ x).
func naiveFF(W, lam, gam [][]float64, b []float64, norm bool, act func(float64) float64, xs [][]float64, deltas []float64) ([]float64, []float64) {
	H, I := len(W), len(W[0])
	F := make([][]float64, H)
	for r := range F {
		F[r] = make([]float64, I)
	}
	var es []float64
	h := make([]float64, H)
	for k, x := range xs {
		var e float64
		for r := range H {
			G := make([]float64, I)
			var ss float64
			for c := range I {
				G[c] = W[r][c] + F[r][c]
				ss += G[c] * G[c]
			}
			var pre float64
			for c := range I {
				g := G[c]
				if norm {
					g /= math.Sqrt(ss) + 1e-16
				}
				e += x[c] * x[c] * math.Abs(g)
				pre += g * x[c]
			}
			if !norm {
				pre += b[r]
			}
			h[r] = act(pre)
		}
		es = append(es, e)
		for r := range H {
			for c := range I {
				F[r][c] = decayed(lam[r][c], deltas[k])*act(F[r][c]) + gam[r][c]*h[r]*x[c]
			}
		}
	}
	return es, h
}

func filled(rows, cols int, v float64) [][]float64 {
	m := make([][]float64, rows)
	for r := range m {
		m[r] = make([]float64, cols)
		for c := range m[r] {
			m[r][c] = v
		}
	}
	return m
}

func TestEventsSTPNfAndHebbFF(t *testing.T) {
	sigmoid := func(v float64) float64 { return 1 / (1 + math.Exp(-v)) }
	for _, name := range []string{"ART_STPNf_h13", "ART_HebbFF_h26"} {
		ts, _ := tensors(t, name)
		W := rows(ts["rnn.weight"])
		H, I := len(W), len(W[0])
		var lam, gam [][]float64
		act, norm := math.Tanh, true
		if name == "ART_HebbFF_h26" {
			lam = filled(H, I, sigmoid(ts["rnn._weight_lambda"].Float64s()[0]))
			gam = filled(H, I, -math.Exp(ts["rnn._weight_gamma"].Float64s()[0]))
			act, norm = sigmoid, false
		} else {
			lam, gam = rows(ts["rnn.weight_lambda"]), rows(ts["rnn.weight_gamma"])
		}
		net := load(t, testutil.Testdata("art", name))
		r := net.NewRunner()
		rng := rand.New(rand.NewPCG(5, 6))
		for _, seq := range sequences(t, 24) {
			d := gaps(rng, len(seq))
			wantE, wantH := naiveFF(W, lam, gam, ts["rnn.bias"].Float64s(), norm, act, seq, d)
			r.Reset()
			var gotE []float64
			for k, x := range seq {
				gotE = append(gotE, float64(r.StepFor(x, d[k])))
			}
			testutil.Close(t, name+" energy", gotE, wantE, eventTol, 1e-12)
			testutil.Close(t, name+" hidden", r.Output(), wantH, eventTol, 1e-12)
		}
	}
}

// Fast Weights, S = 1, layer norm: A = λ^Δ F + γ h hᵀ (with the previous h),
// h = tanh(LN(Wz + b + A tanh(LN(Wz + b)))), F ← clamp(λ^Δ A + γ h hᵀ, ±1000);
// λ = 0.9, γ = 0.5 from the config.
func TestEventsFastWeights(t *testing.T) {
	ts, _ := tensors(t, "ART_FW_S1_h20")
	W, b := rows(ts["rnn.weight"]), ts["rnn.bias"].Float64s()
	lw, lb := ts["rnn.layer_norm.weight"].Float64s(), ts["rnn.layer_norm.bias"].Float64s()
	H := len(W)
	ln := func(v []float64) []float64 {
		var mean, variance float64
		for _, x := range v {
			mean += x / float64(H)
		}
		for _, x := range v {
			variance += (x - mean) * (x - mean) / float64(H)
		}
		out := make([]float64, H)
		for i, x := range v {
			out[i] = math.Tanh((x-mean)/math.Sqrt(variance+1e-5)*lw[i] + lb[i])
		}
		return out
	}
	net := load(t, testutil.Testdata("art", "ART_FW_S1_h20"))
	r := net.NewRunner()
	rng := rand.New(rand.NewPCG(7, 8))
	for _, seq := range sequences(t, 24) {
		d := gaps(rng, len(seq))
		F := filled(H, H, 0)
		h := make([]float64, H)
		var wantE []float64
		for k, x := range seq {
			l := decayed(0.9, d[k])
			z := append(append([]float64{}, x...), h...)
			A := filled(H, H, 0)
			for i := range H {
				for j := range H {
					A[i][j] = l*F[i][j] + 0.5*h[i]*h[j]
				}
			}
			pre := make([]float64, H)
			var e float64
			for i := range H {
				pre[i] = b[i]
				for f, zf := range z {
					pre[i] += W[i][f] * zf
					e += zf * zf * math.Abs(W[i][f])
				}
			}
			h0 := ln(pre)
			inner := make([]float64, H)
			for i := range H {
				inner[i] = pre[i]
				for j := range H {
					inner[i] += A[i][j] * h0[j]
					e += h0[j] * h0[j] * math.Abs(A[i][j])
				}
			}
			h = ln(inner)
			for i := range H {
				for j := range H {
					F[i][j] = math.Max(-1000, math.Min(1000, l*A[i][j]+0.5*h[i]*h[j]))
				}
			}
			wantE = append(wantE, e)
		}
		r.Reset()
		var gotE []float64
		for k, x := range seq {
			gotE = append(gotE, float64(r.StepFor(x, d[k])))
		}
		testutil.Close(t, "FW energy", gotE, wantE, eventTol, 1e-12)
		testutil.Close(t, "FW hidden", r.Output(), h, eventTol, 1e-12)
	}
}

// Units without decay (MODPLAST, RNN, LSTM) ignore Δ: the same bits.
func TestEventsWithoutDecay(t *testing.T) {
	for _, name := range []string{"ART_MODPLAST_h17", "ART_RNN_h20", "ART_LSTM_h9"} {
		net := load(t, testutil.Testdata("art", name))
		a, b := net.NewRunner(), net.NewRunner()
		rng := rand.New(rand.NewPCG(9, 9))
		for _, seq := range sequences(t, 8) {
			d := gaps(rng, len(seq))
			a.Reset()
			b.Reset()
			for k, x := range seq {
				if ea, eb := a.Step(x), b.StepFor(x, d[k]); ea != eb {
					t.Fatalf("%s: Δ changed the energy", name)
				}
			}
			for i, v := range a.Logits() {
				if b.Logits()[i] != v {
					t.Fatalf("%s: Δ changed the logits", name)
				}
			}
		}
	}
}

// Clamping λ into [0, 1] makes a copy; the trained network is unchanged,
// and a network with nothing to clamp is returned as it is.
func TestClampLambda(t *testing.T) {
	net := load(t, testutil.Testdata("art", "ART_STPN_h11"))
	c := net.ClampLambda()
	if out, total := c.DecayOutside(); out != 0 || total != 528 {
		t.Errorf("clamped: %d of %d outside", out, total)
	}
	if out, _ := net.DecayOutside(); out != 62 {
		t.Errorf("clamping changed the original network: %d outside", out)
	}
	fw := load(t, testutil.Testdata("art", "ART_FW_S1_h20"))
	if fw.ClampLambda() != fw {
		t.Error("Fast Weights (λ = 0.9 everywhere) was copied")
	}
}

// Over long gaps of sparse input most decay factors underflow or multiply a
// zero state, and with AVX-512 only the others are taken: the run must be
// the same, bit for bit, as the one taking every factor. STPN h11 (528
// synapses) and STPNf h13 (481: a tail past the chunks of 8), one-hot
// inputs and every channel driven (short gaps then take every factor).
func TestEventsSparseSameBits(t *testing.T) {
	for _, name := range []string{"ART_STPN_h11", "ART_STPNf_h13"} {
		net := load(t, testutil.Testdata("art", name))
		for _, every := range []bool{false, true} {
			rng := rand.New(rand.NewPCG(7, 8))
			var xs [][]float64
			var d []float64
			for k := range 300 {
				x := make([]float64, 37)
				if every {
					for c := range x {
						x[c] = rng.NormFloat64()
					}
				} else {
					x[rng.IntN(37)] = 1
				}
				xs = append(xs, x)
				d = append(d, 1+rng.ExpFloat64()*float64([]int{3, 300, 3000}[k%3]))
			}
			run := func() (e, h []float64) {
				r := net.NewRunner()
				for k, x := range xs {
					e = append(e, float64(r.StepFor(x, d[k])))
				}
				return e, r.Output()
			}
			if !synapse.HaveDecay8() {
				t.Skip("no AVX-512: every factor is taken")
			}
			old := synapse.SetDecay8(false)
			wantE, wantH := run()
			synapse.SetDecay8(true)
			gotE, gotH := run()
			synapse.SetDecay8(old)
			if diff := cmp.Diff(bits(wantE), bits(gotE)); diff != "" {
				t.Errorf("%s, every channel %v: energy bits (−all factors, +packed):\n%s", name, every, diff)
			}
			if diff := cmp.Diff(bits(wantH), bits(gotH)); diff != "" {
				t.Errorf("%s, every channel %v: hidden state bits (−all factors, +packed):\n%s", name, every, diff)
			}
		}
	}
}

func bits(v []float64) []uint64 {
	b := make([]uint64, len(v))
	for i, x := range v {
		b[i] = math.Float64bits(x)
	}
	return b
}
