package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
)

// extremes are the legal ends of a figure: zero (where allowed), the
// smallest positive float64, and the largest.
var extremes = []float64{0, 5e-324, math.MaxFloat64}

// Every figure of every kind of design at each extreme legal value either
// runs — with finite numbers in the report — or is refused with one line
// (exit 1); no value panics or prints NaN. Dense and event inputs, since
// step_period means different things to them.
func TestExtremeDesignFigures(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CLI a few hundred times")
	}
	dir := t.TempDir()
	events := filepath.Join(dir, "e.csv")
	if err := os.WriteFile(events, []byte("sequence,t,channel,value\n0,0,3,1\n0,2.5,5,0.5\n1,1,0,1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ran, refused := 0, 0
	for _, preset := range []string{"paper", "rram-neurosim", "pcm", "loihi", "stp-diffusive"} {
		base, err := design.Lookup(preset)
		if err != nil {
			t.Fatal(err)
		}
		for _, key := range base.Figures() {
			for _, text := range extremeTexts(key) {
				d, err := base.WithText(key, text)
				if err != nil {
					continue // not a legal value for this key in this design
				}
				file := filepath.Join(dir, "d.yaml")
				f, err := os.Create(file)
				if err != nil {
					t.Fatal(err)
				}
				if err := d.WriteYAML(f); err != nil {
					t.Fatalf("%s %s=%s: a valid design does not write: %v", preset, key, text, err)
				}
				f.Close()
				for _, input := range [][]string{{"--art-n", "2"}, {"--events", events}} {
					args := append([]string{"energy", "--checkpoint", h11, "--design", file, "--format", "json"}, input...)
					code, out, errs := runCLI(t, args...)
					what := fmt.Sprintf("%s %s=%s %v", preset, key, text, input)
					switch code {
					case 0:
						ran++
						var v any
						if err := json.Unmarshal([]byte(out), &v); err != nil {
							t.Errorf("%s: report is not JSON: %v", what, err)
						}
						if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
							t.Errorf("%s: non-finite number in the report", what)
						}
					case 1:
						refused++
						if os.Getenv("SHOW_REFUSALS") != "" {
							t.Logf("%s: %s", what, strings.TrimSpace(errs))
						}
						if strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "neurosim: ") {
							t.Errorf("%s: refusal is not one line: %q", what, errs)
						}
					default:
						t.Errorf("%s: exit %d: %s", what, code, errs)
					}
				}
			}
		}
	}
	t.Logf("%d runs, %d refusals", ran, refused)
	if ran == 0 || refused == 0 {
		t.Errorf("%d runs and %d refusals: the extremes should include both", ran, refused)
	}
}

// extremeTexts writes the extreme values of a figure as a design file would.
func extremeTexts(key string) []string {
	switch key {
	case "synapse.levels":
		return []string{"0", "2", fmt.Sprint(design.MaxLevels)}
	case "seed":
		return []string{"0", "18446744073709551615"}
	}
	unit := ""
	if dim, ok := design.KeyDim(key); ok {
		unit = dim.Symbol()
	}
	var out []string
	for _, v := range extremes {
		out = append(out, fmt.Sprintf("%g%s", v, unit))
	}
	// A range from the smallest to the largest value.
	out = append(out, fmt.Sprintf("[%g%s, %g%s]", extremes[1], unit, extremes[2], unit))
	return out
}

// A valid step period of any length runs in every command (it panicked in
// workload.FromSet when dense sets were timed in nanoseconds).
func TestHugeStepPeriodEveryCommand(t *testing.T) {
	dir := t.TempDir()
	base, err := design.Lookup("rram-neurosim")
	if err != nil {
		t.Fatal(err)
	}
	for _, period := range []string{"5Gs", "1e18s", "1e300s"} {
		d, err := base.WithText("step_period", period)
		if err != nil {
			t.Fatal(err)
		}
		file := filepath.Join(dir, "d.yaml")
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		if err := d.WriteYAML(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		for _, args := range [][]string{
			{"energy", "--checkpoint", h11, "--art-n", "3", "--design", file},
			{"compare", "--design", file},
			{"breakeven", "--design", file},
		} {
			code, out, errs := runCLI(t, args...)
			if code != 0 {
				t.Errorf("%s with step_period %s: exit %d: %s", args[0], period, code, errs)
			}
			if strings.Contains(out, "NaN") || strings.Contains(out, "Inf") {
				t.Errorf("%s with step_period %s: non-finite output", args[0], period)
			}
		}
	}
}

// Tables show what JSON shows, so they must not print what JSON cannot
// hold: an area whose mm² overflow float64 (1e308 m²) is shown in m², and
// compare's W column, at one step per step_period, is refused — as energy's
// chip budget refuses it — when the rate or the power is not finite (it
// printed "+Inf Hz" and "+Inf W" with exit 0).
func TestExtremeFiguresInTables(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, edits ...string) string {
		t.Helper()
		d, err := design.Lookup("loihi")
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(edits); i += 2 {
			if d, err = d.WithText(edits[i], edits[i+1]); err != nil {
				t.Fatal(err)
			}
		}
		file := filepath.Join(dir, name)
		f, err := os.Create(file)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if err := d.WriteYAML(f); err != nil {
			t.Fatal(err)
		}
		return file
	}
	tile := write("tile.yaml", "area.tile", "1e308m2")
	code, out, errs := runCLI(t, "energy", "--checkpoint", h11, "--art-n", "2", "--design", tile)
	if code != 0 || strings.Contains(out, "Inf") || !strings.Contains(out, "1e+308 m²") {
		t.Errorf("area 1e308 m²: exit %d, %s\n%s", code, errs, out)
	}
	for _, tt := range []struct {
		name, file, want string
	}{
		{"no finite rate", write("rate.yaml", "step_period", "5e-324s"), "design loihi: no finite step rate (step_period 5e-324 s)"},
		{"power overflows", write("power.yaml", "step_period", "1e-300s", "synapse.synop_energy", "1e300J"),
			"design loihi: the power of ART_STPN_h11 overflows float64"},
	} {
		code, out, errs := runCLI(t, "compare", "--models", "ART_STPN_h11", "--design", tt.file)
		if code != 1 || out != "" {
			t.Errorf("%s: exit %d, want 1\n%s", tt.name, code, out)
		}
		oneLine(t, errs, tt.want)
	}
}

// A grid whose ends are legal but whose ratio overflows float64 is made of
// finite values: --taus 1e-200s,1e200s,3 was refused as "retention τ +Inf
// s" (the middle value was computed through (hi/lo)^½).
func TestFeasibilityExtremeGrid(t *testing.T) {
	code, out, errs := runCLI(t, "feasibility", "--versus", "ART_LSTM_h9", "--writes", "1e-200J,1e-190J,2",
		"--taus", "1e-200s,1e200s,3", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var rep struct {
		Taus []float64 `json:"retention_s"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// The middle of 1e-200 and 1e200 in log is 1 (a few hundred ulps: see
	// report's TestLogSpace).
	if len(rep.Taus) != 3 || rep.Taus[0] != 1e-200 || math.Abs(rep.Taus[1]-1) > 1e-12 || rep.Taus[2] != 1e200 {
		t.Errorf("retention_s = %v, want [1e-200 1 1e200]", rep.Taus)
	}
}
