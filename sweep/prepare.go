package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/internal/input"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/workload"
)

// Sweep is a spec made ready to run: its base design, axes and points
// checked, its models and inputs loaded, every row keyed.
type Sweep struct {
	Spec   *Spec
	Base   *design.Design
	Axes   []*Axis
	Points []Point
	Models []*Model
	Inputs *Inputs
	Rows   []Row
}

// Point is one combination of axis values (one per axis, in axis order).
type Point struct {
	Values []Value
}

// Model is a loaded model with the content key of its files.
type Model struct {
	*report.Model
	Source string // the set or checkpoint it came from, as the spec names it
	key    string
}

// Inputs is what every model runs on: a dense set or an event stream.
type Inputs struct {
	Name   string
	Set    *workload.Set
	Stream *workload.Stream // events; nil for a dense set
	key    string
	// events keeps the event file's bytes, decoded per input width.
	events     []byte
	eventsName string
	labels     []byte
	labelsName string
}

// Timed reports whether the inputs are event streams (step_period then
// changes what is simulated).
func (in *Inputs) Timed() bool { return in.Set == nil }

// Row is one (point, model, seed) of the sweep: the design it runs, and the
// content hash that names its result.
type Row struct {
	Point, Model int
	Seed         uint64
	Design       *design.Design
	DesignHash   string
	// Key names the result file: a hash of the model's files, the inputs
	// and the design's canonical YAML (DesignHash), so a result is found
	// again whatever spec, shard or order produced it.
	Key string
	// Sim is the simulation the row needs (design.SimulationKey): rows of
	// one model with the same Sim are priced from one run.
	Sim string
}

// Options say where relative paths and the embedded set come from.
type Options struct {
	// Embedded is the reference set a spec names as "embedded".
	Embedded fs.FS
}

