package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/internal/yamlnode"
	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/workload"
)

// MaxSpecSize bounds a spec file; a real one is a few kilobytes.
const MaxSpecSize = 1 << 20

// Spec is a sweep as its file says it, before anything is loaded or
// enumerated. Paths are as written, relative to Dir.
type Spec struct {
	File string // as given, for messages
	Dir  string // directory of the file: relative paths start there
	Text []byte // the file's bytes

	Name   string
	Models []ModelSpec
	Inputs InputSpec
	// Design is the base design: a preset name or a design file.
	Design     string
	DesignLine int
	Axes       []AxisSpec
	// Seeds is the number of Monte-Carlo seeds: each point is run with the
	// base design's seed, seed+1, … seed+Seeds−1 (device variation and
	// read noise draw from it).
	Seeds int
	// Random is the number of points drawn at random (0: the full grid),
	// from RandomSeed.
	Random     int
	RandomSeed uint64
}

// ModelSpec is one entry of the models list: every model of a set (Set,
// optionally only some), or one checkpoint.
type ModelSpec struct {
	Line int
	// Set is a set directory (model folders with model.pth and
	// config.json, like compare --set) or "embedded" for the reference ART
	// set built into neurosim.
	Set  string
	Only []string
	// Checkpoint and Config name one model (Config "" = config.json beside
	// the checkpoint); Name defaults to the checkpoint's folder name.
	Checkpoint, Config, Name, StateKey string
}

// InputSpec is what the models run on: a set's inputs and labels, an
// inputs/labels pair of .npy files, an event file, or the ART generator.
type InputSpec struct {
	Line           int
	Set            string
	Inputs, Labels string
	Events         string
	ART            *workload.ARTConfig
}

// AxisSpec is one axis: a dotted design key and either a list of values or
// {from, to, steps, log}.
type AxisSpec struct {
	Key  string
	Line int // of the key
	// List holds the values as written (each with its line).
	List []*yaml.Node
	// From and To are the ends of a generated axis (nodes, for their units
	// and lines); Steps its number of values (0 in random mode = drawn from
	// the continuous interval); Log spaces them geometrically.
	From, To *yaml.Node
	Steps    int
	Log      bool
	Node     *yaml.Node // the axis value as written
}

// Files lists the files a run of the spec reads — the spec itself, a
// design file, checkpoints, configs, inputs, labels and events — and the
// set folders it names ("embedded" is not one), resolved like Prepare
// resolves them, so that no output of the run overwrites one of them.
func (s *Spec) Files() (files, sets []string) {
	files = append(files, s.File)
	if !slices.Contains(design.PresetNames(), s.Design) {
		files = append(files, s.resolve(s.Design))
	}
	set := func(dir string) {
		if dir != "" && dir != Embedded {
			sets = append(sets, s.resolve(dir))
		}
	}
	for _, m := range s.Models {
		set(m.Set)
		if m.Checkpoint != "" {
			ckpt := s.resolve(m.Checkpoint)
			cfg := report.ConfigBeside(ckpt)
			if m.Config != "" {
				cfg = s.resolve(m.Config)
			}
			files = append(files, ckpt, cfg)
		}
	}
	set(s.Inputs.Set)
	for _, f := range []string{s.Inputs.Inputs, s.Inputs.Labels, s.Inputs.Events} {
		if f != "" {
			files = append(files, s.resolve(f))
		}
	}
	return files, sets
}

// Error is a bad spec: the file, the line when known, and the problem, as
// one line: "sweep s.yaml:12: axes: synapse.levels: ...".
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("sweep %s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("sweep %s: %s", e.File, e.Msg)
}

// Limits on what a spec may ask for, checked before anything runs.
const (
	MaxAxes   = 16
	MaxValues = 10000   // per axis
	MaxSeeds  = 10000   // Monte-Carlo seeds per point
	MaxRows   = 1 << 20 // points × models × seeds
)

// Embedded names the reference ART set built into neurosim.
const Embedded = "embedded"

var topKeys = []string{"name", "models", "inputs", "design", "axes", "seeds", "mode"}

