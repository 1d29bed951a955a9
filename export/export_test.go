package export

import (
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValueJSON(t *testing.T) {
	for _, tt := range []struct {
		v    Value
		want string
	}{{Value{1.5, 1.5}, "1.5"}, {Value{1, 2}, "[1,2]"}, {Value{0, 0}, "0"}} {
		b, err := json.Marshal(tt.v)
		if err != nil || string(b) != tt.want {
			t.Errorf("%v: %s %v, want %s", tt.v, b, err, tt.want)
		}
	}
}

func TestSI(t *testing.T) {
	for _, tt := range []struct {
		v    float64
		want string
	}{{1.5e-12, "1.5 pJ"}, {0, "0 J"}, {3.333e-6, "3.333 µJ"}, {999.9e-9, "999.9 nJ"}, {999.99e-9, "1 µJ"}, {1, "1 J"}, {2e-21, "2 zJ"}} {
		if got := si(tt.v, "J"); got != tt.want {
			t.Errorf("si(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// Outputs: nothing visible before Commit, nothing left after a failure,
// inputs never overwritten.
func TestOutputs(t *testing.T) {
	dir := t.TempDir()
	a, b, in := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "in")
	os.WriteFile(b, []byte("old"), 0o644)
	os.WriteFile(in, []byte("input"), 0o644)

	var o Outputs
	o.Protect(in)
	if err := o.Stage(in, func(w io.Writer) error { return nil }); err == nil || !strings.Contains(err.Error(), "input") {
		t.Errorf("staged over an input: %v", err)
	}
	if err := o.Stage(a, func(w io.Writer) error { _, err := w.Write([]byte("new a")); return err }); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(a); !os.IsNotExist(err) {
		t.Error("a visible before Commit")
	}
	if err := o.Stage(b, func(w io.Writer) error { return errors.New("disk full") }); err == nil {
		t.Error("a failing writer staged")
	}
	o.Abort()
	if got, _ := os.ReadFile(b); string(got) != "old" {
		t.Errorf("b = %q after a failed write, want old", got)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if err := o.Stage(a, func(w io.Writer) error { _, err := w.Write([]byte("new a")); return err }); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(a); string(got) != "new a" {
		t.Errorf("a = %q", got)
	}
}
