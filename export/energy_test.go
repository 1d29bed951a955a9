package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/internal/npyfile"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/report"
)

var prov = Provenance{Version: "v9.9.9-test", Command: "neurosim energy --test", InputsNote: "the reference set"}

// evaluate runs a reference model on the reference ART set under a design.
func evaluate(t *testing.T, model, designName string) *report.Energy {
	t.Helper()
	m, err := report.LoadModel(testutil.Testdata("art", model, "model.pth"), "", "")
	if err != nil {
		t.Fatal(err)
	}
	d, err := design.Lookup(designName)
	if err != nil {
		t.Fatal(err)
	}
	e, err := report.Evaluate(context.Background(), m, d, fixture.ART(t), nil, report.EvalOptions{KeepSteps: true, Logits: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// decode parses JSON into generic maps, as a reader of the schema would.
func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, b)
	}
	return m
}

// lowHigh checks that v is {"low": number, "high": number}, low ≤ high.
func checkLowHigh(t *testing.T, path string, v any) (lo, hi float64) {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok || len(m) != 2 {
		t.Fatalf("%s = %v, want {low, high}", path, v)
	}
	lo, ok1 := m["low"].(float64)
	hi, ok2 := m["high"].(float64)
	if !ok1 || !ok2 || lo > hi {
		t.Fatalf("%s = %v, want numbers low ≤ high", path, v)
	}
	return lo, hi
}

// Every energy and accuracy of the energy JSON is {low, high}, exact designs
// included, under a meta block naming version, design and hash.
func TestEnergyJSONSchema(t *testing.T) {
	for _, design := range []string{"paper", "rram-neurosim", "pcm"} {
		t.Run(design, func(t *testing.T) {
			e := evaluate(t, "ART_STPN_h11", design)
			var b bytes.Buffer
			if err := WriteEnergy(&b, e, JSON, prov); err != nil {
				t.Fatal(err)
			}
			j := decode(t, b.Bytes())
			meta := j["meta"].(map[string]any)
			hash, _ := DesignHash(e.Design)
			for k, want := range map[string]any{"neurosim_version": "v9.9.9-test", "command": "neurosim energy --test",
				"design": design, "design_hash": hash, "inputs": testutil.Testdata("art", "inputs.npy"),
				"checkpoint": testutil.Testdata("art", "ART_STPN_h11", "model.pth")} {
				if meta[k] != want {
					t.Errorf("meta.%s = %v, want %v", k, meta[k], want)
				}
			}
			for _, k := range []string{"total_J", "mean_per_sequence_J", "paper_energy", "paper_energy_mean_per_sequence",
				"paper_energy_mean_per_step", "accuracy", "correct"} {
				checkLowHigh(t, k, j[k])
			}
			for _, k := range []string{"breakdown_J", "g_per_unit_S"} {
				for name, v := range j[k].(map[string]any) {
					checkLowHigh(t, k+"."+name, v)
				}
			}
			for loc, cats := range j["by_location_J"].(map[string]any) {
				for c, v := range cats.(map[string]any) {
					checkLowHigh(t, loc+"."+c, v)
				}
			}
			seqs := j["paper_energy_per_sequence"].([]any)
			steps := j["paper_energy_mean_at_step"].([]any)
			if len(seqs) != 128 || len(steps) != 9 {
				t.Fatalf("%d sequences, %d steps", len(seqs), len(steps))
			}
			for i, v := range append(seqs, steps...) {
				checkLowHigh(t, "per sequence/step "+strconv.Itoa(i), v)
			}
			// Accuracy is a fraction in data; correct = accuracy × N.
			alo, ahi := checkLowHigh(t, "accuracy", j["accuracy"])
			clo, chi := checkLowHigh(t, "correct", j["correct"])
			if alo < 0 || ahi > 1 || clo != math.Round(alo*128) || chi != math.Round(ahi*128) {
				t.Errorf("accuracy %v…%v, correct %v…%v", alo, ahi, clo, chi)
			}
			lo, hi := checkLowHigh(t, "total_J", j["total_J"])
			switch design {
			case "paper":
				// Exact: low = high = the reference's total paper energy
				// (energy_f64.npy, the reference run in float64; sums in
				// another order: 1e-12).
				ref := testutil.NPY(t, testutil.Testdata("art", "ART_STPN_h11", "energy_f64.npy"))
				var sum float64
				for _, v := range ref.Float {
					sum += v
				}
				testutil.Close(t, "total_J.low", []float64{lo}, []float64{sum}, 1e-12, 0)
				if lo != hi || alo != 55.0/128 || ahi != alo { // metrics.json: 0.4296875 = 55/128
					t.Errorf("paper: total %v…%v, accuracy %v…%v", lo, hi, alo, ahi)
				}
			case "rram-neurosim":
				// Price ranges (ADC, writes) give a range of joules, one run.
				if !(lo < hi) || j["corners"].(float64) != 1 {
					t.Errorf("rram-neurosim: total %v…%v over %v corners", lo, hi, j["corners"])
				}
			case "pcm":
				// Ranged device figures: 8 corners (g_max is exact; variation
				// and read noise are ranges … see the preset), paper energy a range.
				if j["corners"].(float64) < 2 {
					t.Errorf("pcm: %v corners", j["corners"])
				}
				if plo, phi := checkLowHigh(t, "paper_energy", j["paper_energy"]); !(plo < phi) {
					t.Errorf("pcm: paper energy %v…%v, want a range", plo, phi)
				}
			}
		})
	}
}

