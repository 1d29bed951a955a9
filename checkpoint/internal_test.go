package checkpoint

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/internal/testutil"
)

// TestPickleCostModel checks that the pre-scan's estimate bounds what the
// pre-scan and gopickle really allocate, on long runs of each opcode kind.
// This is what keeps a small hostile pickle from exhausting memory.
func TestPickleCostModel(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's own allocations swamp the measurement")
	}
	const n = 50000
	run := func(head, unit, tail string) []byte {
		return []byte(head + string(bytes.Repeat([]byte(unit), n)) + tail)
	}
	orderedDictKeys := []byte("\x80\x02ccollections\nOrderedDict\n)R")
	for i := range n { // distinct int keys: the map grows
		orderedDictKeys = append(orderedDictKeys, 'J', byte(i), byte(i>>8), byte(i>>16), 0, 'N', 's')
	}
	orderedDictKeys = append(orderedDictKeys, '.')
	tests := []struct {
		name   string
		pickle []byte
	}{
		{"MARK", run("\x80\x02", "(", "N.")},
		{"MARK TUPLE", run("\x80\x02", "(t", "N.")},
		{"MARK x TUPLE1", run("\x80\x02", "(N\x85", "N.")},
		{"EMPTY_TUPLE TUPLE1", run("\x80\x02", ")\x85", "N.")},
		{"EMPTY_DICT", run("\x80\x02", "}", "N.")},
		{"EMPTY_LIST", run("\x80\x02", "]", "N.")},
		{"EMPTY_SET", run("\x80\x02", "\x8f", "N.")},
		{"FROZENSET", run("\x80\x02(", "N", "\x91.")},
		{"DUP", run("\x80\x02N", "2", ".")},
		{"BININT1", run("\x80\x02", "K\x01", "N.")},
		{"BINFLOAT", run("\x80\x02", "G\x3f\xf0\x00\x00\x00\x00\x00\x00", "N.")},
		{"BINUNICODE", run("\x80\x02", "X\x03\x00\x00\x00abc", "N.")},
		{"MEMOIZE", run("\x80\x04N", "\x94", ".")},
		{"BINGET", run("\x80\x02Nq\x00", "h\x00", ".")},
		{"APPENDS", run("\x80\x02](", "N", "e.")},
		{"SETITEMS", run("\x80\x02}(", "X\x01\x00\x00\x00aN", "u.")},
		{"OrderedDict SETITEM", orderedDictKeys},
		{"REDUCE OrderedDict", run("\x80\x02ccollections\nOrderedDict\nq\x00", "h\x00)R", ".")},
		{"GLOBAL", run("\x80\x02", "ctorch\nFloatStorage\n", "N.")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cost int64
			alloc := allocated(func() {
				p := &prescanner{src: tt.pickle, memo: make(map[int]absValue)}
				if _, err := p.run(); err != nil {
					t.Fatal(err)
				}
				cost = p.cost
				if _, err := unpickle(tt.pickle, nil); err != nil {
					t.Fatal(err)
				}
			})
			if alloc > uint64(cost) {
				t.Errorf("pre-scan estimated %d bytes, %d were allocated", cost, alloc)
			}
		})
	}
}

// checkStats compares the streaming, broadcast-aware Stats of a tensor with
// statistics taken naively over its widened elements.
func checkStats(t *testing.T, x *Tensor) {
	vals := x.Float64s()
	if len(vals) != x.Len() {
		t.Fatalf("tensor %q: %d values for shape %v", x.Name, len(vals), x.Shape)
	}
	got := x.Stats()
	var nonFinite, outside, n int
	lo, hi, sum := math.Inf(1), math.Inf(-1), 0.0
	for _, v := range vals {
		if v < 0 || v > 1 {
			outside++
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			nonFinite++
			continue
		}
		lo, hi, sum, n = min(lo, v), max(hi, v), sum+v, n+1
	}
	if got.NonFinite != nonFinite || got.OutsideUnit != outside {
		t.Fatalf("tensor %q: Stats %+v, naive non-finite %d outside %d", x.Name, got, nonFinite, outside)
	}
	if n == 0 {
		if !math.IsNaN(got.Min) || !math.IsNaN(got.Mean) {
			t.Fatalf("tensor %q: Stats %+v of no finite element", x.Name, got)
		}
		return
	}
	// The mean may be summed over fewer positions (broadcasts are counted,
	// not walked): equal up to rounding, relative to the largest magnitude.
	mean := sum / float64(n)
	scale := max(math.Abs(lo), math.Abs(hi))
	if got.Min != lo || got.Max != hi || (!math.IsInf(mean, 0) && math.Abs(got.Mean-mean) > 1e-9*scale) {
		t.Fatalf("tensor %q: Stats %+v, naive min %v max %v mean %v", x.Name, got, lo, hi, mean)
	}
}

