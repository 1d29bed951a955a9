package input

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func pipe(t *testing.T, data []byte) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { w.Write(data); w.Close() }()
	t.Cleanup(func() { r.Close() })
	return fmt.Sprintf("/dev/fd/%d", r.Fd())
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	data := bytes.Repeat([]byte("0123456789"), 100) // 1000 bytes
	path := filepath.Join(dir, "f")
	os.WriteFile(path, data, 0o644)
	for _, tc := range []struct {
		name string
		path func() string
		max  int64
		size int64 // of the SizeError; 0 = no error
	}{
		{"file at the cap", func() string { return path }, 1000, 0},
		{"file over the cap", func() string { return path }, 999, 1000},
		{"pipe at the cap", func() string { return pipe(t, data) }, 1000, 0},
		{"pipe over the cap", func() string { return pipe(t, data) }, 999, -1},
	} {
		got, err := ReadFile(tc.path(), tc.max)
		var se *SizeError
		switch {
		case tc.size == 0 && (err != nil || !bytes.Equal(got, data)):
			t.Errorf("%s: %d bytes, %v", tc.name, len(got), err)
		case tc.size != 0 && (!errors.As(err, &se) || se.Size != tc.size || se.Max != tc.max):
			t.Errorf("%s: %v, want a SizeError of size %d", tc.name, err, tc.size)
		}
	}
	if _, err := ReadFile(dir, 10); err == nil {
		t.Error("a directory was read")
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if msg := (&SizeError{Size: -1, Max: 5}).Error(); msg != "more than the 5 bytes allowed" {
		t.Errorf("stream message %q", msg)
	}
	if msg := (&SizeError{Size: 9, Max: 5}).Error(); msg != "file is 9 bytes, more than the 5 allowed" {
		t.Errorf("file message %q", msg)
	}
}

// Peek looks ahead without consuming; a stream has no ReaderAt.
func TestOpen(t *testing.T) {
	f, err := Open(pipe(t, []byte("hello, world")), 100)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Regular() || f.Size() != -1 || f.ReaderAt() != nil {
		t.Errorf("pipe: regular %v size %d", f.Regular(), f.Size())
	}
	head, err := f.Peek(5)
	if string(head) != "hello" || err != nil {
		t.Errorf("Peek = %q, %v", head, err)
	}
	rest, err := io.ReadAll(f)
	if string(rest) != "hello, world" || err != nil {
		t.Errorf("after Peek, read %q, %v", rest, err)
	}
	path := filepath.Join(t.TempDir(), "f")
	os.WriteFile(path, []byte("abc"), 0o644)
	g, err := Open(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	buf := make([]byte, 2)
	if !g.Regular() || g.Size() != 3 || g.ReaderAt() == nil {
		t.Fatalf("file: regular %v size %d", g.Regular(), g.Size())
	}
	if n, _ := g.ReaderAt().ReadAt(buf, 1); n != 2 || string(buf) != "bc" {
		t.Errorf("ReadAt = %q", buf[:n])
	}
}

// A stream that never ends (/dev/zero) costs about the cap, not more.
func TestDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	b, err := ReadFile("/dev/zero", 1<<20)
	var se *SizeError
	if !errors.As(err, &se) || se.Size != -1 || len(b) > 1<<20 {
		t.Errorf("/dev/zero: %d bytes, %v", len(b), err)
	}
}

// endless is an fs.FS holding one file, a stream of zeros that never ends
// (what os.DirFS gives for a link to /dev/zero).
type endless struct{}

func (endless) Open(string) (fs.File, error) { return endlessFile{}, nil }

type endlessFile struct{}

func (endlessFile) Stat() (fs.FileInfo, error) { return endlessInfo{}, nil }
func (endlessFile) Close() error               { return nil }
func (endlessFile) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type endlessInfo struct{}

func (endlessInfo) Name() string       { return "zero" }
func (endlessInfo) Size() int64        { return 0 }
func (endlessInfo) Mode() fs.FileMode  { return fs.ModeDevice | fs.ModeCharDevice | 0o666 }
func (endlessInfo) ModTime() time.Time { return time.Time{} }
func (endlessInfo) IsDir() bool        { return false }
func (endlessInfo) Sys() any           { return nil }

// ReadFS bounds the files of a file system as ReadFile bounds paths: a
// regular file over the cap is refused before it is read, a stream once it
// passes the cap, a directory is an error naming it.
func TestReadFS(t *testing.T) {
	data := bytes.Repeat([]byte("0123456789"), 100) // 1000 bytes
	fsys := fstest.MapFS{"f": {Data: data}, "d/x": {Data: data}}
	if got, err := ReadFS(fsys, "f", 1000); err != nil || !bytes.Equal(got, data) {
		t.Errorf("file at the cap: %d bytes, %v", len(got), err)
	}
	var se *SizeError
	if _, err := ReadFS(fsys, "f", 999); !errors.As(err, &se) || se.Size != 1000 || se.Max != 999 {
		t.Errorf("file over the cap: %v", err)
	}
	if b, err := ReadFS(endless{}, "zero", 1<<20); !errors.As(err, &se) || se.Size != -1 || len(b) > 1<<20 {
		t.Errorf("endless stream: %d bytes, %v", len(b), err)
	}
	if _, err := ReadFS(fsys, "d", 10); err == nil || !strings.Contains(err.Error(), "d: is a directory") {
		t.Errorf("directory: %v", err)
	}
	if _, err := ReadFS(fsys, "missing", 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}
