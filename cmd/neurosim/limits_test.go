package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/internal/hostile"
	"github.com/neurosim/neurosim/internal/testutil"
)

// pipePath returns a path that reads data through a pipe, as /dev/stdin
// does when a file is piped in.
func pipePath(t *testing.T, data []byte) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	go func() { w.Write(data); w.Close() }()
	t.Cleanup(func() { r.Close() })
	return fmt.Sprintf("/dev/fd/%d", r.Fd())
}

// oneLine checks the CLI's error contract: one line on stderr naming what
// went wrong.
func oneLine(t *testing.T, stderr string, want ...string) {
	t.Helper()
	if lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n"); len(lines) != 1 || !strings.HasPrefix(stderr, "neurosim: ") {
		t.Errorf("stderr %q is not one line", stderr)
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr %q does not contain %q", stderr, w)
		}
	}
}

// Every reader's cap is a flag; a value too small refuses the file naming
// the flag, a malformed or non-positive value is a usage error (exit 2), and
// every run starts from the defaults again.
func TestLimitFlags(t *testing.T) {
	events := testutil.Testdata("events", "poisson_seed7.csv")
	tests := []struct {
		name string
		args []string
		code int
		want []string
	}{
		{"checkpoint bytes", []string{"inspect", "--max-checkpoint-bytes", "100", h11}, 1,
			[]string{h11, "more than the 100 allowed (--max-checkpoint-bytes)"}},
		{"checkpoint bytes, global before the command", []string{"--max-checkpoint-bytes", "1KiB", "energy", "--checkpoint", h11}, 1,
			[]string{"more than the 1024 allowed (--max-checkpoint-bytes)"}},
		{"checkpoint elements", []string{"energy", "--checkpoint", h11, "--max-checkpoint-elements", "100"}, 1,
			[]string{h11, "more than 100 (--max-checkpoint-elements)"}},
		{"config bytes", []string{"energy", "--checkpoint", h11, "--max-config-bytes", "100"}, 1,
			[]string{"config.json", "more than the 100 allowed (--max-config-bytes)"}},
		{"input bytes", []string{"energy", "--checkpoint", h11, "--inputs", inputs, "--max-input-bytes", "1KiB"}, 1,
			[]string{"inputs " + inputs, "more than the 1024 allowed (--max-input-bytes)"}},
		{"label bytes", []string{"energy", "--checkpoint", h11, "--inputs", inputs, "--labels", labels, "--max-input-bytes", "1000"}, 1,
			[]string{"more than the 1000 allowed (--max-input-bytes)"}},
		{"events", []string{"energy", "--checkpoint", h11, "--events", events, "--max-events", "10"}, 1,
			[]string{events, "more than the 10 events allowed (--max-events)"}},
		{"events bytes", []string{"energy", "--checkpoint", h11, "--events", events, "--max-events-bytes", "1KB"}, 1,
			[]string{events, "more than the 1000 allowed (--max-events-bytes)"}},
		{"zero", []string{"energy", "--checkpoint", h11, "--max-events", "0"}, 2, []string{"--max-events"}},
		{"negative", []string{"inspect", "--max-checkpoint-bytes", "-5", h11}, 2, []string{"--max-checkpoint-bytes"}},
		{"bad unit", []string{"inspect", "--max-checkpoint-bytes", "12XB", h11}, 2, []string{`"12XB" is not a size`}},
		{"too many events", []string{"energy", "--checkpoint", h11, "--max-events", "3000000000"}, 2, []string{"want a whole number from 1 to 2147483647"}},
		{"overflow", []string{"inspect", "--max-checkpoint-bytes", "9000000TiB", h11}, 2, []string{"is not a size"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != tt.code || stdout != "" {
				t.Errorf("exit %d, want %d (stdout %q)", code, tt.code, stdout)
			}
			oneLine(t, stderr, tt.want...)
		})
	}
	// Defaults again: the same files pass.
	for _, args := range [][]string{
		{"energy", "--checkpoint", h11, "--inputs", inputs, "--labels", labels},
		{"energy", "--checkpoint", h11, "--events", events},
		{"inspect", h11},
	} {
		if code, _, stderr := runCLI(t, args...); code != 0 {
			t.Errorf("%v after the limit tests: exit %d, %s", args, code, stderr)
		}
	}
}

