package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sweep"
)

// stageFigures stages every figure as DIR/NAME.svg and DIR/NAME.png, to be
// committed with the command's other outputs.
func stageFigures(outs *export.Outputs, dir string, figs []*plot.Figure) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--plot-out %s: %w", dir, err)
	}
	for _, f := range figs {
		for _, format := range plot.Formats {
			if err := outs.Stage(filepath.Join(dir, f.Name+"."+format), func(w io.Writer) error { return f.Render(w, format) }); err != nil {
				return err
			}
		}
	}
	return nil
}

func stageSweepPlots(outs *export.Outputs, dir string, t *sweep.Table) error {
	figs, err := figure.Sweep(t)
	if err != nil {
		return err
	}
	return stageFigures(outs, dir, figs)
}

func stageEnergyPlots(outs *export.Outputs, dir, title string, es []*report.Energy) error {
	figs, err := figure.Energies(title, es)
	if err != nil {
		return err
	}
	return stageFigures(outs, dir, figs)
}
