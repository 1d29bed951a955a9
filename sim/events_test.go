package sim_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/neurosim/neurosim/sim"
	"github.com/neurosim/neurosim/workload"
)

// A dense set written as an event file — every channel of step k at
// t = k·period, zeros included — runs bit-identically to the dense run.
func TestDenseThroughEventsIsIdentical(t *testing.T) {
	set, err := workload.LoadInputs(testdataInputs())
	if err != nil {
		t.Fatal(err)
	}
	const period = workload.Tick(1_000_000) // 1 ms
	var csv strings.Builder
	csv.WriteString("sequence,t,channel,value\n")
	for n := range 32 {
		for k := range set.T {
			for c, v := range set.Sequence(n, nil)[k*set.I : (k+1)*set.I] {
				fmt.Fprintf(&csv, "%d,%s,%d,%s\n", n, strconv.FormatFloat(float64(k)*1e-3, 'g', -1, 64), c, strconv.FormatFloat(v, 'g', -1, 64))
			}
		}
	}
	events, err := workload.DecodeEventsCSV("dense.csv", []byte(csv.String()), set.I)
	if err != nil {
		t.Fatal(err)
	}
	set = set.Head(32)
	for _, name := range []string{"ART_STPN_h11", "ART_STPNf_h13", "ART_FW_S1_h20", "ART_HebbFF_h26", "ART_LSTM_h9"} {
		net := network(t, name)
		dense, err := sim.Run(context.Background(), net, workload.FromSet(set), sim.Options{Period: float64(period), Clocked: true, Logits: true})
		if err != nil {
			t.Fatal(err)
		}
		ev, err := sim.Run(context.Background(), net, events, sim.Options{Period: float64(period), KeepSteps: true, Logits: true})
		if err != nil {
			t.Fatal(err)
		}
		for i := range dense.PerStep {
			if math.Float64bits(float64(dense.PerStep[i])) != math.Float64bits(float64(ev.PerStep[i])) || ev.Deltas[i] != 1 {
				t.Fatalf("%s step %d: events %v (Δ %v), dense %v", name, i, ev.PerStep[i], ev.Deltas[i], dense.PerStep[i])
			}
		}
		for i := range dense.Logits {
			if math.Float64bits(dense.Logits[i]) != math.Float64bits(ev.Logits[i]) {
				t.Fatalf("%s logit %d differs", name, i)
			}
		}
	}
}

// Δ_k = (t_k − t_{k−1}) / period, Δ₁ = 1; a sequence without steps reads
// out the initial state.
func TestDeltas(t *testing.T) {
	csv := "sequence,t,channel,value\n0,0.5,3,1\n0,0.5025,4,1\n0,2.5,3,-1\n1,7,0,1\n"
	events, err := workload.DecodeEventsCSV("d.csv", []byte(csv), 37)
	if err != nil {
		t.Fatal(err)
	}
	res, err := sim.Run(context.Background(), network(t, "ART_STPN_h11"), events, sim.Options{Period: float64(1_000_000), KeepSteps: true})
	if err != nil {
		t.Fatal(err)
	}
	// gaps of 2.5 ms and 1997.5 ms at a 1 ms period
	want := []float64{1, 2.5, 1997.5, 1}
	for i, d := range res.Deltas {
		if d != want[i] {
			t.Errorf("Δ[%d] = %v, want %v", i, d, want[i])
		}
	}
	if res.Steps(0) != 3 || res.Steps(1) != 1 || res.Active[0] != 1 {
		t.Errorf("steps %d %d, active %v", res.Steps(0), res.Steps(1), res.Active)
	}
}

func testdataInputs() string { return testdataPath("art", "inputs.npy") }

// BenchmarkSilence compares 1000 network steps packed at the step period
// with 1000 events spread over one hour (mean gap 3.6 s = 3600 periods of
// 1 ms): cost follows the events, not the simulated time. Each event drives
// one of the 37 input channels; events-over-steps/all-channels drives all.
func BenchmarkSilence(b *testing.B) {
	const steps = 1000
	const period = workload.Tick(1_000_000)
	rng := rand.New(rand.NewPCG(1, 1))
	all := make([]int32, 37)
	ones := make([]float64, 37)
	for c := range all {
		all[c], ones[c] = int32(c), 1
	}
	mk := func(spread, every bool) *workload.Stream {
		s := workload.NewBuilder("bench", 1, 37)
		var t workload.Tick
		for k := range steps {
			if k > 0 {
				t += period
				if spread {
					t += workload.Tick(rng.ExpFloat64() * 3.6e9)
				}
			}
			chans, vals := []int32{int32(rng.IntN(37))}, ones[:1]
			if every {
				chans, vals = all, ones
			}
			if err := s.Add(0, t, chans, vals); err != nil {
				b.Fatal(err)
			}
		}
		return s.Stream()
	}
	dense, sparse := mk(false, false), mk(true, false)
	denseAll, sparseAll := mk(false, true), mk(true, true)
	for _, name := range []string{"ART_STPN_h11", "ART_STPN_scalarSTP_h20", "ART_FW_S1_h20"} {
		net := network(b, name)
		run := func(b *testing.B, s *workload.Stream) {
			if _, err := sim.Run(context.Background(), net, s, sim.Options{Period: float64(period), Workers: 1}); err != nil {
				b.Fatal(err)
			}
		}
		for _, c := range []struct {
			what   string
			stream *workload.Stream
		}{{"1000-steps-at-period", dense}, {"1000-events-over-1h", sparse}} {
			span := workload.Seconds(c.stream.Span(0))
			b.Run(name+"/"+c.what, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					run(b, c.stream)
				}
				b.ReportMetric(span, "simulated-s")
			})
		}
		// The two streams one after the other in every iteration, so that
		// the machine's drift (larger than the difference, on a shared VM)
		// falls on both: the ratio of their times.
		for _, c := range []struct {
			what          string
			dense, sparse *workload.Stream
		}{{"one-channel", dense, sparse}, {"all-channels", denseAll, sparseAll}} {
			b.Run(name+"/events-over-steps/"+c.what, func(b *testing.B) {
				var td, ts time.Duration
				for b.Loop() {
					t0 := time.Now()
					run(b, c.dense)
					t1 := time.Now()
					run(b, c.sparse)
					td, ts = td+t1.Sub(t0), ts+time.Since(t1)
				}
				b.ReportMetric(float64(ts)/float64(td), "ratio")
			})
		}
	}
}

// A period so short that a gap is an infinite number of steps is refused
// with a numeric error, not decayed as λ^∞ (which λ = 1 would make NaN).
func TestInfiniteDelta(t *testing.T) {
	s := workload.NewBuilder("gap", 1, 37)
	for k, tk := range []workload.Tick{0, 1 << 40} {
		if err := s.Add(0, tk, []int32{int32(k)}, []float64{1}); err != nil {
			t.Fatal(err)
		}
	}
	_, err := sim.Run(context.Background(), network(t, "ART_STPN_h11"), s.Stream(), sim.Options{Period: 1e-300})
	var ne *sim.NumericError
	if !errors.As(err, &ne) || ne.Step != 1 || !strings.Contains(err.Error(), "length in periods is +Inf") {
		t.Fatalf("err %v", err)
	}
}
