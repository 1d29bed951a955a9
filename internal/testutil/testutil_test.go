package testutil

import (
	"math"
	"os"
	"strings"
	"testing"
)

// recorder is a testing.TB whose failures are recorded, not reported.
type recorder struct {
	testing.TB
	failed []string
}

func (r *recorder) Helper()                           {}
func (r *recorder) Errorf(format string, args ...any) { r.failed = append(r.failed, format) }
func (r *recorder) Fatalf(format string, args ...any) { r.failed = append(r.failed, format) }

func TestMaxRelErr(t *testing.T) {
	// |1.1 − 1|/1 = 0.1 at index 1; index 2 is within the floor.
	worst, at := MaxRelErr([]float64{1, 1.1, 1e-9}, []float64{1, 1, 0}, 1e-3)
	if at != 1 || math.Abs(worst-0.1) > 1e-15 {
		t.Errorf("MaxRelErr = %v at %d, want 0.1 at 1", worst, at)
	}
	if worst, _ := MaxRelErr([]float64{math.NaN()}, []float64{1}, 0); !math.IsInf(worst, 1) {
		t.Errorf("NaN gives %v, want +Inf", worst)
	}
}

func TestClose(t *testing.T) {
	r := &recorder{TB: t}
	Close(r, "ok", []float64{1, 2}, []float64{1, 2 + 1e-13}, 1e-12, 0)
	if len(r.failed) != 0 {
		t.Errorf("within tolerance, failed: %v", r.failed)
	}
	Close(r, "far", []float64{1}, []float64{2}, 1e-12, 0)
	Close(r, "short", []float64{1}, []float64{1, 2}, 1e-12, 0)
	if len(r.failed) != 2 {
		t.Errorf("%d failures, want 2 (too far; wrong length)", len(r.failed))
	}
}

func TestFixturesAndFiles(t *testing.T) {
	if _, err := os.Stat(Testdata("art", "inputs.npy")); err != nil {
		t.Fatal(err)
	}
	if a := NPY(t, Testdata("art", "labels.npy")); len(a.Int) != 128 {
		t.Errorf("%d labels, want 128", len(a.Int))
	}
	if m := ReferenceModels(t); len(m) != 8 {
		t.Errorf("%d reference models, want 8", len(m))
	}
	p := WriteFile(t, t.TempDir(), "x", []byte("y"))
	if b, err := os.ReadFile(p); err != nil || string(b) != "y" {
		t.Errorf("WriteFile: %q, %v", b, err)
	}
	if s := Sprint([]float64{1.5, 2}); !strings.Contains(s, "1.5") {
		t.Errorf("Sprint = %q", s)
	}
}
