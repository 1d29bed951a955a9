package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/internal/testutil"
)

// Flag values out of range or unknown: exit status 2, one line, and a
// suggestion where one helps.
func TestFlagValues(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"energy", "--checkpoint", h11, "--workers", "-3"}, "--workers -3: want 0 (all CPUs) or a positive number"},
		{[]string{"compare", "--workers", "-1"}, "--workers -1"},
		{[]string{"breakeven", "--workers", "-2"}, "--workers -2"},
		{[]string{"energy", "--checkpoint", h11, "--art-n", "-1"}, "--art-n -1: want 1 to"},
		{[]string{"energy", "--checkpoint", h11, "--art-n", "0"}, "--art-n 0: want 1 to"},
		{[]string{"energy", "--checkpoint", h11, "--art-n", "99999999"}, "--art-n 99999999: want 1 to"},
		{[]string{"energy", "--checkpoint", h11, "--art-seed", "-1"}, "invalid argument"},
		{[]string{"energy", "--checkpoint", h11, "--inputs", inputs, "--art-n", "5"}, "--art-n and --art-seed set the built-in ART generator"},
		{[]string{"energy", "--checkpoint", h11, "--format", "xml"}, `--format "xml": want table, json or csv`},
		{[]string{"compare", "--format", "jsno"}, "did you mean json?"},
		{[]string{"inspect", "--format", "csv", h11}, `--format "csv": want table or json`},
		{[]string{"energy", "--checkpoint", h11, "--design", "rram"}, "did you mean rram-neurosim or rram-neurram?"},
		{[]string{"compare", "--design", "PCM"}, "did you mean pcm?"},
		{[]string{"breakeven", "--design", "loihy"}, "did you mean loihi?"},
		{[]string{"designs", "show", "rram"}, "did you mean rram-neurosim or rram-neurram?"},
		{[]string{"energy", "--checkpoint", h11, "--design", "nothing-like-it"}, "presets: paper, rram-neurosim"},
		{[]string{"energy"}, "--checkpoint is required"},
		{[]string{"energy", "--checkpoint", h11, "--workers", "x"}, "invalid argument"},
		{[]string{"compare", "-x"}, "unknown shorthand flag"},
		{[]string{"version", "extra"}, "unknown command"},
	} {
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != exitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", tt.args, code, stderr, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	presets := []string{"paper", "rram-neurosim", "rram-neurram", "pcm", "loihi", "biology"}
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"rram", []string{"rram-neurosim", "rram-neurram"}},
		{"neurram", []string{"rram-neurram"}},
		{"papr", []string{"paper"}},
		{"BIOLOGY", []string{"biology"}},
		{"x", nil},
		{"", nil},
	} {
		if got := suggest(tt.in, presets); !slices.Equal(got, tt.want) {
			t.Errorf("suggest(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if or([]string{"a", "b", "c"}) != "a, b or c" || distance("kitten", "sitting") != 3 || distance("jsno", "json") != 1 {
		t.Error("or/distance")
	}
}

// version prints the module, Go version, and outputs record the same
// version string.
func TestVersion(t *testing.T) {
	code, out, stderr := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(out, "neurosim ") || !strings.Contains(out, "module   github.com/neurosim/neurosim") ||
		!strings.Contains(out, "go       go1.") {
		t.Fatalf("exit %d %s\n%s", code, stderr, out)
	}
	code, out, _ = runCLI(t, "compare", "--format", "json")
	var c struct{ Meta export.Meta }
	if code != 0 || json.Unmarshal([]byte(out), &c) != nil || c.Meta.Version != versionString() || c.Meta.Version == "" ||
		c.Meta.Command != "neurosim compare --format json" || len(c.Meta.DesignHash) != 64 {
		t.Errorf("meta %+v", c.Meta)
	}
}

func TestBuildString(t *testing.T) {
	for _, tt := range []struct {
		b    build
		want string
	}{
		{build{Version: "(devel)"}, "(devel)"},
		{build{Version: "(devel)", Revision: "ec3b8c80b146ac135cafcfb56dced1e386b7d635"}, "(devel) ec3b8c80b146"},
		{build{Version: "(devel)", Revision: "ec3b8c80b146ac13", Modified: true}, "(devel) ec3b8c80b146+dirty"},
		{build{Version: "v0.0.0-20261130235636-ec3b8c80b146+dirty", Revision: "ec3b8c80b146ac13", Modified: true},
			"v0.0.0-20261130235636-ec3b8c80b146+dirty"},
		{build{Version: "v1.2.0", Revision: "ec3b8c80b146ac13"}, "v1.2.0"},
	} {
		if got := tt.b.String(); got != tt.want {
			t.Errorf("%+v: %q, want %q", tt.b, got, tt.want)
		}
	}
}

func TestCommandLine(t *testing.T) {
	got := commandLine([]string{"energy", "--checkpoint", "my model.pth", "--set", "it's", "-o", "a=b/c.json"})
	if want := `neurosim energy --checkpoint 'my model.pth' --set 'it'\''s' -o a=b/c.json`; got != want {
		t.Errorf("commandLine = %s, want %s", got, want)
	}
}

// Shell completion: the completion command, preset names for --design,
// format values, and file extensions for file flags.
func TestCompletion(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want []string
	}{
		{[]string{"__complete", "energy", "--design", ""}, []string{"paper", "rram-neurosim", "pcm", "biology"}},
		{[]string{"__complete", "compare", "--format", ""}, []string{"table", "json", "csv", ":4"}},
		{[]string{"__complete", "inspect", "--format", ""}, []string{"table", "json"}},
		{[]string{"__complete", "energy", "--checkpoint", ""}, []string{"pth", "safetensors", "npz", ":8"}},
		{[]string{"__complete", "energy", "--inputs", ""}, []string{"npy", ":8"}},
		{[]string{"__complete", "energy", "--trace-out", ""}, []string{"csv", ":8"}},
		{[]string{"__complete", "compare", "--set", ""}, []string{":16"}},
		{[]string{"__complete", "designs", "show", ""}, []string{"loihi"}},
		{[]string{"__complete", ""}, []string{"energy", "compare", "breakeven", "version", "completion"}},
	} {
		code, out, stderr := runCLI(t, tt.args...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		for _, w := range tt.want {
			if code != 0 || !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, w) }) {
				t.Errorf("%v: no %q in\n%s%s", tt.args, w, out, stderr)
			}
		}
	}
	if code, out, _ := runCLI(t, "__complete", "inspect", "--format", ""); code != 0 || strings.Contains(out, "csv") {
		t.Errorf("inspect offers csv:\n%s", out)
	}
	for _, shell := range []string{"bash", "zsh", "fish"} {
		if code, out, stderr := runCLI(t, "completion", shell); code != 0 || !strings.Contains(out, "neurosim") {
			t.Errorf("completion %s: exit %d %s", shell, code, stderr)
		}
	}
}

