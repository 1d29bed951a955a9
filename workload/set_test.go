package workload

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/internal/npyfile"
)

const testdata = "../testdata/workload"

func fixture(name string) string { return filepath.Join(testdata, name) }

// loadART loads the copies of the reference ART test set.
func loadART(t *testing.T) *Set {
	t.Helper()
	s, err := LoadInputs(fixture("art_inputs.npy"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.LoadLabels(fixture("art_labels.npy")); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFixturesAreReferenceCopies guards the copied reference files: the
// digests are those of art/inputs.npy and art/labels.npy in the reference
// art/manifest.json.
func TestFixturesAreReferenceCopies(t *testing.T) {
	for name, want := range map[string]string{
		"art_inputs.npy": "83d0087904b30b990b83fe4a926fc337baeafd64f985b01cd3ed5854a58d97e8",
		"art_labels.npy": "27c0498f546c1968cb81ad4812c28e67890f9eec0073fc04fda99b50508be0e7",
	} {
		data, err := os.ReadFile(fixture(name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: sha256 %s, want %s (reference manifest)", name, got, want)
		}
	}
}

// artLayoutError checks, without using the package's own decoding, that s
// follows the ART layout of the reference README and that every label is the
// one-hot index of the digit paired with the query key.
func artLayoutError(s *Set) error {
	if s.T != 9 || s.I != 37 {
		return errors.New("shape: want T = 9, I = 37")
	}
	if s.Labels == nil || len(s.Labels) != s.N {
		return errors.New("want one label per sequence")
	}
	x := values(s)
	for n := range s.N {
		var sym [9]int
		for t := range 9 {
			hot, ones := -1, 0
			for i := range 37 {
				switch v := x[(n*9+t)*37+i]; v {
				case 0:
				case 1:
					hot = i
					ones++
				default:
					return errorf("test", s.Name, "seq %d step %d channel %d = %v, want 0 or 1", n, t, i, v)
				}
			}
			if ones != 1 {
				return errorf("test", s.Name, "seq %d step %d has %d ones, want 1", n, t, ones)
			}
			sym[t] = hot
		}
		isKey := func(j int) bool { return 0 <= j && j <= 25 }
		isDigit := func(j int) bool { return 26 <= j && j <= 35 }
		for _, t := range []int{0, 2, 4} {
			if !isKey(sym[t]) || !isDigit(sym[t+1]) {
				return errorf("test", s.Name, "seq %d steps %d,%d = %d,%d, want key then digit", n, t, t+1, sym[t], sym[t+1])
			}
		}
		if sym[0] == sym[2] || sym[0] == sym[4] || sym[2] == sym[4] {
			return errorf("test", s.Name, "seq %d keys %d %d %d not distinct", n, sym[0], sym[2], sym[4])
		}
		if sym[6] != 36 || sym[7] != 36 {
			return errorf("test", s.Name, "seq %d steps 6,7 = %d,%d, want 36 ('?')", n, sym[6], sym[7])
		}
		paired := -1
		for _, t := range []int{0, 2, 4} {
			if sym[8] == sym[t] {
				paired = sym[t+1]
			}
		}
		if paired < 0 {
			return errorf("test", s.Name, "seq %d query %d is not one of its keys", n, sym[8])
		}
		if s.Labels[n] != paired {
			return errorf("test", s.Name, "seq %d label %d, the query's value is %d", n, s.Labels[n], paired)
		}
	}
	return nil
}

func TestReferenceART(t *testing.T) {
	s := loadART(t)
	if s.N != 128 || s.T != 9 || s.I != 37 || len(values(s)) != 128*9*37 || len(s.Labels) != 128 || s.DType() != "float32" {
		t.Fatalf("shape N,T,I = %d,%d,%d (%d values of %s, labels %d), want 128,9,37 float32", s.N, s.T, s.I, len(values(s)), s.DType(), len(s.Labels))
	}
	if s.Name != fixture("art_inputs.npy") || s.LabelsName != fixture("art_labels.npy") {
		t.Errorf("names %q, %q", s.Name, s.LabelsName)
	}
	// Stated in the reference README: inputs[0] = y4t7k0??t -> '7' (label 33).
	if got, err := s.Symbols(0); err != nil || got != "y4t7k0??t" {
		t.Errorf("Symbols(0) = %q, %v; want y4t7k0??t", got, err)
	}
	if s.Labels[0] != 33 {
		t.Errorf("label 0 = %d, want 33", s.Labels[0])
	}
	if err := artLayoutError(s); err != nil {
		t.Error(err)
	}
	for _, err := range []error{s.CheckWidth(37), s.CheckLabels(37)} {
		if err != nil {
			t.Error(err)
		}
	}
}

// Sequence and Step widen one sequence or step; Head shares the values.
func TestSequence(t *testing.T) {
	// x = 100n + 10t + i for N = 3, T = 2, I = 4.
	x := make([]float64, 24)
	for k := range x {
		x[k] = float64(100*(k/8) + 10*(k/4%2) + k%4)
	}
	s := NewSet("s", 3, 2, 4, x)
	buf := make([]float64, 0, 8)
	for n := range 3 {
		seq := s.Sequence(n, buf)
		want := []float64{float64(100 * n), float64(100*n + 1), float64(100*n + 2), float64(100*n + 3),
			float64(100*n + 10), float64(100*n + 11), float64(100*n + 12), float64(100*n + 13)}
		if !slices.Equal(seq, want) || &seq[0] != &buf[:1][0] {
			t.Errorf("Sequence(%d) = %v, want %v in the buffer given", n, seq, want)
		}
		step := make([]float64, 4)
		s.Step(n, 1, step)
		if !slices.Equal(step, want[4:]) {
			t.Errorf("Step(%d, 1) = %v", n, step)
		}
	}
	s.Labels = []int{7, 8, 9}
	h := s.Head(2)
	if h.N != 2 || !slices.Equal(values(h), x[:16]) || !slices.Equal(h.Labels, []int{7, 8}) || s.N != 3 {
		t.Errorf("Head(2): N %d values %v labels %v", h.N, values(h), h.Labels)
	}
	for name, f := range map[string]func(){
		"Sequence(3)":   func() { s.Sequence(3, nil) },
		"Step(0, 2)":    func() { s.Step(0, 2, make([]float64, 4)) },
		"Head(4)":       func() { s.Head(4) },
		"NewSet(short)": func() { NewSet("x", 2, 2, 2, make([]float64, 7)) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic", name)
				}
			}()
			f()
		}()
	}
}

func TestLoadSmall(t *testing.T) {
	s, err := LoadInputs(fixture("good_inputs_f64.npy"))
	if err != nil {
		t.Fatal(err)
	}
	for _, labels := range []string{"good_labels.npy", "good_labels_i4.npy"} {
		if err := s.LoadLabels(fixture(labels)); err != nil {
			t.Fatal(err)
		}
		// gen.py writes y4t7k0??t and a0b1c2??b with labels 33 ('7') and 27 ('1').
		if len(s.Labels) != 2 || s.Labels[0] != 33 || s.Labels[1] != 27 {
			t.Errorf("%s: labels %v, want [33 27]", labels, s.Labels)
		}
	}
	for n, want := range []string{"y4t7k0??t", "a0b1c2??b"} {
		if got, err := s.Symbols(n); err != nil || got != want {
			t.Errorf("Symbols(%d) = %q, %v; want %q", n, got, err, want)
		}
	}
	if err := artLayoutError(s); err != nil {
		t.Error(err)
	}
}

func TestInputErrors(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"rank2.npy", "inputs " + fixture("rank2.npy") + ": shape [18 37] has rank 2, want [N T I] (rank 3)"},
		{"rank0.npy", "shape [] has rank 0, want [N T I] (rank 3)"},
		{"zero_dim.npy", "shape [0 9 37] has a zero dimension, want every dimension ≥ 1"},
		{"int_inputs.npy", "dtype int64, want float32 or float64"},
		{"nan.npy", "sequence 1 step 4 channel 7 is NaN, want a finite value"},
		{"inf.npy", "sequence 0 step 8 channel 36 is -Inf, want a finite value"},
		{"truncated.npy", "header claims shape [128 9 37] of float32, more than the 2664 bytes of data present"},
		{"not_npy.npy", "not a .npy file"},
		{"missing.npy", "inputs " + fixture("missing.npy") + ": cannot open: no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			path := fixture(tc.file)
			s, err := LoadInputs(path)
			if err == nil {
				t.Fatalf("LoadInputs(%s) = %d×%d×%d, want error %q", path, s.N, s.T, s.I, tc.want)
			}
			check := func(err error) {
				t.Helper()
				msg := err.Error()
				if !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, "inputs "+path+": ") {
					t.Errorf("error %q, want it to name %s and contain %q", msg, path, tc.want)
				}
				if strings.Contains(msg, "\n") {
					t.Errorf("error %q spans several lines", msg)
				}
				if _, ok := errors.AsType[*Error](err); !ok {
					t.Errorf("error %T, want *workload.Error", err)
				}
			}
			check(err)
			if data, rerr := os.ReadFile(path); rerr == nil {
				if _, err := DecodeInputs(path, data); err == nil {
					t.Error("DecodeInputs accepted what LoadInputs refused")
				} else {
					check(err)
				}
			}
		})
	}
}

