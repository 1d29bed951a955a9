package sweep_test

import (
	"context"
	"testing"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

// 1,000 price-only points (10 DAC energies × 10 write energies × 10 static
// powers) of STPN h11 on the reference ART set: one simulation, then 1,000
// re-pricings and result files. Compare with BenchmarkOneSimulation.
func BenchmarkPriceOnly1000(b *testing.B) {
	sw := prepare(b, `name: bench
models: {set: embedded, only: [ART_STPN_h11]}
design: rram-neurosim
axes:
  input.dac_energy: {from: 0.1pJ, to: 1pJ, steps: 10}
  plasticity.write_energy_per_event: {from: 10fJ, to: 10pJ, steps: 10, log: true}
  static_power: {from: 0W, to: 1mW, steps: 10}
`)
	b.ReportAllocs()
	for b.Loop() {
		dir := b.TempDir()
		st, err := sw.Run(context.Background(), dir, sweep.RunOptions{Version: "bench"})
		if err != nil || st.Simulations != 1 || st.Computed != 1000 {
			b.Fatalf("%+v %v", st, err)
		}
	}
}

// One evaluation of the same model and base design (calibration and run).
func BenchmarkOneSimulation(b *testing.B) {
	sw := prepare(b, `name: bench
models: {set: embedded, only: [ART_STPN_h11]}
design: rram-neurosim
axes: {input.dac_energy: [0.1pJ]}
`)
	d, err := design.Lookup("rram-neurosim")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := report.Evaluate(context.Background(), sw.Models[0].Model, d, sw.Inputs.Set, nil, report.EvalOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