// LoadSpec reads and parses a spec file.
func LoadSpec(path string) (*Spec, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{File: path, Msg: unwrapPath(err).Error()}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSpecSize+1))
	if err != nil {
		return nil, &Error{File: path, Msg: unwrapPath(err).Error()}
	}
	return ParseSpec(path, data)
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// ParseSpec parses a spec; file names it in messages and gives the
// directory relative paths start from. Unknown or duplicate keys, anchors
// and aliases, and malformed values are errors with their line. Axis values
// are checked against the design by Prepare, which has it.
func ParseSpec(file string, data []byte) (s *Spec, err error) {
	if len(data) > MaxSpecSize {
		return nil, &Error{File: file, Msg: fmt.Sprintf("larger than the limit of %d bytes", MaxSpecSize)}
	}
	defer func() {
		if r := recover(); r != nil { // untrusted YAML: a parser bug is an error, not a crash
			s, err = nil, &Error{File: file, Msg: fmt.Sprintf("malformed YAML: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: file, Msg: "empty file; want a mapping with keys " + strings.Join(topKeys, ", ")}
		}
		line, msg := yamlnode.Syntax(data, err)
		return nil, &Error{File: file, Line: line, Msg: "malformed YAML: " + msg}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &Error{File: file, Line: extra.Line, Msg: "more than one YAML document; want one sweep per file"}
	case !errors.Is(err, io.EOF):
		line, msg := yamlnode.Syntax(data, err)
		return nil, &Error{File: file, Line: line, Msg: "malformed YAML: " + msg}
	}
	p := &specParser{file: file}
	s = &Spec{File: file, Dir: filepath.Dir(file), Text: data, Seeds: 1}
	if err := p.parse(&doc, s); err != nil {
		return nil, err
	}
	return s, nil
}

type specParser struct{ file string }

func (p *specParser) errorf(n *yaml.Node, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// plain refuses anchors, aliases and tags other than the core ones, so that
// a spec reads the same to people as to the parser.
func (p *specParser) plain(n *yaml.Node, what string) error {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return p.errorf(n, "%s: anchors and aliases are not allowed", what)
	}
	return nil
}

// mapping walks a mapping node in order, refusing duplicate keys and keys
// not in allowed (nil: any key, as for axes).
func (p *specParser) mapping(n *yaml.Node, what string, allowed []string, fn func(k, v *yaml.Node) error) error {
	if err := p.plain(n, what); err != nil {
		return err
	}
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "%s: want a mapping, found %s", what, yamlnode.Kind(n))
	}
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := p.plain(k, what); err != nil {
			return err
		}
		if err := p.plain(v, what); err != nil {
			return err
		}
		if k.Kind != yaml.ScalarNode {
			return p.errorf(k, "%s: keys must be plain words, found %s", what, yamlnode.Kind(k))
		}
		if l, dup := first[k.Value]; dup {
			return p.errorf(k, "%s: duplicate key %q (first at line %d)", what, k.Value, l)
		}
		first[k.Value] = k.Line
		if allowed != nil && !slices.Contains(allowed, k.Value) {
			return p.errorf(k, "%s: unknown key %q; supported: %s", what, k.Value, strings.Join(allowed, ", "))
		}
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (p *specParser) text(n *yaml.Node, what string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag == "!!null" {
		return "", p.errorf(n, "%s: want a line of text, found %s", what, yamlnode.Kind(n))
	}
	if strings.ContainsAny(n.Value, "\n\r") || n.Value == "" {
		return "", p.errorf(n, "%s: want one non-empty line of text", what)
	}
	return n.Value, nil
}

func (p *specParser) whole(n *yaml.Node, what string, lo, hi int) (int, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, p.errorf(n, "%s: want a whole number from %d to %d, found %s", what, lo, hi, yamlnode.Kind(n))
	}
	v, err := strconv.ParseInt(strings.TrimSpace(n.Value), 10, 64)
	if err != nil || v < int64(lo) || v > int64(hi) {
		return 0, p.errorf(n, "%s: %q is not a whole number from %d to %d", what, n.Value, lo, hi)
	}
	return int(v), nil
}

