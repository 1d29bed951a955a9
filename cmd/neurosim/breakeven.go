package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/report"
)

func (c *cli) newBreakeven() *cobra.Command {
	var (
		format, set, output string
		opt                 report.CompareOptions
	)
	cmd := &cobra.Command{
		Use:   "breakeven --design D [--set DIR]",
		Short: "The STP write energy per event at which STPN stops being the cheapest model",
		Long: `breakeven answers the question a plastic synapse raises for hardware: STPN spends the
least read energy, but it writes its short-term state every step. For STPN against
each other model of the set, on the set's inputs and under design D, it finds the
energy of one write event at which their energies cross: every model's energy is
linear in that price, E(w) = E_fixed + w·writes, so one run that counts the write
events gives the line of each model. All the design's other figures, including
write_energy_per_unit, are kept; ranges give the crossing at both ends. Without --set
it runs the reference ART set embedded in the binary (as compare does).
` + exitHelp,
		Example: `  neurosim breakeven --design rram-neurosim
  neurosim breakeven --design my-chip.yaml --set testdata/art --format json -o breakeven.json`,
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
			j, err := c.newJob(cmd, append(setFiles(set), designFile(opt.Design)))
			defer j.abort()
			if err != nil {
				return err
			}
			b, note, err := onSet(c, cmd, set, opt, report.RunBreakeven)
			if err != nil {
				return err
			}
			prov := c.provenance(note)
			return j.finish(cmd.Context(), func(w io.Writer) error { return export.WriteBreakeven(w, b, f, prov) }, f)
		},
	}
	designFlag(cmd, &opt.Design, report.PaperDesign)
	cmd.Flags().StringVar(&set, "set", "", "fixture set directory (default: the embedded reference ART set)")
	cmd.MarkFlagDirname("set")
	cmd.Flags().StringVar(&opt.Models, "models", "", "only the model folders whose names match this pattern (e.g. 'PONG_*')")
	cmd.Flags().StringVar(&opt.Baseline, "stpn", "", "the STPN model (default: the first STPNr model of the set)")
	formatFlag(cmd, &format)
	outputFlag(cmd, &output, "txt", "json", "csv")
	workersFlag(cmd, &opt.Workers)
	return cmd
}
