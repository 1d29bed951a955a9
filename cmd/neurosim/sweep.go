package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/sweep"
)

func newSweep(stdout, stderr io.Writer) *cobra.Command {
	var (
		out, shard, format, plotOut string
		shards                      int
		opt                         sweep.RunOptions
	)
	cmd := &cobra.Command{
		Use:   "sweep SPEC.yaml [--out DIR] [--shard i/n]",
		Short: "Explore a design space: every point × model × seed, joules, accuracy, Pareto front",
		Long: `sweep evaluates every point of a design space (axes over any design figure, by
its dotted key) for every model and Monte-Carlo seed of a spec, and writes one row
each: the axis values, joules by category, J per inference, the paper's energy,
accuracy, λ outside [0, 1], the design hash, and Pareto flags of energy against
accuracy. The spec format is in 'go doc github.com/neurosim/neurosim/sweep'.

Results go to a folder (--out, default NAME.sweep): plan.json, then one file per
row named by its content hash, written as soon as it is priced. A rerun skips
finished rows, so a killed run resumes where it stopped. Rows that differ only in
prices (design.KeyRole) are priced from one simulation.

--shard i/n runs a deterministic share (default from SLURM_ARRAY_TASK_ID and
SLURM_ARRAY_TASK_COUNT, or from JOB_COMPLETION_INDEX with --shards n on a
Kubernetes Indexed Job); 'neurosim sweep merge DIR' then writes the table. An
unsharded run merges at the end: DIR/sweep.csv and DIR/sweep.jsonl, and the table
on stdout. The merged table is byte-identical whatever the sharding, workers or
interruptions.`,
		Example: `  neurosim sweep examples/levels-noise.yaml --plot-out out/
  sbatch --array=0-7 --wrap 'neurosim sweep spec.yaml --out /shared/run1'
  neurosim sweep merge /shared/run1 --plot-out out/`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			f, err := export.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			opt.Shard, opt.Shards, err = shardOf(shard, shards, cmd.Flags().Changed("shards"), os.Getenv)
			if err != nil {
				return usageError{err}
			}
			spec, err := sweep.LoadSpec(a[0])
			if err != nil {
				return err
			}
			sw, err := sweep.Prepare(spec, sweep.Options{Embedded: neurosim.ReferenceART()})
			if err != nil {
				return err
			}
			if out == "" {
				out = spec.Name + ".sweep"
			}
			opt.Version = buildVersion()
			bar := newRowMeter(stderr)
			opt.Progress = bar.Update
			st, err := sw.Run(cmd.Context(), out, opt)
			bar.Finish()
			if err != nil {
				return err
			}
			fmt.Fprintf(stderr, "neurosim: sweep %s: shard %d/%d: %d rows: %d found finished, %d computed from %d simulations\n",
				spec.Name, opt.Shard, opt.Shards, st.Rows, st.Found, st.Computed, st.Simulations)
			if opt.Shards > 1 {
				fmt.Fprintf(stderr, "neurosim: when every shard is done: neurosim sweep merge %s\n", out)
				return nil
			}
			return mergeSweep(stdout, out, f, plotOut)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&out, "out", "", "results folder (default: NAME.sweep, NAME from the spec)")
	fl.StringVar(&shard, "shard", "", "run share i of n (i from 0), e.g. 2/8 (default: from SLURM_ARRAY_TASK_ID/COUNT)")
	fl.IntVar(&shards, "shards", 0, "number of shards, with JOB_COMPLETION_INDEX (Kubernetes Indexed Job) as i")
	fl.StringVar(&format, "format", "table", "what stdout gets after the merge: table, csv or json (JSON Lines)")
	fl.StringVar(&plotOut, "plot-out", "", "write the sweep's figures (SVG and PNG) to this folder")
	fl.IntVar(&opt.Workers, "workers", 0, "sequences simulated in parallel (default: all CPUs; results do not depend on it)")
	cmd.AddCommand(newSweepMerge(stdout))
	return cmd
}