func maxWidth(s string) int {
	m := 0
	for _, l := range strings.Split(s, "\n") {
		m = max(m, utf8.RuneCountInString(l))
	}
	return m
}

// Every table fits 100 columns by default, --wide lifts the limit, and a
// locale that is not UTF-8 gets ASCII.
func TestTablesFit(t *testing.T) {
	for _, args := range [][]string{
		{"designs"}, {"breakeven", "--design", "rram-neurosim"}, {"compare", "--design", "rram-neurosim"},
		{"compare"}, {"energy", "--checkpoint", testdataModel("ART_FW_S1_h20"), "--design", "pcm", "--art-n", "16"},
		{"inspect", h11},
	} {
		code, out, stderr := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("%v: %s", args, stderr)
		}
		if args[0] == "inspect" { // its title line names the file (export/inspect.go); its table must fit
			out = tableLines(out)
		}
		if w := maxWidth(out); w > 100 {
			t.Errorf("%v: %d columns:\n%s", args, w, out)
		}
		_, wide, _ := runCLI(t, append(args, "--wide")...)
		if args[0] != "inspect" && args[0] != "compare" && maxWidth(wide) <= 100 {
			t.Errorf("%v --wide: %d columns", args, maxWidth(wide))
		}
	}
	for _, locale := range []string{"C", "POSIX", "en_US.ISO-8859-1"} {
		t.Setenv("LC_ALL", locale)
		_, out, _ := runCLI(t, "compare", "--design", "rram-neurosim")
		for i := 0; i < len(out); i++ {
			if out[i] >= utf8.RuneSelf {
				t.Fatalf("LC_ALL=%s: non-ASCII output:\n%s", locale, out)
			}
		}
		if !strings.Contains(out, "+--") || !strings.Contains(out, " nJ ...") {
			t.Errorf("LC_ALL=%s:\n%s", locale, out)
		}
	}
	// In ASCII every table and text still fits 100 columns (the spellings
	// are longer than the characters they replace: … is ..., Σ is "sum "),
	// and no command prints a character outside ASCII: τ, ÷, → and the
	// presets' superscripts included.
	t.Setenv("LC_ALL", "C")
	for _, args := range [][]string{
		{"designs"}, {"breakeven", "--design", "rram-neurosim"}, {"compare", "--design", "pcm"},
		{"compare"}, {"energy", "--checkpoint", h11, "--design", "stp-diffusive", "--art-n", "16", "--rate", "1kHz"},
		{"energy", "--checkpoint", testutil.Testdata("rl", "PONG_RNN", "model.pth"),
			"--inputs", testutil.Testdata("rl", "observations_PONG.npy"), "--design", "rram-neurram"},
		{"feasibility", "--versus", "ART_LSTM_h9", "--writes", "1fJ,1pJ,2", "--taus", "1ms,10ms,2"},
		{"inspect", h11},
	} {
		code, out, stderr := runCLI(t, args...)
		if code != 0 {
			t.Fatalf("LC_ALL=C %v: %s", args, stderr)
		}
		if w := maxWidth(out); w > 100 {
			t.Errorf("LC_ALL=C %v: %d columns:\n%s", args, w, out)
		}
		for i := 0; i < len(out); i++ {
			if out[i] >= utf8.RuneSelf {
				t.Fatalf("LC_ALL=C %v: non-ASCII output:\n%s", args, out)
			}
		}
	}
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_CTYPE", "")
	t.Setenv("LANG", "de_DE.utf8")
	if _, out, _ := runCLI(t, "designs"); !strings.Contains(out, "┌") {
		t.Errorf("LANG=de_DE.utf8 without box drawing:\n%s", out)
	}
}

