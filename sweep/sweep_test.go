package sweep_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/internal/sweeptest"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

func prepare(t testing.TB, spec string) *sweep.Sweep { return sweeptest.Prepare(t, spec) }

func run(t testing.TB, sw *sweep.Sweep, dir string, opt sweep.RunOptions) sweep.Stats {
	t.Helper()
	opt.Version = "test"
	st, err := sw.Run(context.Background(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// merged returns the CSV and JSON Lines of a finished results folder.
func merged(t testing.TB, dir string) (csv, jsonl []byte) {
	t.Helper()
	tab, err := sweep.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	var c, j bytes.Buffer
	if err := export.WriteSweep(&c, tab, export.CSV, "test"); err != nil {
		t.Fatal(err)
	}
	if err := export.WriteSweep(&j, tab, export.JSON, "test"); err != nil {
		t.Fatal(err)
	}
	return c.Bytes(), j.Bytes()
}

const priceSpec = `name: prices
models: {set: embedded, only: [ART_STPN_h11]}
design: rram-neurosim
axes:
  input.dac_energy: [0.1pJ, 1pJ, 0J]
  plasticity.write_energy_per_event: {from: 10fJ, to: 10pJ, steps: 4, log: true}
  static_power: [0W, 1mW]
  plasticity.element: [volatile, rewrite]
`

// Price-only axes never re-simulate: 48 rows from one run, each exactly the
// counts of that one run times the row's prices.
func TestPriceOnlyAxesAreCountsTimesPrice(t *testing.T) {
	sw := prepare(t, priceSpec)
	dir := t.TempDir()
	st := run(t, sw, dir, sweep.RunOptions{})
	if st.Rows != 48 || st.Computed != 48 || st.Simulations != 1 {
		t.Fatalf("%+v, want 48 rows computed from 1 simulation", st)
	}
	if again := run(t, sw, dir, sweep.RunOptions{}); again.Found != 48 || again.Simulations != 0 {
		t.Errorf("rerun %+v, want every row found and nothing run", again)
	}
	tab, err := sweep.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}

	// The counts, from one independent run of the base design.
	base, err := design.Lookup("rram-neurosim")
	if err != nil {
		t.Fatal(err)
	}
	e, err := report.Evaluate(context.Background(), sw.Models[0].Model, base, sw.Inputs.Set, nil,
		report.EvalOptions{Meter: energy.Meter{Writes: true}})
	if err != nil {
		t.Fatal(err)
	}
	c := e.Result.TotalCounts()
	steps := float64(sw.Inputs.Set.N * sw.Inputs.Set.T)
	for _, r := range tab.Rows {
		dac, _ := tab.AxisValue(&r, 0)
		wpe, _ := tab.AxisValue(&r, 1)
		pw, _ := tab.AxisValue(&r, 2)
		_, elem := tab.AxisValue(&r, 3)
		// Each category is a sum over arrays of a count times a price, in
		// array order, as below: the same products in the same order, so
		// equal to the bit.
		var wantDAC, wantWrite float64
		for _, a := range c.Arrays {
			wantDAC += *dac * float64(a.Drives)
			writes := a.Writes
			if elem == "rewrite" {
				writes = a.Rewrites
			}
			wantWrite += *wpe*float64(writes) + 0*a.WriteUnits // write_energy_per_unit is 0 J
		}
		b := r.R.Breakdown
		if b[energy.DAC] != [2]float64{wantDAC, wantDAC} {
			t.Errorf("row %d: dac %v J, want %g J (%g J × drives)", r.Point, b[energy.DAC], wantDAC, *dac)
		}
		if b[energy.SynapseWrite] != [2]float64{wantWrite, wantWrite} {
			t.Errorf("row %d (%s): write %v J, want %g J", r.Point, elem, b[energy.SynapseWrite], wantWrite)
		}
		// static = P × N·T steps × 1 ms step period.
		if got, want := b[energy.Static][1], *pw*(steps*1e-3); got != want {
			t.Errorf("row %d: static %g J, want %g J", r.Point, got, want)
		}
		// The read does not depend on these prices: the base run's, bit for bit.
		if got, want := b[energy.SynapseRead], [2]float64{float64(e.Joules.Breakdown[energy.SynapseRead].Lo),
			float64(e.Joules.Breakdown[energy.SynapseRead].Hi)}; got != want {
			t.Errorf("row %d: read %v J, want the base run's %v J", r.Point, got, want)
		}
	}

	// And one row is what a fresh run of its own design reports.
	d := base
	for _, kv := range [][2]string{{"input.dac_energy", "1pJ"}, {"plasticity.write_energy_per_event", "10pJ"},
		{"static_power", "1mW"}, {"plasticity.element", "volatile"}} {
		if d, err = d.WithText(kv[0], kv[1]); err != nil {
			t.Fatal(err)
		}
	}
	fresh, err := report.Evaluate(context.Background(), sw.Models[0].Model, d, sw.Inputs.Set, nil, report.EvalOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const point = 1*16 + 3*4 + 1*2 + 0 // dac 1pJ, write 10pJ, 1 mW, volatile
	r := tab.Rows[point].R
	for cat := range energy.NumCategories {
		j := fresh.Joules.Breakdown[cat]
		if r.Breakdown[cat] != [2]float64{float64(j.Lo), float64(j.Hi)} {
			t.Errorf("%v: re-priced %v J, fresh run %v", energy.Category(cat), r.Breakdown[cat], j)
		}
	}
}

const mixedSpec = `name: mixed
models: {set: embedded, only: [ART_STPN_h11, ART_LSTM_h9]}
design: rram-neurosim
axes:
  synapse.levels: [0, 8]
  synapse.read_noise: [0, 0.1]
  input.dac_energy: [0.1pJ, 1pJ]
seeds: 2
`

// A single run, three shards, a run cancelled and resumed, and a run killed
// (SIGKILL) and resumed all merge to the same bytes.
func TestMergeIsTheSameWhateverHowRun(t *testing.T) {
	sw := prepare(t, mixedSpec)
	single := t.TempDir()
	st := run(t, sw, single, sweep.RunOptions{Workers: 1})
	// 2 models × (2 levels × 2 noises × 2 seeds) simulations, 2 prices each.
	if st.Rows != 32 || st.Simulations != 16 {
		t.Fatalf("%+v, want 32 rows from 16 simulations", st)
	}
	wantCSV, wantJSONL := merged(t, single)

	sharded := t.TempDir()
	total := 0
	for i := range 3 {
		s := run(t, sw, sharded, sweep.RunOptions{Workers: 2, Shard: i, Shards: 3})
		total += s.Rows
		if i < 2 {
			if _, err := sweep.Merge(sharded); !errors.As(err, new(*sweep.IncompleteError)) {
				t.Errorf("merge after shard %d of 3: %v, want an IncompleteError", i, err)
			}
		}
	}
	if total != 32 {
		t.Errorf("shards hold %d rows, want 32 (each once)", total)
	}

	cancelled := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	_, err := sw.Run(ctx, cancelled, sweep.RunOptions{Workers: 3, Version: "test", Rows: func(done, _, _ int) {
		if done == 7 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v", err)
	}
	if st := run(t, sw, cancelled, sweep.RunOptions{}); st.Found < 7 || st.Found == 32 {
		t.Errorf("resumed run found %d rows, want the 7+ written before the cancel", st.Found)
	}

	killed := t.TempDir()
	killChild(t, killed)
	st = run(t, sw, killed, sweep.RunOptions{Workers: 2})
	if st.Found != 6 {
		t.Errorf("after the kill, %d rows were found, want the 6 (3 groups) written before it", st.Found)
	}
	// A temporary file left by a kill during a write is ignored.
	os.WriteFile(filepath.Join(killed, "points", ".abc.json.tmp-1"), []byte(`{"trunc`), 0o644)

	for name, dir := range map[string]string{"3 shards": sharded, "cancelled": cancelled, "killed": killed} {
		c, j := merged(t, dir)
		if !bytes.Equal(c, wantCSV) || !bytes.Equal(j, wantJSONL) {
			t.Errorf("%s: merged table differs from the single run's", name)
		}
	}
	if n := bytes.Count(wantCSV, []byte("\n")); n != 11+1+32 {
		t.Errorf("CSV has %d lines, want 11 meta + header + 32 rows", n)
	}
}

// killChild runs the mixed sweep in a child process that stops once 5 rows
// are done (3 groups of 2 rows written) and kills it with SIGKILL there,
// before the fourth group is written.
func killChild(t *testing.T, dir string) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperKilledSweep$")
	cmd.Env = append(os.Environ(), "SWEEP_HELPER_DIR="+dir)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(dir, "stopped")
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("child never reached row 5:\n%s", out.String())
		}
	}
	cmd.Process.Kill()
	cmd.Wait()
	os.Remove(marker)
}

// TestHelperKilledSweep is the child of killChild; it does nothing in a
// normal test run.
func TestHelperKilledSweep(t *testing.T) {
	dir := os.Getenv("SWEEP_HELPER_DIR")
	if dir == "" {
		t.Skip("helper process of TestMergeIsTheSameWhateverHowRun")
	}
	sw := prepare(t, mixedSpec)
	sw.Run(context.Background(), dir, sweep.RunOptions{Version: "test", Rows: func(done, _, _ int) {
		if done >= 5 {
			os.WriteFile(filepath.Join(dir, "stopped"), nil, 0o644)
			time.Sleep(time.Hour) // killed here
		}
	}})
}

// Grid and random specs with the same axes have the same columns; a random
// spec draws the same points for the same seed.
func TestColumnsAndRandomPoints(t *testing.T) {
	grid := prepare(t, mixedSpec)
	random := prepare(t, strings.Replace(mixedSpec, "seeds: 2", "mode: {random: 5, seed: 3}", 1))
	again := prepare(t, strings.Replace(mixedSpec, "seeds: 2", "mode: {random: 5, seed: 3}", 1))
	other := prepare(t, strings.Replace(mixedSpec, "seeds: 2", "mode: {random: 5, seed: 4}", 1))
	if len(random.Points) != 5 {
		t.Fatalf("%d random points, want 5", len(random.Points))
	}
	same := func(a, b *sweep.Sweep) bool {
		for i := range a.Rows {
			if a.Rows[i].Key != b.Rows[i].Key {
				return false
			}
		}
		return true
	}
	if !same(random, again) || same(random, other) {
		t.Error("random points do not follow the mode's seed")
	}
	dirs := []string{t.TempDir(), t.TempDir()}
	run(t, grid, dirs[0], sweep.RunOptions{})
	run(t, random, dirs[1], sweep.RunOptions{})
	var cols [2]string
	for i, d := range dirs {
		tab, err := sweep.Merge(d)
		if err != nil {
			t.Fatal(err)
		}
		cols[i] = strings.Join(export.SweepCSVHeader(tab.Plan), ",")
	}
	if cols[0] != cols[1] {
		t.Errorf("columns differ:\ngrid   %s\nrandom %s", cols[0], cols[1])
	}
	if !strings.Contains(cols[0], ",synapse.levels,synapse.read_noise,input.dac_energy_J,") {
		t.Errorf("axis columns: %s", cols[0])
	}
}

// Generated axes: ends exact, geometric spacing, 12 significant digits.
func TestGeneratedAxis(t *testing.T) {
	sw := prepare(t, `name: g
models: {set: embedded, only: [ART_STPN_h11]}
design: rram-neurosim
axes:
  readout.adc_energy: {from: 10fJ, to: 10pJ, steps: 4, log: true}
  synapse.read_noise: {from: 0, to: 0.3, steps: 4}
  synapse.levels: {from: 2, to: 64, steps: 6, log: true}
`)
	var got []string
	for _, ax := range sw.Axes {
		var vs []string
		for _, v := range ax.Values {
			vs = append(vs, v.Text)
		}
		got = append(got, strings.Join(vs, " "))
	}
	want := []string{
		"10fJ 100fJ 1pJ 10pJ",
		"0 0.1 0.2 0.3",
		"2 4 8 16 32 64", // 2·2^k: geometric from 2 to 64 in 6 steps is exact
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("axis %d: %s, want %s", i, got[i], want[i])
		}
	}
}

func TestBadSpec(t *testing.T) {
	head := "name: bad\nmodels: {set: embedded, only: [ART_STPN_h11]}\ndesign: rram-neurosim\naxes:\n"
	cases := []struct{ name, spec, want string }{
		{"unknown path", head + "  synapse.levls: [4, 8]\n", "s.yaml:5: axes: synapse.levls: is not a design key"},
		{"wrong unit", head + "  synapse.levels: [4]\n  input.v_read: [0.5V, 2pJ]\n", `s.yaml:6: axes: input.v_read: "2pJ" is an energy, want a voltage`},
		{"out of range", head + "  synapse.levels: [4, 1]\n", "s.yaml:5: axes: synapse.levels: 1 level stores nothing"},
		{"negative", head + "  synapse.read_noise:\n    - 0\n    - -0.1\n", `s.yaml:7: axes: synapse.read_noise: "-0.1" is negative`},
		{"range in from", head + "  input.v_read: {from: 0.1V, to: 5pJ, steps: 3}\n", `s.yaml:5: axes: input.v_read: "5pJ" is an energy`},
		{"combination", head + "  synapse.g_min: [1uS, 20uS]\n  synapse.g_max: [10uS, 30uS]\n",
			"s.yaml:5: point 2 (synapse.g_min=20uS, synapse.g_max=10uS): synapse.g_min: 20uS exceeds g_max 10uS"},
		{"log from zero", head + "  synapse.read_noise: {from: 0, to: 0.4, steps: 3, log: true}\n", "s.yaml:5: axes: synapse.read_noise: log: true needs from and to above zero"},
		{"no steps", head + "  synapse.read_noise: {from: 0, to: 0.4}\n", "s.yaml:5: axes: synapse.read_noise: steps: missing"},
		{"repeat", head + "  synapse.levels: [4, 8, 4]\n", "s.yaml:5: axes: synapse.levels: value 4 repeats the value at line 5"},
		{"range value", head + "  synapse.read_noise: [[0, 0.1]]\n", "s.yaml:5: axes: synapse.read_noise: each value is one figure"},
		{"seed axis", head + "  seed: [1, 2]\n", "s.yaml:5: axes: seed: use seeds: N"},
		{"forbidden key", head + "  synapse.synop_energy: [1pJ]\n", "s.yaml:5: axes: synapse.synop_energy: mapping differential has no"},
		{"unknown top key", head + "  synapse.levels: [4]\nsteps: 3\n", `s.yaml:6: the top level: unknown key "steps"`},
		{"seeds zero", head + "  synapse.levels: [4]\nseeds: 0\n", `s.yaml:6: seeds: "0" is not a whole number from 1 to`},
		{"no such model", "name: bad\nmodels: {set: embedded, only: [ART_GRU]}\ndesign: paper\naxes: {input.v_read: [1V]}\n", "s.yaml:2: models: set embedded reference ART set has no model ART_GRU"},
		{"no such design", "name: bad\nmodels: {set: embedded}\ndesign: rram\naxes: {input.v_read: [1V]}\n", `s.yaml:3: design: "rram" is neither a preset`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := sweep.ParseSpec("s.yaml", []byte(c.spec))
			if err == nil {
				_, err = sweep.Prepare(s, sweep.Options{Embedded: neurosim.ReferenceART()})
			}
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "sweep s.yaml:") {
				t.Errorf("got %v\nwant an error containing %q", err, c.want)
			}
			if err != nil && strings.Contains(err.Error(), "\n") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}
