package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/export"
)

func (c *cli) newInspect() *cobra.Command {
	var format, stateKey string
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "List the tensors of a checkpoint: name, dtype, shape, min/max/mean",
		Long: `inspect decodes a checkpoint (torch.save zip or legacy .pth, .safetensors, .npz) with
the same allow-listed, bounds-checked reader the other commands use and lists its tensors.
Nothing in the file is executed.
` + exitHelp,
		Example: `  neurosim inspect testdata/art/ART_STPN_h11/model.pth
  neurosim inspect --format json model.safetensors`,
		Args: args(cobra.ExactArgs(1)),
		ValidArgsFunction: func(_ *cobra.Command, a []string, _ string) ([]string, cobra.ShellCompDirective) {
			if len(a) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return []string{"pth", "pt", "safetensors", "npz"}, cobra.ShellCompDirectiveFilterFileExt
		},
		RunE: func(_ *cobra.Command, a []string) error {
			f, err := parseFormat(format, export.Table, export.JSON)
			if err != nil {
				return err
			}
			sd, err := checkpoint.Inspect(a[0], checkpoint.Options{StateKey: stateKey})
			if err != nil {
				return err
			}
			return c.print(f == export.Table, func(w io.Writer) error { return export.WriteInspect(w, sd, f) })
		},
	}
	formatFlag(cmd, &format, export.Table, export.JSON)
	cmd.Flags().StringVar(&stateKey, "state-key", "", "key of the state_dict when the file wraps several")
	return cmd
}
