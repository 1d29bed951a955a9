package checkpoint_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/internal/hostile"
	"github.com/neurosim/neurosim/internal/testutil"
)

// allocs reports the bytes f allocates.
func allocs(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// Inspect of a tiny file whose tensor is a broadcast (stride 0) view shown
// as 16384×16384: the statistics are those of its one element, repeated
// 2^28 times, and nothing of that size is allocated.
func TestInspectBroadcast(t *testing.T) {
	data := hostile.Broadcast(16384, 16384, 1.5)
	var inv *checkpoint.Inventory
	var err error
	got := allocs(func() { inv, err = checkpoint.InspectBytes("bcast.pth", data, checkpoint.Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	s := inv.Tensors[0]
	want := checkpoint.Stats{Min: 1.5, Max: 1.5, Mean: 1.5, OutsideUnit: 1 << 28}
	if s.Name != "x" || s.DType != checkpoint.Float32 || s.Len() != 1<<28 || s.Stats != want {
		t.Errorf("summary %+v, want x float32 of 2^28 elements, %+v", s, want)
	}
	if !checkpoint.RaceEnabled && got > 1<<20 {
		t.Errorf("Inspect allocated %d bytes for a %d-byte file", got, len(data))
	}
	// A partial broadcast: shape (3, 2) of storage [1, −2] with strides
	// (0, 1) repeats the row [1, −2] three times: mean −0.5, 3 elements
	// outside [0, 1].
	row := binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, math.Float32bits(1)), math.Float32bits(-2))
	data = torchZip(t, hostile.TensorPickle(2, 0, []int64{3, 2}, []int64{0, 1}), member{name: "0", data: row})
	inv, err = checkpoint.InspectBytes("rows.pth", data, checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if want := (checkpoint.Stats{Min: -2, Max: 1, Mean: -0.5, OutsideUnit: 3}); inv.Tensors[0].Stats != want {
		t.Errorf("stats %+v, want %+v", inv.Tensors[0].Stats, want)
	}
}

// A deflated npz member is streamed by Inspect (a 64 MiB tensor from a file
// of about 64 KiB, and O(1) memory), and held once at its own dtype (4
// bytes per float32, not 8) by Decode.
func TestInspectStreamsNPZ(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 64 MiB tensor")
	}
	const n = 1 << 24
	var buf bytes.Buffer
	if err := hostile.ZeroNPZ(&buf, n); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	var inv *checkpoint.Inventory
	var err error
	got := allocs(func() { inv, err = checkpoint.InspectBytes("zeros.npz", data, checkpoint.Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	if s := inv.Tensors[0]; s.Len() != n || s.Stats != (checkpoint.Stats{}) {
		t.Errorf("summary %+v, want %d zeros", s, n)
	}
	if !checkpoint.RaceEnabled && got > 2<<20 {
		t.Errorf("Inspect allocated %d bytes, want O(1) (< 2 MiB)", got)
	}
	var sd *checkpoint.StateDict
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	sd, err = checkpoint.Decode("zeros.npz", data, checkpoint.Options{})
	runtime.GC()
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if x := sd.Tensors[0]; x.DType != checkpoint.Float32 || x.Len() != n {
		t.Errorf("tensor %s %v", x.DType, x.Shape)
	}
	// Held once, at 4 bytes per element; inflating into a doubling buffer
	// allocates at most twice that in all.
	live := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	if total := after.TotalAlloc - before.TotalAlloc; !checkpoint.RaceEnabled && (live < 4*n-1<<20 || live > 4*n+4<<20 || total > 2*4*n+4<<20) {
		t.Errorf("Decode holds %d bytes (allocated %d), want the %d bytes of the float32 data", live, total, 4*n)
	}
	runtime.KeepAlive(sd)
}

// A compressed torch storage viewed contiguously is streamed by Inspect.
func TestInspectStreamsTorchStorage(t *testing.T) {
	const n = 1 << 20
	vals := make([]byte, 4*n)
	for i := range n {
		binary.LittleEndian.PutUint32(vals[4*i:], math.Float32bits(float32(i%7)))
	}
	// Elements 1 … n−1 of the storage: values i mod 7 for i ≥ 1.
	data := torchZip(t, hostile.TensorPickle(n, 1, []int64{n - 1}, []int64{1}), member{name: "0", data: vals, method: zip.Deflate})
	var inv *checkpoint.Inventory
	var err error
	got := allocs(func() { inv, err = checkpoint.InspectBytes("deflated.pth", data, checkpoint.Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	// i = 1 … 1048575 = 7·149796 + 3: i = 1 … 1048572 are 149796 full
	// cycles of the residues 0…6 (sum 21, five of them above 1 each), then
	// 1048573 … 1048575 have residues 1, 2, 3 (sum 6, two above 1).
	want := checkpoint.Stats{Min: 0, Max: 6, Mean: (21*149796 + 6) / float64(n-1), OutsideUnit: 5*149796 + 2}
	if s := inv.Tensors[0].Stats; s.Min != want.Min || s.Max != want.Max || math.Abs(s.Mean-want.Mean) > 1e-12 || s.OutsideUnit != want.OutsideUnit {
		t.Errorf("stats %+v, want %+v", s, want)
	}
	if !checkpoint.RaceEnabled && got > 2<<20 {
		t.Errorf("Inspect allocated %d bytes of a %d-byte storage, want it streamed", got, 4*n)
	}
}

// Inspect and Decode agree on every fixture: same tensors, and Inspect's
// statistics are those of the decoded tensors.
func TestInspectMatchesDecode(t *testing.T) {
	paths, _ := filepath.Glob(testutil.Testdata("checkpoint", "*"))
	ok := 0
	for _, p := range paths {
		sd, err := checkpoint.Load(p, checkpoint.Options{})
		inv, ierr := checkpoint.Inspect(p, checkpoint.Options{})
		if (err == nil) != (ierr == nil) {
			t.Errorf("%s: Load %v, Inspect %v", p, err, ierr)
			continue
		}
		if err != nil {
			continue
		}
		ok++
		if inv.Format != sd.Format || inv.Key != sd.Key || len(inv.Tensors) != len(sd.Tensors) {
			t.Fatalf("%s: Inspect %v %q %d tensors, Load %v %q %d", p, inv.Format, inv.Key, len(inv.Tensors), sd.Format, sd.Key, len(sd.Tensors))
		}
		for i, s := range inv.Tensors {
			x := sd.Tensors[i]
			want := x.Stats()
			same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
			if s.Name != x.Name || s.DType != x.DType || !slices.Equal(s.Shape, x.Shape) ||
				!same(s.Stats.Min, want.Min) || !same(s.Stats.Max, want.Max) || !same(s.Stats.Mean, want.Mean) ||
				s.Stats.NonFinite != want.NonFinite || s.Stats.OutsideUnit != want.OutsideUnit {
				t.Errorf("%s: tensor %d: Inspect %+v, Decode %s %s %v %+v", p, i, s, x.Name, x.DType, x.Shape, want)
			}
		}
	}
	if ok < 10 {
		t.Errorf("only %d fixtures decoded", ok)
	}
}

// Checkpoints are read from pipes as from files; a stream that is no
// checkpoint (/dev/zero) is refused after its first bytes.
func TestLoadStream(t *testing.T) {
	data, err := os.ReadFile(fixture("common.pth"))
	if err != nil {
		t.Fatal(err)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { w.Write(data); w.Close() }()
	defer r.Close()
	sd, err := checkpoint.Load(fmt.Sprintf("/dev/fd/%d", r.Fd()), checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sd.Tensors) != 7 {
		t.Errorf("%d tensors from a pipe, want 7", len(sd.Tensors))
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	got := allocs(func() { _, err = checkpoint.Inspect("/dev/zero", checkpoint.Options{}) })
	checkError(t, err, "/dev/zero", nil, "unknown format")
	if got > 1<<20 {
		t.Errorf("Inspect(/dev/zero) allocated %d bytes before refusing", got)
	}
	// A stream past the size limit is refused, naming the flag.
	r2, w2, _ := os.Pipe()
	go func() { w2.Write(data); w2.Close() }()
	defer r2.Close()
	_, err = checkpoint.Load(fmt.Sprintf("/dev/fd/%d", r2.Fd()), checkpoint.Options{MaxBytes: 1000})
	if err == nil || !strings.Contains(err.Error(), "more than the 1000 bytes allowed (--max-checkpoint-bytes)") {
		t.Errorf("pipe over the limit: %v", err)
	}
}

// Tensors view the file's bytes: decoding a stored float32 checkpoint
// allocates far less than its tensors' float64 size.
func TestDecodeViewsFile(t *testing.T) {
	data, err := os.ReadFile(testutil.Testdata("perf", "ART_STPN_h128", "model.pth"))
	if err != nil {
		t.Fatal(err)
	}
	var sd *checkpoint.StateDict
	got := allocs(func() { sd, err = checkpoint.Decode("h128", data, checkpoint.Options{}) })
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, x := range sd.Tensors {
		total += x.Len()
	}
	if !checkpoint.RaceEnabled && got > uint64(4*total) {
		t.Errorf("Decode allocated %d bytes for %d float32 elements (want no copy of them)", got, total)
	}
}
