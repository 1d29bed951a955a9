package workload

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/internal/hostile"
)

// npyFile is a .npy stream as NumPy writes it (version 1.0, data aligned to
// 64 bytes) around a header dict, built here without internal/npyfile.
func npyFile(dict string, data []byte) []byte {
	for (10+len(dict)+1)%64 != 0 {
		dict += " "
	}
	dict += "\n"
	b := binary.LittleEndian.AppendUint16([]byte("\x93NUMPY\x01\x00"), uint16(len(dict)))
	return append(append(b, dict...), data...)
}

func f32(vs ...float32) []byte {
	var b []byte
	for _, v := range vs {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// pipe returns a path reading data through a pipe, as /dev/stdin would.
func pipe(t *testing.T, data []byte) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { w.Write(data); w.Close() }()
	t.Cleanup(func() { r.Close() })
	return fmt.Sprintf("/dev/fd/%d", r.Fd())
}

func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// The header is read as the dict literal it is: reordered keys, double
// quotes and no trailing ", }" give the same shape (4, 9, 37), not [4 9].
func TestInputsHeaderLiteral(t *testing.T) {
	data := f32(make([]float32, 4*9*37)...)
	for _, dict := range []string{
		"{'descr': '<f4', 'fortran_order': False, 'shape': (4, 9, 37), }",
		"{'descr': '<f4', 'fortran_order': False, 'shape': (4,9,37)}",
		`{"shape": (4, 9, 37), "descr": "<f4", "fortran_order": False}`,
	} {
		s, err := DecodeInputs("x.npy", npyFile(dict, data))
		if err != nil {
			t.Fatalf("%s: %v", dict, err)
		}
		if s.N != 4 || s.T != 9 || s.I != 37 {
			t.Errorf("%s: shape %d×%d×%d, want 4×9×37", dict, s.N, s.T, s.I)
		}
	}
}

// Inputs and labels are read from pipes and devices through the size cap.
func TestInputsFromPipe(t *testing.T) {
	inputs, err := os.ReadFile(fixture("good_inputs_f64.npy"))
	if err != nil {
		t.Fatal(err)
	}
	labels, err := os.ReadFile(fixture("good_labels.npy"))
	if err != nil {
		t.Fatal(err)
	}
	s, err := LoadInputs(pipe(t, inputs))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LoadLabels(pipe(t, labels)); err != nil {
		t.Fatal(err)
	}
	want, _ := LoadInputs(fixture("good_inputs_f64.npy"))
	if !slices.Equal(values(s), values(want)) || !slices.Equal(s.Labels, []int{33, 27}) {
		t.Errorf("from a pipe: %v labels %v", values(s), s.Labels)
	}
	// A stream longer than the cap is refused once the cap is passed.
	defer func(old int64) { MaxFileBytes = old }(MaxFileBytes)
	MaxFileBytes = 200
	_, err = LoadInputs(pipe(t, inputs))
	if err == nil || !strings.Contains(err.Error(), "more than the 200 bytes allowed (--max-input-bytes)") {
		t.Errorf("over the cap: %v", err)
	}
	_, err = LoadInputs(fixture("good_inputs_f64.npy"))
	if err == nil || !strings.Contains(err.Error(), "more than the 200 allowed (--max-input-bytes)") {
		t.Errorf("regular file over the cap: %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		got := allocated(func() { _, err = LoadInputs("/dev/zero") })
		if err == nil || !strings.Contains(err.Error(), "not a .npy file") || got > 1<<20 {
			t.Errorf("/dev/zero: %v after allocating %d bytes", err, got)
		}
	}
}

// ReadInputs and ReadLabels read any io.Reader (an fs.File of a set
// directory) through the cap.
func TestReadInputs(t *testing.T) {
	f, err := os.Open(fixture("good_inputs_f64.npy"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := ReadInputs("in.npy", f)
	if err != nil {
		t.Fatal(err)
	}
	l, _ := os.ReadFile(fixture("good_labels.npy"))
	if err := s.ReadLabels("l.npy", bytes.NewReader(l)); err != nil || !slices.Equal(s.Labels, []int{33, 27}) || s.LabelsName != "l.npy" {
		t.Errorf("labels %v from %q: %v", s.Labels, s.LabelsName, err)
	}
	defer func(old int64) { MaxFileBytes = old }(MaxFileBytes)
	MaxFileBytes = 100
	if err := s.ReadLabels("l.npy", bytes.NewReader(l)); err == nil || !strings.Contains(err.Error(), "more than the 100 bytes allowed (--max-input-bytes)") {
		t.Errorf("over the cap: %v", err)
	}
}

// A stream claiming more data than it sends costs what it sent, not the claim.
func TestInputsStreamClaim(t *testing.T) {
	head := npyFile("{'descr': '<f8', 'fortran_order': False, 'shape': (1000, 1000, 100), }", make([]byte, 800))
	var err error
	got := allocated(func() { _, err = LoadInputs(pipe(t, head)) })
	if err == nil || !strings.Contains(err.Error(), "ends after 100 of the 100000000 elements") {
		t.Errorf("short stream: %v", err)
	}
	if got > 4<<20 {
		t.Errorf("a stream of %d bytes claiming 800 MB made LoadInputs allocate %d bytes", len(head), got)
	}
}

// Float32 inputs stay float32: 4 bytes per value, once.
func TestInputsKeepFloat32(t *testing.T) {
	const n, steps, width = 512, 9, 37
	vals := make([]float32, n*steps*width)
	for k := range vals {
		vals[k] = float32(k%7) - 3
	}
	path := filepath.Join(t.TempDir(), "in.npy")
	if err := os.WriteFile(path, npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (512, 9, 37), }", f32(vals...)), 0o644); err != nil {
		t.Fatal(err)
	}
	var s *Set
	var err error
	got := allocated(func() { s, err = LoadInputs(path) })
	if err != nil {
		t.Fatal(err)
	}
	if s.DType() != "float32" {
		t.Errorf("held as %s", s.DType())
	}
	if max := uint64(4*len(vals) + 256<<10); got > max {
		t.Errorf("LoadInputs allocated %d bytes for %d float32 values, want at most %d", got, len(vals), max)
	}
	x := values(s)
	for k, v := range vals {
		if x[k] != float64(v) {
			t.Fatalf("value %d = %v, want %v", k, x[k], v)
		}
	}
}

// The label count is checked against the inputs before a label is read.
func TestLabelsCountFirst(t *testing.T) {
	head := npyFile("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", nil)
	r := io.MultiReader(bytes.NewReader(head), failReader{})
	_, err := readLabels("l.npy", r, -1, 2, "in.npy")
	if err == nil || !strings.Contains(err.Error(), "3 labels, want 2 (one per sequence of inputs in.npy)") {
		t.Errorf("count: %v", err)
	}
}

type failReader struct{}

func (failReader) Read([]byte) (int, error) {
	return 0, fmt.Errorf("data read before the count was checked")
}

// An event archive is decoded in one streaming pass: a file whose event 0
// is bad costs O(1) memory however many events its arrays declare, and a
// good one costs what its stream holds.
func TestEventsNPZStreaming(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 32 MiB of event arrays")
	}
	dir := t.TempDir()
	const n = 1 << 20
	for _, tc := range []struct {
		bad  int
		max  uint64
		want string
	}{
		{0, 2 << 20, "index 0: sequence -1 is negative"},
		{-1, 40 * n, ""}, // 12 bytes per step + 12 per event, doubled at most while growing
	} {
		path := filepath.Join(dir, fmt.Sprintf("ev%d.npz", tc.bad))
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := hostile.EventsNPZ(f, n, tc.bad == 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
		var s *Stream
		got := allocated(func() { s, err = LoadEvents(path, 4) })
		switch {
		case tc.want != "":
			checkEventError(t, err, path, tc.want)
		case err != nil:
			t.Fatal(err)
		case s.Events() != n || s.Steps() != n:
			t.Errorf("%d events in %d steps, want %d", s.Events(), s.Steps(), n)
		}
		if !raceEnabled && got > tc.max {
			t.Errorf("event %d bad: LoadEvents allocated %d bytes, want at most %d", tc.bad, got, tc.max)
		}
	}
}

// A CSV is parsed as a stream: /dev/zero fails at its first line, a pipe
// works as a file does, and a regular file's events are allocated once.
func TestEventsCSVStreaming(t *testing.T) {
	good, _ := os.ReadFile(eventsFixture("good.csv"))
	s, err := LoadEvents(pipe(t, good), 4)
	if err != nil {
		t.Fatal(err)
	}
	if diff := diffStreams(goodStream(), s); diff != "" {
		t.Errorf("from a pipe (-want +got):\n%s", diff)
	}
	npz, _ := os.ReadFile(eventsFixture("good_deflate.npz"))
	if s, err = LoadEvents(pipe(t, npz), 4); err != nil {
		t.Fatal(err)
	} else if diff := diffStreams(goodStream(), s); diff != "" {
		t.Errorf("npz from a pipe (-want +got):\n%s", diff)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		got := allocated(func() { _, err = LoadEvents("/dev/zero", 4) })
		checkEventError(t, err, "/dev/zero", "line 1 is longer than 65536 bytes")
		if got > 1<<20 {
			t.Errorf("/dev/zero: %d bytes allocated", got)
		}
	}
	const n = 200_000
	var b bytes.Buffer
	b.WriteString(csvHeader + "\n")
	for i := range n {
		fmt.Fprintf(&b, "%d,%g,%d,1\n", i/50_000, float64(i%50_000)*1e-3, i%37)
	}
	path := filepath.Join(t.TempDir(), "big.csv")
	os.WriteFile(path, b.Bytes(), 0o644)
	got := allocated(func() { s, err = LoadEvents(path, 37) })
	if err != nil {
		t.Fatal(err)
	}
	// One step per event: 24 bytes each in the stream, allocated once.
	if s.Events() != n || s.Steps() != n || (!raceEnabled && got > 30*n+(1<<20)) {
		t.Errorf("%d events, %d steps, %d bytes allocated (want ≤ %d)", s.Events(), s.Steps(), got, 30*n+(1<<20))
	}
}

// The sorted fast path and the grouping of interleaved sequences give the
// same stream, and the same error for the same duplicate.
func TestEventsOrderings(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 5))
	type ev struct {
		seq, ch int
		t       float64
		v       float64
	}
	for trial := range 50 {
		var evs []ev
		N := 1 + rng.IntN(5)
		for q := range N {
			tm, ch := 0.0, 0
			for range 1 + rng.IntN(20) {
				// Several channels at one time, none twice.
				if ch++; ch == 6 || rng.IntN(3) > 0 {
					tm, ch = tm+float64(1+rng.IntN(5))*1e-3, rng.IntN(3)
				}
				evs = append(evs, ev{q, ch, tm, float64(rng.IntN(5)) - 2})
			}
		}
		dup := trial%5 == 0
		if dup { // repeat one event: both paths must refuse it
			evs = slices.Insert(evs, len(evs)/2+1, evs[len(evs)/2])
		}
		csv := func(order []ev) []byte {
			var b bytes.Buffer
			b.WriteString(csvHeader + "\n")
			for _, e := range order {
				fmt.Fprintf(&b, "%d,%g,%d,%g\n", e.seq, e.t, e.ch, e.v)
			}
			return b.Bytes()
		}
		// Interleave the sequences at random, keeping each one's order.
		mixed := make([]ev, 0, len(evs))
		next := make([]int, N)
		starts := []int{}
		for i := range evs {
			if i == 0 || evs[i].seq != evs[i-1].seq {
				starts = append(starts, i)
			}
		}
		for len(mixed) < len(evs) {
			q := rng.IntN(N)
			end := len(evs)
			if q+1 < N {
				end = starts[q+1]
			}
			if starts[q]+next[q] < end {
				mixed = append(mixed, evs[starts[q]+next[q]])
				next[q]++
			}
		}
		a, errA := DecodeEventsCSV("x.csv", csv(evs), 6)
		b, errB := DecodeEventsCSV("x.csv", csv(mixed), 6)
		if dup {
			if errA == nil || errB == nil || !strings.Contains(errA.Error(), "duplicate event") || !strings.Contains(errB.Error(), "duplicate event") {
				t.Fatalf("trial %d: duplicate: %v / %v", trial, errA, errB)
			}
			continue
		}
		if errA != nil || errB != nil {
			t.Fatalf("trial %d: %v / %v", trial, errA, errB)
		}
		if diff := diffStreams(a, b); diff != "" {
			t.Fatalf("trial %d: sorted and interleaved differ:\n%s", trial, diff)
		}
		if err := a.Validate(); err != nil {
			t.Fatal(err)
		}
	}
}
