package export

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Outputs is one output transaction. Every output path is checked by Plan
// before the run; once the results are ready, Stage writes each output to a
// temporary file; Commit then puts them all in place, or none of them.
// Nothing is visible at an output path before Commit, and Abort (after a
// failure or an interrupt, from any goroutine) removes every temporary.
//
// Paths: a symbolic link is followed and its target replaced (atomically, by
// a rename in the target's directory); an existing file keeps its
// permissions (and, when allowed, its owner); a new file gets 0666 minus the
// umask. A character device or FIFO (/dev/null, /dev/stdout, a pipe) is
// written in place at Commit, before the files are renamed; sockets, block
// devices and directories are refused. Two outputs naming the same regular
// file, or an output naming a file the run reads (Protect), are refused.
//
// Outputs whose names are known only once the run is done (the figures of
// --plot-out) go in a folder: CheckDir checks it before the run, MkdirAll
// creates it afterwards, and the folders it created are removed again when
// the outputs are abandoned.
type Outputs struct {
	mu      sync.Mutex
	inputs  []string
	planned []*output
	dirs    []string // created by MkdirAll, parents first
	aborted bool
}

type outputKind uint8

const (
	newFile  outputKind = iota // nothing at the path yet
	replace                    // an existing regular file
	streamed                   // a character device or FIFO, written in place
)

type output struct {
	name, path string // the flag (for messages) and the path as given
	dst        string // the path written: symbolic links followed
	kind       outputKind
	info       fs.FileInfo // the existing file (replace, streamed)
	tmp        string      // the staged temporary, once staged
	backup     string      // a link to the replaced file during Commit
}

func (o *output) errorf(format string, a ...any) error {
	return fmt.Errorf("output %s (%s): %s", o.path, o.name, fmt.Sprintf(format, a...))
}

// Protect records files the run reads; Plan refuses to write over them.
func (t *Outputs) Protect(paths ...string) {
	for _, p := range paths {
		if p != "" {
			t.inputs = append(t.inputs, p)
		}
	}
}

// Plan checks that path can be written as the output called name (a flag
// such as --logits-out) and reserves it. It fails before any work is done
// when the directory does not exist or cannot be written, when the path is a
// directory, socket or block device, or when it names an input of the run or
// another output.
func (t *Outputs) Plan(name, path string) error {
	o := &output{name: name, path: path}
	// The kernel follows every link, /proc's magic ones (/dev/stdout,
	// /dev/fd/N) included: a device or pipe is written through the path given.
	if info, err := os.Stat(path); err == nil && info.Mode()&(fs.ModeNamedPipe|fs.ModeCharDevice) != 0 {
		o.dst, o.kind, o.info = path, streamed, info
		if err := writable(path); err != nil {
			return o.errorf("cannot be written: %v", unwrapPath(err))
		}
		t.mu.Lock()
		t.planned = append(t.planned, o)
		t.mu.Unlock()
		return nil
	}
	dst, magic, err := resolve(path)
	if errors.Is(err, fs.ErrNotExist) {
		// The directory that is missing: the path's own, or the one a
		// symbolic link on the way leads to.
		dir := filepath.Dir(path)
		var pe *fs.PathError
		if errors.As(err, &pe) {
			dir = pe.Path
		}
		return o.errorf("directory %s does not exist", dir)
	}
	if err != nil {
		return o.errorf("%v", unwrapPath(err))
	}
	if magic {
		// /dev/stdout redirected to a file: replacing the file would lose
		// what is written to the descriptor, writing into it would mix.
		return o.errorf("names an open file descriptor (through /proc); give the file's own path")
	}
	o.dst = dst
	info, err := os.Stat(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		o.kind = newFile
	case err != nil:
		return o.errorf("%v", unwrapPath(err))
	case info.IsDir():
		return o.errorf("is a directory")
	case info.Mode().IsRegular():
		o.kind, o.info = replace, info
	case info.Mode()&fs.ModeNamedPipe != 0, info.Mode()&fs.ModeCharDevice != 0:
		o.kind, o.info = streamed, info
	default:
		return o.errorf("is a %s; outputs are regular files, character devices or FIFOs", kindName(info.Mode()))
	}
	for _, in := range t.inputs {
		if same(in, o) {
			return o.errorf("is an input of this run (%s); refusing to overwrite it", in)
		}
	}
	for _, p := range t.planned {
		if o.kind != streamed && same(p.path, o) {
			return o.errorf("is also the output of %s", p.name)
		}
	}
	if o.kind == streamed {
		if err := writable(dst); err != nil {
			return o.errorf("cannot be written: %v", unwrapPath(err))
		}
	} else if err := probe(filepath.Dir(dst)); err != nil {
		return o.errorf("cannot create a file in %s: %v", filepath.Dir(dst), unwrapPath(err))
	}
	t.mu.Lock()
	t.planned = append(t.planned, o)
	t.mu.Unlock()
	return nil
}

