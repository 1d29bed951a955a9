package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/export"
)

func newInspect(stdout io.Writer) *cobra.Command {
	var format, stateKey string
	cmd := &cobra.Command{
		Use:   "inspect FILE",
		Short: "List the tensors of a checkpoint: name, dtype, shape, min/max/mean",
		Long: `inspect decodes a checkpoint (torch.save zip or legacy .pth, .safetensors, .npz) with
the same allow-listed, bounds-checked reader the other commands use and lists its tensors.
Nothing in the file is executed.`,
		Example: `  neurosim inspect testdata/art/ART_STPN_h11/model.pth
  neurosim inspect --format json model.safetensors`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(_ *cobra.Command, a []string) error {
			f, err := export.ParseFormat(format)
			if err != nil || f == export.CSV {
				return usageError{errOr(err, "inspect: --format must be table or json")}
			}
			sd, err := checkpoint.Inspect(a[0], checkpoint.Options{StateKey: stateKey})
			if err != nil {
				return err
			}
			return export.WriteInspect(stdout, sd, f)
		},
	}
	cmd.Flags().StringVar(&format, "format", "table", "table or json")
	cmd.Flags().StringVar(&stateKey, "state-key", "", "key of the state_dict when the file wraps several")
	return cmd
}
