package hostile_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/internal/hostile"
	"github.com/neurosim/neurosim/internal/npyfile"
	"github.com/neurosim/neurosim/workload"
)

// Each generator is checked with the project's own readers: what it writes
// must be what its doc says, or the limit tests that use it test nothing.

// Broadcast: a few hundred bytes that checkpoint reads as a rows×cols
// float32 tensor "x" whose every element is v.
func TestBroadcast(t *testing.T) {
	for _, tc := range []struct {
		rows, cols int64
		v          float32
	}{
		{16384, 16384, 1.5}, // the README's limits file: 2^28 elements
		{3, 4, -2.25},
		{1, 1, 0.5},
	} {
		name := fmt.Sprintf("%d×%d of %v", tc.rows, tc.cols, tc.v)
		t.Run(name, func(t *testing.T) {
			data := hostile.Broadcast(tc.rows, tc.cols, tc.v)
			if len(data) > 1000 {
				t.Errorf("%d bytes, want a few hundred", len(data))
			}
			inv, err := checkpoint.InspectBytes("b.pth", data, checkpoint.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(inv.Tensors) != 1 {
				t.Fatalf("%d tensors, want 1", len(inv.Tensors))
			}
			s := inv.Tensors[0]
			v := float64(tc.v)
			outside := 0
			if v < 0 || v > 1 {
				outside = int(tc.rows * tc.cols)
			}
			want := checkpoint.Stats{Min: v, Max: v, Mean: v, OutsideUnit: outside}
			if s.Name != "x" || s.DType != checkpoint.Float32 || !slices.Equal(s.Shape, []int{int(tc.rows), int(tc.cols)}) || s.Stats != want {
				t.Errorf("%s %v %v %+v, want x float32 [%d %d] %+v", s.Name, s.DType, s.Shape, s.Stats, tc.rows, tc.cols, want)
			}
		})
	}
	// A small one decodes to rows·cols copies of v.
	sd, err := checkpoint.Decode("b.pth", hostile.Broadcast(2, 3, 4.5), checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if x := sd.Tensors[0].Float64s(); !slices.Equal(x, []float64{4.5, 4.5, 4.5, 4.5, 4.5, 4.5}) {
		t.Errorf("2×3 broadcast of 4.5 decodes to %v", x)
	}
}

// TensorPickle and TorchZip: a view (offset, size, stride) of a float32
// storage, in torch's archive of stored members.
func TestTorchZipView(t *testing.T) {
	storage := func(n int) []byte {
		var b []byte
		for i := range n {
			b = binary.LittleEndian.AppendUint32(b, math.Float32bits(float32(i)))
		}
		return b
	}
	cases := []struct {
		name          string
		numel, offset int64
		size, stride  []int64
		want          []float64
		wantShape     []int
	}{
		// Storage 0…5 as a 2×3 matrix; the view [[1 2] [4 5]] is offset 1,
		// strides (3, 1).
		{"2×2 window", 6, 1, []int64{2, 2}, []int64{3, 1}, []float64{1, 2, 4, 5}, []int{2, 2}},
		// The transpose of that matrix: strides (1, 3).
		{"transpose", 6, 0, []int64{3, 2}, []int64{1, 3}, []float64{0, 3, 1, 4, 2, 5}, []int{3, 2}},
		// Integers of 256 and above are pickled as BININT, not BININT1.
		{"large offset and numel", 300, 256, []int64{3}, []int64{10}, []float64{256, 266, 276}, []int{3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := hostile.TorchZip(hostile.TensorPickle(tc.numel, tc.offset, tc.size, tc.stride), storage(int(tc.numel)))
			sd, err := checkpoint.Decode("v.pth", data, checkpoint.Options{})
			if err != nil {
				t.Fatal(err)
			}
			x := sd.Tensors[0]
			if x.Name != "x" || !slices.Equal(x.Shape, tc.wantShape) || !slices.Equal(x.Float64s(), tc.want) {
				t.Errorf("%s %v = %v, want x %v = %v", x.Name, x.Shape, x.Float64s(), tc.wantShape, tc.want)
			}
		})
	}

	// The archive holds torch.save's three members, stored.
	data := hostile.TorchZip(hostile.TensorPickle(1, 0, []int64{1}, []int64{1}), storage(1))
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		if f.Method != zip.Store {
			t.Errorf("%s is compressed (method %d); torch.save stores members", f.Name, f.Method)
		}
	}
	if want := []string{"archive/data.pkl", "archive/data/0", "archive/version"}; !slices.Equal(names, want) {
		t.Errorf("members %v, want %v", names, want)
	}
}

// NPYHeader: the version 1.0 preamble and a header padded so that the data
// starts on a 64-byte boundary, as numpy.save writes it.
func TestNPYHeader(t *testing.T) {
	cases := []struct {
		descr, shape string
		dtype        string
		want         []int
	}{
		{"<f4", "(3,)", "float32", []int{3}},
		{"<i8", "(2, 5)", "int64", []int{2, 5}},
		{"<f8", "()", "float64", nil},
		{"<f4", "(268435456,)", "float32", []int{1 << 28}},
	}
	for _, tc := range cases {
		t.Run(tc.descr+tc.shape, func(t *testing.T) {
			h := hostile.NPYHeader(tc.descr, tc.shape)
			if len(h)%64 != 0 || h[len(h)-1] != '\n' || !bytes.HasPrefix(h, []byte("\x93NUMPY\x01\x00")) {
				t.Errorf("%q: want the 1.0 magic, a newline-terminated header and a multiple of 64 bytes", h)
			}
			got, err := npyfile.ReadHeader(bytes.NewReader(h))
			if err != nil {
				t.Fatal(err)
			}
			if got.Major != 1 || got.DType.String() != tc.dtype || got.Fortran || !slices.Equal(got.Shape, tc.want) ||
				got.DataOffset != int64(len(h)) {
				t.Errorf("header %+v, want version 1 C-order %s %v with data at %d", got, tc.dtype, tc.want, len(h))
			}
		})
	}
}

// ZeroNPZ: numpy.savez_compressed of {"x": zeros(n, float32)}, about a
// thousand times smaller than its 4n bytes.
func TestZeroNPZ(t *testing.T) {
	for _, n := range []int64{1, 1000, 1 << 22} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			var buf bytes.Buffer
			if err := hostile.ZeroNPZ(&buf, n); err != nil {
				t.Fatal(err)
			}
			sd, err := checkpoint.Decode("z.npz", buf.Bytes(), checkpoint.Options{})
			if err != nil {
				t.Fatal(err)
			}
			x := sd.Tensors[0]
			if x.Name != "x" || x.DType != checkpoint.Float32 || !slices.Equal(x.Shape, []int{int(n)}) {
				t.Fatalf("%s %v %v, want x float32 [%d]", x.Name, x.DType, x.Shape, n)
			}
			if s := x.Stats(); s != (checkpoint.Stats{}) {
				t.Errorf("stats %+v, want all zeros", s)
			}
			// Deflate compresses at most 1032:1; 16 MiB of zeros comes close.
			if ratio := float64(4*n) / float64(buf.Len()); n == 1<<22 && (ratio < 500 || ratio > 1032) {
				t.Errorf("%d bytes for %d of data: ratio %.0f, want about 1000", buf.Len(), 4*n, ratio)
			}
		})
	}
}

