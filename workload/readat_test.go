package workload

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// float32NPY returns a version-1 .npy of little-endian float32 values of
// the given shape (NumPy's header layout: padded to 64 bytes).
func float32NPY(shape string, vals []float32) []byte {
	dict := "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }"
	pad := (64 - (10+len(dict)+1)%64) % 64
	text := dict + strings.Repeat(" ", pad) + "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), byte(len(text)), byte(len(text)>>8))
	b = append(b, text...)
	for _, v := range vals {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(v))
	}
	return b
}

// A regular file is read in parts, concurrently: the values are those of
// the sequential reader of the same bytes, and the error names the first
// bad value of the file whichever part holds it.
func TestReadAtInParts(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	const n, steps, ch = 1000, 9, 400 // 3.6 M values, 14.4 MB: 3 parts of at least 4 MB
	vals := make([]float32, n*steps*ch)
	for i := range vals {
		vals[i] = float32(i%977) / 7
	}
	shape := "(1000, 9, 400)"
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npy")
	data := float32NPY(shape, vals)
	if err := os.WriteFile(good, data, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := LoadInputs(good)
	if err != nil {
		t.Fatal(err)
	}
	want, err := DecodeInputs("bytes", data)
	if err != nil {
		t.Fatal(err)
	}
	if got.N != n || got.T != steps || got.I != ch || got.DType() != "float32" {
		t.Fatalf("read %d×%d×%d %s", got.N, got.T, got.I, got.DType())
	}
	a, b := make([]float64, steps*ch), make([]float64, steps*ch)
	for s := range n {
		if !slices.Equal(got.Sequence(s, a), want.Sequence(s, b)) {
			t.Fatalf("sequence %d differs from the sequential read", s)
		}
	}
	// NaN in the last part (sequence 900) and +Inf in the second (sequence
	// 500): the +Inf is named, being first in the file.
	vals[(900*steps+3)*ch+5] = float32(math.NaN())
	vals[(500*steps+2)*ch+7] = float32(math.Inf(1))
	bad := filepath.Join(dir, "bad.npy")
	if err := os.WriteFile(bad, float32NPY(shape, vals), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadInputs(bad); err == nil || !strings.Contains(err.Error(), "sequence 500 step 2 channel 7 is +Inf") {
		t.Errorf("error %v, want it to name sequence 500 step 2 channel 7", err)
	}
}