func kindName(m fs.FileMode) string {
	switch {
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "block device"
	}
	return "special file (" + m.Type().String() + ")"
}

// resolve follows the symbolic links of path, including a final link whose
// target does not exist yet, and returns the path to write. magic reports a
// link into /proc (/dev/stdout, /dev/fd/N), whose target is a descriptor,
// not a name to create.
func resolve(path string) (dst string, magic bool, err error) {
	p := path
	for range 64 {
		info, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			dir, err := filepath.EvalSymlinks(filepath.Dir(p))
			if err != nil {
				return "", magic, err
			}
			return filepath.Join(dir, filepath.Base(p)), magic, nil
		}
		if err != nil {
			return "", magic, err
		}
		if info.Mode()&fs.ModeSymlink == 0 {
			p, err = filepath.EvalSymlinks(p)
			return p, magic, err
		}
		target, err := os.Readlink(p)
		if err != nil {
			return "", magic, err
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(filepath.Dir(p), target)
		}
		magic = magic || strings.HasPrefix(target, "/proc/")
		p = target
	}
	return "", magic, fmt.Errorf("too many levels of symbolic links")
}

// same reports whether path names o's file: the same existing file, or the
// same resolved path.
func same(path string, o *output) bool {
	if a, err := os.Stat(path); err == nil {
		if b, err := os.Stat(o.dst); err == nil {
			return os.SameFile(a, b)
		}
	}
	r, _, err := resolve(path)
	if err != nil {
		r = path
	}
	ra, err1 := filepath.Abs(r)
	rb, err2 := filepath.Abs(o.dst)
	return err1 == nil && err2 == nil && ra == rb
}