// The hostile files of issue 12, shrunk to test size where they would be
// slow: inspect summarises a 16384×16384 broadcast from a file of a few
// hundred bytes and a deflated npz of zeros without holding them; /dev/zero
// as a checkpoint or a config fails at once; an event archive whose event 0
// is bad is refused.
func TestHostileFiles(t *testing.T) {
	dir := t.TempDir()
	bcast := testutil.WriteFile(t, dir, "bcast.pth", hostile.Broadcast(16384, 16384, 1.5))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	code, stdout, stderr := runCLI(t, "inspect", "--format", "json", bcast)
	runtime.ReadMemStats(&after)
	if code != 0 {
		t.Fatal(stderr)
	}
	var rep struct {
		Tensors []struct {
			Elements       int
			Min, Max, Mean *float64
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatal(err)
	}
	if x := rep.Tensors[0]; x.Elements != 1<<28 || *x.Min != 1.5 || *x.Max != 1.5 || *x.Mean != 1.5 {
		t.Errorf("broadcast: %d elements, min %v max %v mean %v; want 2^28 of 1.5", x.Elements, *x.Min, *x.Max, *x.Mean)
	}
	// It took 2 GB; a generous bound that the race detector's own
	// allocations stay far below too.
	if got := after.TotalAlloc - before.TotalAlloc; got > 64<<20 {
		t.Errorf("inspect of a %d-byte broadcast allocated %d bytes", len(hostile.Broadcast(16384, 16384, 1.5)), got)
	}
	code, _, stderr = runCLI(t, "inspect", "--max-checkpoint-elements", "1000", bcast)
	if code != 1 {
		t.Errorf("elements cap: exit %d", code)
	}
	oneLine(t, stderr, "bcast.pth", `tensor "x" would bring the elements of the tensors to more than 1000 (--max-checkpoint-elements)`)

	zeros, err := os.Create(filepath.Join(dir, "zeros.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if err := hostile.ZeroNPZ(zeros, 1<<22); err != nil { // 16 MiB of float32 zeros
		t.Fatal(err)
	}
	zeros.Close()
	code, stdout, stderr = runCLI(t, "inspect", "--format", "json", zeros.Name())
	if code != 0 || !strings.Contains(stdout, `"elements": 4194304`) || !strings.Contains(stdout, `"mean": 0`) {
		t.Errorf("zeros.npz: exit %d, %s %s", code, stdout, stderr)
	}

	if _, err := os.Stat("/dev/zero"); err == nil {
		code, _, stderr = runCLI(t, "inspect", "/dev/zero")
		if code != 1 {
			t.Errorf("inspect /dev/zero: exit %d", code)
		}
		oneLine(t, stderr, "checkpoint /dev/zero: unknown format")
		code, _, stderr = runCLI(t, "energy", "--checkpoint", h11, "--config", "/dev/zero")
		if code != 1 {
			t.Errorf("--config /dev/zero: exit %d", code)
		}
		oneLine(t, stderr, "config /dev/zero: more than the 1048576 bytes allowed (--max-config-bytes)")
	}

	bad, err := os.Create(filepath.Join(dir, "bad0.npz"))
	if err != nil {
		t.Fatal(err)
	}
	if err := hostile.EventsNPZ(bad, 1<<20, true); err != nil {
		t.Fatal(err)
	}
	bad.Close()
	code, _, stderr = runCLI(t, "energy", "--checkpoint", h11, "--events", bad.Name())
	if code != 1 {
		t.Errorf("bad event 0: exit %d", code)
	}
	oneLine(t, stderr, "bad0.npz: index 0: sequence -1 is negative")
}

// --inputs, --labels, --config and --events read pipes (/dev/stdin) as
// they read files.
func TestPipes(t *testing.T) {
	read := func(p string) []byte { return mustRead(t, p) }
	_, fromFiles, stderr := runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--labels", labels, "--format", "json")
	if fromFiles == "" {
		t.Fatal(stderr)
	}
	code, fromPipes, stderr := runCLI(t, "energy", "--checkpoint", h11, "--config", pipePath(t, read(h11cfg)),
		"--inputs", pipePath(t, read(inputs)), "--labels", pipePath(t, read(labels)), "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	// The reports differ only in the file names they quote.
	var a, b any
	if err := json.Unmarshal([]byte(fromFiles), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(fromPipes), &b); err != nil {
		t.Fatal(err)
	}
	if n := sameReport(t, "", a, b); n < 100 {
		t.Errorf("only %d numbers compared", n)
	}
	events := testutil.Testdata("events", "poisson_seed7.csv")
	code, _, stderr = runCLI(t, "energy", "--checkpoint", h11, "--events", pipePath(t, read(events)))
	if code != 0 {
		t.Errorf("events from a pipe: exit %d, %s", code, stderr)
	}
}

// sameReport compares two decoded JSON reports: equal numbers and
// structure, strings equal unless one names a pipe. It returns how many
// numbers it compared.
func sameReport(t *testing.T, path string, a, b any) int {
	t.Helper()
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			t.Errorf("%s: %v vs %v", path, a, b)
			return 0
		}
		n := 0
		for k := range x {
			n += sameReport(t, path+"."+k, x[k], y[k])
		}
		return n
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			t.Errorf("%s: %v vs %v", path, a, b)
			return 0
		}
		n := 0
		for i := range x {
			n += sameReport(t, fmt.Sprintf("%s[%d]", path, i), x[i], y[i])
		}
		return n
	case string:
		if y, ok := b.(string); !ok || (x != y && !strings.Contains(y, "/dev/fd/")) {
			t.Errorf("%s: %q vs %v", path, x, b)
		}
		return 0
	case float64:
		if y, ok := b.(float64); !ok || x != y {
			t.Errorf("%s: %v vs %v", path, x, b)
		}
		return 1
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Errorf("%s: %v vs %v", path, a, b)
	}
	return 0
}

