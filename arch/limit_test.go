package arch

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Config files are read through MaxFileBytes: a regular file over it is
// refused before it is read, a stream (a pipe, /dev/zero) once it passes it.
func TestLoadLimit(t *testing.T) {
	good, err := os.ReadFile(filepath.Join("..", "testdata", "art", "ART_STPN_h11", "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, w, _ := os.Pipe()
	go func() { w.Write(good); w.Close() }()
	defer r.Close()
	if c, err := Load(fmt.Sprintf("/dev/fd/%d", r.Fd())); err != nil || c.Hidden != 11 {
		t.Fatalf("config from a pipe: %v", err)
	}

	defer func(old int64) { MaxFileBytes = old }(MaxFileBytes)
	MaxFileBytes = 100
	path := filepath.Join(t.TempDir(), "config.json")
	os.WriteFile(path, good, 0o644)
	_, err = Load(path)
	want := fmt.Sprintf("config %s: file is %d bytes, more than the 100 allowed (--max-config-bytes)", path, len(good))
	if err == nil || err.Error() != want {
		t.Errorf("over the limit: %v, want %q", err, want)
	}
	if _, err := os.Stat("/dev/zero"); err != nil {
		return
	}
	MaxFileBytes = DefaultMaxFileBytes
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = Load("/dev/zero")
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "config /dev/zero: more than the 1048576 bytes allowed (--max-config-bytes)") {
		t.Errorf("/dev/zero: %v", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 4*uint64(DefaultMaxFileBytes) {
		t.Errorf("/dev/zero: %d bytes allocated, want O(MaxFileBytes)", got)
	}
	_, err = Load(filepath.Join(t.TempDir(), "missing.json"))
	if err == nil || !strings.HasSuffix(err.Error(), "missing.json: no such file or directory") {
		t.Errorf("missing: %v", err)
	}
}
