package workload

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
)

// Tick is a time in integer nanoseconds, counted from the start of a
// sequence. An int64 holds 0 to 2⁶³−1 ns, about 9.2·10⁹ s (292 years); every
// nanosecond is distinct, but a time given as a float64 number of seconds only
// resolves every nanosecond below 2⁵³ ns (about 104 days), and a float32 one
// only to about 60 ns at 1 s.
type Tick int64

// TicksPerSecond is the number of ticks in a second: a tick is 1 ns.
const TicksPerSecond = 1e9

// maxTickFloat is 2⁶³ as a float64: the first value of sec·1e9 that does not
// fit in a Tick.
const maxTickFloat = 0x1p63

// Seconds converts t to seconds (exact below 2⁵³ ticks).
func Seconds(t Tick) float64 { return float64(t) / TicksPerSecond }

// ToTicks converts a time in seconds to the nearest tick: round(sec·10⁹),
// halves away from zero, with the product taken in float64. It refuses NaN,
// infinite and negative times and times of 2⁶³ ns (about 292 years) or more.
// Negative zero is time 0.
func ToTicks(sec float64) (Tick, error) {
	t, problem := toTicks(sec)
	if problem != "" {
		return 0, errorf("time", "", "%s", problem)
	}
	return t, nil
}

// toTicks is ToTicks with the problem, if any, as a message.
func toTicks(sec float64) (Tick, string) {
	switch {
	case math.IsNaN(sec) || math.IsInf(sec, 0):
		return 0, fmt.Sprintf("time %v, want a finite number of seconds", sec)
	case sec < 0:
		return 0, fmt.Sprintf("time %v s is negative, want ≥ 0", sec)
	}
	x := math.Round(sec * TicksPerSecond)
	if x >= maxTickFloat {
		return 0, fmt.Sprintf("time %v s is too late, want < 2^63 ns (about 292 years)", sec)
	}
	return Tick(x), ""
}

// Stream is N sequences of timestamped network steps whose inputs have I
// channels: the inputs of event-driven simulation.
//
// It comes from events (sequence, t, channel, value). All events of one
// sequence whose times round to the same [Tick] form one network step; the
// step's input vector holds their values at their channels and zero
// elsewhere. A value of 0 is still an event: it makes a step, it is not
// dropped. Within a step the channels are kept in ascending order, so the
// stream does not depend on the order in which tied events were given; the
// same (sequence, tick, channel) twice is refused by the decoders rather than
// summed or overwritten, because either choice would silently change the
// input.
//
// A sequence may have no steps. The generators ([Poisson], [Bursts]) produce
// such sequences when no event falls in the window; they cost nothing (no
// step, no energy) and the network's output for them is that of its initial
// state. Event files cannot contain them (see [DecodeEventsCSV]).
//
// # Layout
//
// The events are held flat — per event a channel (4 bytes) and a value (8
// bytes), per step a tick (8 bytes) and an offset (4 bytes), per sequence an
// offset — so that a stream of 10⁷ events costs at most 240 MB. Steps are
// reached with SeqLen, Time, Input and Step. Build a stream by hand with a
// [Builder].
//
// # Clocked streams
//
// [FromSet] makes a clocked stream of a dense [Set]: step k of every
// sequence is row k of the set, every channel present, and its time is the
// step index k itself (Time returns k, in step periods, not nanoseconds;
// Delta is always 1). No time is converted to nanoseconds, so any
// step_period and any number of steps can be represented; the values stay in
// the set, at its dtype, and are widened one step at a time by Input.
type Stream struct {
	Name string // file path or a description such as "poisson(n=128, ...)"
	N, I int    // sequences, channels per step
	// Labels are the class labels, one per sequence, or nil; LabelsName is
	// their file path or description ("" when there are none). As in Set.
	Labels     []int
	LabelsName string

	seqStart []int     // N+1: the steps of sequence n are [seqStart[n], seqStart[n+1])
	tick     []Tick    // per step
	evStart  []int32   // steps+1: the events of step s are [evStart[s], evStart[s+1])
	ch       []int32   // per event, ascending within a step
	val      []float64 // per event
	set      *Set      // a clocked stream's set
	chans    []int32   // a clocked stream's channels: 0 … I−1
}

// MaxStreamEvents is the most events a stream can hold (its offsets are 32-bit).
const MaxStreamEvents = math.MaxInt32

