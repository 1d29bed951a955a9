package checkpoint_test

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/internal/testutil"
)

// zeroCRC rewrites a zip archive with every CRC-32 set to zero, which
// archive/zip takes as "not recorded": mutations of its members then reach
// the decoders instead of failing the checksum.
func zeroCRC(t testing.TB, data []byte) []byte {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil
	}
	var zero uint32
	var ms []member
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil
		}
		b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if err != nil {
			return nil
		}
		ms = append(ms, member{name: f.Name, data: b, crc: &zero})
	}
	return makeZip(t, ms...)
}

// FuzzDecode checks that no input makes Decode panic, that errors are one
// line naming the file, that what decodes is self-consistent, and that
// Inspect agrees with it. It is seeded with the files of testdata/checkpoint
// of at most maxSeed bytes, and each archive again without CRCs: the real
// checkpoints (10 KB) made the fuzzer spend its time minimising (63
// executions in 90 s).
// maxSeed bounds the fuzz seeds taken from testdata: small seeds let the
// fuzzer mutate rather than minimise.
const maxSeed = 2048

func FuzzDecode(f *testing.F) {
	seeds, err := filepath.Glob(testutil.Testdata("checkpoint", "*"))
	if err != nil || len(seeds) == 0 {
		f.Fatalf("no seeds in %s", testutil.Testdata("checkpoint"))
	}
	for _, p := range seeds {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > maxSeed {
			continue
		}
		f.Add(data)
		if z := zeroCRC(f, data); z != nil {
			f.Add(z)
		}
	}
	// Small limits keep each run fast; the bounds themselves are tested
	// elsewhere.
	opt := checkpoint.Options{MaxBytes: 1 << 20, MaxElements: 1 << 16}
	f.Fuzz(func(t *testing.T, data []byte) {
		sd, err := checkpoint.Decode("fuzz", data, opt)
		inv, ierr := checkpoint.InspectBytes("fuzz", data, opt)
		if err != nil {
			if msg := err.Error(); !strings.HasPrefix(msg, "checkpoint fuzz: ") || strings.ContainsAny(msg, "\n\r") {
				t.Fatalf("error %q is not one line naming the file", msg)
			}
			if ierr == nil {
				t.Fatalf("Decode refused (%v), Inspect accepted", err)
			}
			return
		}
		if ierr != nil {
			t.Fatalf("Decode accepted, Inspect refused: %v", ierr)
		}
		if len(inv.Tensors) != len(sd.Tensors) {
			t.Fatalf("Inspect found %d tensors, Decode %d", len(inv.Tensors), len(sd.Tensors))
		}
		for i, s := range inv.Tensors {
			x, want := sd.Tensors[i], sd.Tensors[i].Stats()
			same := func(a, b float64) bool { return a == b || a != a && b != b }
			if s.Name != x.Name || s.Stats.NonFinite != want.NonFinite || s.Stats.OutsideUnit != want.OutsideUnit ||
				!same(s.Stats.Min, want.Min) || !same(s.Stats.Max, want.Max) {
				t.Fatalf("tensor %q: Inspect %+v, Decode %+v", x.Name, s.Stats, want)
			}
		}
		total := 0
		for _, x := range sd.Tensors {
			if n := len(x.Float64s()); n != x.Len() || x.DType.Size() == 0 {
				t.Fatalf("tensor %q: %d values for shape %v, dtype %v", x.Name, n, x.Shape, x.DType)
			}
			total += x.Len()
		}
		if total > 1<<16 {
			t.Fatalf("%d elements decoded, MaxElements is %d", total, 1<<16)
		}
	})
}
