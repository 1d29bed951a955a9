package main

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/page"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

func newReport(stdout, stderr io.Writer) *cobra.Command {
	var (
		out, sweepDir, set string
		opt                report.CompareOptions
	)
	cmd := &cobra.Command{
		Use:   "report -o FILE.html [--sweep DIR | --set DIR --design D]",
		Short: "Write one self-contained HTML report: figures, tables, the design and its sources",
		Long: `report writes one HTML file that needs nothing else to be read (figures inline as
SVG, no script, no external file): the tables, the figures, the hardware design with
the source of every figure, the neurosim version and the command line.

With --sweep DIR it reports a finished sweep (its results folder); otherwise it
compares every model of a set (default: the embedded reference ART set) on --design.`,
		Example: `  neurosim report --sweep levels-noise.sweep -o levels-noise.html
  neurosim report --design rram-neurosim -o rram.html`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return usageError{fmt.Errorf("-o FILE.html is required")}
			}
			meta := page.Meta{Version: buildVersion(), Command: commandLine(cmd)}
			var pg *page.Page
			if sweepDir != "" {
				t, err := sweep.Merge(sweepDir)
				if err != nil {
					return err
				}
				figs, err := figure.Sweep(t)
				if err != nil {
					return err
				}
				if pg, err = page.Sweep(t, figs, meta); err != nil {
					return err
				}
			} else {
				fsys, name, err := fixtureSet(set)
				if err != nil {
					return err
				}
				opt.KeepSteps = true
				c, err := report.Compare(cmd.Context(), fsys, name, opt)
				if err != nil {
					return err
				}
				es := make([]*report.Energy, len(c.Rows))
				for i := range c.Rows {
					es[i] = c.Rows[i].Energy
				}
				title := "neurosim compare: " + name + " on design " + c.Design.Name
				figs, err := figure.Energies("design "+c.Design.Name, es)
				if err != nil {
					return err
				}
				var y bytes.Buffer
				if err := c.Design.WriteYAML(&y); err != nil {
					return err
				}
				if pg, err = page.Energies(title, y.String(), es, figs, meta); err != nil {
					return err
				}
			}
			var outs export.Outputs
			defer outs.Abort()
			outs.Protect(opt.Design)
			if err := outs.Stage(out, pg.Write); err != nil {
				return err
			}
			if err := outs.Commit(); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "neurosim: wrote %s\n", out)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVarP(&out, "output", "o", "", "the HTML file to write (required)")
	fl.StringVar(&sweepDir, "sweep", "", "a finished sweep's results folder")
	fl.StringVar(&set, "set", "", "fixture set directory (default: the embedded reference ART set)")
	fl.StringVar(&opt.Design, "design", report.PaperDesign, "hardware design: a preset (neurosim designs) or a YAML file")
	fl.IntVar(&opt.Workers, "workers", 0, "sequences evaluated in parallel (default: all CPUs)")
	_ = stdout
	return cmd
}

// commandLine rebuilds the command as typed, from the flags that were set:
// "neurosim report --sweep d -o r.html".
func commandLine(cmd *cobra.Command) string {
	parts := []string{"neurosim", strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")}
	cmd.Flags().Visit(func(f *pflag.Flag) {
		parts = append(parts, "--"+f.Name, shellQuote(f.Value.String()))
	})
	return strings.Join(parts, " ")
}

func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!*?[]{}()<>|&;#~") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
