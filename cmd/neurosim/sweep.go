package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/sweep"
)

func (c *cli) newSweep() *cobra.Command {
	var (
		out, shard, format, output, plotOut string
		shards                              int
		opt                                 sweep.RunOptions
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
simulation with the rows it priced, named by their content hash, written as soon as
they are priced. A rerun skips finished rows, so an interrupted run (Ctrl-C, a
killed job) resumes where it stopped. Rows that differ only in prices
(design.KeyRole) are priced from one simulation.

--shard i/n runs a deterministic share (default from SLURM_ARRAY_TASK_ID and
SLURM_ARRAY_TASK_COUNT, or from JOB_COMPLETION_INDEX with --shards n on a
Kubernetes Indexed Job); 'neurosim sweep merge DIR' then writes the table. An
unsharded run merges at the end: DIR/sweep.csv and DIR/sweep.jsonl, the figures of
--plot-out and the table on stdout (or -o; --format csv or json gives the files'
text, json being JSON Lines) are written together, or not at all. The merged table
is byte-identical whatever the sharding, workers or interruptions.
` + exitHelp + `
An interrupted sweep keeps its finished rows.`,
		Example: `  neurosim sweep examples/levels-noise.yaml --plot-out out/
  neurosim sweep examples/levels-noise.yaml --format csv -o table.csv
  sbatch --array=0-7 --wrap 'neurosim sweep examples/levels-noise.yaml --out run1.sweep'
  neurosim sweep merge run1.sweep --plot-out out/`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			if err := checkWorkers(opt.Workers); err != nil {
				return err
			}
			opt.Shard, opt.Shards, err = shardOf(shard, shards, cmd.Flags().Changed("shards"), c.getenv)
			if err != nil {
				return usageError{err}
			}
			if opt.Shards > 1 {
				for _, fl := range []string{"output", "plot-out", "format"} {
					if cmd.Flags().Changed(fl) {
						return usagef("--%s: shard %d/%d does not merge; give it to 'neurosim sweep merge DIR' once every shard is done",
							fl, opt.Shard, opt.Shards)
					}
				}
			}
			spec, err := sweep.LoadSpec(a[0])
			if err != nil {
				return err
			}
			if out == "" {
				out = spec.Name + ".sweep"
			}
			files, sets := spec.Files()
			for _, s := range sets {
				files = append(files, setFiles(s)...)
			}
			j, err := c.newJob(cmd, files, "plot-out")
			defer j.abort()
			if err != nil {
				return err
			}
			if err := export.CheckDir("--out", out); err != nil {
				return err
			}
			sw, err := sweep.Prepare(spec, sweep.Options{Embedded: neurosim.ReferenceART()})
			if err != nil {
				return err
			}
			if err := sw.WritePlan(out); err != nil {
				return err
			}
			var t *sweep.Table
			if opt.Shards == 1 {
				if err := planTable(j, out, &t); err != nil {
					return err
				}
			}

			c.kept = "the finished rows stay in " + out + ": run the same command again to resume"
			opt.Version = versionString()
			m := c.newMeter("sequences")
			if m != nil {
				opt.Tasks, opt.Progress = m.Tasks, m.Update
			}
			opt.Rows = func(done, found, total int) {
				m.Results("rows", done, found, total)
				if afterRows != nil {
					afterRows(done)
				}
			}
			st, err := sw.Run(cmd.Context(), out, opt)
			m.Finish()
			if err != nil {
				return err
			}
			if !c.quiet {
				fmt.Fprintf(c.stderr, "neurosim: sweep %s: shard %d/%d: %d rows: %d found finished, %d computed from %d simulations\n",
					spec.Name, opt.Shard, opt.Shards, st.Rows, st.Found, st.Computed, st.Simulations)
			}
			if opt.Shards > 1 {
				if !c.quiet {
					fmt.Fprintf(c.stderr, "neurosim: when every shard is done: neurosim sweep merge %s\n", out)
				}
				return nil
			}
			return c.mergeSweep(cmd, j, out, &t, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&out, "out", "", "results folder (default: NAME.sweep, NAME from the spec)")
	cmd.MarkFlagDirname("out")
	fl.StringVar(&shard, "shard", "", "run share i of n (i from 0), e.g. 2/8 (default: from SLURM_ARRAY_TASK_ID/COUNT)")
	fl.IntVar(&shards, "shards", 0, "number of shards, with JOB_COMPLETION_INDEX (Kubernetes Indexed Job) as i")
	cmd.RegisterFlagCompletionFunc("shard", cobra.NoFileCompletions)
	cmd.RegisterFlagCompletionFunc("shards", cobra.NoFileCompletions)
	formatFlag(cmd, &format)
	outputFlag(cmd, &output, "txt", "json", "jsonl", "csv")
	folderFlag(cmd, &plotOut, "plot-out", "write the sweep's figures (SVG and PNG) to this folder: energy against accuracy, joules, heatmaps")
	workersFlag(cmd, &opt.Workers)
	cmd.AddCommand(c.newSweepMerge())
	return cmd
}

func (c *cli) newSweepMerge() *cobra.Command {
	var format, output, plotOut string
	cmd := &cobra.Command{
		Use:   "merge DIR",
		Short: "Merge a sweep's results folder into its table (DIR/sweep.csv, DIR/sweep.jsonl)",
		Long: `merge reads a sweep's results folder — plan.json and the rows' results — and
writes the table, DIR/sweep.csv and DIR/sweep.jsonl, with the Pareto flags, and
prints it (or writes it to -o), with the figures of --plot-out: all together, or
nothing. It fails, naming how many rows are missing, until every shard is done.
The table depends only on the plan and the results: byte-identical whatever the
sharding, the workers or the interruptions.
` + exitHelp,
		Example: `  neurosim sweep merge levels-noise.sweep --plot-out out/
  neurosim sweep merge levels-noise.sweep --format json | jq -c 'select(.pareto)'`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			dir := a[0]
			if _, err := sweep.ReadPlan(dir); err != nil {
				return err
			}
			j, err := c.newJob(cmd, []string{filepath.Join(dir, "plan.json")}, "plot-out")
			defer j.abort()
			if err != nil {
				return err
			}
			var t *sweep.Table
			if err := planTable(j, dir, &t); err != nil {
				return err
			}
			return c.mergeSweep(cmd, j, dir, &t, f)
		},
	}
	formatFlag(cmd, &format)
	outputFlag(cmd, &output, "txt", "json", "jsonl", "csv")
	folderFlag(cmd, &plotOut, "plot-out", "write the sweep's figures (SVG and PNG) to this folder")
	return cmd
}

// afterRows, when set (by tests), is called after each row a sweep
// finishes, with the number done.
var afterRows func(done int)

// planTable plans the merged table's files in the results folder dir,
// written from *t when the job finishes.
func planTable(j *job, dir string, t **sweep.Table) error {
	for _, f := range []struct {
		name   string
		format export.Format
	}{{"sweep.csv", export.CSV}, {"sweep.jsonl", export.JSON}} {
		if err := j.add(f.name, filepath.Join(dir, f.name), func(w io.Writer) error {
			return export.WriteSweep(w, *t, f.format, versionString())
		}); err != nil {
			return err
		}
	}
	return nil
}

// mergeSweep merges the results folder dir into *t and finishes the job:
// the table files planned by planTable, the figures, the report.
func (c *cli) mergeSweep(cmd *cobra.Command, j *job, dir string, t **sweep.Table, f export.Format) error {
	var err error
	if *t, err = sweep.Merge(dir); err != nil {
		return err
	}
	if err := j.figures(cmd, "plot-out", func() ([]*plot.Figure, error) { return figure.Sweep(*t) }); err != nil {
		return err
	}
	return j.finish(cmd.Context(), func(w io.Writer) error { return export.WriteSweep(w, *t, f, versionString()) }, f)
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