// Step is one network step: the events of a sequence at one tick.
type Step struct {
	T     Tick
	Chan  []int32   // channels with an event at T, strictly ascending, in [0, I)
	Value []float64 // their values, finite (0 is an event like any other)
}

// Dense writes the step's input vector into x, which must have the stream's I
// elements: zeros, then Value[k] at Chan[k]. It panics if a channel is out of
// range of x.
func (s *Step) Dense(x []float64) {
	clear(x)
	for k, c := range s.Chan {
		x[c] = s.Value[k]
	}
}

// Clocked reports whether s is a dense set's clocked stream (FromSet).
func (s *Stream) Clocked() bool { return s.set != nil }

// SeqLen is the number of steps of sequence n. It panics if n is out of range.
func (s *Stream) SeqLen(n int) int {
	s.checkSeq(n)
	if s.set != nil {
		return s.set.T
	}
	return s.seqStart[n+1] - s.seqStart[n]
}

func (s *Stream) checkSeq(n int) {
	if n < 0 || n >= s.N {
		panic(fmt.Sprintf("workload: sequence %d out of range [0, %d)", n, s.N))
	}
}

// step returns the index of step k of sequence n in the flat arrays.
func (s *Stream) step(n, k int) int {
	if k < 0 || k >= s.SeqLen(n) {
		panic(fmt.Sprintf("workload: step %d of sequence %d out of range [0, %d)", k, n, s.SeqLen(n)))
	}
	return s.seqStart[n] + k
}

// Time is the time of step k of sequence n: its tick, or for a clocked
// stream the step index k (in step periods).
func (s *Stream) Time(n, k int) Tick {
	if s.set != nil {
		s.checkSeq(n)
		return Tick(k)
	}
	return s.tick[s.step(n, k)]
}

// Delta is the length of step k of sequence n in network steps when a step
// period lasts period ticks: 1 for the first step and for every step of a
// clocked stream, else (t_k − t_{k−1}) / period.
func (s *Stream) Delta(n, k int, period Tick) float64 {
	if k == 0 || s.set != nil {
		return 1
	}
	i := s.step(n, k)
	return float64(s.tick[i]-s.tick[i-1]) / float64(period)
}

// Input writes the input vector of step k of sequence n into x (I elements,
// widened to float64) and returns how many of its values are nonzero.
func (s *Stream) Input(n, k int, x []float64) (active int) {
	if s.set != nil {
		return s.set.step(n, k, x)
	}
	i := s.step(n, k)
	clear(x[:s.I])
	for e := s.evStart[i]; e < s.evStart[i+1]; e++ {
		x[s.ch[e]] = s.val[e]
		if s.val[e] != 0 {
			active++
		}
	}
	return active
}

// Values writes the input vector of step k of sequence n into x, as Input
// does, without counting its nonzero values.
func (s *Stream) Values(n, k int, x []float64) {
	if s.set != nil {
		s.set.Step(n, k, x)
		return
	}
	s.Input(n, k, x)
}

// Step returns step k of sequence n. For an event stream Chan and Value are
// views of the stream (do not modify them); for a clocked stream Chan is
// every channel and Value a new slice of the widened values.
func (s *Stream) Step(n, k int) Step {
	if s.set != nil {
		v := make([]float64, s.I)
		s.set.Step(n, k, v)
		return Step{T: Tick(k), Chan: s.chans, Value: v}
	}
	i := s.step(n, k)
	a, b := s.evStart[i], s.evStart[i+1]
	return Step{T: s.tick[i], Chan: s.ch[a:b:b], Value: s.val[a:b:b]}
}

// Events returns the total number of events in s (N·T·I for a clocked stream).
func (s *Stream) Events() int {
	if s.set != nil {
		return s.set.N * s.set.T * s.set.I
	}
	return len(s.ch)
}

// Steps returns the total number of network steps in s.
func (s *Stream) Steps() int {
	if s.set != nil {
		return s.set.N * s.set.T
	}
	return len(s.tick)
}

// Span returns the time from the first to the last step of sequence n: 0 for
// a sequence of zero or one step (in step periods for a clocked stream). It
// panics if n is out of range.
func (s *Stream) Span(n int) Tick {
	k := s.SeqLen(n)
	if k < 2 {
		return 0
	}
	return s.Time(n, k-1) - s.Time(n, 0)
}

