package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/figure"
	"github.com/neurosim/neurosim/plot"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/synapse"
	"github.com/neurosim/neurosim/workload"
)

func (c *cli) newEnergy() *cobra.Command {
	var (
		opt                                  report.EnergyOptions
		format, perStepOut, logits, traceOut string
		output                               string
		budget                               budgetFlags
		valueOut                             string
		plotOut                              string
		precision                            string
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

The architecture comes from --config or, by default, the first of config.json,
spec.json and params.json beside the checkpoint: the paper's ART config JSON, an
agent's RLlib params.json or spec.json, or a YAML/JSON network description. Inputs are dense sequences (--inputs), timestamped events (--events), or,
by default, sequences made by the built-in Associative Retrieval Task generator
(--art-n, --art-seed).

Why energy and compare give different numbers for the same model by default: compare
runs the embedded reference test set (the 128 sequences the paper's code evaluated,
testdata/art/inputs.npy); energy without --inputs generates fresh ART sequences. Both
outputs name their inputs. To reproduce compare's row for a model:
  neurosim energy --checkpoint testdata/art/ART_STPN_h11/model.pth \
      --inputs testdata/art/inputs.npy --labels testdata/art/labels.npy

Outputs (the report on stdout or -o, --per-step-out, --logits-out, --value-out, --trace-out,
--plot-out) are
checked before the run and written together at the end, or not at all.
` + exitHelp,
		Example: `  neurosim energy --checkpoint testdata/art/ART_STPN_h11/model.pth \
      --inputs testdata/art/inputs.npy --labels testdata/art/labels.npy
  neurosim energy --checkpoint M/model.pth --design rram-neurosim --format json -o report.json
  neurosim energy --checkpoint M/model.pth --design my-chip.yaml --per-step-out E.npy --logits-out L.npy
  neurosim energy --checkpoint M/model.pth --events spikes.csv --design loihi --trace-out trace.csv
  neurosim energy --checkpoint M/model.pth --art-n 1000 --art-seed 7`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := parseFormat(format)
			if err != nil {
				return err
			}
			if opt.Checkpoint == "" {
				return required("--checkpoint", "the trained weights to evaluate")
			}
			if opt.Labels != "" && opt.Inputs == "" && opt.Events == "" {
				return usagef("--labels needs --inputs or --events (the ART generator makes its own labels)")
			}
			if opt.Inputs != "" && opt.Events != "" {
				return usagef("give --inputs or --events, not both")
			}
			generated := opt.Inputs == "" && opt.Events == ""
			if !generated && (cmd.Flags().Changed("art-n") || cmd.Flags().Changed("art-seed")) {
				return usagef("--art-n and --art-seed set the built-in ART generator, which --inputs and --events replace")
			}
			if opt.ART.N < 1 || opt.ART.N > workload.MaxARTN {
				return usagef("--art-n %d: want 1 to %d sequences", opt.ART.N, workload.MaxARTN)
			}
			if err := checkWorkers(opt.Workers); err != nil {
				return err
			}
			switch precision {
			case "float64":
			case "float32":
				opt.Precision = synapse.Float32
			default:
				return usagef("--precision %q: want float64 or float32", precision)
			}
			if err := checkDesign("--design", opt.Design); err != nil {
				return err
			}
			bopt, err := budget.options()
			if err != nil {
				return usageError{err}
			}
			j, err := c.newJob(cmd, []string{opt.Checkpoint, opt.Config, opt.Inputs, opt.Events, opt.Labels,
				designFile(opt.Design), report.ConfigBeside(opt.Checkpoint)}, "per-step-out", "logits-out", "value-out", "trace-out", "plot-out")
			defer j.abort()
			if err != nil {
				return err
			}
			note := ""
			if generated {
				note = "sequences of the built-in ART generator (--art-n, --art-seed), not compare's embedded reference set"
			}
			prov := c.provenance(note)

			opt.KeepSteps = traceOut != "" || plotOut != ""
			opt.Outputs = logits != "" || valueOut != ""
			opt.Logits = logits != ""
			m := c.newMeter("sequences")
			opt.Progress = m.Sequences("")
			e, err := report.RunEnergy(cmd.Context(), opt)
			m.Finish()
			if err != nil {
				return err
			}
			b, err := report.NewBudget(e, bopt)
			if err != nil {
				return err
			}
			j.file(cmd, "per-step-out", func(w io.Writer) error { return export.WritePerStepNPY(w, e) })
			j.file(cmd, "logits-out", func(w io.Writer) error { return export.WriteLogitsNPY(w, e) })
			j.file(cmd, "value-out", func(w io.Writer) error { return export.WriteValueNPY(w, e) })
			j.file(cmd, "trace-out", func(w io.Writer) error { return export.WriteTrace(w, e, prov) })
			if err := j.figures(cmd, "plot-out", func() ([]*plot.Figure, error) {
				return figure.Energies(e.Model.Name+" on design "+e.Design.Name, []*report.Energy{e})
			}); err != nil {
				return err
			}
			return j.finish(cmd.Context(), func(w io.Writer) error { return export.WriteEnergyBudget(w, e, b, f, prov) }, f)
		},
	}
	fl := cmd.Flags()
	fileFlag(cmd, &opt.Checkpoint, "checkpoint", "trained weights: torch.save .pth (zip or legacy), .safetensors or .npz (required)", "pth", "pt", "safetensors", "npz")
	fileFlag(cmd, &opt.Config, "config", "network description: the paper's config JSON, an RLlib params.json or spec.json, or a YAML/JSON description (default: config.json, spec.json or params.json beside the checkpoint)", "json", "yaml", "yml")
	fl.StringVar(&opt.StateKey, "state-key", "", "key of the state_dict when the file wraps it in a dict with several candidates")
	fileFlag(cmd, &opt.Inputs, "inputs", "input sequences, .npy [N, T, I] float32/float64 (default: built-in ART generator)", "npy")
	fileFlag(cmd, &opt.Events, "events", "timestamped input events, .csv (sequence,t,channel,value) or .npz", "csv", "npz")
	fileFlag(cmd, &opt.Labels, "labels", "target classes, .npy [N] integers: reports accuracy", "npy")
	fl.IntVar(&opt.ART.N, "art-n", workload.DefaultARTN, "sequences the built-in ART generator makes (without --inputs or --events)")
	fl.Uint64Var(&opt.ART.Seed, "art-seed", 0, "seed of the built-in ART generator")
	designFlag(cmd, &opt.Design, report.PaperDesign)
	fileFlag(cmd, &perStepOut, "per-step-out", "write the paper energy of every step as float64 .npy [N, T]", "npy")
	fileFlag(cmd, &logits, "logits-out", "write the logits as float64 .npy: [N, classes] after the last step, or [N, T, A] at every step for an agent", "npy")
	fileFlag(cmd, &valueOut, "value-out", "write an agent's value estimate at every step as float64 .npy [N, T]", "npy")
	fileFlag(cmd, &traceOut, "trace-out", "write one CSV row per network step: time, Δ, active inputs, joules by category, paper energy", "csv")
	formatFlag(cmd, &format)
	outputFlag(cmd, &output, "txt", "json", "csv")
	workersFlag(cmd, &opt.Workers)
	fl.StringVar(&precision, "precision", "float64", "arithmetic of the STPN layer: float64, or float32 (faster at hidden ≥ 128; only the paper's STPN read ideally on dense inputs; its error is in the README)")
	folderFlag(cmd, &plotOut, "plot-out", "write figures (SVG and PNG) to this folder: joules by category, energy per step")
	budget.register(fl)
	return cmd
}
