package main

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// prior writes "prior <name>" files at the given paths and returns a check
// that they are byte-identical and that no temporary is left in their
// directories or the temporary directory (a private one for the test, so
// that other programs' temporaries do not count).
func prior(t *testing.T, paths ...string) func() {
	t.Helper()
	t.Setenv("TMPDIR", t.TempDir())
	for _, p := range paths {
		if err := os.WriteFile(p, []byte("prior "+filepath.Base(p)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		t.Helper()
		dirs := map[string]bool{os.TempDir(): true}
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil || string(b) != "prior "+filepath.Base(p) {
				t.Errorf("%s changed: %q %v", p, b, err)
			}
			dirs[filepath.Dir(p)] = true
		}
		for d := range dirs {
			for _, pat := range []string{".*.tmp-*", ".*.old-*", "neurosim-*.tmp-*", ".neurosim-probe*"} {
				if m, _ := filepath.Glob(filepath.Join(d, pat)); len(m) > 0 {
					t.Errorf("temporaries left: %v", m)
				}
			}
		}
	}
}

func hook(t *testing.T, f func(flag string)) {
	t.Helper()
	afterStage = f
	t.Cleanup(func() { afterStage = nil })
}

// Interrupted while outputs are being written (the context is cancelled
// after the first is staged, as SIGINT or SIGTERM would): exit 130, every
// prior file byte-identical, no temporary behind.
func TestInterruptedWhileWriting(t *testing.T) {
	dir := t.TempDir()
	e, l, tr, o := filepath.Join(dir, "E.npy"), filepath.Join(dir, "L.npy"), filepath.Join(dir, "T.csv"), filepath.Join(dir, "R.json")
	check := prior(t, e, l, tr, o)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var staged []string
	hook(t, func(flag string) {
		staged = append(staged, flag)
		cancel()
	})
	var out, errb bytes.Buffer
	code := run(ctx, []string{"energy", "--checkpoint", h11, "--inputs", inputs, "--labels", labels,
		"--per-step-out", e, "--logits-out", l, "--trace-out", tr, "--format", "json", "-o", o}, &out, &errb)
	if code != exitInterrupt || !strings.Contains(errb.String(), "interrupted") || out.Len() > 0 {
		t.Errorf("exit %d, stderr %q, stdout %d bytes; want 130, interrupted, nothing", code, errb.String(), out.Len())
	}
	if len(staged) != 1 {
		t.Errorf("staged %v after the interrupt", staged)
	}
	check()
}

// A FIFO without a reader makes the commit wait for one; an interrupt (a
// single SIGINT or SIGTERM) still ends the run at once: exit 130, the report
// not written, no temporary left (it waited for a second signal, and a
// process manager's SIGKILL then left the staged temporary in /tmp).
func TestInterruptedWhileStreaming(t *testing.T) {
	dir := t.TempDir()
	fifo, report := filepath.Join(dir, "fifo"), filepath.Join(dir, "R.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	t.Cleanup(func() {
		// Let a writer still waiting for a reader go.
		if f, err := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); err == nil {
			f.Close()
		}
	})
	check := prior(t, report)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hook(t, func(flag string) {
		if flag == "-o" { // the last output staged: the commit starts
			time.AfterFunc(100*time.Millisecond, cancel)
		}
	})
	var out, errb bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"energy", "--checkpoint", h11, "--inputs", inputs, "--trace-out", fifo, "--format", "json", "-o", report}, &out, &errb)
	}()
	select {
	case code := <-done:
		if code != exitInterrupt || !strings.Contains(errb.String(), "interrupted") {
			t.Errorf("exit %d, stderr %q; want 130, interrupted", code, errb.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the run still waits for the FIFO's reader 20 s after the interrupt")
	}
	check()
}

// A failure on a later output leaves the earlier ones as they were.
func TestFailedMultiOutputRun(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	e, tr := filepath.Join(dir, "E.npy"), filepath.Join(other, "T.csv")
	check := prior(t, e, tr)
	hook(t, func(flag string) {
		if flag == "--per-step-out" {
			// The trace's directory disappears behind a file of its name.
			if err := os.Rename(other, other+".moved"); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(other, nil, 0o644)
		}
	})
	code, stdout, stderr := runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--per-step-out", e, "--trace-out", tr)
	os.Remove(other)
	os.Rename(other+".moved", other)
	if code != exitFailed || stdout != "" || !strings.Contains(stderr, "T.csv (--trace-out)") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	check()
}

// Bad output paths fail before the run: the output is reported even though
// the checkpoint does not exist either.
func TestOutputPathsCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	os.Mkdir(real, 0o755)
	os.Symlink(real, filepath.Join(dir, "link"))
	os.Symlink("/nonexistent/x", filepath.Join(dir, "dangling"))
	missing := filepath.Join(dir, "missing.pth")
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"missing directory", []string{"--logits-out", "/nonexistent/L.npy"}, "directory /nonexistent does not exist"},
		// It said "directory <dir> does not exist" of the link's own directory.
		{"a link into a missing directory", []string{"--logits-out", filepath.Join(dir, "dangling")}, "dangling (--logits-out): directory /nonexistent does not exist"},
		{"a directory", []string{"--per-step-out", dir}, "is a directory"},
		{"twice", []string{"--per-step-out", filepath.Join(dir, "x"), "--logits-out", filepath.Join(dir, "x")}, "is also the output of --per-step-out"},
		{"twice through a symlinked directory", []string{"--trace-out", filepath.Join(real, "x"), "-o", filepath.Join(dir, "link", "x")},
			"is also the output of"},
		{"an input", []string{"--per-step-out", inputs, "--inputs", inputs}, "is an input of this run"},
		{"the config beside the checkpoint", []string{"--logits-out", filepath.Join(dir, "config.json")}, "is an input of this run"},
	} {
		code, _, stderr := runCLI(t, append([]string{"energy", "--checkpoint", missing}, tt.args...)...)
		if code != exitFailed || !strings.Contains(stderr, tt.want) || strings.Contains(stderr, "missing.pth:") {
			t.Errorf("%s: exit %d, %q; want 1 and %q before the checkpoint is read", tt.name, code, stderr, tt.want)
		}
	}
}