func TestInputErrorCauses(t *testing.T) {
	_, err := LoadInputs(fixture("missing.npy"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v does not wrap fs.ErrNotExist", err)
	}
	_, err = LoadInputs(fixture("not_npy.npy"))
	if _, ok := errors.AsType[*npyfile.FormatError](err); !ok {
		t.Errorf("not a .npy file: %v does not wrap *npyfile.FormatError", err)
	}
}

func TestLabelErrors(t *testing.T) {
	good := fixture("good_inputs_f64.npy") // N = 2
	tests := []struct {
		file string
		want string
	}{
		{"labels_short.npy", "labels " + fixture("labels_short.npy") + ": 1 labels, want 2 (one per sequence of inputs " + good + ")"},
		{"labels_rank2.npy", "shape [2 1] has rank 2, want [N] (rank 1)"},
		{"labels_float.npy", "dtype float32, want an integer dtype"},
		{"labels_bool.npy", "dtype bool, want an integer dtype"},
		{"labels_negative.npy", "label 1 is -1, want ≥ 0"},
		{"truncated.npy", "shape [128 9 37] has rank 3, want [N] (rank 1)"},
		{"missing.npy", "cannot open: no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			s, err := LoadInputs(good)
			if err != nil {
				t.Fatal(err)
			}
			path := fixture(tc.file)
			err = s.LoadLabels(path)
			if err == nil {
				t.Fatalf("LoadLabels(%s) = %v, want error %q", path, s.Labels, tc.want)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || !strings.HasPrefix(msg, "labels "+path+": ") {
				t.Errorf("error %q, want it to name %s and contain %q", msg, path, tc.want)
			}
			if s.Labels != nil || s.LabelsName != "" {
				t.Errorf("failed LoadLabels left labels %v from %q", s.Labels, s.LabelsName)
			}
		})
	}
}

func TestCheckWidth(t *testing.T) {
	s, err := LoadInputs(fixture("width40.npy"))
	if err != nil {
		t.Fatal(err)
	}
	want := "inputs " + fixture("width40.npy") + ": 40 values per step, the model takes 37"
	if err := s.CheckWidth(37); err == nil || err.Error() != want {
		t.Errorf("CheckWidth(37) = %v, want %q", err, want)
	}
	if err := s.CheckWidth(40); err != nil {
		t.Errorf("CheckWidth(40) = %v", err)
	}
	if _, err := s.Symbols(0); err == nil || !strings.Contains(err.Error(), "40 values per step, ART symbols need 37") {
		t.Errorf("Symbols on width 40 = %v", err)
	}
}

func TestCheckLabels(t *testing.T) {
	inputs := fixture("good_inputs_f64.npy")
	tests := []struct {
		name    string
		labels  string // "" = none loaded
		classes int
		want    string // "" = no error
	}{
		{"fits", "good_labels.npy", 37, ""},
		{"tight", "good_labels.npy", 34, ""},
		{"too many", "labels_big.npy", 37, "labels " + fixture("labels_big.npy") + ": label 1 is 37, the model has 37 classes (want 0..36)"},
		{"below", "good_labels.npy", 30, "label 0 is 33, the model has 30 classes (want 0..29)"},
		{"no classes", "good_labels.npy", 0, "the model has 0 classes, want ≥ 1"},
		{"no labels", "", 37, "inputs " + inputs + ": no labels, want one per sequence"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := LoadInputs(inputs)
			if err != nil {
				t.Fatal(err)
			}
			if tc.labels != "" {
				if err := s.LoadLabels(fixture(tc.labels)); err != nil {
					t.Fatal(err)
				}
			}
			err = s.CheckLabels(tc.classes)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("CheckLabels(%d) = %v", tc.classes, err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("CheckLabels(%d) = %v, want %q", tc.classes, err, tc.want)
			}
		})
	}
}

