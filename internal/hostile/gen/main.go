// Command gen writes the files measured in the README's "Limits" section
// into a directory:
//
//	broadcast.pth     a 16384×16384 stride-0 view of one float32 (a few hundred bytes)
//	zeros.npz         1 GiB of float32 zeros, deflated (about 1 MB)
//	events_bad0.npz   2^24 events whose event 0 is refused (about 0.5 MB)
//	events_1e7.csv    10^7 events, one per step (about 190 MB)
//	events_1e7_dense.csv  10^7 events, 37 per step (about 180 MB)
//
// Usage: go run ./internal/hostile/gen DIR
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neurosim/neurosim/internal/hostile"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./internal/hostile/gen DIR")
		os.Exit(2)
	}
	dir := os.Args[1]
	write := func(name string, f func(*os.File) error) {
		out, err := os.Create(filepath.Join(dir, name))
		if err == nil {
			err = f(out)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
	}
	write("broadcast.pth", func(f *os.File) error { _, err := f.Write(hostile.Broadcast(16384, 16384, 1.5)); return err })
	write("zeros.npz", func(f *os.File) error { return hostile.ZeroNPZ(f, 1<<28) })
	write("events_bad0.npz", func(f *os.File) error { return hostile.EventsNPZ(f, 1<<24, true) })
	write("events_1e7.csv", func(f *os.File) error { return hostile.EventsCSV(f, 10_000_000, 128, 1, 37) })
	write("events_1e7_dense.csv", func(f *os.File) error { return hostile.EventsCSV(f, 10_000_000, 128, 37, 37) })
}
