package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
)

func (c *cli) newCompare() *cobra.Command {
	var (
		format, set, output, plotOut string
		opt                          report.CompareOptions
	)
	cmd := &cobra.Command{
		Use:   "compare [--set DIR]",
		Short: "Compare every model of a set on the same inputs: accuracy, energy, ratio to STPN",
		Long: `compare evaluates every model of a fixture set on the set's inputs and prints one
row per model: unit, hidden size, synapses, accuracy, mean energy per step and per
sequence (paper units) and the ratio of its energy to STPN's; with --design, its
joules per sequence on that design and their ratio.

Without --set it runs the reference Associative Retrieval Task set embedded in the
binary: the eight models of the paper's comparison trained with the paper's code
(seed 0, 5 epochs) and the 128 test sequences the paper's code evaluated them on
(testdata/art). That is why its numbers differ from those of "neurosim energy" on the
same checkpoint without --inputs, which generates fresh ART sequences; the output
names the inputs it ran. A set directory holds one folder per model with model.pth and
its config (config.json, spec.json or params.json), and the inputs: inputs.npy or
observations.npy at its root (or the file each spec.json names), with labels.npy when
there are labels. An agent set (the paper's RL agents, testdata/rl) has no labels, so
no accuracy; its models must share their observations: --models picks a group.
` + exitHelp,
		Example: `  neurosim compare
  neurosim compare --design rram-neurosim
  neurosim compare --set testdata/art --format csv -o compare.csv
  neurosim compare --set testdata/rl --models 'PONG_*'
  neurosim compare --design rram-neurosim --plot-out figures/`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			if err := checkWorkers(opt.Workers); err != nil {
				return err
			}
			if err := checkDesign("--design", opt.Design); err != nil {
				return err
			}
			j, err := c.newJob(cmd, append(setFiles(set), designFile(opt.Design)), "plot-out")
			defer j.abort()
			if err != nil {
				return err
			}
			opt.KeepSteps = plotOut != ""
			cmp, note, err := onSet(c, cmd, set, opt, report.Compare)
			if err != nil {
				return err
			}
			if err := j.figures(cmd, "plot-out", func() ([]*plot.Figure, error) {
				return figure.Energies("compare on design "+cmp.Design.Name, cmp.Energies())
			}); err != nil {
				return err
			}
			prov := c.provenance(note)
			return j.finish(cmd.Context(), func(w io.Writer) error { return export.WriteComparison(w, cmp, f, prov) }, f)
		},
	}
	cmd.Flags().StringVar(&set, "set", "", "fixture set directory (default: the embedded reference ART set)")
	cmd.MarkFlagDirname("set")
	cmd.Flags().StringVar(&opt.Models, "models", "", "only the model folders whose names match this pattern (e.g. 'PONG_*')")
	cmd.Flags().StringVar(&opt.Baseline, "baseline", "", "model the energy ratio is relative to (default: the first STPNr model)")
	designFlag(cmd, &opt.Design, report.PaperDesign)
	formatFlag(cmd, &format)
	outputFlag(cmd, &output, "txt", "json", "csv")
	workersFlag(cmd, &opt.Workers)
	folderFlag(cmd, &plotOut, "plot-out", "write figures (SVG and PNG) to this folder: joules by category, energy per step, energy against accuracy")
	return cmd
}

// onSet runs a job over every model of the set directory (or of the
// embedded set, for "") — report.Compare, report.RunBreakeven — with a
// progress line, and returns its result and the words outputs use for the
// set's inputs.
func onSet[T any](c *cli, cmd *cobra.Command, set string, opt report.CompareOptions,
	job func(context.Context, fs.FS, string, report.CompareOptions) (T, error)) (T, string, error) {
	var none T
	fsys, name, note, err := fixtureSet(set)
	if err != nil {
		return none, "", err
	}
	m := c.newMeter("sequences")
	m.Tasks(countModels(fsys))
	if m != nil {
		opt.Progress = m.Update
	}
	r, err := job(cmd.Context(), fsys, name, opt)
	m.Finish()
	return r, note, err
}

// fixtureSet returns the set directory dir, or the embedded reference ART
// set when dir is "", with the words outputs use for its inputs.
func fixtureSet(dir string) (fs.FS, string, string, error) {
	if dir == "" {
		return neurosim.ReferenceART(), "embedded reference ART set",
			"the reference test sequences embedded in the binary, not energy's ART generator", nil
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, "", "", fmt.Errorf("set %s: not a directory", dir)
	}
	return os.DirFS(dir), dir, "", nil
}

// setFiles lists the files of a set directory that a run reads, so that no
// output overwrites them.
func setFiles(dir string) []string {
	if dir == "" {
		return nil
	}
	var files []string
	for _, pattern := range []string{"inputs*.npy", "labels*.npy", "observations*.npy", "*/model.pth",
		"*/config.json", "*/spec.json", "*/params.json"} {
		m, _ := filepath.Glob(filepath.Join(dir, pattern))
		files = append(files, m...)
	}
	return files
}

func countModels(fsys fs.FS) int {
	m, _ := fs.Glob(fsys, "*/model.pth")
	return len(m)
}
