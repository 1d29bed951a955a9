package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/report"
)

func (c *cli) newFeasibility() *cobra.Command {
	var (
		format, set, png, writes, taus, versus, output string
		opt                                            report.FeasibilityOptions
	)
	cmd := &cobra.Command{
		Use:   "feasibility [--design D] [--set DIR]",
		Short: "Map STPN's energy against each other model over STP write energy × device retention τ, with accuracy",
		Long: `feasibility asks whether a chip whose short-term state is a volatile element can run
the trained STPN, and when it pays. Over a grid of write energy per event (columns) and
retention time constant τ of the element (rows), it runs STPN and every other model of the
set on the same inputs and design: every plastic cell decays by its own exp(−Δt/τ_cell)
(τ drawn per cell from the design's retention_variation), so accuracy is that of the
device; write energy is a price, re-priced from each run's counts. Each cell of the map
is STPN's joules per inference divided by the other model's (< 1: STPN cheaper); the
rows also give both models' accuracy. --png draws the map as a heat map.

The design (default stp-diffusive) keeps all its other figures; its retention and write
energy per event are replaced by the grid's. Without --set it runs the reference ART set
embedded in the binary (as compare does).
` + exitHelp,
		Example: `  neurosim feasibility --versus ART_LSTM_h9 --png map.png
  neurosim feasibility --design my-chip.yaml --writes 10fJ,10pJ,7 --taus 100us,1s,9 --format csv -o map.csv`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			if opt.Writes, err = parseGrid("--writes", writes, design.Energy, false); err != nil {
				return usageError{err}
			}
			if opt.Taus, err = parseGrid("--taus", taus, design.Time, true); err != nil {
				return usageError{err}
			}
			if err := checkWorkers(opt.Workers); err != nil {
				return err
			}
			if err := checkDesign("--design", opt.Design); err != nil {
				return err
			}
			if versus != "" {
				opt.Versus = strings.Split(versus, ",")
			}
			j, err := c.newJob(cmd, append(setFiles(set), designFile(opt.Design)), "png")
			defer j.abort()
			if err != nil {
				return err
			}
			fsys, name, note, err := fixtureSet(set)
			if err != nil {
				return err
			}
			m := c.newMeter("runs")
			if m != nil {
				opt.Progress = m.Sequences("")
			}
			fm, err := report.RunFeasibility(cmd.Context(), fsys, name, opt)
			m.Finish()
			if err != nil {
				return err
			}
			prov := c.provenance(note)
			j.file(cmd, "png", func(w io.Writer) error { return export.WriteFeasibilityPNG(w, fm) })
			return j.finish(cmd.Context(), func(w io.Writer) error { return export.WriteFeasibility(w, fm, f, prov) }, f)
		},
	}
	fl := cmd.Flags()
	designFlag(cmd, &opt.Design, "stp-diffusive")
	fl.StringVar(&set, "set", "", "fixture set directory (default: the embedded reference ART set)")
	cmd.MarkFlagDirname("set")
	fl.StringVar(&opt.STPN, "stpn", "", "the STPN model (default: the first STPNr model of the set)")
	fl.StringVar(&versus, "versus", "", "models to compare with, comma-separated (default: every other model)")
	fl.StringVar(&opt.Models, "models", "", "only the model folders whose names match this pattern (e.g. 'PEND_*')")
	fl.StringVar(&writes, "writes", "1fJ,1nJ,7", "write energies per event: LOW,HIGH,N (N values evenly spaced in log)")
	fl.StringVar(&taus, "taus", "100us,1s,9", "retention time constants τ: LOW,HIGH,N (evenly spaced in log)")
	fileFlag(cmd, &png, "png", "write the map as a PNG heat map", "png")
	formatFlag(cmd, &format)
	outputFlag(cmd, &output, "txt", "json", "csv")
	workersFlag(cmd, &opt.Workers)
	return cmd
}

// parseGrid reads LOW,HIGH,N into N log-spaced values of dimension dim.
func parseGrid(flag, s string, dim design.Dim, positive bool) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return nil, fmt.Errorf("%s %s: want LOW,HIGH,N (for example 1fJ,1nJ,7)", flag, s)
	}
	lo, err := design.ParseQuantity(parts[0], dim)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", flag, err)
	}
	hi, err := design.ParseQuantity(parts[1], dim)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", flag, err)
	}
	n, err := strconv.Atoi(strings.TrimSpace(parts[2]))
	switch {
	case err != nil || n < 1 || n > report.MaxFeasibilityPoints:
		return nil, fmt.Errorf("%s: N %q: want a whole number from 1 to %d", flag, parts[2], report.MaxFeasibilityPoints)
	case !(lo > 0) || hi < lo || (n > 1 && hi == lo):
		return nil, fmt.Errorf("%s: want 0 < LOW < HIGH (values are spaced in log), found %s, %s", flag, parts[0], parts[1])
	case !positive && lo <= 0:
		return nil, fmt.Errorf("%s: LOW must be above 0", flag)
	}
	return report.LogSpace(lo, hi, n), nil
}