func newSweepMerge(stdout io.Writer) *cobra.Command {
	var format, plotOut string
	cmd := &cobra.Command{
		Use:   "merge DIR",
		Short: "Merge a sweep's results folder into its table (DIR/sweep.csv, DIR/sweep.jsonl)",
		Long: `merge reads a sweep's results folder — plan.json and one result per row — and
writes the table, DIR/sweep.csv and DIR/sweep.jsonl, with the Pareto flags, and
prints it. It fails, naming how many rows are missing, until every shard is done.
The table depends only on the plan and the results: byte-identical whatever the
sharding, the workers or the interruptions.`,
		Example: `  neurosim sweep merge levels-noise.sweep --plot-out out/`,
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(_ *cobra.Command, a []string) error {
			f, err := export.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			return mergeSweep(stdout, a[0], f, plotOut)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "what stdout gets: table, csv or json (JSON Lines)")
	cmd.Flags().StringVar(&plotOut, "plot-out", "", "write the sweep's figures (SVG and PNG) to this folder")
	return cmd
}

// mergeSweep writes dir's table files together, its figures, and prints it.
func mergeSweep(stdout io.Writer, dir string, f export.Format, plotOut string) error {
	t, err := sweep.Merge(dir)
	if err != nil {
		return err
	}
	version := buildVersion()
	var outs export.Outputs
	defer outs.Abort()
	if err := outs.Stage(filepath.Join(dir, "sweep.csv"), func(w io.Writer) error { return t.WriteCSV(w, version) }); err != nil {
		return err
	}
	if err := outs.Stage(filepath.Join(dir, "sweep.jsonl"), t.WriteJSONL); err != nil {
		return err
	}
	if plotOut != "" {
		if err := stageSweepPlots(&outs, plotOut, t); err != nil {
			return err
		}
	}
	if err := outs.Commit(); err != nil {
		return err
	}
	return export.WriteSweep(stdout, t, f, version)
}

// shardOf decides the share of a run: --shard i/n; else a Slurm array task
// (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN of SLURM_ARRAY_TASK_COUNT);
// else a Kubernetes Indexed Job's JOB_COMPLETION_INDEX of --shards; else
// everything (0 of 1).
func shardOf(flag string, shards int, shardsSet bool, getenv func(string) string) (i, n int, err error) {
	atoi := func(what, s string) (int, error) {
		v, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || v < 0 {
			return 0, fmt.Errorf("%s %q is not a whole number ≥ 0", what, s)
		}
		return v, nil
	}
	check := func(i, n int, from string) (int, int, error) {
		if n < 1 || i >= n {
			return 0, 0, fmt.Errorf("shard %d of %d (%s): want 0 ≤ i < n", i, n, from)
		}
		return i, n, nil
	}
	if flag != "" {
		a, b, ok := strings.Cut(flag, "/")
		if !ok {
			return 0, 0, fmt.Errorf("--shard %q: want i/n, such as 0/4", flag)
		}
		if i, err = atoi("--shard", a); err != nil {
			return 0, 0, err
		}
		if n, err = atoi("--shard", b); err != nil {
			return 0, 0, err
		}
		return check(i, n, "--shard")
	}
	if id := getenv("SLURM_ARRAY_TASK_ID"); id != "" {
		if i, err = atoi("SLURM_ARRAY_TASK_ID", id); err != nil {
			return 0, 0, err
		}
		if m := getenv("SLURM_ARRAY_TASK_MIN"); m != "" {
			min, err := atoi("SLURM_ARRAY_TASK_MIN", m)
			if err != nil {
				return 0, 0, err
			}
			i -= min
		}
		if n, err = atoi("SLURM_ARRAY_TASK_COUNT", getenv("SLURM_ARRAY_TASK_COUNT")); err != nil {
			return 0, 0, err
		}
		if shardsSet && shards != n {
			return 0, 0, fmt.Errorf("--shards %d, but the Slurm array has %d tasks", shards, n)
		}
		return check(i, n, "SLURM_ARRAY_TASK_ID")
	}
	if idx := getenv("JOB_COMPLETION_INDEX"); idx != "" {
		if !shardsSet {
			return 0, 0, errors.New("JOB_COMPLETION_INDEX is set: give --shards n, the Job's completions")
		}
		if i, err = atoi("JOB_COMPLETION_INDEX", idx); err != nil {
			return 0, 0, err
		}
		return check(i, shards, "JOB_COMPLETION_INDEX")
	}
	if shardsSet && shards != 1 {
		return 0, 0, fmt.Errorf("--shards %d without --shard, a Slurm array task or JOB_COMPLETION_INDEX: which shard is this?", shards)
	}
	return 0, 1, nil
}

// buildVersion is neurosim's version as the binary records it: the module
// version, and the VCS revision when the build stamped one.
func buildVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev string
	modified := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev != "" && !strings.Contains(v, rev[:min(12, len(rev))]) {
		v += " " + rev[:min(12, len(rev))]
		if modified {
			v += "+dirty"
		}
	}
	return v
}

// rowMeter draws "rows done/total, rate, ETA" on stderr when it is a
// terminal; on anything else it draws nothing.
type rowMeter struct {
	w     io.Writer
	now   func() time.Time
	mu    sync.Mutex
	start time.Time
	drawn time.Time
	width int
}

func newRowMeter(stderr io.Writer) *rowMeter {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &rowMeter{w: stderr, now: time.Now, start: time.Now()}
}

// Update reports done of total rows, found of them finished by an earlier
// run; on a nil meter it does nothing.
func (m *rowMeter) Update(done, found, total int) {
	if m == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if now.Sub(m.drawn) < 100*time.Millisecond && done != total {
		return
	}
	line := progressLine(done, total, done-found, now.Sub(m.start))
	pad := ""
	if n := len([]rune(line)); n < m.width {
		pad = strings.Repeat(" ", m.width-n)
	}
	m.width = len([]rune(line))
	fmt.Fprint(m.w, "\r"+line+pad)
	m.drawn = now
}

// Finish clears the line.
func (m *rowMeter) Finish() {
	if m == nil || m.width == 0 {
		return
	}
	fmt.Fprint(m.w, "\r"+strings.Repeat(" ", m.width)+"\r")
}

// progressLine is "neurosim sweep: 37/60 rows (61%), 12.3 rows/s, ETA 2s":
// the rate over the rows computed in this run (not those found finished),
// the ETA at that rate.
func progressLine(done, total, computed int, elapsed time.Duration) string {
	var b strings.Builder
	fmt.Fprintf(&b, "neurosim sweep: %d/%d rows", done, total)
	if total > 0 {
		fmt.Fprintf(&b, " (%d%%)", 100*done/total)
	}
	if s := elapsed.Seconds(); computed > 0 && s > 0 {
		rate := float64(computed) / s
		eta := time.Duration(float64(total-done) / rate * float64(time.Second))
		fmt.Fprintf(&b, ", %.3g rows/s, ETA %s", rate, eta.Round(time.Second))
	}
	return b.String()
}
