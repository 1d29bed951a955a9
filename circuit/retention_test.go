package circuit

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/synapse"
)

// A passive element decaying by λ per step of Δt has exp(−Δt/τ) = λ, so
// τ = −Δt/ln λ.
func TestNeededTau(t *testing.T) {
	cases := []struct {
		name         string
		lambda, step float64
		want         float64
	}{
		{"λ = 1/e: τ is one step", math.Exp(-1), 1e-3, 1e-3},
		{"λ = 1/e², half a step", math.Exp(-2), 1e-3, 0.5e-3},
		{"λ = 1/2: τ = Δt/ln 2", 0.5, 2e-3, 2e-3 / math.Ln2},
		{"λ = 0 forgets at once", 0, 1e-3, 0},
		{"λ = 1 never decays", 1, 1e-3, math.Inf(1)},
		{"negative λ", -0.5, 1e-3, math.NaN()},
		{"λ above 1 grows", 1.5, 1e-3, math.NaN()},
		{"NaN λ", math.NaN(), 1e-3, math.NaN()},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := NeededTau(tc.lambda, tc.step)
			switch {
			case math.IsNaN(tc.want):
				if !math.IsNaN(got) {
					t.Errorf("NeededTau(%v) = %v, want NaN", tc.lambda, got)
				}
			case math.IsInf(tc.want, 1) || tc.want == 0:
				if got != tc.want {
					t.Errorf("NeededTau(%v) = %v, want %v", tc.lambda, got, tc.want)
				}
			default:
				near(t, "τ", got, tc.want)
			}
		})
	}
}

// A trained λ of 0.9 per 1 ms step needs τ = −1 ms / ln 0.9 ≈ 9.49 ms.
func ExampleNeededTau() {
	fmt.Printf("%.3g ms\n", NeededTau(0.9, 1e-3)*1e3)
	fmt.Println(NeededTau(1, 1e-3), NeededTau(-0.2, 1e-3))
	// Output:
	// 9.49 ms
	// +Inf NaN
}

func TestCountRealisable(t *testing.T) {
	// At Δt = 1 ms: λ = e^−1 needs 1 ms, e^−0.1 10 ms, e^−0.01 100 ms;
	// 0 needs 0 and 1 needs +Inf; −0.5 and 1.2 are outside [0, 1].
	lambdas := []float64{math.Exp(-1), math.Exp(-0.1), math.Exp(-0.01), 0, 1, -0.5, 1.2}
	cases := []struct {
		name      string
		retention design.Range
		step      float64
		want      Realisable
	}{
		{"0.5–20 ms holds 1 ms and 10 ms", design.Range{Lo: 0.5e-3, Hi: 20e-3}, 1e-3, Realisable{7, 2, 2}},
		{"1 µs – 1 s holds the three finite τ > 0", design.Range{Lo: 1e-6, Hi: 1}, 1e-3, Realisable{7, 3, 2}},
		{"unbounded above holds λ = 1", design.Range{Lo: 1e-6, Hi: math.Inf(1)}, 1e-3, Realisable{7, 4, 2}},
		// At Δt = 10 ms every τ is ten times longer (10 ms, 100 ms, 1 s):
		// only 100 ms fits.
		{"slower clock", design.Range{Lo: 50e-3, Hi: 500e-3}, 10e-3, Realisable{7, 1, 2}},
		{"nothing to count", design.Range{Lo: 1, Hi: 2}, 1e-3, Realisable{7, 0, 2}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := CountRealisable(lambdas, tc.step, tc.retention); got != tc.want {
				t.Errorf("%+v, want %+v", got, tc.want)
			}
		})
	}
	if got := CountRealisable(nil, 1e-3, design.Point(1)); got != (Realisable{}) {
		t.Errorf("no synapses: %+v", got)
	}
}

// Without variation every cell decays by exp(−Δt/τ); with it, ln τ_cell
// − ln τ is N(0, σ²), drawn from the design's seed.
func TestDeviceDecay(t *testing.T) {
	d := analogDesign(t, "0", "amplitude", "volatile")
	if f := DeviceDecay(d, &Setting{StepPeriod: 1e-3}, 10); f != nil {
		t.Errorf("no retention: %v, want nil (trained λ are used)", f)
	}
	f := DeviceDecay(d, &Setting{StepPeriod: 1e-3, Retention: 10e-3}, 4)
	for i, v := range f {
		near(t, fmt.Sprint("factor ", i), v, math.Exp(-0.1))
	}
	if len(f) != 4 {
		t.Errorf("%d factors, want 4", len(f))
	}

	const n, sigma = 20000, 0.3
	set := &Setting{StepPeriod: 1e-3, Retention: 10e-3, RetentionVariation: sigma}
	f = DeviceDecay(d, set, n)
	var sum, sum2 float64
	for _, v := range f {
		if !(v > 0 && v < 1) {
			t.Fatalf("factor %v outside (0, 1): a passive cell only decays", v)
		}
		x := math.Log(-set.StepPeriod / math.Log(v) / set.Retention) // ln(τ_cell/τ)
		sum += x
		sum2 += x * x
	}
	mean := sum / n
	sd := math.Sqrt(sum2/n - mean*mean)
	// Standard errors: σ/√n ≈ 0.0021 for the mean, σ/√(2n) ≈ 0.0015 for
	// the deviation; 5 of them (the draws are seeded, so this cannot flake).
	if math.Abs(mean) > 5*sigma/math.Sqrt(n) || math.Abs(sd-sigma) > 5*sigma/math.Sqrt(2*n) {
		t.Errorf("ln(τ_cell/τ): mean %.4f, σ %.4f; want 0 and %v", mean, sd, sigma)
	}
	// The same cells every time (the design's seed); another seed, others.
	g := DeviceDecay(d, set, n)
	for i := range f {
		if f[i] != g[i] {
			t.Fatalf("cell %d: %v then %v", i, f[i], g[i])
		}
	}
	d2, err := d.WithText("seed", "2")
	if err != nil {
		t.Fatal(err)
	}
	if h := DeviceDecay(d2, set, 1); h[0] == f[0] {
		t.Errorf("seeds 1 and 2 drew the same cell")
	}
}

