package workload

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// Defaults of the event generators, used for zero fields of PoissonConfig and
// BurstConfig.
const (
	DefaultEventsN        = 128      // sequences, as DefaultARTN
	DefaultEventsChannels = ARTWidth // the input size of the reference ART models
	DefaultPoissonRate    = 10.0     // Hz per channel
	DefaultPoissonSeconds = 1.0      // s
	DefaultBurstRate      = 100.0    // Hz per channel, within bursts
	DefaultBurstSeconds   = 0.05     // s
	DefaultSilenceSeconds = 0.2      // s
	DefaultBursts         = 4
	DefaultEventValue     = 1.0
)

// Limits of the event generators.
const (
	// MaxRate bounds the rate per channel: at 1 MHz the mean gap is 1000
	// ticks, so rounding to ticks moves an event by at most 0.05 % of a gap.
	MaxRate = 1e6
	// maxGenTicks bounds generated times to 2⁵³ ns (about 104 days), where
	// float64 nanoseconds are still exact integers.
	maxGenTicks = 1 << 53
	// MaxBursts bounds BurstConfig.Bursts.
	MaxBursts = 1 << 20
)

// Second PCG seed words, so that the generators' streams differ from each
// other and from ART for the same Seed ("POIS", "BRST" in ASCII).
const (
	poissonStream = 0x504f4953
	burstStream   = 0x42525354
)

// PoissonConfig sets up [Poisson]: N sequences of Channels independent
// Poisson processes of Rate events per second each, over [0, Duration).
// The zero value is valid; each zero field takes its default
// (DefaultEventsN, DefaultEventsChannels, DefaultPoissonRate,
// DefaultPoissonSeconds, DefaultEventValue); Seed 0 is a seed like any other.
//
// The events depend only on the fields, identically on every platform.
// A math/rand/v2 PCG is seeded with NewPCG(Seed, 0x504f4953) and only its
// Uint64 method is used. For each sequence n in turn, for each channel c in
// turn, starting at t = 0 (float64 nanoseconds):
//
//	u = ((Uint64() >> 11) + 1) · 2⁻⁵³     uniform in (0, 1]
//	g = 10⁹ / Rate                        mean gap in ns, computed once
//	t = t + (−log(u) · g)                 the product rounded before the sum
//	k = round(t)                          the event's tick, halves away from 0
//
// until k ≥ round(Duration·10⁹) (the draw that ends the channel is used up).
// log is the algorithm of FreeBSD's e_log.c (that of Go's pure-Go math.Log)
// with every operation rounded to float64 (math.Log itself is assembly on
// amd64, and the compiler may fuse its products into FMAs on arm64), so the
// bits do not depend on the platform. An arrival that rounds to the tick of
// the channel's previous event is the same event and is dropped: this happens
// with probability about Rate·0.5 ns per event, 5·10⁻⁹ at 10 Hz. Each event
// has value Value.
type PoissonConfig struct {
	N, Channels int
	Rate        float64 // Hz per channel
	Duration    float64 // s
	Value       float64 // value of every event
	Seed        uint64
}

// BurstConfig sets up [Bursts]: N sequences of Channels channels that fire as
// independent Poisson processes of Rate events per second during Bursts
// bursts of Burst seconds, each followed by Silence seconds without events.
// The zero value is valid, each zero field taking its default
// (DefaultEventsN, DefaultEventsChannels, DefaultBurstRate,
// DefaultBurstSeconds, DefaultSilenceSeconds, DefaultBursts,
// DefaultEventValue); Seed 0 is a seed like any other.
//
// Burst and Silence are rounded to ticks B and S; burst b covers the ticks
// [b·(B+S), b·(B+S)+B). The draws are those of [PoissonConfig] from
// NewPCG(Seed, 0x42525354), for each sequence, each channel, each burst in
// turn, t starting at the burst's first tick and the channel ending at the
// first tick ≥ its end; the rule for equal ticks is the same.
type BurstConfig struct {
	N, Channels int
	Rate        float64 // Hz per channel, within bursts
	Burst       float64 // s, length of a burst
	Silence     float64 // s, length of the silence after each burst
	Bursts      int     // bursts per sequence
	Value       float64
	Seed        uint64
}

func (c PoissonConfig) withDefaults() PoissonConfig {
	c.N = cmp.Or(c.N, DefaultEventsN)
	c.Channels = cmp.Or(c.Channels, DefaultEventsChannels)
	c.Rate = cmp.Or(c.Rate, DefaultPoissonRate)
	c.Duration = cmp.Or(c.Duration, DefaultPoissonSeconds)
	c.Value = cmp.Or(c.Value, DefaultEventValue)
	return c
}