// A set directory's files are read through the same caps as the files given
// by flags (they were read whole, whatever their size: a model.pth linked to
// /dev/zero took all memory): a file over its cap is refused naming the set,
// the file and the flag, and a link to a stream is recognised by its first
// bytes.
func TestSetLimits(t *testing.T) {
	set := t.TempDir()
	model := filepath.Join(set, "ART_STPN_h11")
	if err := os.Mkdir(model, 0o755); err != nil {
		t.Fatal(err)
	}
	link := func(target, name string) {
		t.Helper()
		os.Remove(name)
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}
	link(h11, filepath.Join(model, "model.pth"))
	link(h11cfg, filepath.Join(model, "config.json"))
	link(inputs, filepath.Join(set, "inputs.npy"))
	link(labels, filepath.Join(set, "labels.npy"))
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"config", []string{"compare", "--set", set, "--max-config-bytes", "1KiB"},
			[]string{"set " + set + ": ART_STPN_h11/config.json: file is 2644 bytes, more than the 1024 allowed (--max-config-bytes)"}},
		{"inputs", []string{"compare", "--set", set, "--max-input-bytes", "1KiB"},
			[]string{"set " + set + ": inputs.npy", "more than the 1024 allowed (--max-input-bytes)"}},
		{"inputs of breakeven", []string{"breakeven", "--set", set, "--max-input-bytes", "50000"},
			[]string{"set " + set + ": inputs.npy", "more than the 50000 allowed (--max-input-bytes)"}},
		{"checkpoint", []string{"compare", "--set", set, "--max-checkpoint-bytes", "1KiB"},
			[]string{"checkpoint " + filepath.Join(set, "ART_STPN_h11", "model.pth"), "more than the 1024 allowed (--max-checkpoint-bytes)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tt.args...)
			if code != 1 || stdout != "" {
				t.Errorf("exit %d, want 1 (stdout %q)", code, stdout)
			}
			oneLine(t, stderr, tt.want...)
		})
	}
	if code, _, stderr := runCLI(t, "compare", "--set", set); code != 0 {
		t.Fatalf("the set within its caps: exit %d, %s", code, stderr)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		link("/dev/zero", filepath.Join(model, "model.pth"))
		code, _, stderr := runCLI(t, "compare", "--set", set)
		if code != 1 {
			t.Errorf("model.pth → /dev/zero: exit %d", code)
		}
		oneLine(t, stderr, "model.pth: unknown format")
		link(h11, filepath.Join(model, "model.pth"))
		link("/dev/zero", filepath.Join(model, "config.json"))
		code, _, stderr = runCLI(t, "compare", "--set", set)
		if code != 1 {
			t.Errorf("config.json → /dev/zero: exit %d", code)
		}
		oneLine(t, stderr, "ART_STPN_h11/config.json: more than the 1048576 bytes allowed (--max-config-bytes)")
		// A sweep reads a set through the same caps.
		spec := testutil.WriteFile(t, t.TempDir(), "s.yaml", []byte("name: s\nmodels: {set: "+set+"}\ndesign: paper\naxes: {synapse.levels: [0]}\n"))
		code, _, stderr = runCLI(t, "sweep", spec, "--out", filepath.Join(t.TempDir(), "out"))
		if code != 1 || !strings.Contains(stderr, "config.json: more than the 1048576 bytes allowed") {
			t.Errorf("sweep, config.json → /dev/zero: exit %d, %s", code, stderr)
		}
	}
}

