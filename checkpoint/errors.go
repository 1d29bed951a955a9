package checkpoint

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/internal/zipread"
)

// A FormatError reports a file that is not a well-formed checkpoint: truncated,
// corrupt, inconsistent (a storage shorter than its tensors need) or a
// wrapper whose state_dict cannot be chosen.
type FormatError struct {
	File string // the path or name given to Load or Decode
	Msg  string
	Err  error // the underlying error (archive/zip, npyfile, the pickle VM), if any
}

func (e *FormatError) Error() string { return "checkpoint " + e.File + ": " + e.Msg }
func (e *FormatError) Unwrap() error { return e.Err }

// An UnsupportedError reports a valid file that uses a feature this package
// does not read (TorchScript archives, the tar format, complex storages, …).
type UnsupportedError struct {
	File string
	Msg  string
}

func (e *UnsupportedError) Error() string { return "checkpoint " + e.File + ": " + e.Msg }

// A GlobalError reports a pickle that refers to a Python global outside the
// allow-list (see the package documentation). Nothing is ever executed; the
// file is refused as soon as the reference is seen.
type GlobalError struct {
	File   string
	Module string
	Name   string
}

func (e *GlobalError) Error() string {
	return fmt.Sprintf("checkpoint %s: pickle refers to global %s, which is not allowed (allowed: %s)",
		e.File, printable(e.Module+"."+e.Name), allowedSummary)
}

// errorf and unsupportedf build errors whose File is filled in by Decode.
func errorf(format string, args ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, args...)}
}

func wrapf(err error, format string, args ...any) error {
	return &FormatError{Msg: fmt.Sprintf(format, args...), Err: err}
}

func unsupportedf(format string, args ...any) error {
	return &UnsupportedError{Msg: fmt.Sprintf(format, args...)}
}

// zipError converts an error of the zip reader.
func zipError(err error) error {
	if ze, ok := err.(*zipread.Error); ok {
		if ze.Unsupported {
			return &UnsupportedError{Msg: ze.Error()}
		}
		return &FormatError{Msg: ze.Error(), Err: ze}
	}
	return &FormatError{Msg: oneLine(err.Error()), Err: err}
}

// withFile names the file in an error produced below Decode.
func withFile(err error, name string) error {
	switch e := err.(type) {
	case *FormatError:
		e.File = name
	case *UnsupportedError:
		e.File = name
	case *GlobalError:
		e.File = name
	default:
		return &FormatError{File: name, Msg: oneLine(err.Error()), Err: err}
	}
	return err
}

// maxShown bounds how much of a name or message taken from the input is
// repeated in an error.
const maxShown = 120

// printable returns s for an error message: as is when it is short plain
// text, quoted (with escapes) otherwise, and cut to maxShown bytes.
func printable(s string) string {
	cut := false
	if len(s) > maxShown {
		s, cut = s[:maxShown], true
	}
	plain := true
	for _, r := range s {
		if r <= ' ' || r == '"' || r == '\\' || r > '~' {
			plain = false
			break
		}
	}
	if !plain {
		s = strconv.Quote(s)
	}
	if cut {
		s += "…"
	}
	return s
}

// Quote is %q for a name taken from a checkpoint (a tensor name), cut to
// a bounded length, for messages of packages that build on this one.
func Quote(s string) string { return quote(s) }

// Printable is s for a message (a list of tensor names): as is when it is
// short plain text, quoted otherwise, and cut to a bounded length.
func Printable(s string) string { return printable(s) }

// quote is %q for a name taken from the input, bounded in length.
func quote(s string) string {
	if len(s) > maxShown {
		return strconv.Quote(s[:maxShown]) + "…"
	}
	return strconv.Quote(s)
}

// oneLine flattens and bounds a message from a third-party package, which
// may quote input of any length.
func oneLine(s string) string {
	if len(s) > 2*maxShown {
		s = s[:2*maxShown] + "…"
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
