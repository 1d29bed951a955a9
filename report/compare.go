package report

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/workload"
)

// CompareOptions tune Compare.
type CompareOptions struct {
	// Baseline names the model every energy is divided by; "" picks the first
	// STPNr model in name order (the paper's STPN).
	Baseline string
	Design   string
	Workers  int
	// Progress, when set, is told which model starts and how far its run is.
	Progress func(model string, done, total int)

	design *design.Design // overrides Design (break-even analysis)
	meter  energy.Meter   // counts beyond what the design's prices need
}

// Comparison is every model of a set evaluated on the same inputs.
type Comparison struct {
	Set      string
	Inputs   *workload.Set
	Design   *design.Design
	Baseline string
	Rows     []CompareRow
}

// CompareRow is one model of a Comparison.
type CompareRow struct {
	*Energy
	MeanPerStep     energy.Paper
	MeanPerSequence energy.Paper
	// Ratio is MeanPerSequence divided by the baseline's.
	Ratio float64
	// JouleRatio is the mean joules per sequence divided by the baseline's
	// (interval: low by low, high by high).
	JouleRatio Interval
}

// Compare evaluates every model folder of a fixture set held in fsys: the
// set's root has inputs.npy and labels.npy (or one inputs_*.npy and
// labels_*.npy), and each folder with a model.pth and config.json is a model.
// name describes the set in reports.
func Compare(ctx context.Context, fsys fs.FS, name string, opt CompareOptions) (*Comparison, error) {
	d := opt.design
	if d == nil {
		var err error
		if d, err = LoadDesign(opt.Design); err != nil {
			return nil, err
		}
	}
	set, err := loadSet(fsys, name)
	if err != nil {
		return nil, err
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("set %s: %w", name, err)
	}
	cmp := &Comparison{Set: name, Inputs: set, Design: d}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		ckptName := path.Join(e.Name(), "model.pth")
		ckpt, err := fs.ReadFile(fsys, ckptName)
		if err != nil {
			continue // not a model folder
		}
		cfgName := path.Join(e.Name(), "config.json")
		cfg, err := fs.ReadFile(fsys, cfgName)
		if err != nil {
			return nil, fmt.Errorf("set %s: model %s has no config.json", name, e.Name())
		}
		m, err := DecodeModel(path.Join(name, ckptName), ckpt, path.Join(name, cfgName), cfg, "")
		if err != nil {
			return nil, err
		}
		m.Name = e.Name()
		var progress func(int, int)
		if opt.Progress != nil {
			progress = func(done, total int) { opt.Progress(m.Name, done, total) }
		}
		en, err := Evaluate(ctx, m, d, set, nil, EvalOptions{Workers: opt.Workers, Progress: progress, Meter: opt.meter})
		if err != nil {
			return nil, err
		}
		cmp.Rows = append(cmp.Rows, CompareRow{
			Energy: en, MeanPerStep: en.Result.MeanPerStep(), MeanPerSequence: en.Result.MeanPerSequence(),
		})
	}
	if len(cmp.Rows) == 0 {
		return nil, fmt.Errorf("set %s: no model folders (with model.pth and config.json)", name)
	}
	sort.SliceStable(cmp.Rows, func(i, j int) bool { return cmp.Rows[i].Model.Name < cmp.Rows[j].Model.Name })
	base := -1
	for i, r := range cmp.Rows {
		if (opt.Baseline == "" && r.Model.Unit == arch.STPNr) || r.Model.Name == opt.Baseline {
			base = i
			break
		}
	}
	if base < 0 {
		names := make([]string, len(cmp.Rows))
		for i, r := range cmp.Rows {
			names[i] = r.Model.Name
		}
		if opt.Baseline != "" {
			return nil, fmt.Errorf("set %s: no model %q to compare against (models: %s)", name, opt.Baseline, strings.Join(names, ", "))
		}
		base = 0 // no STPN in the set: compare against the first model
	}
	cmp.Baseline = cmp.Rows[base].Model.Name
	b := cmp.Rows[base]
	for i := range cmp.Rows {
		r := &cmp.Rows[i]
		r.Ratio = float64(r.MeanPerSequence / b.MeanPerSequence)
		// Both models at the same end of the design's ranges (the same
		// technology), so the ratio is per end, reported low to high.
		lo, hi := float64(r.Joules.Total.Lo/b.Joules.Total.Lo), float64(r.Joules.Total.Hi/b.Joules.Total.Hi)
		r.JouleRatio = Interval{Lo: min(lo, hi), Hi: max(lo, hi)}
	}
	return cmp, nil
}

// loadSet reads the inputs and labels at the root of a fixture set.
func loadSet(fsys fs.FS, name string) (*workload.Set, error) {
	in, err := findStem(fsys, name, "inputs")
	if err != nil {
		return nil, err
	}
	data, err := fs.ReadFile(fsys, in)
	if err != nil {
		return nil, fmt.Errorf("set %s: %w", name, err)
	}
	set, err := workload.DecodeInputs(path.Join(name, in), data)
	if err != nil {
		return nil, err
	}
	lab, err := findStem(fsys, name, "labels")
	if err != nil {
		return nil, err
	}
	if data, err = fs.ReadFile(fsys, lab); err != nil {
		return nil, fmt.Errorf("set %s: %w", name, err)
	}
	return set, set.DecodeLabels(path.Join(name, lab), data)
}

// findStem returns stem.npy, or the single stem_*.npy (the perf set names its
// files inputs_64.npy).
func findStem(fsys fs.FS, name, stem string) (string, error) {
	if _, err := fs.Stat(fsys, stem+".npy"); err == nil {
		return stem + ".npy", nil
	}
	alts, _ := fs.Glob(fsys, stem+"_*.npy")
	if len(alts) != 1 {
		return "", fmt.Errorf("set %s: no %s.npy", name, stem)
	}
	return alts[0], nil
}