// Prepare checks a spec against its base design and loads what it names.
// Every axis value and every point's design is validated here, before
// anything runs; an error names the spec file and the line of the value.
func Prepare(s *Spec, opt Options) (*Sweep, error) {
	sw := &Sweep{Spec: s}
	base, err := design.Lookup(s.resolve(s.Design))
	if err != nil {
		if !strings.ContainsAny(s.Design, `/\.`) && !fileExists(s.resolve(s.Design)) {
			return nil, &Error{File: s.File, Line: s.DesignLine, Msg: fmt.Sprintf("design: %q is neither a preset (%s) nor a file",
				s.Design, strings.Join(design.PresetNames(), ", "))}
		}
		return nil, &Error{File: s.File, Line: s.DesignLine, Msg: "design: " + err.Error()}
	}
	sw.Base = base
	for i := range s.Axes {
		ax, err := prepareAxis(s.File, base, &s.Axes[i], s.Random > 0)
		if err != nil {
			return nil, err
		}
		sw.Axes = append(sw.Axes, ax)
	}
	if err := sw.enumerate(); err != nil {
		return nil, err
	}
	if err := sw.loadModels(opt); err != nil {
		return nil, err
	}
	if err := sw.loadInputs(opt); err != nil {
		return nil, err
	}
	return sw, sw.rows()
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// resolve makes a path of the spec relative to the spec's directory; preset
// names (no separator, no dot) and absolute paths are kept.
func (s *Spec) resolve(p string) string {
	if p == "" || filepath.IsAbs(p) || p == Embedded {
		return p
	}
	if !strings.ContainsAny(p, `/\.`) && !fileExists(filepath.Join(s.Dir, p)) {
		return p // a preset name
	}
	return filepath.Join(s.Dir, p)
}

// enumerate lists the points: the grid, first axis slowest, or Random
// points drawn from a PCG seeded with RandomSeed (one draw per axis per
// point, in axis order), and checks every point's design.
func (sw *Sweep) enumerate() error {
	s := sw.Spec
	if s.Random > 0 {
		rng := rand.New(rand.NewPCG(s.RandomSeed, 0x7377656570)) // "sweep"
		for range s.Random {
			var p Point
			for _, ax := range sw.Axes {
				p.Values = append(p.Values, ax.draw(rng))
			}
			sw.Points = append(sw.Points, p)
		}
	} else {
		n := 1
		for _, ax := range sw.Axes {
			n *= len(ax.Values)
			if n > MaxRows {
				return &Error{File: s.File, Line: ax.spec.Line, Msg: fmt.Sprintf("axes: the grid has more than %d points", MaxRows)}
			}
		}
		idx := make([]int, len(sw.Axes))
		for range n {
			var p Point
			for a, ax := range sw.Axes {
				p.Values = append(p.Values, ax.Values[idx[a]])
			}
			sw.Points = append(sw.Points, p)
			for a := len(idx) - 1; a >= 0; a-- { // last axis fastest
				if idx[a]++; idx[a] < len(sw.Axes[a].Values) {
					break
				}
				idx[a] = 0
			}
		}
	}
	return nil
}

// design returns the design of point p at Monte-Carlo seed index k.
func (sw *Sweep) design(p *Point, k int) (*design.Design, error) {
	set := make([]design.Assignment, len(sw.Axes))
	for a, ax := range sw.Axes {
		set[a] = design.Assignment{Key: ax.Key, Value: p.Values[a].Node, Source: sourceOfAxis}
	}
	d, err := sw.Base.WithAll(set, sw.Spec.File)
	if err != nil {
		return nil, specError(sw.Spec.File, err)
	}
	d.Seed = sw.Base.Seed + uint64(k)
	return d, nil
}

func hashBytes(parts ...[]byte) string {
	h := sha256.New()
	for _, p := range parts {
		fmt.Fprintf(h, "%d:", len(p))
		h.Write(p)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadModels reads every model the spec names; names must be unique.
func (sw *Sweep) loadModels(opt Options) error {
	s := sw.Spec
	errAt := func(line int, format string, args ...any) error {
		return &Error{File: s.File, Line: line, Msg: "models: " + fmt.Sprintf(format, args...)}
	}
	seen := map[string]int{}
	add := func(line int, m *Model) error {
		if l, dup := seen[m.Name]; dup {
			return errAt(line, "model %s is named twice (first at line %d); give one a name", m.Name, l)
		}
		seen[m.Name] = line
		sw.Models = append(sw.Models, m)
		return nil
	}
	for _, ms := range s.Models {
		if ms.Checkpoint != "" {
			ckpt := s.resolve(ms.Checkpoint)
			cfg := ms.Config
			if cfg == "" {
				cfg = report.ConfigBeside(ckpt)
			} else {
				cfg = s.resolve(cfg)
			}
			cb, err := readCapped(ckpt, checkpoint.MaxBytes)
			if err != nil {
				return errAt(ms.Line, "checkpoint %s: %v", ckpt, err)
			}
			fb, err := readCapped(cfg, arch.MaxFileBytes)
			if err != nil {
				return errAt(ms.Line, "config %s: %v", cfg, err)
			}
			m, err := report.DecodeModel(ckpt, cb, cfg, fb, ms.StateKey)
			if err != nil {
				return errAt(ms.Line, "%v", err)
			}
			name := ms.Name
			if name == "" {
				name = filepath.Base(filepath.Dir(ckpt))
			}
			m.Name = name
			key := hashBytes([]byte("model"), []byte(name), cb, fb, []byte(ms.StateKey))
			if err := add(ms.Line, &Model{Model: m, Source: ms.Checkpoint, key: key}); err != nil {
				return err
			}
			continue
		}
		fsys, name, err := sw.setFS(opt, ms.Set)
		if err != nil {
			return errAt(ms.Line, "%v", err)
		}
		ckpts, _ := fs.Glob(fsys, "*/model.pth")
		slices.Sort(ckpts)
		found := map[string]bool{}
		for _, c := range ckpts {
			folder := path.Dir(c)
			if ms.Only != nil && !slices.Contains(ms.Only, folder) {
				continue
			}
			found[folder] = true
			// Through the readers' caps, as compare reads a set.
			cb, err := input.ReadFS(fsys, c, checkpoint.MaxBytes)
			if err != nil {
				return errAt(ms.Line, "set %s: %s: %v", name, c, err)
			}
			cfgFile := path.Join(folder, "config.json")
			if _, err := fs.Stat(fsys, cfgFile); err != nil {
				return errAt(ms.Line, "set %s: model %s has no config.json", name, folder)
			}
			fb, err := input.ReadFS(fsys, cfgFile, arch.MaxFileBytes)
			if err != nil {
				return errAt(ms.Line, "set %s: %s: %v", name, cfgFile, err)
			}
			m, err := report.DecodeModel(path.Join(name, c), cb, path.Join(name, folder, "config.json"), fb, "")
			if err != nil {
				return errAt(ms.Line, "%v", err)
			}
			m.Name = folder
			key := hashBytes([]byte("model"), []byte(folder), cb, fb, nil)
			if err := add(ms.Line, &Model{Model: m, Source: ms.Set, key: key}); err != nil {
				return err
			}
		}
		for _, o := range ms.Only {
			if !found[o] {
				var have []string
				for _, c := range ckpts {
					have = append(have, path.Dir(c))
				}
				return errAt(ms.Line, "set %s has no model %s (models: %s)", name, o, strings.Join(have, ", "))
			}
		}
		if len(ckpts) == 0 {
			return errAt(ms.Line, "set %s has no model folders (with model.pth and config.json)", name)
		}
	}
	return nil
}

// setFS opens a set directory, or the embedded reference set.
func (sw *Sweep) setFS(opt Options, set string) (fs.FS, string, error) {
	if set == Embedded {
		if opt.Embedded == nil {
			return nil, "", fmt.Errorf("no embedded set in this build")
		}
		return opt.Embedded, "embedded reference ART set", nil
	}
	dir := sw.Spec.resolve(set)
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, "", fmt.Errorf("set %s: not a directory", dir)
	}
	return os.DirFS(dir), dir, nil
}

// readCapped reads a file the spec names through the cap of the reader
// that decodes it (checkpoint.MaxBytes, arch.MaxFileBytes,
// workload.MaxFileBytes, workload.MaxEventsFileBytes: the --max-*-bytes
// flags), as a command given the file directly would: a file over the cap is
// refused before it is read. The bytes are kept to key the results.
func readCapped(p string, max int64) ([]byte, error) {
	data, err := input.ReadFile(p, max)
	if err != nil {
		return nil, unwrapPath(err)
	}
	return data, nil
}

// loadInputs reads the inputs; without an inputs entry, the models' set
// gives them when all models come from one set.
func (sw *Sweep) loadInputs(opt Options) error {
	s := sw.Spec
	in := s.Inputs
	errAt := func(format string, args ...any) error {
		return &Error{File: s.File, Line: in.Line, Msg: "inputs: " + fmt.Sprintf(format, args...)}
	}
	if in == (InputSpec{}) {
		for _, m := range s.Models {
			if m.Set == "" || (in.Set != "" && in.Set != m.Set) {
				return &Error{File: s.File, Msg: "inputs: missing; without it every model must come from one set, whose inputs are used"}
			}
			in.Set = m.Set
		}
	}
	x := &Inputs{}
	switch {
	case in.Set != "":
		fsys, name, err := sw.setFS(opt, in.Set)
		if err != nil {
			return errAt("%v", err)
		}
		set, raw, err := report.LoadSetFS(fsys, name)
		if err != nil {
			return errAt("%v", err)
		}
		if in.Set != Embedded {
			name = in.Set // as the spec writes it, whatever the working directory
		}
		x.Name, x.Set, x.key = name, set, hashBytes(append([][]byte{[]byte("dense")}, raw...)...)
	case in.Inputs != "":
		p := s.resolve(in.Inputs)
		data, err := readCapped(p, workload.MaxFileBytes)
		if err != nil {
			return errAt("%s: %v", p, err)
		}
		set, err := workload.DecodeInputs(p, data)
		if err != nil {
			return errAt("%v", err)
		}
		var lab []byte
		if in.Labels != "" {
			lp := s.resolve(in.Labels)
			if lab, err = readCapped(lp, workload.MaxFileBytes); err != nil {
				return errAt("%s: %v", lp, err)
			}
			if err := set.DecodeLabels(lp, lab); err != nil {
				return errAt("%v", err)
			}
		}
		x.Name, x.Set, x.key = in.Inputs, set, hashBytes([]byte("dense"), data, lab)
	case in.ART != nil:
		set, err := workload.ART(*in.ART)
		if err != nil {
			return errAt("%v", err)
		}
		x.Name, x.Set = set.Name, set
		x.key = hashBytes([]byte("art"), fmt.Appendf(nil, "%d %d", set.N, in.ART.Seed))
	case in.Events != "":
		p := s.resolve(in.Events)
		data, err := readCapped(p, workload.MaxEventsFileBytes)
		if err != nil {
			return errAt("%s: %v", p, err)
		}
		x.Name, x.events, x.eventsName = in.Events, data, p
		if in.Labels != "" {
			x.labelsName = s.resolve(in.Labels)
			if x.labels, err = readCapped(x.labelsName, workload.MaxFileBytes); err != nil {
				return errAt("%s: %v", x.labelsName, err)
			}
		}
		x.key = hashBytes([]byte("events"), data, x.labels)
		// Decode once per input width now, so that bad files fail before
		// anything runs.
		for _, m := range sw.Models {
			if _, err := x.stream(m.Input); err != nil {
				return errAt("%v", err)
			}
		}
	}
	if x.Set != nil {
		for _, m := range sw.Models {
			if err := x.Set.CheckWidth(m.Input); err != nil {
				return errAt("model %s: %v", m.Name, err)
			}
			if x.Set.Labels != nil {
				if err := x.Set.CheckLabels(m.Classes); err != nil {
					return errAt("model %s: %v", m.Name, err)
				}
			}
		}
	}
	sw.Inputs = x
	return nil
}

// stream decodes the event file for a model with width input channels.
func (in *Inputs) stream(width int) (*workload.Stream, error) {
	var (
		st  *workload.Stream
		err error
	)
	if strings.HasSuffix(strings.ToLower(in.eventsName), ".npz") {
		st, err = workload.DecodeEventsNPZ(in.eventsName, in.events, width)
	} else {
		st, err = workload.DecodeEventsCSV(in.eventsName, in.events, width)
	}
	if err != nil {
		return nil, err
	}
	if in.labels != nil {
		if err := st.DecodeLabels(in.labelsName, in.labels); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// rows builds every (point, model, seed) with its design and keys; this is
// where a combination of axis values that makes an invalid design is
// refused.
func (sw *Sweep) rows() error {
	s := sw.Spec
	if n := len(sw.Points) * len(sw.Models) * s.Seeds; n > MaxRows || n < 0 {
		return &Error{File: s.File, Msg: fmt.Sprintf("%d points × %d models × %d seeds is more than %d rows",
			len(sw.Points), len(sw.Models), s.Seeds, MaxRows)}
	}
	timed := sw.Inputs.Timed()
	for pi := range sw.Points {
		p := &sw.Points[pi]
		for k := range s.Seeds {
			d, err := sw.design(p, k)
			if err != nil {
				var e *Error
				if errors.As(err, &e) {
					e.Msg = fmt.Sprintf("point %d (%s): %s", pi, sw.describe(p), strings.TrimPrefix(e.Msg, "axes: "))
				}
				return err
			}
			if k == 0 {
				for a := range p.Values { // random values: the design's text
					p.Values[a].Text = d.Text(sw.Axes[a].Key)
				}
			}
			hash, err := d.Hash()
			if err != nil {
				return err
			}
			sim := design.SimulationKey(d, timed)
			for mi, m := range sw.Models {
				sw.Rows = append(sw.Rows, Row{
					Point: pi, Model: mi, Seed: d.Seed, Design: d, DesignHash: hash,
					Key: hashBytes([]byte(rowFormat), []byte(m.key), []byte(sw.Inputs.key), []byte(hash)),
					Sim: sim,
				})
			}
		}
	}
	// Rows are point-major, then seed, then model; the table lists them
	// point, model, seed.
	slices.SortStableFunc(sw.Rows, func(a, b Row) int {
		if a.Point != b.Point {
			return a.Point - b.Point
		}
		return a.Model - b.Model
	})
	return nil
}

// describe writes a point's axis values for messages: "synapse.levels=16, …".
func (sw *Sweep) describe(p *Point) string {
	parts := make([]string, len(sw.Axes))
	for a, ax := range sw.Axes {
		t := p.Values[a].Text
		if t == "" {
			t = p.Values[a].Node.Value
		}
		parts[a] = ax.Key + "=" + t
	}
	return strings.Join(parts, ", ")
}