// failing is a writer that fails once it has taken limit bytes.
type failing struct{ limit int }

var errFull = errors.New("disk full")

func (f *failing) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n := f.limit
		f.limit = 0
		return n, errFull
	}
	f.limit -= len(p)
	return len(p), nil
}

// A writer's error comes back from every generator that streams.
func TestWriteErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  func(*failing) error
	}{
		{"ZeroNPZ", func(w *failing) error { return hostile.ZeroNPZ(w, 1<<24) }},
		{"EventsNPZ", func(w *failing) error { return hostile.EventsNPZ(w, 1<<16, false) }},
		{"EventsCSV", func(w *failing) error { return hostile.EventsCSV(w, 1<<17, 2, 1, 4) }},
		{"EventsCSV, short", func(w *failing) error { return hostile.EventsCSV(w, 10, 2, 1, 4) }},
	} {
		for _, limit := range []int{0, 50} { // both less than any of the outputs
			t.Run(fmt.Sprintf("%s after %d bytes", tc.name, limit), func(t *testing.T) {
				if err := tc.gen(&failing{limit: limit}); !errors.Is(err, errFull) {
					t.Errorf("error %v, want %v", err, errFull)
				}
			})
		}
	}
}

// EventsNPZ: n events of sequence 0, event i at i µs on channel i mod 4
// with value 1; with bad0, event 0 has sequence −1 and is refused at once.
func TestEventsNPZ(t *testing.T) {
	const n = 1000
	var buf bytes.Buffer
	if err := hostile.EventsNPZ(&buf, n, false); err != nil {
		t.Fatal(err)
	}
	s, err := workload.DecodeEventsNPZ("e.npz", buf.Bytes(), 4)
	if err != nil {
		t.Fatal(err)
	}
	if s.N != 1 || s.Events() != n || s.Steps() != n {
		t.Fatalf("%d sequences, %d events, %d steps; want 1, %d, %d", s.N, s.Events(), s.Steps(), n, n)
	}
	for _, k := range []int{0, 1, 2, 3, 4, 777, n - 1} {
		st := s.Step(0, k)
		if st.T != workload.Tick(k*1000) || !slices.Equal(st.Chan, []int32{int32(k % 4)}) || !slices.Equal(st.Value, []float64{1}) {
			t.Errorf("step %d: %+v, want t = %d µs, channel %d, value 1", k, st, k, k%4)
		}
	}

	const big = 1 << 18
	buf.Reset()
	if err := hostile.EventsNPZ(&buf, big, true); err != nil {
		t.Fatal(err)
	}
	// Four arrays of 8 bytes an element, nearly all zero.
	if ratio := float64(4*8*big) / float64(buf.Len()); ratio < 500 {
		t.Errorf("%d bytes for %d bytes of arrays: ratio %.0f, want about 1000", buf.Len(), 4*8*big, ratio)
	}
	_, err = workload.DecodeEventsNPZ("bad.npz", buf.Bytes(), 4)
	var we *workload.Error
	if !errors.As(err, &we) || !strings.Contains(err.Error(), "bad.npz") || !strings.Contains(err.Error(), "index 0") ||
		!strings.Contains(err.Error(), "-1") {
		t.Errorf("error %v, want one naming bad.npz, index 0 and sequence -1", err)
	}
}

