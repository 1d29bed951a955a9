//go:build unix

package export

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func write(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func mustWrite(t *testing.T, path, content string, perm fs.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), perm); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, perm); err != nil { // past the umask
		t.Fatal(err)
	}
}

func content(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// leftovers lists temporaries and backups left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var left []string
	for _, pat := range []string{".*.tmp-*", ".*.old-*", ".neurosim-probe*"} {
		m, _ := filepath.Glob(filepath.Join(dir, pat))
		left = append(left, m...)
	}
	m, _ := filepath.Glob(filepath.Join(os.TempDir(), "neurosim-*.tmp-*"))
	return append(left, m...)
}

// Plan refuses, before any work, every path that cannot be an output.
func TestPlanRefuses(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.npy")
	mustWrite(t, in, "input", 0o644)
	real := filepath.Join(dir, "real")
	os.Mkdir(real, 0o755)
	os.Symlink(real, filepath.Join(dir, "link"))
	os.Symlink(in, filepath.Join(dir, "in-link.npy"))
	sock := filepath.Join(dir, "s.sock")
	if l, err := net.Listen("unix", sock); err == nil {
		defer l.Close()
	} else {
		sock = ""
	}
	for _, tt := range []struct {
		name  string
		plan  [][2]string // earlier outputs
		path  string
		wants string
	}{
		{"missing directory", nil, filepath.Join(dir, "nope", "L.npy"), "directory " + filepath.Join(dir, "nope") + " does not exist"},
		{"a directory", nil, real, "is a directory"},
		{"an input", nil, in, "is an input of this run"},
		{"an input through a symlink", nil, filepath.Join(dir, "in-link.npy"), "is an input of this run"},
		{"named twice", [][2]string{{"--a", filepath.Join(dir, "x.npy")}}, filepath.Join(dir, "x.npy"), "is also the output of --a"},
		{"named twice through a symlinked directory", [][2]string{{"--a", filepath.Join(real, "x.npy")}},
			filepath.Join(dir, "link", "x.npy"), "is also the output of --a"},
		{"a file as directory", nil, filepath.Join(in, "x"), "not a directory"},
		{"a socket", nil, sock, "is a socket"},
	} {
		if tt.path == "" {
			t.Logf("%s: skipped (cannot create it here)", tt.name)
			continue
		}
		var o Outputs
		o.Protect(in, "")
		for _, p := range tt.plan {
			if err := o.Plan(p[0], p[1]); err != nil {
				t.Fatal(err)
			}
		}
		err := o.Plan("--b", tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.wants) || !strings.Contains(err.Error(), "(--b)") {
			t.Errorf("%s: %v, want an error naming --b and %q", tt.name, err, tt.wants)
		}
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}

func TestPlanUnwritableDirectory(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root writes in any directory")
	}
	dir := t.TempDir()
	ro := filepath.Join(dir, "ro")
	os.Mkdir(ro, 0o500)
	defer os.Chmod(ro, 0o700)
	var o Outputs
	if err := o.Plan("--logits-out", filepath.Join(ro, "L.npy")); err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Errorf("unwritable directory: %v", err)
	}
}

