// Package testutil holds what neurosim's tests share: the path of the
// repository's testdata, fixture loading, and float comparison with an
// explicit tolerance.
package testutil

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/neurosim/neurosim/internal/npyfile"
)

// Testdata returns the path of testdata/elem... at the repository root.
func Testdata(elem ...string) string {
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "testdata")
	return filepath.Join(append([]string{root}, elem...)...)
}

// Array is a fixture .npy array, widened for comparisons.
type Array struct {
	DType string // "float32", "int64", …
	Shape []int
	Float []float64 // every element widened to float64
	Int   []int64   // the elements of an integer array; nil otherwise
}

// NPY reads a fixture .npy (at most 1 GiB) or fails the test.
func NPY(t testing.TB, path string) *Array {
	t.Helper()
	a, err := npyfile.ReadFile(path, 1<<30, 0)
	if err != nil {
		t.Fatalf("fixture %s: %v", path, err)
	}
	ints, _ := a.Int64s()
	return &Array{DType: a.DType.String(), Shape: a.Shape, Float: a.Float64s(), Int: ints}
}

// ReferenceModels lists the model folders of testdata/art.
func ReferenceModels(t testing.TB) []string {
	t.Helper()
	m, err := filepath.Glob(Testdata("art", "*", "model.pth"))
	if err != nil || len(m) == 0 {
		t.Fatalf("no reference models in %s", Testdata("art"))
	}
	for i := range m {
		m[i] = filepath.Base(filepath.Dir(m[i]))
	}
	return m
}

// MaxRelErr returns the largest |got−want| / max(|want|, floor) and its index.
func MaxRelErr(got, want []float64, floor float64) (float64, int) {
	worst, at := 0.0, -1
	for i := range want {
		d := math.Abs(got[i]-want[i]) / math.Max(math.Abs(want[i]), floor)
		if math.IsNaN(got[i]) {
			d = math.Inf(1)
		}
		if d > worst || at < 0 {
			worst, at = d, i
		}
	}
	return worst, at
}

// Close fails the test when got and want differ by more than rtol relative
// (relative to max(|want|, floor)). Callers say why their tolerance is right.
func Close(t testing.TB, what string, got, want []float64, rtol, floor float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
		return
	}
	if worst, at := MaxRelErr(got, want, floor); worst > rtol {
		t.Errorf("%s: max relative error %.3g at index %d (got %v, want %v), tolerance %g",
			what, worst, at, got[at], want[at], rtol)
	}
}

// WriteFile writes data to dir/name and returns the path.
func WriteFile(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// Sprint formats a float slice compactly for messages.
func Sprint(v []float64) string { return fmt.Sprintf("%.6g", v) }