// allocated reports the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// FuzzPickle drives the pickle boundary directly (pre-scan, gopickle,
// state_dict choice, gathering of strided views), which FuzzDecode reaches
// only rarely because zip members carry a CRC-32. Seeds are the data.pkl of
// every torch archive in testdata/checkpoint and the legacy files whole.
func FuzzPickle(f *testing.F) {
	seeds, _ := filepath.Glob(testutil.Testdata("checkpoint", "*"))
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if len(data) <= 2048 { // small seeds: the fuzzer mutates rather than minimises
				f.Add(data) // legacy files, hostile files
			}
			continue
		}
		for _, m := range zr.File {
			if strings.HasSuffix(m.Name, "data.pkl") {
				rc, err := m.Open()
				if err != nil {
					continue
				}
				pkl, err := io.ReadAll(io.LimitReader(rc, 1<<20))
				rc.Close()
				if err == nil && len(pkl) <= 2048 {
					f.Add(pkl)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, p []byte) {
		d := &decoder{opt: Options{MaxElements: 1 << 16}, format: TorchLegacy, order: binary.LittleEndian, storages: make(map[string]*storage)}
		d.load = func(st *storage) error { // zeros of the claimed size, if small
			if n := st.numel * int64(st.dtype.Size()); n <= 1<<20 {
				st.raw = make([]byte, n)
				return nil
			}
			return errorf("storage too large for fuzzing")
		}
		for len(p) > 0 { // consecutive pickles, as in a legacy file
			n, err := scanPickle(p)
			if err != nil {
				return
			}
			top, err := unpickle(p[:n], d.persistentLoad)
			if err == nil {
				if _, es, err := d.chooseStateDict(top); err == nil {
					d.tensors, d.elems = nil, 0
					if d.addTensors(es) == nil {
						for _, x := range d.tensors {
							checkStats(t, x)
						}
					}
				}
			}
			p = p[n:]
		}
	})
}

// Float64s' one-loop path for elements lying in order gives what the
// element-by-element walk gives: float32 and float64 in either byte order,
// float16, an offset into the storage, dimensions of size 1 with any stride.
func TestFloat64sContiguous(t *testing.T) {
	for _, c := range []struct {
		dt    DType
		order binary.ByteOrder
	}{{Float32, binary.LittleEndian}, {Float64, binary.LittleEndian}, {Float32, binary.BigEndian}, {Float64, binary.BigEndian}, {Float16, binary.LittleEndian}} {
		size := c.dt.Size()
		raw := make([]byte, 40*size)
		for i := range 40 {
			v := float64(i)*1.25 - 17
			switch c.dt {
			case Float32:
				c.order.PutUint32(raw[i*4:], math.Float32bits(float32(v)))
			case Float64:
				c.order.PutUint64(raw[i*8:], math.Float64bits(v))
			case Float16:
				c.order.PutUint16(raw[i*2:], uint16(0x3c00+i)) // 1 + i/1024
			}
		}
		ten := &Tensor{Name: "t", DType: c.dt, Shape: []int{3, 1, 4}, raw: raw, order: c.order, offset: 5, stride: []int64{4, 99, 1}}
		if !ten.contiguous() {
			t.Fatalf("%v: not contiguous", c.dt)
		}
		var want []float64
		ten.each(func(v float64) { want = append(want, v) })
		if got := ten.Float64s(); !slices.Equal(got, want) {
			t.Errorf("%v %v: %v, element by element %v", c.dt, c.order, got, want)
		}
	}
	strided := &Tensor{Shape: []int{2, 3}, stride: []int64{1, 2}}
	if strided.contiguous() {
		t.Error("a transposed view taken for contiguous")
	}
	// An empty view keeps no storage: its offset must not be used.
	empty := &Tensor{Name: "e", DType: Float32, Shape: []int{0, 3}, order: binary.LittleEndian, offset: 5, stride: []int64{3, 1}}
	if got := empty.Float64s(); got == nil || len(got) != 0 {
		t.Errorf("empty view: %v", got)
	}
}
