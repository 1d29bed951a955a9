package report

import (
	"context"

	"neurosim/sim"
	"neurosim/workload"
)

// EnergyOptions say what `neurosim energy` evaluates.
type EnergyOptions struct {
	Checkpoint string
	Config     string // "" = config.json beside the checkpoint
	StateKey   string
	Inputs     string // .npy [N,T,I]; "" = the built-in ART generator
	Labels     string // .npy [N]; optional
	ART        workload.ARTConfig
	Design     string // only "paper" for now
	Workers    int
	Progress   func(done, total int)
}

// Energy is the result of evaluating one model on one workload.
type Energy struct {
	Model    *Model
	Design   string
	Workload *workload.Set
	Result   *sim.Result
	// Accuracy is the fraction of correct predictions; valid when HasLabels.
	Accuracy  float64
	HasLabels bool
}

// RunEnergy loads everything opt names, checks it, and runs it.
func RunEnergy(ctx context.Context, opt EnergyOptions) (*Energy, error) {
	if opt.Design == "" {
		opt.Design = PaperDesign
	}
	if err := checkDesign(opt.Design); err != nil {
		return nil, err
	}
	m, err := LoadModel(opt.Checkpoint, opt.Config, opt.StateKey)
	if err != nil {
		return nil, err
	}
	var set *workload.Set
	if opt.Inputs != "" {
		if set, err = workload.LoadInputs(opt.Inputs); err != nil {
			return nil, err
		}
	} else if set, err = workload.ART(opt.ART); err != nil {
		return nil, err
	}
	if opt.Labels != "" {
		if err := set.LoadLabels(opt.Labels); err != nil {
			return nil, err
		}
	}
	return run(ctx, m, set, opt.Design, opt.Workers, opt.Progress)
}

// paperPeriod is the step period of the paper design: one second, so that a
// dense run's Δ is exactly 1.
const paperPeriod = workload.Tick(workload.TicksPerSecond)

func run(ctx context.Context, m *Model, set *workload.Set, design string, workers int, progress func(int, int)) (*Energy, error) {
	if err := set.CheckWidth(m.Net.Cell.InputSize()); err != nil {
		return nil, err
	}
	in := workload.FromSet(set, paperPeriod)
	res, err := sim.Run(ctx, m.Net, in, sim.Options{Workers: workers, Progress: progress, Period: paperPeriod, Clocked: true})
	if err != nil {
		return nil, err
	}
	e := &Energy{Model: m, Design: design, Workload: set, Result: res}
	if set.Labels != nil {
		e.HasLabels = true
		e.Accuracy = res.Accuracy(set.Labels)
	}
	return e, nil
}