func tableLines(s string) string {
	var t []string
	for _, l := range strings.Split(s, "\n") {
		if strings.ContainsAny(l[:min(len(l), 3)], "│┌├└") {
			t = append(t, l)
		}
	}
	return strings.Join(t, "\n")
}

func testdataModel(name string) string {
	return filepath.Join(filepath.Dir(h11), "..", name, "model.pth")
}

// energy and compare say which inputs they ran (and why they differ).
func TestInputsNamed(t *testing.T) {
	_, out, _ := runCLI(t, "energy", "--checkpoint", h11, "--art-n", "8", "--wide")
	if !strings.Contains(out, "built-in ART generator") || !strings.Contains(out, "art(n=8, seed=0)") {
		t.Errorf("energy does not name the generator:\n%s", out)
	}
	_, out, _ = runCLI(t, "compare", "--wide")
	if !strings.Contains(out, "embedded in the binary") {
		t.Errorf("compare does not name its set:\n%s", out)
	}
	_, out, _ = runCLI(t, "energy", "--help")
	if !strings.Contains(out, "Why energy and compare give different numbers") {
		t.Error("energy --help does not say why it differs from compare")
	}
	for _, cmd := range []string{"compare", "breakeven", "energy"} {
		_, out, _ := runCLI(t, cmd, "--help")
		if !strings.Contains(out, "Exit status: 0 success") {
			t.Errorf("%s --help does not give the exit statuses:\n%s", cmd, out)
		}
	}
}

// What a user reads — every command's help and every preset's sources — names
// no file outside a clone of the repository: not the shared reference folder
// beside the checkout, nor the project notes the presets were collected from.
func TestTextNamesNoFileOutsideTheRepo(t *testing.T) {
	var texts [][]string
	for _, cmd := range [][]string{{"compare"}, {"energy"}, {"breakeven"}, {"feasibility"},
		{"inspect"}, {"designs"}, {"designs", "show"}, {"sweep"}, {"sweep", "merge"},
		{"report"}, {"version"}, {"completion"}} {
		texts = append(texts, append(cmd, "--help"))
	}
	for _, name := range design.PresetNames() {
		texts = append(texts, []string{"designs", "show", name})
	}
	texts = append(texts, []string{"designs", "--wide"})
	for _, args := range texts {
		code, out, errb := runCLI(t, args...)
		if code != 0 {
			t.Errorf("%v: exit %d: %s", args, code, errb)
		}
		for _, bad := range []string{"../", "/shared", "PRESETS.md", "DESIGN.md"} {
			if strings.Contains(out, bad) {
				t.Errorf("%v names %q, which a clone does not have:\n%s", args, bad, out)
			}
		}
	}
}