// Errors repeat names from files bounded: a 100 kB recurrent_unit or layer
// name, or tensor names of 100 kB each, gave error lines of 100 kB and more
// (40 names are listed: megabytes from a large checkpoint).
func TestLongNamesInErrors(t *testing.T) {
	dir := t.TempDir()
	long := strings.Repeat("A", 100_000)
	cfg, err := os.ReadFile(h11cfg)
	if err != nil {
		t.Fatal(err)
	}
	unit := testutil.WriteFile(t, dir, "unit.json", bytes.Replace(cfg, []byte(`"STPNr"`), []byte(`"`+long+`"`), 1))
	yaml := testutil.WriteFile(t, dir, "net.yaml", []byte("core: {unit: STPNr, prefix: "+long+", hidden_size: 11}\n"))
	header := map[string]any{}
	for i := range 3 {
		header[fmt.Sprint(i)+long] = map[string]any{"dtype": "F32", "shape": []int{1}, "data_offsets": []int{4 * i, 4*i + 4}}
	}
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	st := binary.LittleEndian.AppendUint64(nil, uint64(len(h)))
	st = append(append(st, h...), make([]byte, 12)...)
	names := testutil.WriteFile(t, dir, "names.safetensors", st)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"unit", []string{"energy", "--checkpoint", h11, "--config", unit}, "model.recurrent_unit: want a string of at most 200 bytes, found one of 100000"},
		{"prefix", []string{"energy", "--checkpoint", h11, "--config", yaml}, "core.prefix: want a string of at most 200 bytes, found one of 100000"},
		{"tensor names", []string{"energy", "--checkpoint", names, "--config", h11cfg}, `tensor "rnn.weight" is missing`},
	} {
		code, _, stderr := runCLI(t, tt.args...)
		if code != 1 || len(stderr) > 2000 {
			t.Errorf("%s: exit %d, %d bytes of error", tt.name, code, len(stderr))
		}
		oneLine(t, stderr, tt.want)
	}
}

// Malformed files are described in the file's terms, the same way on every
// run: gopickle's messages ended with a Go dump of the value concerned
// ("[]interface {}{(*types.List)(0xc000123450)}", an address that changed
// from run to run), and safetensors entries with Go's
// "cannot unmarshal number 1e400 into Go struct field safetensorsInfo.shape".
func TestMalformedFilesMessages(t *testing.T) {
	dir := t.TempDir()
	pkl := testutil.WriteFile(t, dir, "od.pth", hostile.TorchZip([]byte("\x80\x02ccollections\nOrderedDict\n]\x85R."), nil))
	header := []byte(`{"a":{"dtype":"F32","shape":[1e400],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[-1],"data_offsets":[4,8]}}`)
	data := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
	st := testutil.WriteFile(t, dir, "shape.safetensors", append(append(data, header...), make([]byte, 8)...))
	for _, tt := range []struct{ file, want string }{
		{pkl, "malformed pickle (OrderedDictClass.Call args not supported)"},
		{st, `safetensors tensor "a": shape holds number 1e400, want a list of integers`},
	} {
		_, _, first := runCLI(t, "inspect", tt.file)
		for range 5 {
			if _, _, again := runCLI(t, "inspect", tt.file); again != first {
				t.Errorf("%s: %q, then %q", tt.file, first, again)
			}
		}
		oneLine(t, first, tt.want)
		if strings.Contains(first, "0x") || strings.Contains(first, "Go ") || strings.Contains(first, "interface {}") {
			t.Errorf("%s: Go internals in %q", tt.file, first)
		}
	}
}
