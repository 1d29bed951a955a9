package sweeptest

import (
	"runtime"
	"strings"
	"sync"
	"testing"
)

// A grid of one model over two levels and two DAC prices is 4 rows.
func TestTable(t *testing.T) {
	tab := Table(t, `name: t
models: {set: embedded, only: [ART_STPN_h11]}
design: rram-neurosim
axes:
  synapse.levels: [0, 8]
  input.dac_energy: [0J, 1pJ]
`)
	if len(tab.Rows) != 4 {
		t.Errorf("%d rows, want 2 × 2", len(tab.Rows))
	}
}

// recorder is a testing.TB whose Fatal records the failure and ends the
// goroutine, as testing's own does.
type recorder struct {
	testing.TB
	msg string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatal(args ...any) {
	for _, a := range args {
		r.msg += strings.TrimSpace(fmtAny(a))
	}
	runtime.Goexit()
}

func fmtAny(a any) string {
	if e, ok := a.(error); ok {
		return e.Error()
	}
	return ""
}

// A spec that does not parse, and one naming a model the set lacks, fail
// the test that prepares them.
func TestPrepareFails(t *testing.T) {
	for spec, want := range map[string]string{
		"name: [": "s.yaml",
		"name: x\nmodels: {set: embedded, only: [NOPE]}\ndesign: paper\naxes: {synapse.levels: [0]}\n": "NOPE",
	} {
		r := &recorder{TB: t}
		var wg sync.WaitGroup
		wg.Go(func() { Prepare(r, spec) })
		wg.Wait()
		if !strings.Contains(r.msg, want) {
			t.Errorf("spec %q: failure %q, want it to name %s", spec, r.msg, want)
		}
	}
}
