package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/report"
)

func newEnergy(stdout, stderr io.Writer) *cobra.Command {
	var (
		opt                                  report.EnergyOptions
		format, perStepOut, logits, traceOut string
		budget                               budgetFlags
		valueOut                             string
		plotOut                              string
	)
	cmd := &cobra.Command{
		Use:   "energy --checkpoint M/model.pth [flags]",
		Short: "Evaluate one checkpoint on a hardware design: joules, paper energy, logits, accuracy",
		Long: `energy runs every input sequence through the checkpoint's network on a hardware
design and reports its joules — by category (synapse_read, synapse_write, dac, adc,
neuron, static) and by location (each synaptic array, neurons, chip) — beside the
paper's energy (dimensionless, Σ z²·|efficacy| over the synapses of the recurrent cell,
before each step's update; the readout is not counted), and the accuracy when labels
are given. Device non-idealities of the design (levels, variation, read noise) act on
the forward pass, so logits and accuracy are those of the design as run. A design
figure given as a range makes every energy that depends on it a range.

The architecture comes from the paper's config JSON: config.json beside the checkpoint,
or --config. Inputs are dense sequences (--inputs), timestamped events (--events), or,
by default, the built-in Associative Retrieval Task generator.`,
		Example: `  neurosim energy --checkpoint testdata/art/ART_STPN_h11/model.pth \
      --inputs testdata/art/inputs.npy --labels testdata/art/labels.npy
  neurosim energy --checkpoint M/model.pth --design rram-neurosim --format json
  neurosim energy --checkpoint M/model.pth --design my-chip.yaml --per-step-out E.npy --logits-out L.npy
  neurosim energy --checkpoint M/model.pth --events spikes.csv --design loihi --trace-out trace.csv
  neurosim energy --checkpoint M/model.pth --art-n 1000 --art-seed 7`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := export.ParseFormat(format)
			if err != nil {
				return usageError{err}
			}
			if opt.Checkpoint == "" {
				return usageError{fmt.Errorf("--checkpoint is required")}
			}
			if opt.Labels != "" && opt.Inputs == "" && opt.Events == "" {
				return usageError{fmt.Errorf("--labels needs --inputs or --events (the ART generator makes its own labels)")}
			}
			if opt.Inputs != "" && opt.Events != "" {
				return usageError{fmt.Errorf("give --inputs or --events, not both")}
			}
			bopt, err := budget.options()
			if err != nil {
				return usageError{err}
			}
			var outs export.Outputs
			defer outs.Abort()
			outs.Protect(opt.Checkpoint, opt.Config, opt.Inputs, opt.Events, opt.Labels, opt.Design,
				report.ConfigBeside(opt.Checkpoint))

			opt.KeepSteps = traceOut != "" || plotOut != ""
			opt.Outputs = logits != "" || valueOut != ""
			var done func()
			opt.Progress, done = progress(stderr, "sequences", 0)
			e, err := report.RunEnergy(cmd.Context(), opt)
			done()
			if err != nil {
				return err
			}
			b, err := report.NewBudget(e, bopt)
			if err != nil {
				return err
			}
			if perStepOut != "" {
				if err := outs.Stage(perStepOut, func(w io.Writer) error { return export.WritePerStepNPY(w, e) }); err != nil {
					return err
				}
			}
			if logits != "" {
				if err := outs.Stage(logits, func(w io.Writer) error { return export.WriteLogitsNPY(w, e) }); err != nil {
					return err
				}
			}
			if valueOut != "" {
				if err := outs.Stage(valueOut, func(w io.Writer) error { return export.WriteValueNPY(w, e) }); err != nil {
					return err
				}
			}
			if traceOut != "" {
				if err := outs.Stage(traceOut, func(w io.Writer) error { return export.WriteTrace(w, e) }); err != nil {
					return err
				}
			}
			if plotOut != "" {
				if err := stageEnergyPlots(&outs, plotOut, e.Model.Name+" on design "+e.Design.Name, []*report.Energy{e}); err != nil {
					return err
				}
			}
			if err := outs.Commit(); err != nil {
				return err
			}
			return export.WriteEnergyBudget(stdout, e, b, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opt.Checkpoint, "checkpoint", "", "trained weights: torch.save .pth (zip or legacy), .safetensors or .npz (required)")
	fl.StringVar(&opt.Config, "config", "", "architecture config JSON (default: config.json beside the checkpoint)")
	fl.StringVar(&opt.StateKey, "state-key", "", "key of the state_dict when the file wraps it in a dict with several candidates")
	fl.StringVar(&opt.Inputs, "inputs", "", "input sequences, .npy [N, T, I] float32/float64 (default: built-in ART generator)")
	fl.StringVar(&opt.Events, "events", "", "timestamped input events, .csv (sequence,t,channel,value) or .npz")
	fl.StringVar(&opt.Labels, "labels", "", "target classes, .npy [N] integers: reports accuracy")
	fl.IntVar(&opt.ART.N, "art-n", 0, "sequences the ART generator makes when there is no --inputs (default 128)")
	fl.Uint64Var(&opt.ART.Seed, "art-seed", 0, "seed of the ART generator (default 0)")
	fl.StringVar(&opt.Design, "design", report.PaperDesign, "hardware design: a preset (neurosim designs) or a YAML file")
	fl.StringVar(&perStepOut, "per-step-out", "", "write the energy of every step as float64 .npy [N, T]")
	fl.StringVar(&logits, "logits-out", "", "write the logits as float64 .npy: [N, classes] after the last step, or [N, T, A] at every step for an agent")
	fl.StringVar(&valueOut, "value-out", "", "write an agent's value estimate at every step as float64 .npy [N, T]")
	fl.StringVar(&traceOut, "trace-out", "", "write one CSV row per network step: time, Δ, active inputs, joules by category, paper energy")
	fl.StringVar(&format, "format", "table", "report format: table, json or csv")
	fl.StringVar(&plotOut, "plot-out", "", "write figures (SVG and PNG) to this folder: joules by category, energy per step")
	fl.IntVar(&opt.Workers, "workers", 0, "sequences evaluated in parallel (default: all CPUs; results do not depend on it)")
	budget.register(fl)
	return cmd
}
