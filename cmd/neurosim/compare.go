package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim"
	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/report"
)

func errOr(err error, msg string) error {
	if err != nil {
		return err
	}
	return errors.New(msg)
}

func newCompare(stdout, stderr io.Writer) *cobra.Command {
	var (
		format, set, plotOut string
		opt                  report.CompareOptions
	)
	cmd := &cobra.Command{
		Use:   "compare [--set DIR]",
		Short: "Compare every model of a set on the same inputs: accuracy, energy, ratio to STPN",
		Long: `compare evaluates every model of a fixture set on the set's inputs and prints one
row per model: unit, hidden size, synapses, accuracy, mean energy per step and per
sequence (paper units) and the ratio of its energy to STPN's.

Without --set it runs the reference Associative Retrieval Task set embedded in the
binary: the eight models of the paper's comparison trained with the paper's code
(seed 0, 5 epochs), 128 test sequences. A set directory holds one folder per model
with model.pth and its config (config.json, spec.json or params.json), and the
inputs: inputs.npy or observations.npy at its root (or the file each spec.json
names), with labels.npy when there are labels. An agent set (the paper's RL agents)
has no labels, so no accuracy; its models must share their observations: --models
picks a group.`,
		Example: `  neurosim compare
  neurosim compare --set ../shared/reference/art --format csv
  neurosim compare --set ../shared/reference/rl --models 'PONG_*'`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := export.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			fsys, name, err := fixtureSet(set)
			if err != nil {
				return err
			}
			bar, done := progress(stderr, "models", countModels(fsys))
			if bar != nil {
				finished := 0
				opt.Progress = func(_ string, d, total int) {
					if d == total {
						finished++
						bar(finished, 0)
					}
				}
			}
			opt.KeepSteps = plotOut != ""
			c, err := report.Compare(cmd.Context(), fsys, name, opt)
			done()
			if err != nil {
				return err
			}
			if plotOut != "" {
				var outs export.Outputs
				defer outs.Abort()
				es := make([]*report.Energy, len(c.Rows))
				for i := range c.Rows {
					es[i] = c.Rows[i].Energy
				}
				if err := stageEnergyPlots(&outs, plotOut, "compare on design "+c.Design.Name, es); err != nil {
					return err
				}
				if err := outs.Commit(); err != nil {
					return err
				}
			}
			return export.WriteComparison(stdout, c, f)
		},
	}
	cmd.Flags().StringVar(&set, "set", "", "fixture set directory (default: the embedded reference ART set)")
	cmd.Flags().StringVar(&opt.Baseline, "baseline", "", "model the energy ratio is relative to (default: the first STPNr model)")
	cmd.Flags().StringVar(&opt.Models, "models", "", "only the model folders whose names match this pattern (e.g. 'PONG_*')")
	cmd.Flags().StringVar(&opt.Design, "design", report.PaperDesign, "hardware design: a preset (neurosim designs) or a YAML file")
	cmd.Flags().StringVar(&format, "format", "table", "table, json or csv")
	cmd.Flags().IntVar(&opt.Workers, "workers", 0, "sequences evaluated in parallel (default: all CPUs)")
	cmd.Flags().StringVar(&plotOut, "plot-out", "", "write figures (SVG and PNG) to this folder: joules by category, energy per step, energy against accuracy")
	return cmd
}

// fixtureSet returns the set directory dir, or the embedded reference ART
// set when dir is "".
func fixtureSet(dir string) (fs.FS, string, error) {
	if dir == "" {
		return neurosim.ReferenceART(), "embedded reference ART set", nil
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, "", fmt.Errorf("set %s: not a directory", dir)
	}
	return os.DirFS(dir), dir, nil
}

func countModels(fsys fs.FS) int {
	m, _ := fs.Glob(fsys, "*/model.pth")
	return len(m)
}