// readCSV splits a CSV output into its # metadata and its records.
func readCSV(t *testing.T, b []byte) (meta map[string]string, recs [][]string) {
	t.Helper()
	meta = map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(strings.TrimPrefix(l, "# "), ": "); ok && strings.HasPrefix(l, "# ") {
			meta[k] = v
		}
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return meta, recs
}

func col(t *testing.T, head []string, name string) int {
	t.Helper()
	i := slices.Index(head, name)
	if i < 0 {
		t.Fatalf("no column %s in %v", name, head)
	}
	return i
}

func parse(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The CSV header does not depend on the design; every energy is _low/_high
// with its unit; each row adds up.
func TestEnergyCSV(t *testing.T) {
	var heads [][]string
	for _, design := range []string{"paper", "rram-neurosim"} {
		e := evaluate(t, "ART_STPN_h11", design)
		var b bytes.Buffer
		if err := WriteEnergy(&b, e, CSV, prov); err != nil {
			t.Fatal(err)
		}
		meta, recs := readCSV(t, b.Bytes())
		if meta["design"] != design || meta["neurosim_version"] != "v9.9.9-test" || len(meta["design_hash"]) != 64 {
			t.Errorf("%s: meta %v", design, meta)
		}
		head := recs[0]
		heads = append(heads, head)
		if len(recs) != 129 {
			t.Fatalf("%d records", len(recs))
		}
		for _, h := range head {
			if strings.Contains(h, "_J") && !strings.HasSuffix(h, "_J_low") && !strings.HasSuffix(h, "_J_high") {
				t.Errorf("column %s: joules without _low/_high", h)
			}
		}
		// Sequence 0 of the reference set has label 33 (testdata/art/README.md).
		row := recs[1]
		if row[0] != "0" || row[1] != "33" {
			t.Errorf("first row %v", row[:4])
		}
		for _, end := range []string{"_low", "_high"} {
			var sum float64
			for _, c := range energy.Categories() {
				sum += parse(t, row[col(t, head, c.String()+"_J"+end)])
			}
			// The total is the sum of the categories (in the same order: exact up to rounding).
			testutil.Close(t, design+" total"+end, []float64{parse(t, row[col(t, head, "total_J"+end)])}, []float64{sum}, 1e-15, 0)
			var steps float64
			for s := range 9 {
				steps += parse(t, row[col(t, head, "paper_energy_step_"+strconv.Itoa(s)+end)])
			}
			testutil.Close(t, "paper sequence"+end, []float64{parse(t, row[col(t, head, "paper_energy_sequence"+end)])}, []float64{steps}, 1e-15, 0)
		}
		if design == "paper" {
			// paper design: synapse_read joules are the paper energy.
			if row[col(t, head, "synapse_read_J_low")] != row[col(t, head, "paper_energy_sequence_low")] {
				t.Errorf("paper: synapse_read ≠ paper energy in %v", row)
			}
		}
	}
	if !slices.Equal(heads[0], heads[1]) || !slices.Equal(heads[0], EnergyCSVHeader(9)) {
		t.Errorf("headers differ:\n%v\n%v", heads[0], heads[1])
	}
}

// The human table fits 100 columns (and transposes its location table to
// do so), carries units, says where the inputs came from.
func TestEnergyTable(t *testing.T) {
	e := evaluate(t, "ART_FW_S1_h20", "rram-neurosim")
	var narrow, wide bytes.Buffer
	if err := WriteEnergy(&Terminal{W: &narrow, Style: Style{Width: 100}}, e, Table, prov); err != nil {
		t.Fatal(err)
	}
	if maxLine(narrow.String()) > 100 || !strings.Contains(narrow.String(), "energy (J)") {
		t.Errorf("a line of %d columns:\n%s", maxLine(narrow.String()), &narrow)
	}
	if err := WriteEnergy(&Terminal{W: &wide, Style: Style{Width: 0}}, e, Table, prov); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"the reference set", "% of sequences", "paper units, dimensionless", "synapse_read (J)",
		"S per unit efficacy", "g_per_unit W", "J, all sequences", "min (paper units)"} {
		if !strings.Contains(wide.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, &wide)
		}
	}
	if maxLine(wide.String()) <= 100 {
		t.Errorf("--wide table fits 100 columns: is it wrapped?\n%s", &wide)
	}
}