// CSV headers are the same whatever the design.
func TestCSVHeadersDoNotDependOnDesign(t *testing.T) {
	header := func(args ...string) string {
		code, out, stderr := runCLI(t, args...)
		if code != 0 {
			t.Fatal(stderr)
		}
		for _, l := range strings.Split(out, "\n") {
			if !strings.HasPrefix(l, "#") {
				return l
			}
		}
		return ""
	}
	for _, args := range [][]string{
		{"energy", "--checkpoint", h11, "--inputs", inputs, "--format", "csv", "--design"},
		{"compare", "--format", "csv", "--design"},
	} {
		if a, b := header(append(args, "paper")...), header(append(args, "rram-neurosim")...); a != b || a == "" {
			t.Errorf("%v: headers differ:\n%s\n%s", args, a, b)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the ticker goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

// fakeClock advances by step at each reading.
type fakeClock struct {
	t    time.Time
	step time.Duration
}

func (c *fakeClock) now() time.Time { c.t = c.t.Add(c.step); return c.t }

// The meter stays silent for a second, then draws one line, redrawn in place,
// and clears it when done.
func TestMeter(t *testing.T) {
	var b bytes.Buffer
	clock := &fakeClock{t: time.Unix(0, 0), step: 300 * time.Millisecond}
	m := &meter{w: &b, unit: "sequences", now: clock.now, delay: time.Second, start: clock.t}
	m.Tasks(2)
	m.Update("ART_STPN_h11", 1, 4) // 0.3 s
	m.Update("ART_STPN_h11", 2, 4) // 0.6 s
	m.Update("ART_STPN_h11", 3, 4) // 0.9 s
	if b.Len() != 0 {
		t.Fatalf("drawn before a second: %q", b.String())
	}
	m.Update("ART_STPN_h11", 4, 4) // 1.2 s
	if !strings.Contains(b.String(), "\rneurosim: 1/2 ART_STPN_h11 4/4 sequences (100%)") {
		t.Errorf("line %q", b.String())
	}
	m.Update("ART_STPN_h11", 1, 4) // its second corner
	if !strings.Contains(b.String(), "1/2 ART_STPN_h11 pass 2: 1/4 sequences (25%)") {
		t.Errorf("second pass %q", b.String())
	}
	m.Update("ART_LSTM_h9", 1, 4)
	if !strings.Contains(b.String(), "2/2 ART_LSTM_h9 1/4 sequences (25%)") {
		t.Errorf("second task %q", b.String())
	}
	m.Finish()
	if !strings.HasSuffix(b.String(), "\r") || strings.Count(b.String(), "\r") < 3 {
		t.Errorf("not cleared: %q", b.String())
	}
	// Without a number of tasks, a count that goes down is the next pass;
	// the time left is extrapolated from the pass's rate: 4 of 8 done in
	// 1.2 s of fake time → about 1.2 s for the 4 left.
	b.Reset()
	clock.step = 600 * time.Millisecond
	m = &meter{w: &b, unit: "sequences", now: clock.now, delay: 0, start: clock.t}
	m.Update("", 8, 8) // +0.6 s
	m.Update("", 1, 8) // +1.2 s: pass 2 starts
	m.Update("", 2, 8) // +1.8 s
	m.Update("", 4, 8) // +2.4 s
	m.Update("", 3, 8) // late report of a worker: ignored
	if !strings.Contains(b.String(), "pass 2: 2/8 sequences (25%)") || !strings.HasSuffix(b.String(), "pass 2: 4/8 sequences (50%), 2s elapsed, ~1s left") {
		t.Errorf("second pass: %q", b.String())
	}
	// The ticker draws while nothing reports ("preparing").
	b.Reset()
	tb := &syncBuffer{}
	m = &meter{w: tb, unit: "sequences", now: time.Now, start: time.Now(), stop: make(chan struct{})}
	go m.tick(m.stop, time.Millisecond)
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(tb.String(), "preparing") && time.Now().Before(deadline); {
		time.Sleep(time.Millisecond)
	}
	m.Finish()
	if !strings.Contains(tb.String(), "neurosim: preparing") {
		t.Errorf("ticker drew %q", tb.String())
	}
	// A nil meter (not a terminal, --quiet) does nothing.
	var none *meter
	none.Tasks(1)
	none.Update("x", 1, 1)
	none.Finish()
	if none.Sequences("x") != nil {
		t.Error("nil meter gave a callback")
	}
	c := &cli{stderr: &b, quiet: false}
	if c.newMeter("sequences") != nil {
		t.Error("a meter on a buffer, which is not a terminal")
	}
	f, err := os.Open(os.DevNull)
	if err == nil {
		c.stderr = f
		if c.newMeter("sequences") != nil {
			t.Error("a meter on /dev/null")
		}
		f.Close()
	}
}

// Names taken from files — tensor names, a set's folder names — reach
// tables with their control characters escaped: an ESC sequence in a
// tensor name cleared the terminal (and CR, newlines and bidirectional
// overrides rewrote what a table showed).
func TestControlCharactersInTables(t *testing.T) {
	dir := t.TempDir()
	evil := "evil\x1b[2J\r\n\u202ex.weight_lambda"
	header, err := json.Marshal(map[string]any{evil: map[string]any{"dtype": "F32", "shape": []int{1}, "data_offsets": []int{0, 4}}})
	if err != nil {
		t.Fatal(err)
	}
	file := []byte{byte(len(header)), 0, 0, 0, 0, 0, 0, 0}
	file = append(append(file, header...), 0, 0, 0xc0, 0x3f) // 1.5 as float32
	st := testutil.WriteFile(t, dir, "evil.safetensors", file)
	code, out, errs := runCLI(t, "inspect", st)
	if code != 0 {
		t.Fatalf("inspect: exit %d, %s", code, errs)
	}
	set := filepath.Join(dir, "set")
	model := filepath.Join(set, "evil\x1b]0;title\a")
	if err := os.MkdirAll(model, 0o755); err != nil {
		t.Fatal(err)
	}
	for target, name := range map[string]string{h11: filepath.Join(model, "model.pth"), h11cfg: filepath.Join(model, "config.json"),
		inputs: filepath.Join(set, "inputs.npy"), labels: filepath.Join(set, "labels.npy")} {
		if err := os.Symlink(target, name); err != nil {
			t.Fatal(err)
		}
	}
	code, cmp, errs := runCLI(t, "compare", "--set", set, "--wide")
	if code != 0 {
		t.Fatalf("compare: exit %d, %s", code, errs)
	}
	for what, s := range map[string]string{"inspect": out, "compare": cmp} {
		if strings.ContainsAny(s, "\x1b\r\a\u202e") {
			t.Errorf("%s writes control characters:\n%q", what, s)
		}
	}
	if !strings.Contains(out, `\x1b[2J\r\n\u202ex.weight_lambda: 1 of 1 decay factors`) {
		t.Errorf("inspect does not show the name escaped:\n%s", out)
	}
	if !strings.Contains(cmp, `evil\x1b]0;title\a`) {
		t.Errorf("compare does not show the folder escaped:\n%s", cmp)
	}
}

// A config saved with a UTF-8 byte-order mark (as Windows editors write
// JSON) reads as without it; it was refused as "not valid JSON: invalid
// character 'ï' looking for beginning of value", a character the file does
// not show.
func TestConfigWithByteOrderMark(t *testing.T) {
	cfg, err := os.ReadFile(h11cfg)
	if err != nil {
		t.Fatal(err)
	}
	bom := testutil.WriteFile(t, t.TempDir(), "config.json", append([]byte("\ufeff"), cfg...))
	args := []string{"energy", "--checkpoint", h11, "--inputs", inputs, "--format", "csv"}
	code, with, stderr := runCLI(t, append(args, "--config", bom)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	_, without, _ := runCLI(t, append(args, "--config", h11cfg)...)
	// The rows, after the metadata (whose command line differs).
	rows := func(s string) string { return s[strings.Index(s, "\nsequence,"):] }
	if rows(with) != rows(without) {
		t.Error("the report differs with a byte-order mark")
	}
}
