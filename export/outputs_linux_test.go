package export

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// A character device at an output path is written in place and stays a
// device (as root, /dev/null must not become a file). The test makes its own
// null device with mknod and skips where that is not permitted.
func TestDeviceIsWrittenInPlace(t *testing.T) {
	dir := t.TempDir()
	dev := filepath.Join(dir, "null")
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o666, int(mkdev(1, 3))); err != nil {
		t.Skipf("mknod: %v", err)
	}
	var o Outputs
	if err := o.Plan("--per-step-out", dev); err != nil {
		t.Fatal(err)
	}
	if err := o.Stage(context.Background(), "--per-step-out", write("data")); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	info, err := os.Lstat(dev)
	if err != nil || info.Mode()&fs.ModeCharDevice == 0 {
		t.Errorf("%s is no longer a character device: %v %v", dev, info.Mode(), err)
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("left %v", left)
	}
}

func mkdev(major, minor uint32) uint64 {
	return uint64(major&0xfff)<<8 | uint64(minor&0xff) | uint64(minor&^0xff)<<12 | uint64(major&^0xfff)<<32
}

// /dev/stdout and /dev/fd/N are links into /proc: a pipe behind one is
// streamed through it; a regular file behind one is refused (replacing it
// would lose what goes to the descriptor).
func TestDescriptorPaths(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := make(chan []byte)
	go func() { b, _ := io.ReadAll(r); got <- b }()
	pipePath := fmt.Sprintf("/proc/self/fd/%d", w.Fd())
	var o Outputs
	if err := o.Plan("--logits-out", pipePath); err != nil {
		t.Fatal(err)
	}
	if err := o.Stage(context.Background(), "--logits-out", write("through the pipe")); err != nil {
		t.Fatal(err)
	}
	if err := o.Commit(context.Background()); err != nil {
		t.Fatal(err)
	}
	w.Close()
	if b := <-got; string(b) != "through the pipe" {
		t.Errorf("pipe got %q", b)
	}

	f, err := os.Create(filepath.Join(t.TempDir(), "redirected"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	link := filepath.Join(t.TempDir(), "stdout")
	os.Symlink(fmt.Sprintf("/proc/self/fd/%d", f.Fd()), link)
	var o2 Outputs
	if err := o2.Plan("--per-step-out", link); err == nil || !strings.Contains(err.Error(), "open file descriptor") {
		t.Errorf("a file behind a descriptor link: %v", err)
	}
}
