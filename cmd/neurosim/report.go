package main

import (
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

func (c *cli) newReport() *cobra.Command {
	var (
		output, sweepDir, set string
		opt                   report.CompareOptions
	)
	cmd := &cobra.Command{
		Use:   "report [--sweep DIR | --set DIR --design D] [-o FILE.html]",
		Short: "Write one self-contained HTML report: figures, tables, the design and its sources",
		Long: `report writes one HTML page that needs nothing else to be read (figures inline as
SVG, no script, no external file): the tables, the figures, the hardware design with
the source of every figure, the design hash, the neurosim version and the command
line. It goes to stdout, or to the file -o names.

With --sweep DIR it reports a finished sweep (its results folder, merged as
'neurosim sweep merge' does, without writing the table files); otherwise it
compares every model of a set (default: the embedded reference ART set) on
--design, as 'neurosim compare' does.
` + exitHelp,
		Example: `  neurosim report --sweep levels-noise.sweep -o levels-noise.html
  neurosim report --design rram-neurosim -o rram.html`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkWorkers(opt.Workers); err != nil {
				return err
			}
			if sweepDir != "" && (cmd.Flags().Changed("set") || cmd.Flags().Changed("design") || cmd.Flags().Changed("models")) {
				return usagef("--sweep reports a finished sweep, whose spec names its models and design: --set, --models and --design go without it")
			}
			if err := checkDesign("--design", opt.Design); err != nil {
				return err
			}
			inputs := append(setFiles(set), designFile(opt.Design))
			if sweepDir != "" {
				inputs = []string{filepath.Join(sweepDir, "plan.json")}
			}
			j, err := c.newJob(cmd, inputs)
			defer j.abort()
			if err != nil {
				return err
			}
			var write func(io.Writer) error
			if sweepDir != "" {
				t, err := sweep.Merge(sweepDir)
				if err != nil {
					return err
				}
				figs, err := figure.Sweep(t)
				if err != nil {
					return err
				}
				prov := c.provenance("")
				write = func(w io.Writer) error { return export.WriteSweepPage(w, t, figs, prov) }
			} else {
				opt.KeepSteps = true
				cmp, note, err := onSet(c, cmd, set, opt, report.Compare)
				if err != nil {
					return err
				}
				var figs []*plot.Figure
				if figs, err = figure.Energies("design "+cmp.Design.Name, cmp.Energies()); err != nil {
					return err
				}
				prov := c.provenance(note)
				write = func(w io.Writer) error { return export.WriteComparisonPage(w, cmp, figs, prov) }
			}
			// Not a Table: the page is written as rendered, with no terminal layout.
			return j.finish(cmd.Context(), write, export.JSON)
		},
	}
	fl := cmd.Flags()
	outputFlag(cmd, &output, "html")
	fl.StringVar(&sweepDir, "sweep", "", "a finished sweep's results folder")
	cmd.MarkFlagDirname("sweep")
	fl.StringVar(&set, "set", "", "fixture set directory (default: the embedded reference ART set)")
	cmd.MarkFlagDirname("set")
	fl.StringVar(&opt.Models, "models", "", "only the model folders whose names match this pattern (e.g. 'PONG_*')")
	designFlag(cmd, &opt.Design, report.PaperDesign)
	workersFlag(cmd, &opt.Workers)
	return cmd
}