func TestSymbolsNotOneHot(t *testing.T) {
	s, err := LoadInputs(fixture("good_inputs_f64.npy"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		edit func(step []float64)
	}{
		{"two ones", func(step []float64) { step[3] = 1 }},
		{"no one", func(step []float64) { clear(step) }},
		{"half", func(step []float64) { step[3] = 0.5 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := values(s)
			tc.edit(x[(1*s.T+2)*37 : (1*s.T+3)*37])
			c := NewSet(s.Name, s.N, s.T, s.I, x)
			want := "sequence 1 step 2 is not one-hot"
			if _, err := c.Symbols(1); err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("Symbols(1) = %v, want %q", err, want)
			}
		})
	}
}

// FuzzDecodeInputs feeds arbitrary bytes to DecodeInputs and DecodeLabels:
// they must not panic, and whatever they accept must satisfy the Set
// invariants. Seeds are the fixtures of at most 3 KB (the reference set,
// 170 KB, had the fuzzer minimising instead of mutating: 63 executions in
// 90 s) and two small arrays written here.
func FuzzDecodeInputs(f *testing.F) {
	paths, err := filepath.Glob(fixture("*.npy"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seeds in %s: %v", testdata, err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) <= 3<<10 {
			f.Add(data)
		}
	}
	f.Add(npyFile("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3), }", f32(0, 1, 0, 0, 0, 1)))
	f.Add(npyFile(`{"shape": (2,), "fortran_order": False, "descr": "|u1"}`, []byte{3, 4}))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeInputs("fuzz.npy", data)
		if err != nil {
			if s != nil {
				t.Fatal("non-nil Set with an error")
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "inputs fuzz.npy: ") || strings.Contains(msg, "\n") {
				t.Fatalf("error %q is not one line naming the input", msg)
			}
			// The same bytes as labels of a one-sequence set.
			one := NewSet("one", 1, 1, 1, []float64{0})
			if err := one.DecodeLabels("fuzz.npy", data); err == nil {
				if len(one.Labels) != 1 || one.Labels[0] < 0 {
					t.Fatalf("accepted labels %v", one.Labels)
				}
			}
			return
		}
		x := values(s)
		if s.N < 1 || s.T < 1 || s.I < 1 || len(x) != s.N*s.T*s.I || s.Labels != nil {
			t.Fatalf("accepted %d×%d×%d with %d values, labels %v", s.N, s.T, s.I, len(x), s.Labels)
		}
		for k, v := range x {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				t.Fatalf("accepted non-finite X[%d] = %v", k, v)
			}
		}
		if got := len(s.Sequence(s.N-1, nil)); got != s.T*s.I {
			t.Fatalf("Sequence(N-1) has %d values, want %d", got, s.T*s.I)
		}
	})
}