// A character device at an output path is written in place and stays a
// device (as root, --per-step-out /dev/null must leave /dev/null a device).
// The test makes its own null device and skips where mknod is not allowed.
func TestDeviceOutput(t *testing.T) {
	dir := t.TempDir()
	dev := filepath.Join(dir, "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
		t.Skipf("mknod: %v", err)
	}
	code, _, stderr := runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--per-step-out", dev, "--logits-out", dev)
	if code != 0 {
		t.Fatal(stderr)
	}
	if info, err := os.Lstat(dev); err != nil || info.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("%s is no longer a character device: %v", dev, err)
	}
}

// A symbolic link at an output path still points to its target, which holds
// the output and keeps its permissions.
func TestSymlinkOutput(t *testing.T) {
	dir := t.TempDir()
	target, link := filepath.Join(dir, "target.json"), filepath.Join(dir, "link.json")
	os.WriteFile(target, []byte("old"), 0o600)
	os.Chmod(target, 0o640)
	os.Symlink("target.json", link)
	code, _, stderr := runCLI(t, "compare", "--format", "json", "-o", link)
	if code != 0 {
		t.Fatal(stderr)
	}
	info, err := os.Lstat(link)
	if err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Fatal("the link was replaced")
	}
	b, _ := os.ReadFile(target)
	st, _ := os.Stat(target)
	if !bytes.HasPrefix(b, []byte("{\n  \"meta\"")) || st.Mode().Perm() != 0o640 {
		t.Errorf("target %q…, mode %v", b[:min(len(b), 20)], st.Mode().Perm())
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// A write error on stdout is an error, for tables as for JSON and CSV.
func TestStdoutWriteError(t *testing.T) {
	for _, args := range [][]string{
		{"compare"}, {"compare", "--format", "csv"}, {"designs"}, {"designs", "show", "paper"}, {"version"},
		{"inspect", h11}, {"energy", "--checkpoint", h11, "--inputs", inputs},
	} {
		var errb bytes.Buffer
		code := run(context.Background(), args, failWriter{}, &errb)
		if code != exitFailed || !strings.Contains(errb.String(), "no space left on device") {
			t.Errorf("%v: exit %d, %q", args, code, errb.String())
		}
	}
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer full.Close()
	var errb bytes.Buffer
	if code := run(context.Background(), []string{"designs"}, full, &errb); code != exitFailed {
		t.Errorf("table to /dev/full: exit %d, %q", code, errb.String())
	}
}

func TestSignalExitCodes(t *testing.T) {
	if c := (signalError{syscall.SIGINT}).code(); c != 130 {
		t.Errorf("SIGINT: %d", c)
	}
	if c := (signalError{syscall.SIGTERM}).code(); c != 143 {
		t.Errorf("SIGTERM: %d", c)
	}
	// A run cancelled by SIGTERM exits 143 and writes nothing.
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(signalError{syscall.SIGTERM})
	var errb bytes.Buffer
	dir := t.TempDir()
	check := prior(t, filepath.Join(dir, "E.npy"))
	if code := run(ctx, []string{"energy", "--checkpoint", h11, "--per-step-out", filepath.Join(dir, "E.npy")}, &bytes.Buffer{}, &errb); code != 143 {
		t.Errorf("exit %d, %q", code, errb.String())
	}
	check()
}

// compare --set DIR reads the set's files; no output may overwrite them.
func TestSetFilesProtected(t *testing.T) {
	dir := t.TempDir()
	copyFile := func(rel string) {
		b := mustRead(t, filepath.Join(filepath.Dir(inputs), rel))
		os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"inputs.npy", "labels.npy", "ART_STPN_h11/model.pth", "ART_STPN_h11/config.json"} {
		copyFile(f)
	}
	before := mustRead(t, filepath.Join(dir, "labels.npy"))
	code, _, stderr := runCLI(t, "compare", "--set", dir, "-o", filepath.Join(dir, "labels.npy"))
	if code != exitFailed || !strings.Contains(stderr, "is an input of this run") || !bytes.Equal(before, mustRead(t, filepath.Join(dir, "labels.npy"))) {
		t.Errorf("exit %d, %q", code, stderr)
	}
	out := filepath.Join(dir, "compare.csv")
	code, _, stderr = runCLI(t, "compare", "--set", dir, "--format", "csv", "-o", out)
	if code != 0 || !strings.Contains(string(mustRead(t, out)), "# set: "+dir) {
		t.Errorf("exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "breakeven", "--set", filepath.Join(dir, "none"))
	if code != exitFailed || !strings.Contains(stderr, "not a directory") {
		t.Errorf("missing set: exit %d, %q", code, stderr)
	}
}

// feasibility's PNG and report are one transaction like the others, and its
// JSON and CSV carry the metadata block.
func TestFeasibilityOutputs(t *testing.T) {
	dir := t.TempDir()
	grid := []string{"feasibility", "--versus", "ART_LSTM_h9", "--writes", "1fJ,1pJ,2", "--taus", "1ms,10ms,2"}
	// A bad PNG path fails before the run: the set given does not exist
	// either, and the PNG is what is reported.
	code, _, stderr := runCLI(t, append(grid, "--set", filepath.Join(dir, "none"), "--png", "/nonexistent/m.png")...)
	if code != exitFailed || !strings.Contains(stderr, "m.png (--png): directory /nonexistent does not exist") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	png, report := filepath.Join(dir, "m.png"), filepath.Join(dir, "m.csv")
	check := prior(t, png, report)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	hook(t, func(string) { cancel() })
	var out, errb bytes.Buffer
	if code := run(ctx, append(grid, "--png", png, "--format", "csv", "-o", report), &out, &errb); code != exitInterrupt {
		t.Errorf("interrupted: exit %d, %q", code, errb.String())
	}
	check()
	afterStage = nil
	code, _, stderr = runCLI(t, append(grid, "--png", png, "--format", "csv", "-o", report)...)
	b, _ := os.ReadFile(report)
	if code != 0 || !bytes.HasPrefix(b, []byte("# neurosim_version: ")) || !bytes.Contains(b, []byte("# design: stp-diffusive\n")) ||
		!bytes.Contains(b, []byte("model,retention_s,write_energy_J,energy_ratio_low,energy_ratio_high,")) {
		t.Errorf("exit %d %s\n%s", code, stderr, b)
	}
	if p, _ := os.ReadFile(png); !bytes.HasPrefix(p, []byte("\x89PNG")) {
		t.Error("no PNG")
	}
}
