package workload

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"

	"github.com/neurosim/neurosim/internal/npyfile"
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
type Stream struct {
	Name string // file path or a description such as "poisson(n=128, ...)"
	N, I int    // sequences, channels per step
	Seqs []Sequence
	// Labels are the class labels, one per sequence, or nil; LabelsName is
	// their file path or description ("" when there are none). As in Set.
	Labels     []int
	LabelsName string
}

// Sequence is one input sequence: its steps in strictly increasing time. It
// may have no steps (see the Stream documentation).
type Sequence struct {
	Steps []Step
}

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

// Events returns the total number of events in s.
func (s *Stream) Events() int {
	n := 0
	for _, q := range s.Seqs {
		for _, st := range q.Steps {
			n += len(st.Chan)
		}
	}
	return n
}

// Steps returns the total number of network steps in s.
func (s *Stream) Steps() int {
	n := 0
	for _, q := range s.Seqs {
		n += len(q.Steps)
	}
	return n
}

// Span returns the time from the first to the last step of sequence n: 0 for
// a sequence of zero or one step. It panics if n is out of range.
func (s *Stream) Span(n int) Tick {
	if n < 0 || n >= len(s.Seqs) {
		panic(fmt.Sprintf("workload: sequence %d out of range [0, %d)", n, len(s.Seqs)))
	}
	st := s.Seqs[n].Steps
	if len(st) < 2 {
		return 0
	}
	return st[len(st)-1].T - st[0].T
}

// Validate reports whether s keeps the invariants of the package's streams:
// N, I ≥ 1, N sequences, steps in strictly increasing non-negative time, each
// with at least one event, channels strictly ascending in [0, I), values
// finite, labels nil or N of them, all ≥ 0. Streams built by this package
// always pass; it is meant for streams built by hand.
func (s *Stream) Validate() error {
	if s.N < 1 || s.I < 1 {
		return errorf("events", s.Name, "%d sequences of %d channels, want N, I ≥ 1", s.N, s.I)
	}
	if len(s.Seqs) != s.N {
		return errorf("events", s.Name, "%d sequences, N says %d", len(s.Seqs), s.N)
	}
	for n, q := range s.Seqs {
		for k, st := range q.Steps {
			switch {
			case st.T < 0:
				return errorf("events", s.Name, "sequence %d step %d: tick %d is negative", n, k, st.T)
			case k > 0 && st.T <= q.Steps[k-1].T:
				return errorf("events", s.Name, "sequence %d step %d: tick %d does not follow %d", n, k, st.T, q.Steps[k-1].T)
			case len(st.Chan) == 0 || len(st.Chan) != len(st.Value):
				return errorf("events", s.Name, "sequence %d step %d: %d channels and %d values, want as many, ≥ 1",
					n, k, len(st.Chan), len(st.Value))
			}
			for j, c := range st.Chan {
				if c < 0 || int(c) >= s.I || (j > 0 && c <= st.Chan[j-1]) {
					return errorf("events", s.Name, "sequence %d step %d: channels %v, want strictly ascending in [0, %d)", n, k, st.Chan, s.I)
				}
				if v := st.Value[j]; math.IsNaN(v) || math.IsInf(v, 0) {
					return errorf("events", s.Name, "sequence %d step %d channel %d is %v, want a finite value", n, k, c, v)
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

// FromSet turns the dense set into a stream with the same inputs: step k of
// every sequence at t = k·period, each step holding all I channels (zeros
// included), so that an event-driven run of the stream takes exactly the
// steps of a dense run of the set. Labels are copied. The steps' Chan slices
// share one read-only backing array [0, 1, …, I−1].
//
// It panics if period ≤ 0 or (T−1)·period overflows a Tick.
func FromSet(set *Set, period Tick) *Stream {
	if period <= 0 {
		panic(fmt.Sprintf("workload: FromSet period %d, want > 0", period))
	}
	if set.T > 1 && int64(set.T-1) > math.MaxInt64/int64(period) {
		panic(fmt.Sprintf("workload: FromSet %d steps of %d ticks overflow a Tick", set.T, period))
	}
	chans := make([]int32, set.I)
	for i := range chans {
		chans[i] = int32(i)
	}
	chans = chans[:set.I:set.I]
	vals := slices.Clone(set.X)
	steps := make([]Step, set.N*set.T)
	s := &Stream{
		Name: set.Name, N: set.N, I: set.I, Seqs: make([]Sequence, set.N),
		Labels: slices.Clone(set.Labels), LabelsName: set.LabelsName,
	}
	for n := range set.N {
		seq := steps[n*set.T : (n+1)*set.T : (n+1)*set.T]
		for k := range seq {
			off := (n*set.T + k) * set.I
			seq[k] = Step{T: Tick(k) * period, Chan: chans, Value: vals[off : off+set.I : off+set.I]}
		}
		s.Seqs[n].Steps = seq
	}
	return s
}

// LoadLabels reads an integer .npy array of shape [N], one non-negative class
// index per sequence of s, with the rules of [Set.LoadLabels], and sets
// s.Labels and s.LabelsName. On error s is unchanged.
func (s *Stream) LoadLabels(path string) error {
	a, err := npyfile.ReadFile(path, MaxFileBytes)
	if err != nil {
		return wrap("labels", path, err)
	}
	return s.labels(path, a)
}

// DecodeLabels is LoadLabels for the bytes of a .npy file; name is used in
// errors and as s.LabelsName.
func (s *Stream) DecodeLabels(name string, data []byte) error {
	a, err := npyfile.Decode(data)
	if err != nil {
		return wrap("labels", name, err)
	}
	return s.labels(name, a)
}

// labels validates through Set.labels so that sets and streams accept exactly
// the same label files.
func (s *Stream) labels(name string, a *npyfile.Array) error {
	tmp := &Set{Name: s.Name, N: s.N}
	if err := tmp.labels(name, a); err != nil {
		return err
	}
	s.Labels, s.LabelsName = tmp.Labels, tmp.LabelsName
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

// WriteCSV writes s in the CSV event format read by [DecodeEventsCSV]:
// events in sequence order, then time, then channel, times in seconds in the
// shortest form that parses back to the same float64. Reading the output
// gives back s (labels aside) when every tick is below 2⁵¹ (about 26 days):
// then Seconds and ToTicks round-trip exactly. Sequences without steps cannot
// be written (the format has no way to say they exist) and are refused.
func (s *Stream) WriteCSV(w io.Writer) error {
	for n, q := range s.Seqs {
		if len(q.Steps) == 0 {
			return errorf("events", s.Name, "sequence %d has no events and cannot be written as CSV", n)
		}
	}
	bw := bufio.NewWriter(w)
	bw.WriteString(csvHeader + "\n")
	var buf []byte
	for n, q := range s.Seqs {
		for _, st := range q.Steps {
			sec := Seconds(st.T)
			for k, c := range st.Chan {
				buf = strconv.AppendInt(buf[:0], int64(n), 10)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, sec, 'g', -1, 64)
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(c), 10)
				buf = append(buf, ',')
				buf = strconv.AppendFloat(buf, st.Value[k], 'g', -1, 64)
				buf = append(buf, '\n')
				bw.Write(buf)
			}
		}
	}
	return bw.Flush()
}