// The branch-free test finds the first NaN or ±Inf wherever it lies (first,
// either side of a block boundary, in an odd tail, last) and takes no finite
// value for one: the largest, the least subnormal, −0.
func TestNonFinite(t *testing.T) {
	fin64 := []float64{math.MaxFloat64, -math.MaxFloat64, 5e-324, math.Copysign(0, -1), 1}
	fin32 := []float32{math.MaxFloat32, -math.MaxFloat32, 1e-45, float32(math.Copysign(0, -1)), 1}
	for _, n := range []int{1, 2, 7, finiteBlock - 1, finiteBlock, finiteBlock + 1, 2*finiteBlock + 5} {
		for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
			for _, at := range []int{-1, 0, 1, n / 2, finiteBlock - 1, finiteBlock, n - 2, n - 1} {
				if at >= n || at < -1 {
					continue
				}
				v64, v32 := make([]float64, n), make([]float32, n)
				for i := range v64 {
					v64[i], v32[i] = fin64[i%5], fin32[i%5]
				}
				if at >= 0 {
					v64[at], v32[at] = bad, float32(bad)
					if at+1 < n { // a later one is not the first
						v64[n-1], v32[n-1] = math.NaN(), float32(math.NaN())
					}
				}
				if got := nonFinite(v64); got != at {
					t.Errorf("float64 ×%d, %v at %d: found at %d", n, bad, at, got)
				}
				if got := nonFinite(v32); got != at {
					t.Errorf("float32 ×%d, %v at %d: found at %d", n, bad, at, got)
				}
			}
		}
	}
}
