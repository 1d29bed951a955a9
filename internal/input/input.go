// Package input opens the files neurosim reads — regular files, pipes and
// devices alike (--inputs /dev/stdin) — through a size cap, so that no reader
// trusts a file to be small.
//
// A regular file larger than the cap is refused before anything is read. A
// pipe or device has no size to check first: it is read through a limit, and
// refused as soon as byte cap+1 arrives. ReadFile never allocates more than
// the bytes that have really arrived (plus geometric slack), so a hostile
// stream such as /dev/zero costs at most the cap, and readers that recognise
// a format by its first bytes (Peek) refuse it after reading only those.
package input

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// A SizeError reports a file larger than the cap a reader allows.
type SizeError struct {
	Size int64 // the file's size, or -1 when it is a stream whose size is unknown
	Max  int64
}

func (e *SizeError) Error() string {
	if e.Size < 0 {
		return fmt.Sprintf("more than the %d bytes allowed", e.Max)
	}
	return fmt.Sprintf("file is %d bytes, more than the %d allowed", e.Size, e.Max)
}

// File is an open input: a regular file of known size, or a stream.
type File struct {
	f    fs.File
	r    *bufio.Reader
	lim  limited
	size int64 // -1 for a stream
}

// Open opens path for reading at most max bytes (max > 0). A regular file
// larger than max is refused with a *SizeError before it is read; reading a
// stream past max bytes fails with a *SizeError.
func Open(path string, max int64) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return open(f, max, errors.New("is a directory"))
}

// OpenFS is Open for the file name of fsys (a set directory through
// os.DirFS, or an embedded set), whose links os.DirFS follows: a link to
// /dev/zero is a stream, read through the cap as Open reads the device.
func OpenFS(fsys fs.FS, name string, max int64) (*File, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	return open(f, max, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")})
}

// open checks the open file f against max; isDir is the error for a
// directory.
func open(f fs.File, max int64, isDir error) (*File, error) {
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if info.IsDir() {
		f.Close()
		return nil, isDir
	}
	in := &File{f: f, size: -1}
	if info.Mode().IsRegular() {
		if info.Size() > max {
			f.Close()
			return nil, &SizeError{Size: info.Size(), Max: max}
		}
		in.size = info.Size()
	}
	in.lim = limited{r: f, left: max, max: max}
	in.r = bufio.NewReaderSize(&in.lim, 64<<10)
	return in, nil
}

// Size is the size of a regular file, or -1 for a stream.
func (f *File) Size() int64 { return f.size }

// Regular reports whether the file is a regular file (of known size, with
// random access through ReaderAt).
func (f *File) Regular() bool { return f.size >= 0 }

// Read reads through the cap.
func (f *File) Read(p []byte) (int, error) { return f.r.Read(p) }

// Peek returns the next n bytes without consuming them (fewer at the end of
// the file, with an error).
func (f *File) Peek(n int) ([]byte, error) { return f.r.Peek(n) }

// ReaderAt gives random access to a regular file (zip archives need it); it
// is nil for a stream, or a file of a file system without random access.
// Reads through it do not move Read's position.
func (f *File) ReaderAt() io.ReaderAt {
	if ra, ok := f.f.(io.ReaderAt); ok && f.size >= 0 {
		return ra
	}
	return nil
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// ReadAll reads the rest of the file: at most max bytes in all, allocated as
// they arrive.
func (f *File) ReadAll() ([]byte, error) {
	hint := 0
	if f.size >= 0 {
		hint = int(f.size) + 1 // +1: reaching EOF needs no further growth
	}
	return readAll(f.r, hint, f.lim.max)
}

// ReadFile reads the file at path, refusing more than max bytes.
func ReadFile(path string, max int64) ([]byte, error) {
	f, err := Open(path, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadAll()
}

// ReadFS is ReadFile for the file name of fsys (see OpenFS).
func ReadFS(fsys fs.FS, name string, max int64) ([]byte, error) {
	f, err := OpenFS(fsys, name, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.ReadAll()
}

// readAll is io.ReadAll with a first allocation of hint bytes, growing to
// at most limit+1 bytes.
func readAll(r io.Reader, hint int, limit int64) ([]byte, error) {
	b := make([]byte, 0, max(hint, 512))
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) { // double as the bytes arrive: at most twice the size in all
			grown := make([]byte, len(b), max(min(2*int64(cap(b)), limit+1), int64(len(b))+1))
			copy(grown, b)
			b = grown
		}
	}
}

// limited is io.LimitedReader that fails with a *SizeError, instead of
// reporting EOF, when there is more to read than allowed.
type limited struct {
	r    io.Reader
	left int64
	max  int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		// At the limit: one more byte means the stream is too long.
		var one [1]byte
		for {
			n, err := l.r.Read(one[:])
			if n > 0 {
				return 0, &SizeError{Size: -1, Max: l.max}
			}
			if err != nil {
				return 0, err
			}
		}
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// LimitReader returns a reader of r that fails with a *SizeError once more
// than max bytes would be read.
func LimitReader(r io.Reader, max int64) io.Reader { return &limited{r: r, left: max, max: max} }
