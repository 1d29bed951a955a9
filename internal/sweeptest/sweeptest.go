// Package sweeptest holds what the tests of sweeps share: a spec on the
// reference ART set embedded in neurosim, prepared, run and merged. (It is
// not part of testutil, which the packages below sweep test with.)
package sweeptest

import (
	"context"
	"testing"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/sweep"
)

// Prepare parses spec (named s.yaml in messages) and prepares it, with
// the embedded reference set, or fails the test.
func Prepare(t testing.TB, spec string) *sweep.Sweep {
	t.Helper()
	s, err := sweep.ParseSpec("s.yaml", []byte(spec))
	if err != nil {
		t.Fatal(err)
	}
	return PrepareSpec(t, s)
}

// PrepareSpec prepares a parsed spec with the embedded reference set, or
// fails the test.
func PrepareSpec(t testing.TB, s *sweep.Spec) *sweep.Sweep {
	t.Helper()
	sw, err := sweep.Prepare(s, sweep.Options{Embedded: neurosim.ReferenceART()})
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// Table runs spec in a temporary results folder, with version "test",
// and returns the merged table, or fails the test.
func Table(t testing.TB, spec string) *sweep.Table {
	t.Helper()
	sw := Prepare(t, spec)
	dir := t.TempDir()
	if _, err := sw.Run(context.Background(), dir, sweep.RunOptions{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	tab, err := sweep.Merge(dir)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}