// EventsCSV: n events over the sequences (the first n mod sequences get one
// more), perStep to a step at k ms, channels 0, 1, … mod channels, value 1.
func TestEventsCSV(t *testing.T) {
	cases := []struct {
		name                            string
		n, sequences, perStep, channels int
		// per sequence: its events and steps (⌈events/perStep⌉)
		events, steps []int
	}{
		{"one a step", 10, 3, 1, 4, []int{4, 3, 3}, []int{4, 3, 3}},
		{"two a step", 10, 3, 2, 4, []int{4, 3, 3}, []int{2, 2, 2}},
		{"dense 37", 100, 2, 37, 37, []int{50, 50}, []int{2, 2}},
		{"more channels than a step fills", 12, 2, 3, 37, []int{6, 6}, []int{2, 2}},
		{"one sequence, one step", 5, 1, 5, 5, []int{5}, []int{1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := hostile.EventsCSV(&buf, tc.n, tc.sequences, tc.perStep, tc.channels); err != nil {
				t.Fatal(err)
			}
			if lines := strings.Count(buf.String(), "\n"); lines != tc.n+1 {
				t.Errorf("%d lines, want a header and %d events", lines, tc.n)
			}
			s, err := workload.DecodeEventsCSV("e.csv", buf.Bytes(), tc.channels)
			if err != nil {
				t.Fatalf("%v\n%s", err, buf.String())
			}
			if s.N != tc.sequences || s.Events() != tc.n {
				t.Fatalf("%d sequences, %d events; want %d, %d", s.N, s.Events(), tc.sequences, tc.n)
			}
			for q := range tc.sequences {
				if s.SeqLen(q) != tc.steps[q] {
					t.Errorf("sequence %d: %d steps, want %d", q, s.SeqLen(q), tc.steps[q])
				}
				events := 0
				for k := range s.SeqLen(q) {
					st := s.Step(q, k)
					if st.T != workload.Tick(k*1_000_000) {
						t.Errorf("sequence %d step %d at %d ns, want %d ms", q, k, st.T, k)
					}
					for j, c := range st.Chan {
						// Event i of the sequence is number i mod perStep in
						// its step, on channel (i mod perStep) mod channels.
						if want := int32(j % tc.channels); c != want || st.Value[j] != 1 {
							t.Errorf("sequence %d step %d event %d: channel %d value %v, want %d and 1", q, k, j, c, st.Value[j], want)
						}
					}
					events += len(st.Chan)
				}
				if events != tc.events[q] {
					t.Errorf("sequence %d: %d events, want %d", q, events, tc.events[q])
				}
			}
		})
	}
}
