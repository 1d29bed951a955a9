package sweep_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/sweep"
)

// specFiles lists the specs of testdata/sweep and examples/.
func specFiles(t testing.TB) (good, bad []string) {
	t.Helper()
	good, _ = filepath.Glob(testutil.Testdata("sweep", "good_*.yaml"))
	bad, _ = filepath.Glob(testutil.Testdata("sweep", "bad_*.yaml"))
	examples, _ := filepath.Glob(testutil.Testdata("..", "examples", "*.yaml"))
	for _, e := range examples {
		if data, err := os.ReadFile(e); err == nil && strings.Contains(string(data), "\naxes:") {
			good = append(good, e) // the design and Kubernetes files are not specs
		}
	}
	if len(good) < 3 || len(bad) < 3 {
		t.Fatalf("spec fixtures missing: %v %v", good, bad)
	}
	return good, bad
}

// The fixtures: good specs prepare, bad ones are refused in one line
// naming their file and line.
func TestSpecFixtures(t *testing.T) {
	good, bad := specFiles(t)
	for _, f := range good {
		s, err := sweep.LoadSpec(f)
		if err == nil {
			_, err = sweep.Prepare(s, sweep.Options{Embedded: neurosim.ReferenceART()})
		}
		if err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	for _, f := range bad {
		_, err := sweep.LoadSpec(f)
		if err == nil || !strings.HasPrefix(err.Error(), "sweep "+f+":") || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: %v, want one line naming the file and line", f, err)
		}
	}
}

// ParseSpec never panics on any bytes; its errors are one-line *Error
// values naming the file.
func FuzzParseSpec(f *testing.F) {
	good, bad := specFiles(f)
	for _, file := range append(good, bad...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := sweep.ParseSpec("fuzz.yaml", data)
		if err != nil {
			var e *sweep.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *sweep.Error: %v", err, err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "sweep fuzz.yaml") {
				t.Fatalf("error is not one line naming the file: %q", msg)
			}
			return
		}
		if s.Name == "" || len(s.Models) == 0 || len(s.Axes) == 0 || s.Seeds < 1 {
			t.Fatalf("accepted a spec without name, models, axes or seeds: %+v", s)
		}
		s.Files()
	})
}
