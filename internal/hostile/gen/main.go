// Command gen writes the files measured in the README's "Limits" section
// into a directory:
//
//	broadcast.pth     a 16384×16384 stride-0 view of one float32 (a few hundred bytes)
//	zeros.npz         1 GiB of float32 zeros, deflated (about 1 MB)
//	events_bad0.npz   2^24 events whose event 0 is refused (about 0.5 MB)
//	events_1e7.csv    10^7 events, one per step (about 155 MB)
//	events_1e7_dense.csv  10^7 events, 37 per step (about 156 MB)
//
// Usage: go run ./internal/hostile/gen DIR
package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/neurosim/neurosim/internal/hostile"
)

// sizes are the dimensions of the generated files.
type sizes struct {
	side   int64 // rows and columns of the broadcast view
	zeros  int64 // float32 zeros in the npz
	bad    int   // events of the npz whose event 0 is refused
	events int   // events of each CSV
}

// readme are the sizes the README measures.
var readme = sizes{side: 16384, zeros: 1 << 28, bad: 1 << 24, events: 10_000_000}

func main() { os.Exit(run(os.Args[1:], readme, os.Stderr)) }

// run writes the files of s into the directory args names and returns the
// exit status.
func run(args []string, s sizes, stderr io.Writer) int {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: go run ./internal/hostile/gen DIR")
		return 2
	}
	if err := generate(args[0], s); err != nil {
		fmt.Fprintln(stderr, "gen:", err)
		return 1
	}
	return 0
}

// generate writes the files of s into dir.
func generate(dir string, s sizes) error {
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"broadcast.pth", func(w io.Writer) error { _, err := w.Write(hostile.Broadcast(s.side, s.side, 1.5)); return err }},
		{"zeros.npz", func(w io.Writer) error { return hostile.ZeroNPZ(w, s.zeros) }},
		{"events_bad0.npz", func(w io.Writer) error { return hostile.EventsNPZ(w, s.bad, true) }},
		{"events_1e7.csv", func(w io.Writer) error { return hostile.EventsCSV(w, s.events, 128, 1, 37) }},
		{"events_1e7_dense.csv", func(w io.Writer) error { return hostile.EventsCSV(w, s.events, 128, 37, 37) }},
	}
	for _, f := range files {
		out, err := os.Create(filepath.Join(dir, f.name))
		if err != nil {
			return err
		}
		err = f.write(out)
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return nil
}
