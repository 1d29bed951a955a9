package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestShardOf(t *testing.T) {
	env := func(kv ...string) func(string) string {
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}
	cases := []struct {
		name      string
		flag      string
		shards    int
		shardsSet bool
		env       func(string) string
		i, n      int
		err       string
	}{
		{"none", "", 0, false, env(), 0, 1, ""},
		{"flag", "2/5", 0, false, env(), 2, 5, ""},
		{"flag wins over slurm", "1/2", 0, false, env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4"), 1, 2, ""},
		{"slurm", "", 0, false, env("SLURM_ARRAY_TASK_ID", "3", "SLURM_ARRAY_TASK_COUNT", "4"), 3, 4, ""},
		{"slurm from 1", "", 0, false, env("SLURM_ARRAY_TASK_ID", "4", "SLURM_ARRAY_TASK_MIN", "1", "SLURM_ARRAY_TASK_COUNT", "4"), 3, 4, ""},
		{"kubernetes", "", 3, true, env("JOB_COMPLETION_INDEX", "2"), 2, 3, ""},
		{"kubernetes without shards", "", 0, false, env("JOB_COMPLETION_INDEX", "2"), 0, 0, "give --shards n"},
		{"index too big", "", 2, true, env("JOB_COMPLETION_INDEX", "2"), 0, 0, "want 0 ≤ i < n"},
		{"flag out of range", "5/5", 0, false, env(), 0, 0, "want 0 ≤ i < n"},
		{"flag malformed", "2", 0, false, env(), 0, 0, "want i/n"},
		{"flag negative", "-1/3", 0, false, env(), 0, 0, "not a whole number"},
		{"shards alone", "", 4, true, env(), 0, 0, "which shard is this"},
		{"slurm disagrees with --shards", "", 3, true, env("SLURM_ARRAY_TASK_ID", "0", "SLURM_ARRAY_TASK_COUNT", "4"), 0, 0, "the Slurm array has 4 tasks"},
	}
	for _, c := range cases {
		i, n, err := shardOf(c.flag, c.shards, c.shardsSet, c.env)
		switch {
		case c.err != "" && (err == nil || !strings.Contains(err.Error(), c.err)):
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.err)
		case c.err == "" && (err != nil || i != c.i || n != c.n):
			t.Errorf("%s: %d/%d %v, want %d/%d", c.name, i, n, err, c.i, c.n)
		}
	}
}

// A sweep's line leads with its rows: the rate over the rows this run
// computed (not those found finished) and the time the run has left.
func TestMeterResults(t *testing.T) {
	var b bytes.Buffer
	clock := &fakeClock{t: time.Unix(0, 0), step: time.Second}
	m := &meter{w: &b, unit: "sequences", now: clock.now, delay: 0, start: clock.t}
	m.Tasks(12)
	m.Results("rows", 30, 10, 60)             // 20 rows computed
	m.Update("ART_STPN_h11 at point 4", 1, 4) // 1 s: 20 rows/s, 30 left: ~2 s
	if want := "\rneurosim: 30/60 rows (50%), 20 rows/s, ~2s left; 1/12 ART_STPN_h11 at point 4 1/4 sequences"; b.String() != want {
		t.Errorf("%q, want %q", b.String(), want)
	}
	b.Reset()
	m.Results("rows", 10, 10, 60) // only found rows: no rate yet
	m.Update("ART_LSTM_h9 at point 0", 1, 4)
	if want := "neurosim: 10/60 rows (16%); 2/12 ART_LSTM_h9 at point 0 1/4 sequences"; !strings.Contains(b.String(), want) {
		t.Errorf("%q, want %q", b.String(), want)
	}
	var none *meter
	none.Results("rows", 1, 0, 2) // not a terminal: nothing, no crash
}

const cliSpec = `name: cli
models: {set: embedded, only: [ART_STPN_h11]}
design: paper
axes:
  input.dac_energy: [0J, 1pJ]
  synapse.g_per_unit: [1S, 2S]
`

