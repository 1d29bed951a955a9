package export

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Outputs stages output files and commits them together.
type Outputs struct {
	inputs []string // files the run reads, never to be overwritten
	staged []staged
}

type staged struct{ tmp, dst string }

// Protect records files the run reads; Stage refuses to write over them.
func (o *Outputs) Protect(paths ...string) {
	for _, p := range paths {
		if p != "" {
			o.inputs = append(o.inputs, p)
		}
	}
}

// Stage writes one file to a temporary name in the destination's directory.
// Nothing is visible at dst until Commit.
func (o *Outputs) Stage(dst string, write func(io.Writer) error) error {
	for _, in := range o.inputs {
		if sameFile(in, dst) {
			return fmt.Errorf("output %s: refusing to overwrite an input of this run", dst)
		}
	}
	for _, s := range o.staged {
		if sameFile(s.dst, dst) {
			return fmt.Errorf("output %s: named twice", dst)
		}
	}
	if info, err := os.Stat(dst); err == nil && info.IsDir() {
		return fmt.Errorf("output %s: is a directory", dst)
	}
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return fmt.Errorf("output %s: %w", dst, unwrapPath(err))
	}
	werr := write(f)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("output %s: %w", dst, err)
	}
	o.staged = append(o.staged, staged{tmp: f.Name(), dst: dst})
	return nil
}

// Commit renames every staged file into place.
func (o *Outputs) Commit() error {
	for i, s := range o.staged {
		if err := os.Rename(s.tmp, s.dst); err != nil {
			o.staged = o.staged[i:]
			o.Abort()
			return fmt.Errorf("output %s: %w", s.dst, unwrapPath(err))
		}
	}
	o.staged = nil
	return nil
}

// Abort removes every staged file; it is safe to call after Commit.
func (o *Outputs) Abort() {
	for _, s := range o.staged {
		os.Remove(s.tmp)
	}
	o.staged = nil
}

func sameFile(a, b string) bool {
	ia, err1 := os.Stat(a)
	ib, err2 := os.Stat(b)
	if err1 == nil && err2 == nil {
		return os.SameFile(ia, ib)
	}
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

// unwrapPath drops the path an *os.PathError repeats, since messages already name it.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}
