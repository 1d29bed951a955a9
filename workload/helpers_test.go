package workload

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// values returns every value of a set, widened, in row-major order.
func values(s *Set) []float64 {
	out := make([]float64, 0, s.N*s.T*s.I)
	for n := range s.N {
		out = append(out, s.Sequence(n, nil)...)
	}
	return out
}

// seqs lists a stream's steps, sequence by sequence (copies), for comparisons.
func seqs(s *Stream) [][]Step {
	out := make([][]Step, s.N)
	for n := range s.N {
		out[n] = []Step{}
		for k := range s.SeqLen(n) {
			st := s.Step(n, k)
			out[n] = append(out[n], Step{T: st.T, Chan: append([]int32{}, st.Chan...), Value: append([]float64{}, st.Value...)})
		}
	}
	return out
}

// build makes a stream of the given steps per sequence with a Builder.
// With t nil, an error panics.
func build(t testing.TB, name string, channels int, steps [][]Step) *Stream {
	b := NewBuilder(name, len(steps), channels)
	for n, q := range steps {
		for _, st := range q {
			if err := b.Add(n, st.T, st.Chan, st.Value); err != nil {
				if t == nil {
					panic(err)
				}
				t.Fatal(err)
			}
		}
	}
	return b.Stream()
}

// diffStreams compares two streams' sizes, steps and labels, not their names.
func diffStreams(want, got *Stream) string {
	type view struct {
		N, I       int
		Clocked    bool
		Steps      [][]Step
		Labels     []int
		LabelsName string
	}
	v := func(s *Stream) view { return view{s.N, s.I, s.Clocked(), seqs(s), s.Labels, s.LabelsName} }
	return cmp.Diff(v(want), v(got))
}