func writeSpec(t *testing.T, dir, text string) string {
	t.Helper()
	spec := filepath.Join(dir, "s.yaml")
	if err := os.WriteFile(spec, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return spec
}

// The sweep command end to end: shards, a merge that waits for the last,
// the table files and figures written together, and the messages of a bad
// spec.
func TestSweepCommand(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, dir, cliSpec)
	out := filepath.Join(dir, "res")
	code, _, stderr := runCLI(t, "sweep", spec, "--out", out, "--shard", "0/2")
	if code != 0 || !strings.Contains(stderr, "shard 0/2") || !strings.Contains(stderr, "neurosim sweep merge "+out) {
		t.Fatalf("shard 0: %d %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "sweep", "merge", out)
	if code != exitFailed || !strings.Contains(stderr, "rows are not computed yet") {
		t.Errorf("merge before the last shard: %d %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "sweep.csv")); err == nil {
		t.Error("a failed merge wrote sweep.csv")
	}
	if code, _, stderr = runCLI(t, "sweep", spec, "--out", out, "--shard", "1/2"); code != 0 {
		t.Fatalf("shard 1: %s", stderr)
	}
	plots := filepath.Join(dir, "plots", "new")
	code, stdout, stderr := runCLI(t, "sweep", "merge", out, "--plot-out", plots)
	if code != 0 || !strings.Contains(stdout, "J/inference") || !strings.Contains(stdout, "input.dac_energy (J)") {
		t.Fatalf("merge: %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"res/sweep.csv", "res/sweep.jsonl", "plots/new/pareto.svg", "plots/new/pareto.png", "plots/new/joules.svg",
		"plots/new/heatmap-accuracy-ART_STPN_h11.png", "plots/new/heatmap-energy-ART_STPN_h11.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// The table of an unsharded run is the merged one, byte for byte; its
	// CSV and JSON carry the version and design hash like the other outputs.
	one := filepath.Join(dir, "one")
	code, stdout, stderr = runCLI(t, "sweep", spec, "--out", one, "--format", "csv", "--quiet")
	if code != 0 || stderr != "" {
		t.Fatalf("unsharded: %d %s", code, stderr)
	}
	for _, f := range []string{"sweep.csv", "sweep.jsonl"} {
		if a, b := mustRead(t, filepath.Join(out, f)), mustRead(t, filepath.Join(one, f)); !bytes.Equal(a, b) {
			t.Errorf("%s differs between the sharded and the unsharded run", f)
		}
	}
	csv := string(mustRead(t, filepath.Join(one, "sweep.csv")))
	if stdout != csv || !strings.HasPrefix(csv, "# neurosim_version: ") || !strings.Contains(csv, "\n# design_hash: ") ||
		!strings.Contains(csv, ",total_J_low,total_J_high,mean_per_sequence_J_low,") || !strings.Contains(csv, ",accuracy_low,accuracy_high,") {
		t.Errorf("CSV:\n%s", csv)
	}
	jsonl := string(mustRead(t, filepath.Join(one, "sweep.jsonl")))
	if !strings.Contains(jsonl, `"accuracy":{"low":`) || !strings.Contains(jsonl, `"design_hash":"`) || strings.Count(jsonl, "\n") != 4 {
		t.Errorf("JSON Lines:\n%s", jsonl)
	}

	spec = writeSpec(t, dir, "name: cli\nmodels: {set: embedded}\ndesign: paper\naxes:\n  input.v_read: [1V, 2uS]\n")
	code, _, stderr = runCLI(t, "sweep", spec, "--out", out)
	if code != exitFailed || !strings.Contains(stderr, "s.yaml:5: axes: input.v_read") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("bad spec: %d %q", code, stderr)
	}
}

// Flags are checked like the other commands': exit 2, one line, before
// the spec is read.
func TestSweepFlags(t *testing.T) {
	spec := writeSpec(t, t.TempDir(), cliSpec)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", spec, "--shard", "3"}, `--shard "3": want i/n`},
		{[]string{"sweep", spec, "--workers", "-1"}, "--workers -1"},
		{[]string{"sweep", spec, "--format", "jsno"}, "did you mean json?"},
		{[]string{"sweep", spec, "--shard", "0/2", "--plot-out", "p"}, "--plot-out: shard 0/2 does not merge"},
		{[]string{"sweep", spec, "--shard", "1/2", "-o", "t.txt"}, "--output: shard 1/2 does not merge"},
		{[]string{"sweep"}, "accepts 1 arg"},
		{[]string{"sweep", "merge", "d", "--format", "xml"}, `--format "xml"`},
		{[]string{"report", "--sweep", "d", "--design", "pcm"}, "--set, --models and --design go without it"},
		{[]string{"report", "--design", "rram"}, "did you mean rram-neurosim or rram-neurram?"},
	} {
		code, stdout, stderr := runCLI(t, tt.args...)
		if code != exitUsage || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line with %q", tt.args, code, stderr, tt.want)
		}
	}
}

// Output paths are checked before anything runs, and refused when they
// name an input; a sweep's outputs are one transaction.
func TestSweepOutputs(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, dir, cliSpec)
	out := filepath.Join(dir, "res")
	notDir := filepath.Join(dir, "file")
	os.WriteFile(notDir, nil, 0o644)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"-o is the spec", []string{"-o", spec}, "is an input of this run"},
		{"--plot-out is a file", []string{"--plot-out", notDir}, "(--plot-out): is not a directory"},
		{"--out is a file", []string{"--out", notDir}, "(--out): is not a directory"},
		{"-o in no directory", []string{"-o", "/nonexistent/t.txt"}, "directory /nonexistent does not exist"},
	} {
		code, _, stderr := runCLI(t, append([]string{"sweep", spec, "--out", out}, tt.args...)...)
		if code != exitFailed || !strings.Contains(stderr, tt.want) {
			t.Errorf("%s: exit %d, %q; want 1 and %q", tt.name, code, stderr, tt.want)
		}
		if _, err := os.Stat(filepath.Join(out, "points")); err == nil {
			t.Fatalf("%s: the sweep ran", tt.name)
		}
	}
	// A table file that cannot be replaced (a directory in its place)
	// fails the merge: neither the other table file nor the report appear.
	if code, _, stderr := runCLI(t, "sweep", spec, "--out", out, "--quiet"); code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	os.Remove(filepath.Join(out, "sweep.jsonl"))
	os.Mkdir(filepath.Join(out, "sweep.jsonl"), 0o755)
	report := filepath.Join(dir, "t.txt")
	check := prior(t, report, filepath.Join(out, "sweep.csv"))
	code, _, stderr := runCLI(t, "sweep", "merge", out, "-o", report)
	if code != exitFailed || !strings.Contains(stderr, "sweep.jsonl") || !strings.Contains(stderr, "is a directory") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	check()
}