// probe checks that a file can be created in dir.
func probe(dir string) error {
	f, err := createTemp(dir, ".neurosim-probe", 0o600)
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// createTemp creates a new file dir/prefix.tmp-RANDOM with permissions perm
// minus the umask (os.CreateTemp would make it 0600).
func createTemp(dir, prefix string, perm fs.FileMode) (*os.File, error) {
	for range 100 {
		var b [6]byte
		rand.Read(b[:])
		f, err := os.OpenFile(filepath.Join(dir, prefix+".tmp-"+hex.EncodeToString(b[:])), os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, fmt.Errorf("no free temporary name in %s", dir)
}

func (t *Outputs) find(name string) *output {
	for _, o := range t.planned {
		if o.name == name {
			return o
		}
	}
	return nil
}

// Stage writes the output planned as name to a temporary file: beside its
// destination for files, in the temporary directory for devices and FIFOs.
// Nothing is visible at the output path until Commit. It returns ctx's error
// (writing nothing) once ctx is done.
func (t *Outputs) Stage(ctx context.Context, name string, write func(io.Writer) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t.mu.Lock()
	o := t.find(name)
	aborted := t.aborted
	t.mu.Unlock()
	if o == nil {
		panic("export: Stage of an output that was not planned: " + name)
	}
	if aborted {
		return o.errorf("the outputs were abandoned")
	}
	dir, prefix, perm := filepath.Dir(o.dst), "."+filepath.Base(o.dst), fs.FileMode(0o666)
	switch o.kind {
	case streamed:
		dir, prefix, perm = os.TempDir(), "neurosim-"+filepath.Base(o.dst), 0o600
	case replace:
		perm = 0o600 // set to the replaced file's mode once written
	}
	f, err := createTemp(dir, prefix, perm)
	if err != nil {
		return o.errorf("%v", unwrapPath(err))
	}
	t.mu.Lock()
	if t.aborted {
		t.mu.Unlock()
		f.Close()
		os.Remove(f.Name())
		return o.errorf("the outputs were abandoned")
	}
	o.tmp = f.Name()
	t.mu.Unlock()

	bw := bufio.NewWriterSize(f, 1<<16)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && o.kind != streamed {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil && o.kind == replace {
		err = keepMode(f.Name(), o.info)
	}
	if err != nil {
		t.mu.Lock()
		os.Remove(o.tmp)
		o.tmp = ""
		t.mu.Unlock()
		return o.errorf("%v", unwrapPath(err))
	}
	return nil
}

// Commit puts every staged output in place: first it streams the outputs
// bound for devices and FIFOs, then it renames the files. If a rename fails,
// the files already renamed are put back as they were. Outputs planned but
// not staged are left alone. Streaming can wait for ever (a FIFO without a
// reader, or whose reader stops reading), so it is abandoned when ctx is
// done, and then nothing is renamed; renaming takes microseconds and is not
// interrupted.
func (t *Outputs) Commit(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		t.Abort()
		return err
	}
	t.mu.Lock()
	if t.aborted {
		t.mu.Unlock()
		return errors.New("outputs: commit after abort")
	}
	var files, streams []*output
	for _, o := range t.planned {
		switch {
		case o.tmp == "":
		case o.kind == streamed:
			streams = append(streams, o)
		default:
			files = append(files, o)
		}
	}
	t.mu.Unlock()
	for _, o := range streams {
		if err := t.stream(ctx, o); err != nil {
			t.Abort()
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return o.errorf("%v", unwrapPath(err))
		}
		t.mu.Lock()
		os.Remove(o.tmp)
		o.tmp = ""
		t.mu.Unlock()
	}

	t.mu.Lock()
	defer t.mu.Unlock()
	if t.aborted {
		return errors.New("outputs: aborted while streaming")
	}
	var done []*output
	for _, o := range files {
		if err := rename(o); err != nil {
			// Put back what was renamed, newest first, and drop the rest.
			for i := len(done) - 1; i >= 0; i-- {
				undo(done[i])
			}
			t.removeAll()
			return o.errorf("%v", unwrapPath(err))
		}
		done = append(done, o)
	}
	for _, o := range done {
		if o.backup != "" {
			os.Remove(o.backup)
			o.backup = ""
		}
	}
	t.planned, t.dirs = nil, nil
	return nil
}

// CheckDir checks, before a run, that dir can hold the outputs called name
// (a flag such as --plot-out): it is a directory (symbolic links followed)
// in which files can be created, or it does not exist yet and its nearest
// existing ancestor is such a directory, for MkdirAll to create it in.
func CheckDir(name, dir string) error {
	errorf := func(format string, a ...any) error {
		return fmt.Errorf("output folder %s (%s): %s", dir, name, fmt.Sprintf(format, a...))
	}
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		info, err := os.Stat(p)
		switch {
		case err == nil && !info.IsDir() && p == filepath.Clean(dir):
			return errorf("is not a directory")
		case err == nil && !info.IsDir():
			return errorf("%s is not a directory", p)
		case err == nil:
			if err := probe(p); err != nil {
				return errorf("cannot create a file in %s: %v", p, unwrapPath(err))
			}
			return nil
		case !errors.Is(err, fs.ErrNotExist):
			return errorf("%v", unwrapPath(err))
		case filepath.Dir(p) == p:
			return errorf("no parent directory exists")
		}
	}
}

// MkdirAll creates dir and the parents it lacks (0777 minus the umask), so
// that outputs can be planned in it once the run is done. Abort, and a
// Commit that fails, remove the directories it created if nothing else was
// put in them; after a Commit they stay.
func (t *Outputs) MkdirAll(name, dir string) error {
	var missing []string // deepest first
	for p := filepath.Clean(dir); ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("output folder %s (%s): %v", dir, name, unwrapPath(err))
		}
		missing = append(missing, p)
		if filepath.Dir(p) == p {
			break
		}
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.aborted {
		return fmt.Errorf("output folder %s (%s): the outputs were abandoned", dir, name)
	}
	for i := len(missing) - 1; i >= 0; i-- {
		err := os.Mkdir(missing[i], 0o777)
		if errors.Is(err, fs.ErrExist) {
			continue // made meanwhile by someone else: not ours to remove
		}
		if err != nil {
			return fmt.Errorf("output folder %s (%s): %v", dir, name, unwrapPath(err))
		}
		t.dirs = append(t.dirs, missing[i])
	}
	return nil
}

// rename moves o's temporary into place, first linking the file it replaces
// to a backup name so that undo can restore it.
func rename(o *output) error {
	if o.kind == replace {
		for range 100 {
			var b [6]byte
			rand.Read(b[:])
			name := filepath.Join(filepath.Dir(o.dst), "."+filepath.Base(o.dst)+".old-"+hex.EncodeToString(b[:]))
			err := os.Link(o.dst, name)
			if err == nil {
				o.backup = name
			}
			if !errors.Is(err, fs.ErrExist) {
				break // without a backup (no hard links here) the rename still happens
			}
		}
	}
	if err := os.Rename(o.tmp, o.dst); err != nil {
		if o.backup != "" {
			os.Remove(o.backup)
			o.backup = ""
		}
		return err
	}
	o.tmp = ""
	return nil
}

// undo restores what rename replaced: the backup, or no file at all.
func undo(o *output) {
	if o.backup != "" {
		os.Rename(o.backup, o.dst)
		o.backup = ""
	} else if o.kind == newFile {
		os.Remove(o.dst)
	}
}

// stream copies o's staged content into the device or FIFO at o.dst, or
// returns ctx's error once ctx is done. Opening a FIFO waits for a reader
// and writing waits while the reader does not read; the copy goes on in
// its own goroutine, which writes nothing more once the outputs are
// abandoned (Abort).
func (t *Outputs) stream(ctx context.Context, o *output) error {
	t.mu.Lock()
	tmp := o.tmp
	t.mu.Unlock()
	done := make(chan error, 1)
	go func() { done <- t.copyOut(tmp, o.dst) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// copyOut copies the file tmp into the device or FIFO dst, stopping at the
// next write once the outputs are abandoned.
func (t *Outputs) copyOut(tmp, dst string) error {
	src, err := os.Open(tmp)
	if err != nil {
		return err
	}
	defer src.Close()
	f, err := os.OpenFile(dst, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = io.Copy(unabandoned{t, f}, src)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// unabandoned writes to w until its outputs are abandoned.
type unabandoned struct {
	t *Outputs
	w io.Writer
}

func (u unabandoned) Write(p []byte) (int, error) {
	u.t.mu.Lock()
	aborted := u.t.aborted
	u.t.mu.Unlock()
	if aborted {
		return 0, errors.New("the outputs were abandoned")
	}
	return u.w.Write(p)
}

// Abort removes every temporary, and the folders MkdirAll created; outputs
// already committed stay. It is safe
// to call more than once, after Commit, and from another goroutine (a second
// interrupt).
func (t *Outputs) Abort() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.aborted = true
	t.removeAll()
}

func (t *Outputs) removeAll() {
	for _, o := range t.planned {
		if o.tmp != "" {
			os.Remove(o.tmp)
			o.tmp = ""
		}
		if o.backup != "" {
			os.Remove(o.backup)
			o.backup = ""
		}
	}
	for i := len(t.dirs) - 1; i >= 0; i-- {
		os.Remove(t.dirs[i]) // fails, as it should, when the directory is not empty
	}
	t.dirs = nil
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
