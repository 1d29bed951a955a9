package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/export"
)

func (c *cli) newDesigns() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "designs",
		Short: "List the built-in hardware designs with their sources",
		Long: `designs lists the built-in hardware designs (presets): how synapses are mapped, what a
read, a conversion, a neuron and a write cost, and where each figure comes from.
"designs show NAME" prints one as YAML — every figure with its source — to start a
design file from. Its bytes are what the design_hash of JSON and CSV outputs hashes
(sha256).`,
		Example: `  neurosim designs
  neurosim designs show rram-neurosim > my-chip.yaml`,
		Args: args(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			return c.print(true, func(w io.Writer) error { return export.WriteDesigns(w, design.Presets()) })
		},
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "show NAME|FILE",
		Short: "Print a design as YAML, with the source of every figure",
		Args:  args(cobra.ExactArgs(1)),
		ValidArgsFunction: func(_ *cobra.Command, a []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(a) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return design.PresetNames(), cobra.ShellCompDirectiveDefault
		},
		RunE: func(_ *cobra.Command, a []string) error {
			if err := checkDesign("design", a[0]); err != nil {
				return err
			}
			d, err := design.Lookup(a[0])
			if err != nil {
				return err
			}
			return c.print(false, d.WriteYAML)
		},
	})
	return cmd
}
