package synapse_test

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// Every lane of a block gives its own Runner's bits: paper energy, counts
// and logits, for the reference STPN models (the lock-step kernel) and the
// others (lanes run one by one), on four different sequences.
func TestBlockLanesAreRunners(t *testing.T) {
	lanesAreRunners(t, func(r *synapse.Runner) { r.Meter(energy.Meter{}) })
}

// The same with the arrays split into row tiles of 16 inputs: the counts
// of tiles driven are the runners' too.
func TestBlockTiledLanesAreRunners(t *testing.T) {
	lanesAreRunners(t, func(r *synapse.Runner) {
		r.Meter(energy.Meter{})
		r.SetTiling([]int{16})
	})
}

func lanesAreRunners(t *testing.T, setup func(r *synapse.Runner)) {
	in := testutil.NPY(t, testutil.Testdata("art", "inputs.npy"))
	const T, I = 9, 37
	for _, name := range testutil.ReferenceModels(t) {
		net := load(t, testutil.Testdata("art", name))
		blk := net.NewBlock()
		var single [synapse.Lanes]*synapse.Runner
		for l := range synapse.Lanes {
			single[l] = net.NewRunner()
			setup(single[l])
			setup(blk.Runner(l))
		}
		for _, first := range []int{0, 40, 120} {
			blk.Reset()
			for l := range single {
				single[l].Reset()
			}
			xs := make([][]float64, synapse.Lanes)
			var e [synapse.Lanes]energy.Paper
			for k := range T {
				for l := range xs {
					n := first + l
					xs[l] = in.Float[(n*T+k)*I : (n*T+k+1)*I]
				}
				blk.Step(xs, e[:])
				for l := range single {
					want := single[l].Step(xs[l])
					if math.Float64bits(float64(e[l])) != math.Float64bits(float64(want)) {
						t.Fatalf("%s seq %d step %d: block %v, runner %v", name, first+l, k, e[l], want)
					}
					if got, w := blk.Runner(l).Counts(), single[l].Counts(); !reflect.DeepEqual(got, w) {
						t.Fatalf("%s seq %d step %d: counts %+v, runner %+v", name, first+l, k, got, w)
					}
				}
			}
			for l := range single {
				a, b := blk.Runner(l).Logits(), single[l].Logits()
				for c := range a {
					if math.Float64bits(a[c]) != math.Float64bits(b[c]) {
						t.Fatalf("%s seq %d: logit %d %v, runner %v", name, first+l, c, a[c], b[c])
					}
				}
			}
		}
		if want := name == "ART_STPN_h11" || name == "ART_STPN_scalarSTP_h20"; blk.Lockstep() != want {
			t.Errorf("%s: lock-step %v, want %v", name, blk.Lockstep(), want)
		}
	}
}

// The lock-step kernel against lanes run alone on random inputs with
// random (non-one-hot, partly zero) values, so every column is read.
func TestBlockRandomInputs(t *testing.T) {
	net := load(t, testutil.Testdata("perf", "ART_STPN_h128"))
	rng := rand.New(rand.NewPCG(7, 7))
	blk := blockAgainstRunners(t, net, 12, func(k, l int, x []float64) {
		for i := range x {
			if rng.IntN(3) == 0 {
				x[i] = rng.NormFloat64()
			}
		}
	}, func(k, l int, got, want energy.Paper) {
		if math.Float64bits(float64(got)) != math.Float64bits(float64(want)) {
			t.Fatalf("step %d lane %d: block %v, runner %v", k, l, got, want)
		}
	})
	if !blk.Lockstep() {
		t.Fatal("h128 does not run lock-step")
	}
}

// An infinite input makes F infinite on its column, so that the next
// steps' rows have Σ S² = +Inf: then every column is read, as a runner
// does, the undriven one included (its S·0 is NaN, and so is the row's
// sum), where a read of the driven columns only would stay finite. The
// block still gives each runner's energies: the same bits, or NaN where
// the runner's is NaN.
func TestBlockOverflow(t *testing.T) {
	net := load(t, testutil.Testdata("art", "ART_STPN_h11"))
	rng := rand.New(rand.NewPCG(9, 9))
	nonFinite := 0
	blockAgainstRunners(t, net, 16, func(k, l int, x []float64) {
		x[10+rng.IntN(27)] = 1
		if k == 0 && l%2 == 0 {
			x[l/2] = math.Inf(1)
		}
	}, func(k, l int, got, want energy.Paper) {
		// A NaN's sign and payload depend on operand order, which the
		// pure-Go loops do not fix: any NaN matches any NaN.
		if math.Float64bits(float64(got)) != math.Float64bits(float64(want)) && !(got != got && want != want) {
			t.Fatalf("step %d lane %d: block %v, runner %v", k, l, got, want)
		}
		if v := float64(want); v-v != 0 {
			nonFinite++
		}
	})
	if nonFinite < 8*synapse.Lanes/2 {
		t.Fatalf("%d non-finite energies: the test does not reach the non-finite rows", nonFinite)
	}
}