func (c BurstConfig) withDefaults() BurstConfig {
	c.N = cmp.Or(c.N, DefaultEventsN)
	c.Channels = cmp.Or(c.Channels, DefaultEventsChannels)
	c.Rate = cmp.Or(c.Rate, DefaultBurstRate)
	c.Burst = cmp.Or(c.Burst, DefaultBurstSeconds)
	c.Silence = cmp.Or(c.Silence, DefaultSilenceSeconds)
	c.Bursts = cmp.Or(c.Bursts, DefaultBursts)
	c.Value = cmp.Or(c.Value, DefaultEventValue)
	return c
}

// Validate reports whether c can be generated.
func (c PoissonConfig) Validate() error {
	d := c.withDefaults()
	if err := checkGen("poisson", d.N, d.Channels, d.Rate, d.Value); err != nil {
		return err
	}
	dur, err := genSpan("poisson", "duration", d.Duration)
	if err != nil {
		return err
	}
	return checkMean("poisson", float64(d.N)*float64(d.Channels)*d.Rate*Seconds(dur))
}

// Validate reports whether c can be generated.
func (c BurstConfig) Validate() error {
	d := c.withDefaults()
	if err := checkGen("bursts", d.N, d.Channels, d.Rate, d.Value); err != nil {
		return err
	}
	if d.Bursts < 1 || d.Bursts > MaxBursts {
		return errorf("bursts", "", "%d bursts, want 1..%d (0 means the default %d)", d.Bursts, MaxBursts, DefaultBursts)
	}
	b, err := genSpan("bursts", "burst", d.Burst)
	if err != nil {
		return err
	}
	s, err := genSpan("bursts", "silence", d.Silence)
	if err != nil {
		return err
	}
	if b+s > maxGenTicks/Tick(d.Bursts) {
		return errorf("bursts", "", "%d bursts of %v s + %v s last more than 2^53 ns (about 104 days)", d.Bursts, d.Burst, d.Silence)
	}
	return checkMean("bursts", float64(d.N)*float64(d.Channels)*d.Rate*Seconds(b)*float64(d.Bursts))
}

func checkGen(what string, n, channels int, rate, value float64) error {
	switch {
	case n < 1 || n > MaxSequences:
		return errorf(what, "", "N = %d, want 1..%d (0 means the default %d)", n, MaxSequences, DefaultEventsN)
	case channels < 1 || channels > MaxChannels:
		return errorf(what, "", "%d channels, want 1..%d (0 means the default %d)", channels, MaxChannels, DefaultEventsChannels)
	case !(rate > 0 && rate <= MaxRate):
		return errorf(what, "", "rate %v Hz, want > 0 and ≤ %v (0 means the default)", rate, MaxRate)
	case math.IsNaN(value) || math.IsInf(value, 0):
		return errorf(what, "", "value %v, want a finite number (0 means the default %v)", value, DefaultEventValue)
	}
	return nil
}

// genSpan converts a generator's length in seconds to ticks: > 0, at least a
// tick, at most 2⁵³ ticks.
func genSpan(what, field string, sec float64) (Tick, error) {
	t, problem := toTicks(sec)
	switch {
	case problem != "":
		return 0, errorf(what, "", "%s: %s", field, problem)
	case t < 1:
		return 0, errorf(what, "", "%s %v s is shorter than a tick (1 ns)", field, sec)
	case t > maxGenTicks:
		return 0, errorf(what, "", "%s %v s is longer than 2^53 ns (about 104 days)", field, sec)
	}
	return t, nil
}

// checkMean refuses configurations that expect more than half of MaxEvents,
// so that the count actually drawn exceeds MaxEvents only with negligible
// probability (it is still checked while generating).
func checkMean(what string, mean float64) error {
	if mean > float64(maxEvents()/2) {
		return errorf(what, "", "%.4g events expected, more than the %d allowed (half of MaxEvents)", mean, maxEvents()/2)
	}
	return nil
}

// Poisson generates independent Poisson event trains, as described at
// [PoissonConfig]. The stream has no labels; a sequence in which no channel
// fires has no steps. It is named "poisson(n=…, channels=…, rate=… Hz,
// duration=… s, value=…, seed=…)".
func Poisson(c PoissonConfig) (*Stream, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults()
	dur, _ := toTicks(c.Duration)
	g := newGen(c.N, c.Channels, c.Rate, c.Value, rand.NewPCG(c.Seed, poissonStream),
		fmt.Sprintf("poisson(n=%d, channels=%d, rate=%g Hz, duration=%g s, value=%g, seed=%d)",
			c.N, c.Channels, c.Rate, c.Duration, c.Value, c.Seed))
	return g.run("poisson", func(emit func(start, end Tick) error) error { return emit(0, dur) })
}

