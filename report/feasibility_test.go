package report_test

import (
	"context"
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/neurosim/neurosim/circuit"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/report"
)

// paperWrites is the paper design with a volatile element whose writes are
// priced: the read joules are the paper's energy (g·v²·t = 1 kS·1 V²·1 ms
// = 1 J per unit), every other price is zero but the write event's, which
// the map sets.
const paperWrites = `name: paper-writes
synapse: {mapping: ideal, g_per_unit: 1kS}
input: {encoding: amplitude, v_read: 1V, t_read: 1ms, dac_energy: 0J}
readout: {adc_energy: 0J, neuron_energy: 0J}
plasticity: {element: volatile, write_energy_per_event: 0J, write_energy_per_unit: 0J}
static_power: 0W
step_period: 1ms
`

// A feasibility map of the scalar-λ STPN (every synapse decays by the same
// trained λ) against the LSTM, on the paper design with priced writes:
//   - at τ = −Δt/ln λ (no variation) every cell decays by exp(−Δt/τ) = λ,
//     so with free writes STPN's energy is its reference energy and the
//     ratio is the ratio of the two references;
//   - joules are affine in the write price and the LSTM writes nothing, so
//     each row of ratios is affine in the write energy, rising with it;
//   - the LSTM has no decaying synapse: its accuracy is its reference's at
//     every τ, and STPN's at the needed τ is its reference's.
func TestFeasibilityAgainstReference(t *testing.T) {
	const stpn, lstm = "ART_STPN_scalarSTP_h20", "ART_LSTM_h9"
	fsys := artFS(t, stpn, lstm)
	designFile := testutil.WriteFile(t, t.TempDir(), "paper-writes.yaml", []byte(paperWrites))
	m := model(t, stpn)
	lam := m.Net.DecayFactors()[0]
	tau := circuit.NeededTau(lam, 1e-3)
	if !(tau > 0) || math.IsInf(tau, 0) {
		t.Fatalf("λ %v needs τ %v", lam, tau)
	}
	writes := []float64{0, 1e-12, 2e-12}
	var calls []string
	f, err := report.RunFeasibility(context.Background(), fsys, "ref", report.FeasibilityOptions{
		Design: designFile, Writes: writes, Taus: []float64{tau, 2e-3},
		Progress: func(done, total int) { calls = append(calls, fmt.Sprintf("%d/%d", done, total)) },
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.STPN != stpn || len(f.Versus) != 1 || f.Versus[0] != lstm || f.Sequences != 128 || !f.HasLabels || f.Design.Name != "paper-writes" {
		t.Fatalf("STPN %s versus %v over %d sequences (labels %v), design %s", f.STPN, f.Versus, f.Sequences, f.HasLabels, f.Design.Name)
	}
	// One STPN run and one comparison per τ: 2 × (1 + 1).
	if strings.Join(calls, " ") != "1/4 2/4 3/4 4/4" {
		t.Errorf("progress %v", calls)
	}
	want := refPerSequence(t, "art", stpn) / refPerSequence(t, "art", lstm)
	// exp(−Δt/τ) is λ to a few ulps; compounded over 9 steps and summed: 1e-10.
	r := f.Ratio[0][0][0]
	testutil.Close(t, "ratio at the needed τ, free writes", []float64{r.Lo, r.Hi}, []float64{want, want}, refTol, 0)
	if acc := refAccuracy(t, stpn); f.Accuracy[0] != (report.Interval{Lo: acc, Hi: acc}) {
		t.Errorf("STPN accuracy at the needed τ %v, want the reference's %v", f.Accuracy[0], acc)
	}
	for i := range f.Taus {
		row := f.Ratio[0][i]
		// Equal steps of write energy, equal steps of ratio (sums of a few
		// thousand terms: 1e-9 of the step).
		d1, d2 := row[1].Lo-row[0].Lo, row[2].Lo-row[1].Lo
		if !(d1 > 0) || math.Abs(d2-d1) > 1e-9*d1 {
			t.Errorf("τ %v: ratios %v, want affine and rising in the write energy", f.Taus[i], row)
		}
		for _, c := range row {
			if c.Lo != c.Hi {
				t.Errorf("τ %v: ratio %v is a range; the design has none", f.Taus[i], c)
			}
		}
		if acc := refAccuracy(t, lstm); f.VersusAccuracy[0][i] != (report.Interval{Lo: acc, Hi: acc}) {
			t.Errorf("τ %v: LSTM accuracy %v, want its reference's %v", f.Taus[i], f.VersusAccuracy[0][i], acc)
		}
	}
	// τ = 2 ms is not the trained one: STPN computes something else.
	if f.Ratio[0][1][0] == f.Ratio[0][0][0] {
		t.Errorf("the map does not depend on τ: %v", f.Ratio[0])
	}
}

// A map that cannot be drawn is one error, before anything runs.
func TestFeasibilityErrors(t *testing.T) {
	fsys := artFS(t, "ART_STPN_scalarSTP_h20", "ART_LSTM_h9")
	ok := report.FeasibilityOptions{Writes: []float64{1e-12}, Taus: []float64{1e-3}}
	tests := []struct {
		name string
		fsys fstest.MapFS
		edit func(*report.FeasibilityOptions)
		want string
	}{
		{"design", fsys, func(o *report.FeasibilityOptions) { o.Design = "no-such-design" }, "no-such-design"},
		{"no writes", fsys, func(o *report.FeasibilityOptions) { o.Writes = nil }, "feasibility: 0 write energies; want 1 to 64"},
		{"too many τ", fsys, func(o *report.FeasibilityOptions) { o.Taus = make([]float64, 65) }, "feasibility: 65 retention times; want 1 to 64"},
		{"τ zero", fsys, func(o *report.FeasibilityOptions) { o.Taus = []float64{1e-3, 0} }, "retention τ 0 s; want a finite time above 0"},
		{"τ infinite", fsys, func(o *report.FeasibilityOptions) { o.Taus = []float64{math.Inf(1)} }, "retention τ +Inf s"},
		{"τ NaN", fsys, func(o *report.FeasibilityOptions) { o.Taus = []float64{math.NaN()} }, "retention τ NaN s"},
		{"empty set", fstest.MapFS{}, func(*report.FeasibilityOptions) {}, "set ref: no model folders"},
		{"STPN", fsys, func(o *report.FeasibilityOptions) { o.STPN = "ART_STPN_h11" },
			`set ref: no STPN model "ART_STPN_h11" (models: ART_LSTM_h9, ART_STPN_scalarSTP_h20)`},
		{"versus", fsys, func(o *report.FeasibilityOptions) { o.Versus = []string{"ART_RNN_h20"} },
			`set ref: no model "ART_RNN_h20" to compare with (models: ART_LSTM_h9, ART_STPN_scalarSTP_h20)`},
		{"alone", fsys, func(o *report.FeasibilityOptions) { o.Models = "ART_STPN*" },
			"set ref: no model to compare ART_STPN_scalarSTP_h20 with"},
		{"broken model", artFS(t, "ART_LSTM_h9"), func(o *report.FeasibilityOptions) {}, ""},
	}
	tests[len(tests)-1].fsys["ART_LSTM_h9/model.pth"] = &fstest.MapFile{Data: []byte("PK")}
	tests[len(tests)-1].want = filepath.Join("ref", "ART_LSTM_h9", "model.pth")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opt := ok
			tt.edit(&opt)
			_, err := report.RunFeasibility(context.Background(), tt.fsys, "ref", opt)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

// LogSpace: n values from lo to hi with a constant ratio (hi/lo)^(1/(n−1)).
func TestLogSpace(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		want   []float64
		rtol   float64
	}{
		// Powers of a ratio: a few ulps.
		{1, 100, 3, []float64{1, 10, 100}, 1e-14},
		{1e-15, 1e-12, 4, []float64{1e-15, 1e-14, 1e-13, 1e-12}, 1e-14},
		{1e-3, 1e-2, 2, []float64{1e-3, 1e-2}, 1e-14},
		{5, 50, 1, []float64{5}, 1e-14},
		{5, 50, 0, []float64{5}, 1e-14},
		// hi/lo overflows float64; the values do not. math.Pow computes
		// exp(y·log x), whose error grows with |y·log x| (up to ~700 here):
		// a few hundred ulps.
		{1e-200, 1e200, 3, []float64{1e-200, 1, 1e200}, 1e-12},
		{1e-300, 1e300, 5, []float64{1e-300, 1e-150, 1, 1e150, 1e300}, 1e-12},
	}
	for _, tt := range tests {
		got := report.LogSpace(tt.lo, tt.hi, tt.n)
		testutil.Close(t, fmt.Sprintf("LogSpace(%v, %v, %d)", tt.lo, tt.hi, tt.n), got, tt.want, tt.rtol, 0)
		if got[0] != tt.lo || (tt.n > 1 && got[len(got)-1] != tt.hi) {
			t.Errorf("LogSpace(%v, %v, %d) = %v: the ends are not exact", tt.lo, tt.hi, tt.n, got)
		}
	}
}
