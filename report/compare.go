package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/input"
	"github.com/neurosim/neurosim/workload"
)

// CompareOptions tune Compare.
type CompareOptions struct {
	// Baseline names the model every energy is divided by; "" picks the first
	// STPNr model in name order (the paper's STPN).
	Baseline string
	// Models selects model folders by a shell pattern on their names
	// (path.Match: "PONG_*"); "" selects every one.
	Models  string
	Design  string
	Workers int
	// Progress, when set, is told which model starts and how far its run is.
	Progress func(model string, done, total int)
	// KeepSteps keeps per-step counts (Energy.StepMeanJoules, for plots).
	KeepSteps bool

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

// Energies lists the models' runs in row order.
func (c *Comparison) Energies() []*Energy {
	es := make([]*Energy, len(c.Rows))
	for i := range c.Rows {
		es[i] = c.Rows[i].Energy
	}
	return es
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

// member is one model folder of a set: its checkpoint, config and the
// inputs it takes, as paths in the set.
type member struct{ name, ckpt, cfg, inputs string }

// Compare evaluates every model folder of a set held in fsys on the same
// inputs. A model folder holds model.pth and a config (ConfigNames: the
// paper's config.json, a reference agent's spec.json or an RLlib
// params.json). The inputs are the set's inputs.npy or observations.npy (or
// its one inputs_*.npy or observations_*.npy), or the file a spec.json
// names (observations.file, relative to its folder); labels.npy (or one
// labels_*.npy), when present, gives accuracies. Every selected model must
// take the same inputs: an agent set holds agents that share their
// observations. name describes the set in reports.
func Compare(ctx context.Context, fsys fs.FS, name string, opt CompareOptions) (*Comparison, error) {
	d := opt.design
	if d == nil {
		var err error
		if d, err = LoadDesign(opt.Design); err != nil {
			return nil, err
		}
	}
	members, set, err := readSet(fsys, name, opt.Models)
	if err != nil {
		return nil, err
	}
	cmp := &Comparison{Set: name, Inputs: set, Design: d}
	for _, mb := range members {
		m, err := mb.model(fsys, name)
		if err != nil {
			return nil, err
		}
		var progress func(int, int)
		if opt.Progress != nil {
			progress = func(done, total int) { opt.Progress(m.Name, done, total) }
		}
		en, err := Evaluate(ctx, m, d, set, nil, EvalOptions{Workers: opt.Workers, Progress: progress, Meter: opt.meter, KeepSteps: opt.KeepSteps})
		if err != nil {
			return nil, err
		}
		cmp.Rows = append(cmp.Rows, CompareRow{
			Energy: en, MeanPerStep: en.Result.MeanPerStep(), MeanPerSequence: en.Result.MeanPerSequence(),
		})
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

// readSet reads the model folders of a set that match pattern ("" for all)
// and the inputs they share.
func readSet(fsys fs.FS, name, pattern string) ([]member, *workload.Set, error) {
	members, err := setMembers(fsys, name, pattern)
	if err != nil {
		return nil, nil, err
	}
	set, err := loadSet(fsys, name, members[0].inputs)
	return members, set, err
}

// model reads and builds the model of a set's folder, named after it.
func (mb member) model(fsys fs.FS, name string) (*Model, error) {
	ckptName, cfgName := path.Join(name, mb.ckpt), path.Join(name, mb.cfg)
	sd, err := checkpoint.LoadFS(fsys, mb.ckpt, ckptName, checkpoint.Options{})
	if err != nil {
		return nil, err
	}
	cfg, err := readSetFile(fsys, name, mb.cfg, arch.MaxFileBytes, "--max-config-bytes")
	if err != nil {
		return nil, err
	}
	desc, err := arch.ParseNetwork(cfgName, cfg)
	if err != nil {
		return nil, err
	}
	m, err := newModel(ckptName, cfgName, sd, desc)
	if err != nil {
		return nil, err
	}
	m.Name = mb.name
	return m, nil
}

// setMembers lists the model folders of a set that match pattern, in name
// order, and checks that they take the same inputs.
func setMembers(fsys fs.FS, name, pattern string) ([]member, error) {
	if pattern != "" {
		if _, err := path.Match(pattern, ""); err != nil {
			return nil, fmt.Errorf("--models %q: %v", pattern, err)
		}
	}
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		return nil, fmt.Errorf("set %s: %w", name, err)
	}
	var (
		members []member
		all     []string
	)
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		ckpt := path.Join(e.Name(), "model.pth")
		if _, err := fs.Stat(fsys, ckpt); err != nil {
			continue // not a model folder
		}
		all = append(all, e.Name())
		if ok, _ := path.Match(pattern, e.Name()); pattern != "" && !ok {
			continue
		}
		mb := member{name: e.Name(), ckpt: ckpt}
		for _, c := range ConfigNames {
			if _, err := fs.Stat(fsys, path.Join(e.Name(), c)); err == nil {
				mb.cfg = path.Join(e.Name(), c)
				break
			}
		}
		if mb.cfg == "" {
			return nil, fmt.Errorf("set %s: model %s has no %s", name, e.Name(), strings.Join(ConfigNames, ", "))
		}
		if mb.inputs, err = memberInputs(fsys, name, mb); err != nil {
			return nil, err
		}
		members = append(members, mb)
	}
	if len(members) == 0 {
		if pattern != "" && len(all) > 0 {
			return nil, fmt.Errorf("set %s: no model matches --models %q (models: %s)", name, pattern, strings.Join(all, ", "))
		}
		return nil, fmt.Errorf("set %s: no model folders (with model.pth and %s)", name, strings.Join(ConfigNames, ", "))
	}
	groups := map[string][]string{}
	var order []string
	for _, mb := range members {
		if _, ok := groups[mb.inputs]; !ok {
			order = append(order, mb.inputs)
		}
		groups[mb.inputs] = append(groups[mb.inputs], mb.name)
	}
	if len(order) > 1 {
		sort.Strings(order)
		parts := make([]string, len(order))
		for i, in := range order {
			parts[i] = in + ": " + strings.Join(groups[in], ", ")
		}
		return nil, fmt.Errorf("set %s: the models take different inputs (%s); compare one group at a time with --models, e.g. --models '%s'",
			name, strings.Join(parts, "; "), commonPrefix(groups[order[0]])+"*")
	}
	return members, nil
}

// memberInputs is the inputs file of a model: the observations its
// spec.json names, or the set's own.
func memberInputs(fsys fs.FS, name string, mb member) (string, error) {
	if path.Base(mb.cfg) == "spec.json" {
		data, err := readSetFile(fsys, name, mb.cfg, arch.MaxFileBytes, "--max-config-bytes")
		if err != nil {
			return "", err
		}
		var spec struct {
			Observations struct {
				File string `json:"file"`
			} `json:"observations"`
		}
		if json.Unmarshal(data, &spec) == nil && spec.Observations.File != "" {
			p := path.Join(path.Dir(mb.cfg), spec.Observations.File)
			if !fs.ValidPath(p) {
				return "", fmt.Errorf("set %s: %s: observations.file %q lies outside the set", name, mb.cfg, spec.Observations.File)
			}
			return p, nil
		}
	}
	for _, stem := range []string{"inputs", "observations"} {
		if in, err := findStem(fsys, name, stem); err == nil {
			return in, nil
		}
	}
	return "", fmt.Errorf("set %s: no inputs.npy or observations.npy for model %s", name, mb.name)
}

func commonPrefix(names []string) string {
	p := names[0]
	for _, n := range names[1:] {
		for !strings.HasPrefix(n, p) {
			p = p[:len(p)-1]
		}
	}
	return p
}

// loadSet reads the inputs in of a set, and its labels when it has some.
func loadSet(fsys fs.FS, name, in string) (*workload.Set, error) {
	data, err := readSetFile(fsys, name, in, workload.MaxFileBytes, "--max-input-bytes")
	if err != nil {
		return nil, err
	}
	set, err := workload.DecodeInputs(path.Join(name, in), data)
	if err != nil {
		return nil, err
	}
	lab, err := findStem(fsys, name, "labels")
	if err != nil {
		return set, nil // no labels: no accuracy (an agent set)
	}
	if data, err = readSetFile(fsys, name, lab, workload.MaxFileBytes, "--max-input-bytes"); err != nil {
		return nil, err
	}
	return set, set.DecodeLabels(path.Join(name, lab), data)
}

// readSetFile reads the file file of a set through max bytes, the cap of the
// reader it is for (flag), as the readers of single files do: a regular
// file over the cap is refused before it is read, and a link to a stream
// (/dev/zero) once the stream passes it.
func readSetFile(fsys fs.FS, name, file string, max int64, flag string) ([]byte, error) {
	data, err := input.ReadFS(fsys, file, max)
	var se *input.SizeError
	switch {
	case errors.As(err, &se):
		return nil, fmt.Errorf("set %s: %s: %v (%s)", name, file, se, flag)
	case err != nil:
		return nil, fmt.Errorf("set %s: %w", name, err)
	}
	return data, nil
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