// Validate reports whether s keeps the invariants of the package's streams:
// N, I ≥ 1, steps in strictly increasing non-negative time, each with at
// least one event, channels strictly ascending in [0, I), values finite,
// labels nil or N of them, all ≥ 0. Streams of this package (decoders,
// generators, Builder) always pass.
func (s *Stream) Validate() error {
	if s.N < 1 || s.I < 1 {
		return errorf("events", s.Name, "%d sequences of %d channels, want N, I ≥ 1", s.N, s.I)
	}
	if s.set == nil {
		if len(s.seqStart) != s.N+1 {
			return errorf("events", s.Name, "%d sequences, N says %d", len(s.seqStart)-1, s.N)
		}
		for n := range s.N {
			for k := range s.SeqLen(n) {
				st := s.Step(n, k)
				if err := checkStep(s.Name, n, k, st.T, prevTick(s, n, k), st.Chan, st.Value, s.I); err != nil {
					return err
				}
			}
		}
	}
	if s.Labels != nil {
		if len(s.Labels) != s.N {
			return errorf("labels", s.LabelsName, "%d labels, want %d (one per sequence of events %s)", len(s.Labels), s.N, s.Name)
		}
		for n, l := range s.Labels {
			if l < 0 {
				return errorf("labels", s.LabelsName, "label %d is %d, want ≥ 0", n, l)
			}
		}
	}
	return nil
}

func prevTick(s *Stream, n, k int) Tick {
	if k == 0 {
		return -1
	}
	return s.Time(n, k-1)
}

// checkStep checks one step against the stream invariants.
func checkStep(name string, n, k int, t, prev Tick, chans []int32, vals []float64, channels int) error {
	switch {
	case t < 0:
		return errorf("events", name, "sequence %d step %d: tick %d is negative", n, k, t)
	case k > 0 && t <= prev:
		return errorf("events", name, "sequence %d step %d: tick %d does not follow %d", n, k, t, prev)
	case len(chans) == 0 || len(chans) != len(vals):
		return errorf("events", name, "sequence %d step %d: %d channels and %d values, want as many, ≥ 1", n, k, len(chans), len(vals))
	}
	for j, c := range chans {
		if c < 0 || int(c) >= channels || (j > 0 && c <= chans[j-1]) {
			return errorf("events", name, "sequence %d step %d: channels %v, want strictly ascending in [0, %d)", n, k, chans, channels)
		}
		if v := vals[j]; math.IsNaN(v) || math.IsInf(v, 0) {
			return errorf("events", name, "sequence %d step %d channel %d is %v, want a finite value", n, k, c, v)
		}
	}
	return nil
}

// A Builder assembles an event stream step by step, sequence after sequence.
type Builder struct {
	s   *Stream
	seq int // the sequence steps are being added to; those below are done
}

// NewBuilder starts a stream of n sequences of the given number of channels.
// It panics unless n, channels ≥ 1.
func NewBuilder(name string, n, channels int) *Builder {
	if n < 1 || channels < 1 {
		panic(fmt.Sprintf("workload.NewBuilder: %d sequences of %d channels", n, channels))
	}
	s := &Stream{Name: name, N: n, I: channels, seqStart: make([]int, 1, n+1), evStart: []int32{0}}
	return &Builder{s: s}
}

// grow reserves room for steps and events more.
func (b *Builder) grow(steps, events int) {
	s := b.s
	s.tick = slices.Grow(s.tick, steps)
	s.evStart = slices.Grow(s.evStart, steps)
	s.ch = slices.Grow(s.ch, events)
	s.val = slices.Grow(s.val, events)
}

// Add appends a step at time t, with values at the given channels, to
// sequence seq. Sequences are filled in order: seq may not be below that of
// the previous Add (sequences passed over have no steps); within a sequence
// times strictly increase. Channels must be strictly ascending in [0, I), at
// least one; values finite. The slices are copied.
func (b *Builder) Add(seq int, t Tick, chans []int32, values []float64) error {
	s := b.s
	if seq < b.seq || seq >= s.N {
		return errorf("events", s.Name, "sequence %d added after sequence %d (sequences are built in order, 0..%d)", seq, b.seq, s.N-1)
	}
	b.to(seq)
	k := len(s.tick) - s.seqStart[seq]
	prev := Tick(-1)
	if k > 0 {
		prev = s.tick[len(s.tick)-1]
	}
	if err := checkStep(s.Name, seq, k, t, prev, chans, values, s.I); err != nil {
		return err
	}
	if len(s.ch)+len(chans) > MaxStreamEvents {
		return errorf("events", s.Name, "more than the %d events a stream can hold", MaxStreamEvents)
	}
	b.push(t, chans, values)
	return nil
}