// Ctrl-C stops a sweep with exit 130 and keeps the rows it finished; the
// same command then resumes and computes only the others.
func TestSweepInterruptedResumes(t *testing.T) {
	dir := t.TempDir()
	// Two simulations (g_per_unit is a device figure), two rows each.
	spec := writeSpec(t, dir, cliSpec)
	out := filepath.Join(dir, "res")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	afterRows = func(done int) {
		if done == 2 { // the first simulation's rows are written
			cancel()
		}
	}
	t.Cleanup(func() { afterRows = nil })
	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"sweep", spec, "--out", out, "--workers", "1"}, &stdout, &stderr)
	if code != exitInterrupt || stdout.Len() > 0 || !strings.Contains(stderr.String(), "the finished rows stay in "+out) {
		t.Fatalf("exit %d, stdout %q, stderr %q; want 130 and the rows kept", code, stdout.String(), stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "sweep.csv")); err == nil {
		t.Error("an interrupted sweep wrote its table")
	}
	afterRows = nil
	code, _, errs := runCLI(t, "sweep", spec, "--out", out)
	if code != 0 || !strings.Contains(errs, "4 rows: 2 found finished, 2 computed from 1 simulations") {
		t.Errorf("resumed: exit %d, %q", code, errs)
	}
}

func TestReportCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "r.html")
	code, _, stderr := runCLI(t, "report", "--design", "paper", "-o", out)
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	html := string(mustRead(t, out))
	for _, want := range []string{"<svg", "neurosim report --design paper -o " + out, "ART_STPN_h11", "Energy and accuracy per model"} {
		if !strings.Contains(html, want) {
			t.Errorf("report has no %q", want)
		}
	}
	// A sweep's report, on stdout without -o.
	spec := writeSpec(t, dir, cliSpec)
	res := filepath.Join(dir, "res")
	if code, _, stderr := runCLI(t, "sweep", spec, "--out", res, "--quiet"); code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "report", "--sweep", res)
	if code != 0 || !strings.HasPrefix(stdout, "<!DOCTYPE html>") || !strings.Contains(stdout, "neurosim sweep cli") {
		t.Errorf("sweep report: %d %q %.200q", code, stderr, stdout)
	}
	if code, _, stderr := runCLI(t, "report", "--sweep", filepath.Join(dir, "none")); code != exitFailed || !strings.Contains(stderr, "no plan.json") {
		t.Errorf("no sweep: %d %q", code, stderr)
	}
}

// The files a spec names are read through the same caps as the commands'
// flags: a checkpoint over --max-checkpoint-bytes is refused, naming the
// spec's line, before anything runs.
func TestSweepReaderCaps(t *testing.T) {
	dir := t.TempDir()
	spec := writeSpec(t, dir, "name: caps\nmodels:\n  - checkpoint: "+h11+"\ninputs: {inputs: "+inputs+", labels: "+labels+"}\n"+
		"design: paper\naxes:\n  input.dac_energy: [0J, 1pJ]\n")
	code, _, stderr := runCLI(t, "sweep", spec, "--out", filepath.Join(dir, "res"), "--max-checkpoint-bytes", "1KiB")
	if code != exitFailed || !strings.Contains(stderr, "s.yaml:3: models: checkpoint "+h11+": file is") ||
		!strings.Contains(stderr, "more than the 1024 allowed") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	code, _, stderr = runCLI(t, "sweep", spec, "--out", filepath.Join(dir, "res"), "--max-input-bytes", "1KiB")
	if code != exitFailed || !strings.Contains(stderr, "inputs: "+inputs+": file is") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	if code, _, stderr = runCLI(t, "sweep", spec, "--out", filepath.Join(dir, "res"), "--quiet"); code != 0 {
		t.Errorf("within the caps: exit %d, %q", code, stderr)
	}
}