// Nothing is visible before Commit; then the files appear, an existing one
// keeping its permissions, a new one getting 0666 minus the umask, and a
// symbolic link still pointing at the file it named.
func TestCommit(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	dir := t.TempDir()
	existing, fresh := filepath.Join(dir, "existing.csv"), filepath.Join(dir, "new.npy")
	mustWrite(t, existing, "old", 0o640)
	target := filepath.Join(dir, "target.json")
	mustWrite(t, target, "old target", 0o604)
	link := filepath.Join(dir, "link.json")
	os.Symlink("target.json", link)
	dangling := filepath.Join(dir, "dangling.txt")
	os.Symlink("made.txt", dangling)

	var o Outputs
	for _, p := range [][2]string{{"--a", existing}, {"--b", fresh}, {"--c", link}, {"--d", dangling}} {
		if err := o.Plan(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, s := range [][2]string{{"--a", "new a"}, {"--b", "new b"}, {"--c", "new c"}, {"--d", "new d"}} {
		if err := o.Stage(ctx, s[0], write(s[1])); err != nil {
			t.Fatal(err)
		}
	}
	if content(t, existing) != "old" || content(t, target) != "old target" {
		t.Error("an output changed before Commit")
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Error("a new output is visible before Commit")
	}
	if err := o.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		path, want string
		perm       fs.FileMode
	}{
		{existing, "new a", 0o640},
		{fresh, "new b", 0o640}, // 0666 &^ 0027
		{target, "new c", 0o604},
		{filepath.Join(dir, "made.txt"), "new d", 0o640},
	} {
		info, err := os.Stat(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := content(t, tt.path); got != tt.want || info.Mode().Perm() != tt.perm {
			t.Errorf("%s: %q %v, want %q %v", tt.path, got, info.Mode().Perm(), tt.want, tt.perm)
		}
	}
	for _, l := range []string{link, dangling} {
		if info, err := os.Lstat(l); err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symbolic link", l)
		}
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left %v", left)
	}
	o.Abort() // after Commit: nothing to do, nothing removed
	if content(t, existing) != "new a" {
		t.Error("Abort after Commit removed an output")
	}
}

// A failure while staging, an abort, or a cancelled context leaves every
// output as it was and no temporary behind.
func TestAllOrNothing(t *testing.T) {
	for _, tt := range []struct {
		name string
		fail func(o *Outputs, ctx context.Context, cancel func()) error
	}{
		{"second output fails", func(o *Outputs, ctx context.Context, _ func()) error {
			return o.Stage(ctx, "--b", func(w io.Writer) error { io.WriteString(w, "half"); return errors.New("disk full") })
		}},
		{"cancelled before the second", func(o *Outputs, ctx context.Context, cancel func()) error {
			cancel()
			return o.Stage(ctx, "--b", write("new b"))
		}},
		{"cancelled before Commit", func(o *Outputs, ctx context.Context, cancel func()) error {
			if err := o.Stage(ctx, "--b", write("new b")); err != nil {
				return err
			}
			cancel()
			return o.Commit(ctx)
		}},
		{"aborted from elsewhere", func(o *Outputs, ctx context.Context, _ func()) error {
			o.Abort()
			return o.Stage(ctx, "--b", write("new b"))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
			mustWrite(t, a, "old a", 0o644)
			mustWrite(t, b, "old b", 0o644)
			var o Outputs
			o.Plan("--a", a)
			o.Plan("--b", b)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := o.Stage(ctx, "--a", write("new a")); err != nil {
				t.Fatal(err)
			}
			if err := tt.fail(&o, ctx, cancel); err == nil {
				t.Fatal("no error")
			}
			o.Abort()
			if content(t, a) != "old a" || content(t, b) != "old b" {
				t.Errorf("outputs changed: %q %q", content(t, a), content(t, b))
			}
			if left := leftovers(t, dir); len(left) > 0 {
				t.Errorf("left %v", left)
			}
		})
	}
}

// When a rename fails midway, the files already renamed are put back.
func TestCommitRollsBack(t *testing.T) {
	dir := t.TempDir()
	a, b, c := filepath.Join(dir, "a"), filepath.Join(dir, "b"), filepath.Join(dir, "c")
	mustWrite(t, a, "old a", 0o644)
	var o Outputs
	for _, p := range [][2]string{{"--a", a}, {"--b", b}, {"--c", c}} {
		if err := o.Plan(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	for _, n := range []string{"--a", "--b", "--c"} {
		if err := o.Stage(ctx, n, write("new")); err != nil {
			t.Fatal(err)
		}
	}
	// c becomes a non-empty directory after staging: renaming over it fails.
	os.MkdirAll(filepath.Join(c, "x"), 0o755)
	err := o.Commit(ctx)
	if err == nil || !strings.Contains(err.Error(), "(--c)") {
		t.Fatalf("commit over a directory: %v", err)
	}
	if content(t, a) != "old a" {
		t.Errorf("a = %q, want it put back", content(t, a))
	}
	if _, err := os.Stat(b); !errors.Is(err, fs.ErrNotExist) {
		t.Error("b was left in place")
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}

// A FIFO is streamed to its reader and stays a FIFO.
func TestFIFOIsStreamed(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	got := make(chan string)
	go func() {
		f, err := os.Open(fifo)
		if err != nil {
			got <- err.Error()
			return
		}
		b, _ := io.ReadAll(f)
		f.Close()
		got <- string(b)
	}()
	var o Outputs
	if err := o.Plan("--trace-out", fifo); err != nil {
		t.Fatal(err)
	}
	if err := o.Stage(context.Background(), "--trace-out", write("row 1\nrow 2\n")); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "row 1\nrow 2\n" {
		t.Errorf("the reader got %q", s)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("%s is no longer a FIFO", fifo)
	}
}

// Two outputs to one character device are allowed (both to /dev/null).
func TestDeviceSharedByOutputs(t *testing.T) {
	var o Outputs
	if err := o.Plan("--a", os.DevNull); err != nil {
		t.Fatal(err)
	}
	if err := o.Plan("--b", os.DevNull); err != nil {
		t.Errorf("a second output to %s: %v", os.DevNull, err)
	}
	o.Abort()
}

// An output folder is checked before the run (a directory, or one that can
// be created), created afterwards, and removed again when the outputs are
// abandoned — unless something else was put in it.
func TestOutputFolder(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	mustWrite(t, file, "x", 0o644)
	for _, tt := range []struct {
		name, dir, want string
	}{
		{"existing", dir, ""},
		{"to create, two deep", filepath.Join(dir, "a", "b"), ""},
		{"a file", file, "is not a directory"},
		{"under a file", filepath.Join(file, "x"), "not a directory"},
	} {
		err := CheckDir("--plot-out", tt.dir)
		if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) ||
			(err != nil && !strings.Contains(err.Error(), "(--plot-out)")) {
			t.Errorf("%s: %v, want %q", tt.name, err, tt.want)
		}
	}
	// Abandoned: the folders made are removed, deepest first.
	var o Outputs
	deep := filepath.Join(dir, "a", "b")
	if err := o.MkdirAll("--plot-out", deep); err != nil {
		t.Fatal(err)
	}
	if err := o.Plan("--plot-out x.svg", filepath.Join(deep, "x.svg")); err != nil {
		t.Fatal(err)
	}
	if err := o.Stage(context.Background(), "--plot-out x.svg", write("svg")); err != nil {
		t.Fatal(err)
	}
	o.Abort()
	if _, err := os.Stat(filepath.Join(dir, "a")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("abandoned folders stay: %v", err)
	}
	if err := o.MkdirAll("--plot-out", deep); err == nil {
		t.Error("MkdirAll after Abort")
	}
	// Something else in a folder it made keeps the folder.
	var o2 Outputs
	if err := o2.MkdirAll("--plot-out", deep); err != nil {
		t.Fatal(err)
	}
	mustWrite(t, filepath.Join(dir, "a", "other"), "y", 0o644)
	o2.Abort()
	if _, err := os.Stat(filepath.Join(dir, "a", "other")); err != nil {
		t.Errorf("a file not ours was removed: %v", err)
	}
	// Committed: the folder and its file stay.
	var o3 Outputs
	if err := o3.MkdirAll("--plot-out", deep); err != nil {
		t.Fatal(err)
	}
	if err := o3.Plan("--plot-out x.svg", filepath.Join(deep, "x.svg")); err != nil {
		t.Fatal(err)
	}
	if err := o3.Stage(context.Background(), "--plot-out x.svg", write("svg")); err != nil {
		t.Fatal(err)
	}
	if err := o3.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	o3.Abort()
	if content(t, filepath.Join(deep, "x.svg")) != "svg" {
		t.Error("committed figure lost")
	}
}
