package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/export"
)

func newDesigns(stdout io.Writer) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "designs",
		Short: "List the built-in hardware designs with their sources",
		Long: `designs lists the built-in hardware designs (presets): how synapses are mapped, what a
read, a conversion, a neuron and a write cost, and where each figure comes from.
"designs show NAME" prints one as YAML — every figure with its source — to start a
design file from.`,
		Example: `  neurosim designs
  neurosim designs show rram-neurosim > my-chip.yaml`,
		Args: args(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			return export.WriteDesigns(stdout, design.Presets())
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Print a design as YAML, with the source of every figure",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(_ *cobra.Command, a []string) error {
			d, err := design.Lookup(a[0])
			if err != nil {
				return err
			}
			return d.WriteYAML(stdout)
		},
	})
	return cmd
}
