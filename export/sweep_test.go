package export

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/neurosim/neurosim/internal/sweeptest"
	"github.com/neurosim/neurosim/sweep"
)

const sweepSpec = `name: out
models: {set: embedded, only: [ART_STPN_h11, ART_LSTM_h9]}
design: rram-neurosim
axes:
  synapse.levels: [0, 8]
  plasticity.element: [volatile, rewrite]
`

// A sweep's CSV and JSON Lines follow the schema of every output: the
// header lines, _low/_high columns and {low, high} objects for the same
// quantities, accuracy a fraction, the design hash and version in each row.
func TestSweepCSVAndJSONL(t *testing.T) {
	tab := sweeptest.Table(t, sweepSpec)
	var c, j bytes.Buffer
	if err := WriteSweep(&c, tab, CSV, "v-test"); err != nil {
		t.Fatal(err)
	}
	if err := WriteSweep(&j, tab, JSON, "v-test"); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(c.String(), "# neurosim_version: v-test\n# sweep: out\n") || !strings.Contains(c.String(), "\n# design_hash: "+tab.Plan.DesignHash+"\n") {
		t.Errorf("CSV header lines:\n%s", c.String()[:400])
	}
	r := csv.NewReader(&c)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := SweepCSVHeader(tab.Plan)
	if !slices.Equal(recs[0], head) || len(recs) != 1+len(tab.Rows) {
		t.Fatalf("CSV header %v, %d records", recs[0], len(recs))
	}
	col := func(rec []string, name string) string { return rec[slices.Index(head, name)] }
	lines := strings.Split(strings.TrimSuffix(j.String(), "\n"), "\n")
	if len(lines) != len(tab.Rows) {
		t.Fatalf("%d JSON lines for %d rows", len(lines), len(tab.Rows))
	}
	for i, line := range lines {
		var row map[string]any
		if err := json.Unmarshal([]byte(line), &row); err != nil {
			t.Fatalf("line %d: %v", i, err)
		}
		// One column per key: a {low, high} object is NAME_low, NAME_high.
		var keys []string
		dec := json.NewDecoder(strings.NewReader(line))
		dec.Token()
		for dec.More() {
			k, _ := dec.Token()
			var v json.RawMessage
			dec.Decode(&v)
			if bytes.HasPrefix(v, []byte(`{"low":`)) {
				keys = append(keys, k.(string)+"_low", k.(string)+"_high")
			} else {
				keys = append(keys, k.(string))
			}
		}
		if !slices.Equal(keys, head) {
			t.Errorf("line %d keys %v\nwant the CSV's %v", i, keys, head)
		}
		rec := recs[1+i]
		low := func(k string) float64 { return row[k].(map[string]any)["low"].(float64) }
		// Identity: J per inference is the total over the sequences.
		n := row["sequences"].(float64)
		if got, want := low("mean_per_sequence_J")*n, low("total_J"); math.Abs(got-want) > 1e-12*want {
			t.Errorf("line %d: mean %g × %g sequences = %g, total %g", i, low("mean_per_sequence_J"), n, got, want)
		}
		if a := low("accuracy"); a < 0 || a > 1 || col(rec, "accuracy_low") != full(a) {
			t.Errorf("line %d: accuracy %g (CSV %s), want the same fraction", i, a, col(rec, "accuracy_low"))
		}
		if row["design_hash"] != col(rec, "design_hash") || row["neurosim_version"] != "test" ||
			col(rec, "pareto") != strconv.FormatBool(row["pareto"].(bool)) {
			t.Errorf("line %d: design hash %v / %s, version %v", i, row["design_hash"], col(rec, "design_hash"), row["neurosim_version"])
		}
	}
}

// The human table fits 100 columns and says what it hid; a sweep of more
// than MaxSweepTableRows rows shows its Pareto rows.
func TestSweepTable(t *testing.T) {
	tab := sweeptest.Table(t, sweepSpec)
	var b bytes.Buffer
	if err := WriteSweep(&Terminal{W: &b, Style: Style{Width: 100}}, tab, Table, "v"); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(b.String(), "\n") {
		if n := utf8.RuneCountInString(l); n > 100 {
			t.Errorf("line of %d columns: %q", n, l)
		}
	}
	for _, want := range []string{"sweep out: 4 points × 2 models × 1 seeds", "synapse.levels", "plasticity.element", "J/inference", "accuracy", "(%)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("table has no %q:\n%s", want, b.String())
		}
	}
	big := &sweep.Table{Plan: tab.Plan}
	for len(big.Rows) <= MaxSweepTableRows {
		big.Rows = append(big.Rows, tab.Rows...)
	}
	fronts := 0
	for _, r := range big.Rows {
		if r.Pareto {
			fronts++
		}
	}
	b.Reset()
	if err := WriteSweep(&Terminal{W: &b, Style: Style{Width: 0}}, big, Table, "v"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "rows: those on their model's Pareto front") || strings.Count(b.String(), "\n│ ART_") != fronts {
		t.Errorf("%d front rows of %d; table:\n%s", fronts, len(big.Rows), b.String())
	}
}

// A row with a non-finite number is refused, naming it; nothing is written.
func TestSweepNonFinite(t *testing.T) {
	tab := sweeptest.Table(t, sweepSpec)
	r := *tab.Rows[1].R
	r.Breakdown[0][1] = math.Inf(1)
	tab.Rows[1].R = &r
	for _, f := range []Format{CSV, JSON} {
		var b bytes.Buffer
		err := WriteSweep(&b, tab, f, "v")
		var nf *NonFiniteError
		if !errors.As(err, &nf) || !strings.Contains(err.Error(), "row 1 synapse_read_J") {
			t.Errorf("%v: %v", f, err)
		}
	}
}