// .npy outputs are the reference's numbers; the trace adds up to the report.
func TestEnergyFiles(t *testing.T) {
	e := evaluate(t, "ART_STPN_h11", "paper")
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
		ref   string
		shape []int
	}{
		{"per-step", func(b *bytes.Buffer) error { return WritePerStepNPY(b, e) }, "energy_f64.npy", []int{128, 9}},
		{"logits", func(b *bytes.Buffer) error { return WriteLogitsNPY(b, e) }, "logits_f64.npy", []int{128, 37}},
	} {
		var b bytes.Buffer
		if err := tt.write(&b); err != nil {
			t.Fatal(err)
		}
		a, err := npyfile.Decode(b.Bytes(), 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(a.Shape, tt.shape) {
			t.Fatalf("%s: shape %v", tt.name, a.Shape)
		}
		// Same tolerances as the CLI's parity test.
		testutil.Close(t, tt.name, a.Float64s(), testutil.NPY(t, testutil.Testdata("art", "ART_STPN_h11", tt.ref)).Float, 1e-11, 1)
	}
	var b bytes.Buffer
	if err := WriteTrace(&b, e, prov); err != nil {
		t.Fatal(err)
	}
	meta, recs := readCSV(t, b.Bytes())
	if meta["command"] != prov.Command || !slices.Equal(recs[0], TraceCSVHeader()) || len(recs) != 1+128*9 {
		t.Fatalf("trace: meta %v, header %v, %d records", meta, recs[0], len(recs))
	}
	var read float64
	for _, r := range recs[1:] {
		if r[col(t, recs[0], "synapse_read_J_low")] != r[col(t, recs[0], "paper_energy_low")] {
			t.Fatalf("paper design: step's synapse_read ≠ paper energy: %v", r)
		}
		read += parse(t, r[col(t, recs[0], "synapse_read_J_high")])
	}
	// Summed over the steps in file order rather than per sequence: 1e-12.
	testutil.Close(t, "trace total", []float64{read}, []float64{float64(e.Joules.Total.Hi)}, 1e-12, 0)
}

// A NaN anywhere in the results stops every writer with the place named,
// before anything is written.
func TestNonFiniteRefused(t *testing.T) {
	e := evaluate(t, "ART_STPN_h11", "paper")
	e.Runs[0].Result.PerStep[2*9+4] = energy.Paper(math.NaN()) // sequence 2, step 4
	e.Runs[0].Result.Logits[37+5] = math.Inf(1)                // sequence 1, class 5
	for _, tt := range []struct {
		name  string
		write func(*bytes.Buffer) error
		want  string
	}{
		{"json", func(b *bytes.Buffer) error { return WriteEnergy(b, e, JSON, prov) }, "paper_energy_per_sequence[2].low is NaN"},
		{"csv", func(b *bytes.Buffer) error { return WriteEnergy(b, e, CSV, prov) }, "paper_energy_per_sequence[2].low is NaN"},
		{"table", func(b *bytes.Buffer) error { return WriteEnergy(b, e, Table, prov) }, "paper_energy_per_sequence[2].low is NaN"},
		{"per-step", func(b *bytes.Buffer) error { return WritePerStepNPY(b, e) }, "sequence 2 step 4 is NaN"},
		{"logits", func(b *bytes.Buffer) error { return WriteLogitsNPY(b, e) }, "sequence 1 class 5 is +Inf"},
		{"trace", func(b *bytes.Buffer) error { return WriteTrace(b, e, prov) }, "sequence 2 step 4 paper_energy_low is NaN"},
	} {
		var b bytes.Buffer
		err := tt.write(&b)
		var nf *NonFiniteError
		if !errors.As(err, &nf) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
		if tt.name != "trace" && b.Len() > 0 {
			t.Errorf("%s: %d bytes written before the error", tt.name, b.Len())
		}
	}
}

// The energy report's JSON, with its per-sequence list written directly,
// is byte for byte what encoding/json writes for the whole document; for a
// ranged design, for an empty and a missing list, and for a long list of
// exact and ranged values and ±0 too.
func TestEnergyJSONAsEncodingJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	long := make(Values, 3*4096+17)
	for i := range long {
		v := rng.NormFloat64() * math.Pow(10, float64(rng.IntN(40)-20))
		switch i % 4 {
		case 0:
			long[i] = exact(v)
		case 1:
			long[i] = Value{v, v * 1.5}
		case 2:
			long[i] = Value{math.Copysign(0, -1), 0}
		default:
			long[i] = exact(float64(i))
		}
	}
	for _, d := range []string{"paper", "pcm"} {
		e := evaluate(t, "ART_STPN_h11", d)
		j, err := NewEnergyJSON(e, Provenance{Version: "v-test", Command: "neurosim energy"})
		if err != nil {
			t.Fatal(err)
		}
		for _, seqs := range []Values{j.PaperSeqs, {}, nil, long} {
			j.PaperSeqs = seqs
			var fast, plain bytes.Buffer
			if err := writeEnergyJSON(&fast, j); err != nil {
				t.Fatal(err)
			}
			if err := writeJSON(&plain, j); err != nil {
				t.Fatal(err)
			}
			if fast.String() != plain.String() {
				t.Fatalf("%s, %d sequences: the fast JSON differs from encoding/json's", d, len(seqs))
			}
		}
	}
}