// Bursts generates Poisson event trains in bursts separated by silences, as
// described at [BurstConfig]. The stream has no labels; a sequence in which
// no channel fires has no steps. It is named "bursts(n=…, channels=…,
// rate=… Hz, burst=… s, silence=… s, bursts=…, value=…, seed=…)".
func Bursts(c BurstConfig) (*Stream, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	c = c.withDefaults()
	b, _ := toTicks(c.Burst)
	s, _ := toTicks(c.Silence)
	g := newGen(c.N, c.Channels, c.Rate, c.Value, rand.NewPCG(c.Seed, burstStream),
		fmt.Sprintf("bursts(n=%d, channels=%d, rate=%g Hz, burst=%g s, silence=%g s, bursts=%d, value=%g, seed=%d)",
			c.N, c.Channels, c.Rate, c.Burst, c.Silence, c.Bursts, c.Value, c.Seed))
	return g.run("bursts", func(emit func(start, end Tick) error) error {
		for k := range c.Bursts {
			start := Tick(k) * (b + s)
			if err := emit(start, start+b); err != nil {
				return err
			}
		}
		return nil
	})
}

type gen struct {
	n, channels int
	gap         float64 // mean gap in ns, 1e9/rate
	value       float64
	src         *rand.PCG
	name        string
}

func newGen(n, channels int, rate, value float64, src *rand.PCG, name string) *gen {
	return &gen{n: n, channels: channels, gap: TicksPerSecond / rate, value: value, src: src, name: name}
}

// event is a generated (tick, channel) pair.
type event struct {
	t Tick
	c int32
}

// run draws every sequence; windows calls emit for each window [start, end)
// of a channel, in time order.
func (g *gen) run(what string, windows func(emit func(start, end Tick) error) error) (*Stream, error) {
	b := NewBuilder(g.name, g.n, g.channels)
	total := 0
	var evs []event
	for n := range g.n {
		evs = evs[:0]
		for c := range g.channels {
			last := Tick(-1)
			err := windows(func(start, end Tick) error {
				t := float64(start)
				for {
					u := float64(g.src.Uint64()>>11+1) * 0x1p-53
					t += float64(-portableLog(u) * g.gap)
					k := Tick(math.Round(t))
					if k >= end {
						return nil
					}
					if k == last {
						continue
					}
					if total++; total > maxEvents() {
						return errorf(what, g.name, "more than the %d events allowed", maxEvents())
					}
					evs = append(evs, event{k, int32(c)})
					last = k
				}
			})
			if err != nil {
				return nil, err
			}
		}
		b.to(n)
		group(b, evs, g.value)
	}
	return b.Stream(), nil
}

// group sorts a sequence's events by (tick, channel), all distinct, and
// appends them as steps of the given value to b's current sequence.
func group(b *Builder, evs []event, value float64) {
	if len(evs) == 0 {
		return
	}
	slices.SortFunc(evs, func(a, b event) int {
		if a.t != b.t {
			if a.t < b.t {
				return -1
			}
			return 1
		}
		return int(a.c - b.c)
	})
	nsteps := 1
	for k := 1; k < len(evs); k++ {
		if evs[k].t != evs[k-1].t {
			nsteps++
		}
	}
	b.grow(nsteps, len(evs))
	var chans []int32
	var vals []float64
	for k := 0; k < len(evs); {
		j := k + 1
		for j < len(evs) && evs[j].t == evs[k].t {
			j++
		}
		chans, vals = chans[:0], vals[:0]
		for i := k; i < j; i++ {
			chans, vals = append(chans, evs[i].c), append(vals, value)
		}
		b.push(evs[k].t, chans, vals)
		k = j
	}
}

// portableLog is the natural logarithm of x > 0 (finite, normal or not) by
// the algorithm of FreeBSD's e_log.c, as in Go's pure-Go math.Log, with an
// explicit float64 conversion on every product that is added to something so
// that no compiler may fuse it into an FMA: the result is the same on every
// platform, within 1 ulp of the true value. It is only called on (0, 1].
func portableLog(x float64) float64 {
	const (
		ln2Hi = 6.93147180369123816490e-01 // 3fe62e42 fee00000
		ln2Lo = 1.90821492927058770002e-10 // 3dea39ef 35793c76
		l1    = 6.666666666666735130e-01   // 3FE55555 55555593
		l2    = 3.999999999940941908e-01   // 3FD99999 9997FA04
		l3    = 2.857142874366239149e-01   // 3FD24924 94229359
		l4    = 2.222219843214978396e-01   // 3FCC71C5 1D8E78AF
		l5    = 1.818357216161805012e-01   // 3FC74664 96CB03DE
		l6    = 1.531383769920937332e-01   // 3FC39A09 D078C69F
		l7    = 1.479819860511658591e-01   // 3FC2F112 DF3E5244
	)
	f1, ki := math.Frexp(x)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)

	s := f / (2 + f)
	s2 := float64(s * s)
	s4 := float64(s2 * s2)
	t1 := float64(s2 * (l1 + float64(s4*(l3+float64(s4*(l5+float64(s4*l7)))))))
	t2 := float64(s4 * (l2 + float64(s4*(l4+float64(s4*l6)))))
	r := t1 + t2
	hfsq := float64(float64(0.5*f) * f)
	a := float64(k * ln2Hi)
	b := float64(s * (hfsq + r))
	c := float64(k * ln2Lo)
	return a - ((hfsq - (b + c)) - f)
}