// blockAgainstRunners steps a new block of net and a runner per lane through
// steps steps of 37 inputs, fill writing lane l's input of step k into x
// (zeroed first), and hands check each lane's energy from both. It returns
// the block.
func blockAgainstRunners(t *testing.T, net *synapse.Network, steps int, fill func(k, l int, x []float64), check func(k, l int, got, want energy.Paper)) *synapse.Block {
	t.Helper()
	blk := net.NewBlock()
	blk.Reset()
	var single [synapse.Lanes]*synapse.Runner
	xs := make([][]float64, synapse.Lanes)
	for l := range single {
		single[l], xs[l] = net.NewRunner(), make([]float64, 37)
	}
	var e [synapse.Lanes]energy.Paper
	for k := range steps {
		for l, x := range xs {
			clear(x)
			fill(k, l, x)
		}
		blk.Step(xs, e[:])
		for l := range single {
			check(k, l, e[l], single[l].Step(xs[l]))
		}
	}
	return blk
}

// BenchmarkBlock runs four 9-step ART sequences in lock-step; compare with
// BenchmarkSequence (one sequence): ns/op here is per sequence.
func BenchmarkBlock(b *testing.B) {
	in := testutil.NPY(b, testutil.Testdata("art", "inputs.npy"))
	for _, m := range []struct{ set, name string }{{"art", "ART_STPN_h11"}, {"perf", "ART_STPN_h128"}} {
		net := load(b, testutil.Testdata(m.set, m.name))
		for _, p := range []synapse.Precision{synapse.Float64, synapse.Float32} {
			benchBlock(b, net, m.name, p, in)
		}
	}
}

func benchBlock(b *testing.B, net *synapse.Network, name string, p synapse.Precision, in *testutil.Array) {
	b.Run(name+"/"+p.String(), func(b *testing.B) {
		blk := net.NewBlockPrecision(p)
		I, T := 37, 9
		xs := make([][]float64, synapse.Lanes)
		var e [synapse.Lanes]energy.Paper
		b.ReportAllocs()
		n := 0
		for b.Loop() {
			if n%synapse.Lanes == 0 {
				blk.Reset()
			}
			// One sequence's worth of work per iteration: a block step
			// every Lanes iterations would skew b.N, so step each of the
			// T steps for the block once per Lanes iterations.
			if n%synapse.Lanes == synapse.Lanes-1 {
				for t := range T {
					for l := range xs {
						s := (n + l) % 128
						xs[l] = in.Float[(s*T+t)*I : (s*T+t+1)*I]
					}
					blk.Step(xs, e[:])
				}
			}
			n++
		}
		H := net.Cell.HiddenSize()
		b.ReportMetric(float64(b.N)*float64(T*H*(H+I))/b.Elapsed().Seconds(), "synapse-upd/s")
	})
}

// The pure-Go loops of the block (what runs without AVX2, or off amd64)
// give the same bits as the kernels and as the runners.
func TestBlockPureGo(t *testing.T) {
	defer synapse.SetKernels(synapse.SetKernels(false))
	TestBlockLanesAreRunners(t)
	TestBlockRandomInputs(t)
	TestBlockOverflow(t)
	TestSTPNOptions(t)
}

// With AVX-512 the float64 kernels take 8-wide vectors; their AVX2 path
// (4-wide) gives the same bits too.
func TestBlockAVX2(t *testing.T) {
	if !synapse.SetWide(false) {
		t.Skip("no AVX-512: the AVX2 path is the one the other tests run")
	}
	defer synapse.SetWide(true)
	TestBlockLanesAreRunners(t)
	TestBlockRandomInputs(t)
	TestBlockOverflow(t)
	TestSTPNOptions(t)
}
