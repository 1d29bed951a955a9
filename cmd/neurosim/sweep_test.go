package main

import (
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

func TestProgressLine(t *testing.T) {
	got := progressLine(30, 60, 20, 4*time.Second) // 20 computed in 4 s: 5 rows/s, 30 left: 6 s
	if want := "neurosim sweep: 30/60 rows (50%), 5 rows/s, ETA 6s"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
	if got := progressLine(10, 60, 0, time.Second); got != "neurosim sweep: 10/60 rows (16%)" {
		t.Errorf("nothing computed yet: %q", got)
	}
	var m *rowMeter // not a terminal: draws nothing, does not crash
	m.Update(1, 0, 2)
	m.Finish()
}

// The sweep command end to end: a spec on the embedded set, shards, merge,
// figures, and the messages of a bad spec and an unfinished merge.
func TestSweepCommand(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "s.yaml")
	os.WriteFile(spec, []byte(`name: cli
models: {set: embedded, only: [ART_STPN_h11]}
design: paper
axes:
  input.dac_energy: [0J, 1pJ]
  synapse.g_per_unit: [1S, 2S]
`), 0o644)
	out := filepath.Join(dir, "res")
	code, _, stderr := runCLI(t, "sweep", spec, "--out", out, "--shard", "0/2")
	if code != 0 || !strings.Contains(stderr, "shard 0/2") {
		t.Fatalf("shard 0: %d %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "sweep", "merge", out)
	if code != 1 || !strings.Contains(stderr, "rows are not computed yet") {
		t.Errorf("merge before the last shard: %d %s", code, stderr)
	}
	if code, _, stderr = runCLI(t, "sweep", spec, "--out", out, "--shard", "1/2"); code != 0 {
		t.Fatalf("shard 1: %s", stderr)
	}
	plots := filepath.Join(dir, "plots")
	code, stdout, stderr := runCLI(t, "sweep", "merge", out, "--plot-out", plots)
	if code != 0 || !strings.Contains(stdout, "J/inference") || !strings.Contains(stdout, "input.dac_energy (J)") {
		t.Fatalf("merge: %d\n%s\n%s", code, stdout, stderr)
	}
	for _, f := range []string{"res/sweep.csv", "res/sweep.jsonl", "plots/pareto.svg", "plots/pareto.png", "plots/joules.svg",
		"plots/heatmap-accuracy-ART_STPN_h11.png", "plots/heatmap-energy-ART_STPN_h11.svg"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	os.WriteFile(spec, []byte("name: cli\nmodels: {set: embedded}\ndesign: paper\naxes:\n  input.v_read: [1V, 2uS]\n"), 0o644)
	code, _, stderr = runCLI(t, "sweep", spec, "--out", out)
	if code != 1 || !strings.Contains(stderr, "s.yaml:5: axes: input.v_read") || strings.Count(stderr, "\n") != 1 {
		t.Errorf("bad spec: %d %q", code, stderr)
	}
	if code, _, _ = runCLI(t, "sweep", spec, "--shard", "3"); code != 2 {
		t.Errorf("--shard 3: exit %d, want 2", code)
	}
}

func TestReportCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "r.html")
	code, _, stderr := runCLI(t, "report", "--design", "paper", "-o", out)
	if code != 0 {
		t.Fatalf("%d %s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "neurosim report --design paper --output", "ART_STPN_h11", "Energy and accuracy per model"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("report has no %q", want)
		}
	}
	if code, _, _ := runCLI(t, "report"); code != 2 {
		t.Errorf("no -o: exit %d, want 2", code)
	}
}