// to closes the sequences before seq: seqStart gets the start of every
// sequence up to seq.
func (b *Builder) to(seq int) {
	for b.seq < seq {
		b.s.seqStart = append(b.s.seqStart, len(b.s.tick))
		b.seq++
	}
}

// push appends a checked step to the current sequence.
func (b *Builder) push(t Tick, chans []int32, values []float64) {
	s := b.s
	s.tick = append(s.tick, t)
	s.ch = append(s.ch, chans...)
	s.val = append(s.val, values...)
	s.evStart = append(s.evStart, int32(len(s.ch)))
}

// Stream returns the stream built (the sequences not reached have no steps).
// The Builder must not be used afterwards.
func (b *Builder) Stream() *Stream {
	b.to(b.s.N)
	return b.s
}

// FromSet returns the clocked stream of a dense set: step k of every
// sequence is row k, every channel present (zeros included), so that a run
// of the stream takes exactly the steps of the reference evaluation of the
// set, Δ ≡ 1. The stream refers to the set (nothing is copied); labels are
// shared.
func FromSet(set *Set) *Stream {
	chans := make([]int32, set.I)
	for i := range chans {
		chans[i] = int32(i)
	}
	return &Stream{
		Name: set.Name, N: set.N, I: set.I, set: set, chans: chans[:set.I:set.I],
		Labels: set.Labels, LabelsName: set.LabelsName,
	}
}

// LoadLabels reads an integer .npy array of shape [N], one non-negative class
// index per sequence of s, with the rules of [Set.LoadLabels], and sets
// s.Labels and s.LabelsName. On error s is unchanged.
func (s *Stream) LoadLabels(path string) error {
	labels, err := loadLabels(path, s.N, s.Name)
	if err != nil {
		return err
	}
	s.Labels, s.LabelsName = labels, path
	return nil
}

// DecodeLabels is LoadLabels for the bytes of a .npy file; name is used in
// errors and as s.LabelsName.
func (s *Stream) DecodeLabels(name string, data []byte) error {
	labels, err := readLabels(name, bytes.NewReader(data), int64(len(data)), s.N, s.Name)
	if err != nil {
		return err
	}
	s.Labels, s.LabelsName = labels, name
	return nil
}

// CheckWidth reports an error unless the stream's inputs have inputSize
// channels.
func (s *Stream) CheckWidth(inputSize int) error {
	if s.I != inputSize {
		return errorf("events", s.Name, "%d channels per step, the model takes %d", s.I, inputSize)
	}
	return nil
}

// CheckLabels reports an error unless s has labels and every label lies in
// [0, classes), with the messages of [Set.CheckLabels].
func (s *Stream) CheckLabels(classes int) error {
	tmp := &Set{Name: s.Name, N: s.N, Labels: s.Labels, LabelsName: s.LabelsName}
	return tmp.CheckLabels(classes)
}

// Seconds converts the time t of a step of s to seconds: t ns for an event
// stream, t step periods of period seconds for a clocked one (computed in
// float64, so any period and step count is representable).
func (s *Stream) Seconds(t Tick, period float64) float64 {
	if s.set != nil {
		return float64(t) * period
	}
	return Seconds(t)
}

// WriteCSV writes s in the CSV event format read by [DecodeEventsCSV]:
// events in sequence order, then time, then channel, times in seconds in the
// shortest form that parses back to the same float64. Reading the output
// gives back s (labels aside) when every tick is below 2⁵¹ (about 26 days):
// then Seconds and ToTicks round-trip exactly. Sequences without steps cannot
// be written (the format has no way to say they exist) and are refused, as
// are clocked streams (their times are step indices, not seconds).
func (s *Stream) WriteCSV(w io.Writer) error {
	if s.set != nil {
		return errorf("events", s.Name, "a clocked stream (a dense set) has no event times to write")
	}
	for n := range s.N {
		if s.SeqLen(n) == 0 {
			return errorf("events", s.Name, "sequence %d has no events and cannot be written as CSV", n)
		}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(csvHeader + "\n")
	var buf []byte
	for n := range s.N {
		for k := range s.SeqLen(n) {
			st := s.Step(n, k)
			sec := Seconds(st.T)
			for j, c := range st.Chan {
				buf = strconv.AppendInt(buf[:0], int64(n), 10)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, sec, 'g', -1, 64)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(c), 10)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, st.Value[j], 'g', -1, 64)
				buf = append(buf, '\n')
				bw.Write(buf)
			}
		}
	}
	return bw.Flush()
}