// Retain replaces every trained λ by the device's own factor.
func TestRetain(t *testing.T) {
	d := analogDesign(t, "0", "amplitude", "volatile")
	stpn := fixture.Network(t, "ART_STPN_scalarSTP_h20")
	set := &Setting{StepPeriod: 1e-3, Retention: 10e-3}
	before := stpn.DecayFactors()

	got, err := Retain(stpn, d, set)
	if err != nil {
		t.Fatal(err)
	}
	lam := got.DecayFactors()
	if len(lam) != len(stpn.DecayFactors()) || len(lam) == 0 {
		t.Fatalf("%d decay factors, want the network's %d", len(lam), len(stpn.DecayFactors()))
	}
	for i, l := range lam {
		if l != math.Exp(-0.1) {
			t.Fatalf("synapse %d decays by %v, want exp(−1 ms/10 ms)", i, l)
		}
	}
	for i, l := range stpn.DecayFactors() {
		if l != before[i] {
			t.Fatalf("Retain changed the network it was given: λ[%d] %v → %v", i, before[i], l)
		}
	}

	// Nothing to replace: the network itself comes back.
	for _, tc := range []struct {
		name string
		in   Setting
		net  *synapse.Network
	}{
		{"no retention", Setting{StepPeriod: 1e-3}, stpn},
		{"nothing decays", *set, fixture.Network(t, "ART_RNN_h20")},
	} {
		got, err := Retain(tc.net, d, &tc.in)
		if err != nil || got != tc.net {
			t.Errorf("%s: %p, %v; want the network itself", tc.name, got, err)
		}
	}
}

// Prepare: scope and the policy for λ outside [0, 1].
func TestPrepare(t *testing.T) {
	stpn := fixture.Network(t, "ART_STPN_h11")
	trained := stpn.DecayFactors()
	outside := 0
	for _, l := range trained {
		if l < 0 || l > 1 {
			outside++
		}
	}
	if outside == 0 {
		t.Fatal("the fixture has no λ outside [0, 1]; the test needs one")
	}
	policy := func(p string) *design.Design {
		d, err := analogDesign(t, "0", "amplitude", "volatile").WithText("plasticity.lambda_outside", p)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	t.Run("per-step keeps the network", func(t *testing.T) {
		got, err := Prepare(stpn, policy("per-step"))
		if err != nil || got != stpn {
			t.Errorf("%p, %v; want the network itself", got, err)
		}
	})
	t.Run("clamp", func(t *testing.T) {
		got, err := Prepare(stpn, policy("clamp"))
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range got.DecayFactors() {
			if want := math.Min(math.Max(trained[i], 0), 1); l != want {
				t.Fatalf("λ[%d] = %v, want %v clamped to %v", i, l, trained[i], want)
			}
		}
		if o, _ := stpn.DecayOutside(); o != outside {
			t.Errorf("clamp changed the network it was given: %d outside, want %d", o, outside)
		}
	})
	t.Run("refuse", func(t *testing.T) {
		got, err := Prepare(stpn, policy("refuse"))
		if err == nil {
			t.Fatalf("λ outside [0, 1] accepted: %p", got)
		}
		for _, s := range []string{"design t", stpn.Config.File,
			fmt.Sprintf("%d of %d plastic synapses", outside, len(trained)), "lambda_outside: refuse"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not say %q", err, s)
			}
		}
		// Every λ of the scalar-λ STPN lies in [0, 1]: nothing to refuse.
		ok := fixture.Network(t, "ART_STPN_scalarSTP_h20")
		if got, err := Prepare(ok, policy("refuse")); err != nil || got != ok {
			t.Errorf("λ in [0, 1] refused: %v", err)
		}
	})
	t.Run("network scope meters the head", func(t *testing.T) {
		d, err := policy("per-step").WithText("scope", "network")
		if err != nil {
			t.Fatal(err)
		}
		got, err := Prepare(stpn, d)
		if err != nil {
			t.Fatal(err)
		}
		// The core's array and the readout (hidden2tag: 37 classes × 11).
		a := got.Arrays()
		if !got.Whole() || stpn.Whole() || len(a) != 2 || a[1].Rows != 37 || a[1].Cols != 11 {
			t.Errorf("arrays %+v (whole %v), want the core's and the 37×11 readout", a, got.Whole())
		}
	})
}
