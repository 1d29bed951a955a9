package workload

import (
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// TestGeneratorsMatchPort compares the generators with the independent
// Python port in testdata/events/gen.py, which shares no code with them.
func TestGeneratorsMatchPort(t *testing.T) {
	p, err := Poisson(PoissonConfig{N: 3, Channels: 5, Rate: 20, Duration: 0.5, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Bursts(BurstConfig{N: 2, Channels: 4, Rate: 200, Burst: 0.01, Silence: 0.02, Bursts: 3, Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	for file, got := range map[string]*Stream{"poisson_seed7.csv": p, "bursts_seed9.csv": b} {
		want, err := LoadEvents(eventsFixture(file), got.I)
		if err != nil {
			t.Fatal(err)
		}
		if diff := diffStreams(want, got); diff != "" {
			t.Errorf("%s: %s (-port +Go):\n%s", file, got.Name, diff)
		}
	}
	if want := "poisson(n=3, channels=5, rate=20 Hz, duration=0.5 s, value=1, seed=7)"; p.Name != want {
		t.Errorf("name %q, want %q", p.Name, want)
	}
}

func TestGeneratorsSeeds(t *testing.T) {
	gens := map[string]func(seed uint64) (*Stream, error){
		"poisson": func(seed uint64) (*Stream, error) {
			return Poisson(PoissonConfig{N: 4, Channels: 8, Rate: 50, Duration: 0.2, Seed: seed})
		},
		"bursts": func(seed uint64) (*Stream, error) {
			return Bursts(BurstConfig{N: 4, Channels: 8, Rate: 500, Seed: seed})
		},
	}
	for name, gen := range gens {
		a, err := gen(1)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := gen(1)
		other, _ := gen(2)
		zero, _ := gen(0)
		if !reflect.DeepEqual(a, again) {
			t.Errorf("%s: seed 1 twice gives different streams", name)
		}
		if diffStreams(a, other) == "" || diffStreams(a, zero) == "" {
			t.Errorf("%s: seeds 0, 1, 2 do not all differ", name)
		}
		if err := a.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestGeneratorDefaults(t *testing.T) {
	p, err := Poisson(PoissonConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "poisson(n=128, channels=37, rate=10 Hz, duration=1 s, value=1, seed=0)"; p.Name != want || p.N != 128 || p.I != 37 {
		t.Errorf("default Poisson %q N %d I %d, want %q", p.Name, p.N, p.I, want)
	}
	b, err := Bursts(BurstConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "bursts(n=128, channels=37, rate=100 Hz, burst=0.05 s, silence=0.2 s, bursts=4, value=1, seed=0)"; b.Name != want {
		t.Errorf("default Bursts %q, want %q", b.Name, want)
	}
	v, err := Poisson(PoissonConfig{N: 1, Channels: 2, Rate: 100, Value: -2.5})
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range seqs(v)[0] {
		for _, x := range st.Value {
			if x != -2.5 {
				t.Fatalf("value %v, want -2.5", x)
			}
		}
	}
}

// poissonStats returns the events per (sequence, channel) and the number of
// within-channel gaps, and of those longer than gap ticks.
func poissonStats(s *Stream, gap Tick) (counts []float64, gaps, long int) {
	counts = make([]float64, s.N*s.I)
	for n, q := range seqs(s) {
		last := make([]Tick, s.I)
		for i := range last {
			last[i] = -1
		}
		for _, st := range q {
			for _, c := range st.Chan {
				counts[n*s.I+int(c)]++
				if last[c] >= 0 {
					gaps++
					if st.T-last[c] > gap {
						long++
					}
				}
				last[c] = st.T
			}
		}
	}
	return counts, gaps, long
}

// TestPoissonStatistics checks the rate and the exponential gaps. With these
// seeds the test is deterministic; the tolerances are 5σ of the sampling
// error of a correct generator (false alarm ≈ 6·10⁻⁷ per check for another
// seed), while a rate 1 % off moves the total count by 10σ.
func TestPoissonStatistics(t *testing.T) {
	const (
		n, channels = 100, 100
		rate, dur   = 100.0, 1.0
	)
	s, err := Poisson(PoissonConfig{N: n, Channels: channels, Rate: rate, Duration: dur, Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	counts, gaps, long := poissonStats(s, Tick(TicksPerSecond/rate))

	// Total: Poisson with mean λ = N·C·rate·T = 10⁶, σ = √λ = 1000. (Events
	// dropped because two arrivals round to one tick: ≈ λ·rate·0.5 ns = 0.05.)
	lambda := float64(n * channels * rate * dur)
	if total := float64(s.Events()); math.Abs(total-lambda) > 5*math.Sqrt(lambda) {
		t.Errorf("%v events, want %v ± %v (5σ)", total, lambda, 5*math.Sqrt(lambda))
	}
	// Fano factor (variance / mean of the counts of the 10⁴ trains) is 1 for
	// a Poisson process; its estimate has σ ≈ √(2/(10⁴−1)) = 0.014.
	var mean, sq float64
	for _, c := range counts {
		mean += c
	}
	mean /= float64(len(counts))
	for _, c := range counts {
		sq += (c - mean) * (c - mean)
	}
	fano := sq / float64(len(counts)-1) / mean
	if math.Abs(fano-1) > 5*math.Sqrt(2/float64(len(counts)-1)) {
		t.Errorf("Fano factor %.4f, want 1 ± %.3f (5σ)", fano, 5*math.Sqrt(2/float64(len(counts)-1)))
	}
	// Exponential gaps. Gaps between events inside a window of length T are
	// not quite i.i.d. Exp(rate): given K events, they are the spacings of K
	// uniform points, P(spacing > x) = (1 − x/T)^K. With K ~ Poisson(μ),
	// μ = rate·T = 100, x = 1/rate, q = 1 − 1/μ, the fraction of the K − 1
	// gaps per train above x is E[(K−1)q^K] / E[K−1] = e⁻¹(μq − 1)/(μ − 1)
	// = e⁻¹(μ − 2)/(μ − 1) (from E[q^K] = e^(−μ(1−q)) = e⁻¹ and
	// E[K q^K] = μq e⁻¹), 0.3642 instead of e⁻¹ = 0.3679. The fraction over
	// ~10⁶ gaps has σ = √(p(1−p)/gaps) ≈ 4.8·10⁻⁴, so 5σ ≈ 0.0024 and the
	// uncorrected e⁻¹ would already be off by 1.5σ. Rounding to ticks moves
	// a 10 ms gap by at most 1 ns, far below that.
	mu := rate * dur
	p := math.Exp(-1) * (mu - 2) / (mu - 1)
	frac := float64(long) / float64(gaps)
	if sigma := math.Sqrt(p * (1 - p) / float64(gaps)); math.Abs(frac-p) > 5*sigma {
		t.Errorf("fraction of gaps above the mean %.5f, want %.5f ± %.5f (5σ)", frac, p, 5*sigma)
	}
}

func TestBurstsStatistics(t *testing.T) {
	c := BurstConfig{N: 20, Channels: 20, Rate: 1000, Burst: 0.05, Silence: 0.1, Bursts: 5, Seed: 2}
	s, err := Bursts(c)
	if err != nil {
		t.Fatal(err)
	}
	const b, period = Tick(50_000_000), Tick(150_000_000)
	perBurst := make([]float64, c.Bursts)
	for n, q := range seqs(s) {
		for _, st := range q {
			k := st.T / period
			if st.T%period >= b || k >= Tick(c.Bursts) {
				t.Fatalf("sequence %d has events at %v s, in a silence", n, Seconds(st.T))
			}
			perBurst[k] += float64(len(st.Chan))
		}
	}
	// Each burst: Poisson with mean N·C·rate·burst = 2·10⁴, σ ≈ 141; 5σ as
	// in TestPoissonStatistics.
	lambda := float64(c.N*c.Channels) * c.Rate * c.Burst
	for k, got := range perBurst {
		if math.Abs(got-lambda) > 5*math.Sqrt(lambda) {
			t.Errorf("burst %d: %v events, want %v ± %v (5σ)", k, got, lambda, 5*math.Sqrt(lambda))
		}
	}
}

// TestEmptySequences checks that sparse generators give sequences without
// steps, and that they are valid and cost nothing.
func TestEmptySequences(t *testing.T) {
	s, err := Poisson(PoissonConfig{N: 200, Channels: 1, Rate: 1, Duration: 0.01, Seed: 5})
	if err != nil {
		t.Fatal(err)
	}
	empty := 0
	for n := range s.N {
		if s.SeqLen(n) == 0 {
			empty++
			if s.Span(n) != 0 {
				t.Errorf("Span(%d) of an empty sequence is %d", n, s.Span(n))
			}
		}
	}
	// P(no event) = e^-0.01 per sequence: about 198 of 200.
	if empty < 190 || empty == 200 {
		t.Errorf("%d of 200 sequences empty, want about 198", empty)
	}
	if err := s.Validate(); err != nil {
		t.Error(err)
	}
}

func TestGeneratorValidate(t *testing.T) {
	for _, tc := range []struct {
		c    interface{ Validate() error }
		want string
	}{
		{PoissonConfig{N: -1}, "poisson: N = -1, want 1..1048576"},
		{PoissonConfig{N: MaxSequences + 1}, "N = 1048577"},
		{PoissonConfig{Channels: -3}, "-3 channels, want 1..1048576"},
		{PoissonConfig{Rate: -1}, "rate -1 Hz, want > 0"},
		{PoissonConfig{Rate: math.NaN()}, "rate NaN Hz"},
		{PoissonConfig{Rate: 2e6}, "rate 2e+06 Hz, want > 0 and ≤ 1e+06"},
		{PoissonConfig{Duration: -1}, "duration: time -1 s is negative"},
		{PoissonConfig{Duration: math.Inf(1)}, "duration: time +Inf"},
		{PoissonConfig{Duration: 1e-10}, "duration 1e-10 s is shorter than a tick"},
		{PoissonConfig{Duration: 1e7}, "duration 1e+07 s is longer than 2^53 ns"},
		{PoissonConfig{Value: math.Inf(-1)}, "value -Inf, want a finite number"},
		{PoissonConfig{N: 1000, Channels: 1000, Rate: 100}, "1e+08 events expected, more than the 8388608 allowed"},
		{BurstConfig{Bursts: -1}, "bursts: -1 bursts, want 1..1048576"},
		{BurstConfig{Burst: -0.1}, "burst: time -0.1 s is negative"},
		{BurstConfig{Silence: math.NaN()}, "silence: time NaN"},
		{BurstConfig{Burst: 1000, Silence: 1000, Bursts: 10000}, "10000 bursts of 1000 s + 1000 s last more than 2^53 ns"},
		{BurstConfig{N: 1000, Channels: 1000, Rate: 1e4, Burst: 1}, "4e+10 events expected"},
	} {
		err := tc.c.Validate()
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.c, err, tc.want)
		}
	}
	for _, c := range []interface{ Validate() error }{PoissonConfig{}, BurstConfig{}, PoissonConfig{Seed: math.MaxUint64}} {
		if err := c.Validate(); err != nil {
			t.Errorf("%+v: %v", c, err)
		}
	}
	if _, err := Poisson(PoissonConfig{N: -1}); err == nil {
		t.Error("Poisson accepted N = -1")
	}
	if _, err := Bursts(BurstConfig{Bursts: -1}); err == nil {
		t.Error("Bursts accepted -1 bursts")
	}
}

// TestPortableLog checks portableLog against math.Log: the FreeBSD algorithm
// is within 1 ulp of the true logarithm, and so is math.Log, so the two
// differ by at most 2 ulp (in practice they agree or differ by one).
func TestPortableLog(t *testing.T) {
	src := rand.NewPCG(1, 2)
	xs := []float64{1, 0.5, 0.25, math.Sqrt2 / 2, math.Nextafter(math.Sqrt2/2, 0), 0x1p-53, 1 - 0x1p-53, 0.1, 0.9}
	for range 200_000 {
		xs = append(xs, float64(src.Uint64()>>11+1)*0x1p-53)
	}
	for _, x := range xs {
		got, want := portableLog(x), math.Log(x)
		ulp := math.Abs(math.Nextafter(want, 0) - want)
		if want == 0 {
			ulp = 0
		}
		if math.Abs(got-want) > 2*ulp {
			t.Fatalf("portableLog(%v) = %v, math.Log %v", x, got, want)
		}
	}
}
