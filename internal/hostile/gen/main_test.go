package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/checkpoint"
)

// The generator writes every file of the README's list; small sizes keep the
// test quick, and the broadcast checkpoint reads back as its view.
func TestGenerate(t *testing.T) {
	dir := t.TempDir()
	small := sizes{side: 64, zeros: 1000, bad: 100, events: 1000}
	var stderr strings.Builder
	if code := run([]string{dir}, small, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, &stderr)
	}
	inv, err := checkpoint.Inspect(filepath.Join(dir, "broadcast.pth"), checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(inv.Tensors) != 1 || inv.Tensors[0].Shape[0] != 64 || inv.Tensors[0].Shape[1] != 64 {
		t.Errorf("broadcast.pth: %+v", inv.Tensors)
	}
	csv, err := os.ReadFile(filepath.Join(dir, "events_1e7.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// a header line, then one line per event
	if lines := strings.Count(string(csv), "\n"); lines != 1001 {
		t.Errorf("events_1e7.csv has %d lines, want 1001", lines)
	}
	for _, name := range []string{"zeros.npz", "events_bad0.npz", "events_1e7_dense.csv"} {
		if st, err := os.Stat(filepath.Join(dir, name)); err != nil || st.Size() == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
	stderr.Reset()
	if code := run([]string{filepath.Join(dir, "missing")}, small, &stderr); code != 1 || !strings.HasPrefix(stderr.String(), "gen: ") {
		t.Errorf("a missing directory: exit %d, %q", code, &stderr)
	}
	if code := run(nil, small, &stderr); code != 2 {
		t.Errorf("no directory: exit %d", code)
	}
}