func (p *specParser) parse(doc *yaml.Node, s *Spec) error {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return p.errorf(doc, "not a YAML document")
	}
	root := doc.Content[0]
	seen := map[string]bool{}
	err := p.mapping(root, "the top level", topKeys, func(k, v *yaml.Node) error {
		seen[k.Value] = true
		switch k.Value {
		case "name":
			name, err := p.text(v, "name")
			if err != nil {
				return err
			}
			s.Name = name
		case "models":
			return p.models(v, s)
		case "inputs":
			return p.inputs(v, s)
		case "design":
			d, err := p.text(v, "design")
			if err != nil {
				return err
			}
			s.Design, s.DesignLine = d, v.Line
		case "axes":
			return p.axes(v, s)
		case "seeds":
			n, err := p.whole(v, "seeds", 1, MaxSeeds)
			if err != nil {
				return err
			}
			s.Seeds = n
		case "mode":
			return p.mode(v, s)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range []string{"name", "models", "design", "axes"} {
		if !seen[k] {
			return &Error{File: p.file, Msg: k + ": missing; a sweep needs " + strings.Join([]string{"name", "models", "design", "axes"}, ", ")}
		}
	}
	return nil
}

// models reads a list of {set, only} or {checkpoint, config, name,
// state_key}; a single mapping is read as a list of one.
func (p *specParser) models(n *yaml.Node, s *Spec) error {
	items := []*yaml.Node{n}
	if n.Kind == yaml.SequenceNode {
		items = n.Content
	}
	if len(items) == 0 {
		return p.errorf(n, "models: empty list; want at least one model or set")
	}
	for _, it := range items {
		m := ModelSpec{Line: it.Line}
		err := p.mapping(it, "models", []string{"set", "only", "checkpoint", "config", "name", "state_key"}, func(k, v *yaml.Node) error {
			if k.Value == "only" {
				if v.Kind != yaml.SequenceNode || len(v.Content) == 0 {
					return p.errorf(v, "models: only: want a list of model names, found %s", yamlnode.Kind(v))
				}
				for _, e := range v.Content {
					name, err := p.text(e, "models: only")
					if err != nil {
						return err
					}
					m.Only = append(m.Only, name)
				}
				return nil
			}
			field := map[string]*string{"set": &m.Set, "checkpoint": &m.Checkpoint, "config": &m.Config,
				"name": &m.Name, "state_key": &m.StateKey}[k.Value]
			var err error
			*field, err = p.text(v, "models: "+k.Value)
			return err
		})
		if err != nil {
			return err
		}
		switch {
		case m.Set == "" && m.Checkpoint == "":
			return p.errorf(it, "models: each entry needs set (a set folder, or %q) or checkpoint", Embedded)
		case m.Set != "" && (m.Checkpoint != "" || m.Config != "" || m.Name != "" || m.StateKey != ""):
			return p.errorf(it, "models: set and checkpoint/config/name/state_key are exclusive")
		case m.Checkpoint != "" && m.Only != nil:
			return p.errorf(it, "models: only applies to a set")
		}
		s.Models = append(s.Models, m)
	}
	return nil
}

func (p *specParser) inputs(n *yaml.Node, s *Spec) error {
	in := InputSpec{Line: n.Line}
	err := p.mapping(n, "inputs", []string{"set", "inputs", "labels", "events", "art"}, func(k, v *yaml.Node) error {
		if k.Value == "art" {
			var c workload.ARTConfig
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				in.ART = &c
				return nil
			}
			err := p.mapping(v, "inputs: art", []string{"n", "seed"}, func(k, v *yaml.Node) error {
				if k.Value == "n" {
					n, err := p.whole(v, "inputs: art: n", 1, workload.MaxARTN)
					c.N = n
					return err
				}
				seed, err := strconv.ParseUint(strings.TrimSpace(v.Value), 10, 64)
				if v.Kind != yaml.ScalarNode || err != nil {
					return p.errorf(v, "inputs: art: seed: want a whole number from 0 to 2^64−1, found %s", yamlnode.Kind(v))
				}
				c.Seed = seed
				return nil
			})
			in.ART = &c
			return err
		}
		field := map[string]*string{"set": &in.Set, "inputs": &in.Inputs, "labels": &in.Labels, "events": &in.Events}[k.Value]
		var err error
		*field, err = p.text(v, "inputs: "+k.Value)
		return err
	})
	if err != nil {
		return err
	}
	kinds := 0
	for _, set := range []bool{in.Set != "", in.Inputs != "", in.Events != "", in.ART != nil} {
		if set {
			kinds++
		}
	}
	switch {
	case kinds != 1:
		return p.errorf(n, "inputs: want exactly one of set, inputs (with labels), events (with labels) or art")
	case in.Labels != "" && in.Inputs == "" && in.Events == "":
		return p.errorf(n, "inputs: labels go with inputs or events (a set and the ART generator have their own)")
	}
	s.Inputs = in
	return nil
}

// axes reads the mapping of dotted design keys to a list of values or to
// {from, to, steps, log}. Keys are checked against the design by Prepare.
func (p *specParser) axes(n *yaml.Node, s *Spec) error {
	if n.Kind == yaml.MappingNode && len(n.Content) == 0 {
		return p.errorf(n, "axes: empty; want at least one dotted design key, such as synapse.levels: [4, 8, 16]")
	}
	err := p.mapping(n, "axes", nil, func(k, v *yaml.Node) error {
		a := AxisSpec{Key: k.Value, Line: k.Line, Node: v}
		what := "axes: " + k.Value
		switch v.Kind {
		case yaml.SequenceNode:
			if len(v.Content) == 0 {
				return p.errorf(v, "%s: empty list of values", what)
			}
			if len(v.Content) > MaxValues {
				return p.errorf(v, "%s: %d values, the limit is %d", what, len(v.Content), MaxValues)
			}
			for _, e := range v.Content {
				if err := p.plain(e, what); err != nil {
					return err
				}
				if e.Kind != yaml.ScalarNode || e.Tag == "!!null" {
					return p.errorf(e, "%s: each value is one figure as a design file writes it (a range [low, high] is not an axis value), found %s", what, yamlnode.Kind(e))
				}
			}
			a.List = v.Content
		case yaml.MappingNode:
			err := p.mapping(v, what, []string{"from", "to", "steps", "log"}, func(k, w *yaml.Node) error {
				switch k.Value {
				case "from", "to":
					if w.Kind != yaml.ScalarNode || w.Tag == "!!null" {
						return p.errorf(w, "%s: %s: want one value, found %s", what, k.Value, yamlnode.Kind(w))
					}
					if k.Value == "from" {
						a.From = w
					} else {
						a.To = w
					}
				case "steps":
					n, err := p.whole(w, what+": steps", 1, MaxValues)
					if err != nil {
						return err
					}
					a.Steps = n
				case "log":
					b, err := strconv.ParseBool(w.Value)
					if w.Kind != yaml.ScalarNode || err != nil {
						return p.errorf(w, "%s: log: want true or false, found %s", what, yamlnode.Kind(w))
					}
					a.Log = b
				}
				return nil
			})
			if err != nil {
				return err
			}
			if a.From == nil || a.To == nil {
				return p.errorf(v, "%s: want from and to (and steps, and log: true for geometric spacing)", what)
			}
		default:
			return p.errorf(v, "%s: want a list of values or {from, to, steps, log}, found %s", what, yamlnode.Kind(v))
		}
		s.Axes = append(s.Axes, a)
		return nil
	})
	if err != nil {
		return err
	}
	if len(s.Axes) > MaxAxes {
		return p.errorf(n, "axes: %d axes, the limit is %d", len(s.Axes), MaxAxes)
	}
	return nil
}

// mode reads "grid" or {random: K, seed: S}.
func (p *specParser) mode(n *yaml.Node, s *Spec) error {
	if n.Kind == yaml.ScalarNode && n.Value == "grid" {
		s.Random = 0
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, "mode: want grid or {random: K, seed: S}, found %s", yamlnode.Kind(n))
	}
	got := false
	err := p.mapping(n, "mode", []string{"random", "seed"}, func(k, v *yaml.Node) error {
		if k.Value == "random" {
			got = true
			k, err := p.whole(v, "mode: random", 1, MaxRows)
			s.Random = k
			return err
		}
		seed, err := strconv.ParseUint(strings.TrimSpace(v.Value), 10, 64)
		if v.Kind != yaml.ScalarNode || err != nil {
			return p.errorf(v, "mode: seed: want a whole number from 0 to 2^64−1, found %s", yamlnode.Kind(v))
		}
		s.RandomSeed = seed
		return nil
	})
	if err != nil {
		return err
	}
	if !got {
		return p.errorf(n, "mode: want grid or {random: K, seed: S}; random is missing")
	}
	return nil
}
