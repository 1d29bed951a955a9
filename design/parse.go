package design

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/neurosim/neurosim/internal/input"
	"github.com/neurosim/neurosim/internal/yamlnode"
)

// MaxFileSize bounds a design file; a real one is a few kilobytes.
const MaxFileSize = 1 << 20

// Load reads and parses the design file at path. The file is read through a
// bound of MaxFileSize bytes, so a huge or endless file is refused early.
func Load(path string) (*Design, error) {
	data, err := input.ReadFile(path, MaxFileSize)
	if err != nil {
		var se *input.SizeError
		if errors.As(err, &se) {
			return nil, &Error{File: path, Msg: fmt.Sprintf("larger than the limit of %d bytes", MaxFileSize)}
		}
		if pe, ok := err.(*fs.PathError); ok {
			err = pe.Err
		}
		return nil, &Error{File: path, Msg: err.Error()}
	}
	return Parse(path, data)
}

// Parse parses a design file; file names it in errors. Unknown keys at any
// level, duplicate keys, anchors and aliases, more than one YAML document and
// every invalid figure are errors naming the file, the line, the key and the
// problem.
func Parse(file string, data []byte) (d *Design, err error) {
	if len(data) > MaxFileSize {
		return nil, &Error{File: file, Msg: fmt.Sprintf("larger than the limit of %d bytes", MaxFileSize)}
	}
	defer func() {
		// go.yaml.in/yaml/v3 is not known to panic on any input, but a design
		// file is untrusted: a bug there must become an error, not a crash.
		if r := recover(); r != nil {
			d, err = nil, &Error{File: file, Msg: fmt.Sprintf("malformed YAML: %v", r)}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &Error{File: file, Msg: "empty file; want a YAML mapping with keys " + list(topKeys())}
		}
		return nil, yamlError(file, data, err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &Error{File: file, Line: extra.Line, Msg: "more than one YAML document; want one design per file"}
	case !errors.Is(err, io.EOF):
		return nil, yamlError(file, data, err)
	}
	p := &parser{file: file, lines: map[string]int{}, d: &Design{File: file}}
	if err := p.parse(&doc); err != nil {
		return nil, err
	}
	if err := p.d.Validate(); err != nil {
		var e *Error
		if errors.As(err, &e) && e.Line == 0 {
			e.Line = p.lines[e.Key]
		}
		return nil, err
	}
	return p.d, nil
}

// yamlError turns a yaml.v3 syntax error into one line with its line number.
func yamlError(file string, data []byte, err error) error {
	line, msg := yamlnode.Syntax(data, err)
	return &Error{File: file, Line: line, Msg: "malformed YAML: " + msg}
}

// parser walks the YAML node tree into a Design, remembering the line of every
// key it met for the errors of the checks that follow.
type parser struct {
	file  string
	lines map[string]int // dotted key → line
	d     *Design
}

func (p *parser) errorf(n *yaml.Node, key, format string, args ...any) error {
	line := 0
	if n != nil {
		line = n.Line
	}
	return &Error{File: p.file, Line: line, Key: key, Msg: fmt.Sprintf(format, args...)}
}

// topKeys lists the keys allowed at the top level, in file order.
func topKeys() []string {
	var keys []string
	for i := range schema {
		k := schema[i].key
		sec, _, nested := strings.Cut(k, ".")
		if !nested {
			keys = append(keys, k)
		} else if len(keys) == 0 || keys[len(keys)-1] != sec {
			keys = append(keys, sec)
		}
	}
	return append(keys, sourcesKey)
}

// sectionKeys lists the keys allowed inside a section.
func sectionKeys(sec string) []string {
	var keys []string
	for i := range schema {
		if s, k, ok := strings.Cut(schema[i].key, "."); ok && s == sec {
			keys = append(keys, k)
		}
	}
	return keys
}

func (p *parser) parse(doc *yaml.Node) error {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return p.errorf(doc, "", "not a YAML document")
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return p.errorf(root, "", "empty file; want a YAML mapping with keys %s", list(topKeys()))
	}
	err := p.mapping(root, "", topKeys(), func(key string, v *yaml.Node) error {
		switch {
		case key == sourcesKey:
			return p.sources(v)
		case isSection(key):
			return p.mapping(v, key, sectionKeys(key), func(sub string, v *yaml.Node) error {
				return p.leaf(leafOf(key+"."+sub), v)
			})
		default:
			return p.leaf(leafOf(key), v)
		}
	})
	if err != nil {
		return err
	}
	return p.presence()
}

func isSection(key string) bool {
	return contains(sections, key) || contains(optionalSections, key)
}

// mapping walks a mapping node, rejecting anchors, aliases, non-scalar keys,
// duplicate keys and keys not in allowed; fn gets each key and value.
func (p *parser) mapping(n *yaml.Node, path string, allowed []string, fn func(key string, v *yaml.Node) error) error {
	if err := p.plain(n, path); err != nil {
		return err
	}
	if n.Kind != yaml.MappingNode {
		what := "the top level"
		if path != "" {
			what = path
		}
		return p.errorf(n, path, "want a mapping of keys at %s, found %s", what, yamlnode.Kind(n))
	}
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := p.plain(k, path); err != nil {
			return err
		}
		if k.Kind != yaml.ScalarNode {
			return p.errorf(k, path, "keys must be plain words, found %s", yamlnode.Kind(k))
		}
		dotted := joinKey(path, k.Value)
		if line, dup := first[k.Value]; dup {
			return p.errorf(k, dotted, "duplicate key (first at line %d)", line)
		}
		first[k.Value] = k.Line
		if !contains(allowed, k.Value) {
			return p.errorf(k, dotted, "unknown key; supported: %s", list(allowed))
		}
		p.lines[dotted] = k.Line
		if err := p.plain(v, dotted); err != nil {
			return err
		}
		if err := fn(k.Value, v); err != nil {
			return err
		}
	}
	return nil
}

// plain rejects anchors and aliases: a design has no use for them, and
// refusing them rules out alias-expansion bombs.
func (p *parser) plain(n *yaml.Node, key string) error {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return p.errorf(n, key, "YAML anchors and aliases are not supported")
	}
	return nil
}

func joinKey(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// scalar returns the text of a scalar node, refusing lists, mappings and nulls.
func (p *parser) scalar(n *yaml.Node, key, want string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", p.errorf(n, key, "want %s, found %s", want, yamlnode.Kind(n))
	}
	if n.Tag == "!!null" {
		return "", p.errorf(n, key, "has no value; want %s", want)
	}
	return n.Value, nil
}

// leaf parses the value of one schema key into the design.
func (p *parser) leaf(l *leaf, v *yaml.Node) error {
	d := p.d
	switch l.kind {
	case kindText:
		s, err := p.scalar(v, l.key, "a line of text")
		if err != nil {
			return err
		}
		check := checkText
		if l.key == "name" {
			check = checkName
			d.Name = s
		} else {
			d.Source = s
		}
		if err := check(s); err != nil {
			return p.errorf(v, l.key, "%v", err)
		}
	case kindChoice:
		return p.choice(l, v)
	case kindLevels:
		s, err := p.scalar(v, l.key, "a whole number of levels")
		if err != nil {
			return err
		}
		n, err := parseLevels(s)
		if err != nil {
			return p.errorf(v, l.key, "%v", err)
		}
		d.Synapse.Levels = n
	case kindCount:
		s, err := p.scalar(v, l.key, fmt.Sprintf("a whole number from 0 to %d", l.max))
		if err != nil {
			return err
		}
		n, err := parseCount(s, l.max)
		if err != nil {
			return p.errorf(v, l.key, "%v", err)
		}
		*l.cnt(d) = n
	case kindSeed:
		s, err := p.scalar(v, l.key, "a whole number from 0 to 2^64−1")
		if err != nil {
			return err
		}
		n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return p.errorf(v, l.key, "%q is not a whole number from 0 to 2^64−1", s)
		}
		d.Seed = n
	case kindQuantity, kindNumber:
		if l.auto && v.Kind == yaml.ScalarNode && strings.TrimSpace(v.Value) == "auto" {
			d.Synapse.GPerUnitAuto = true
			return nil
		}
		r, err := p.figure(l, v)
		if err != nil {
			return err
		}
		*l.rng(d) = r
	}
	return nil
}

// parseLevels reads synapse.levels: 0, or a whole number from 2 to MaxLevels.
func parseLevels(s string) (int, error) {
	t := strings.TrimSpace(s)
	if num, rest := splitNumber(t); num != t || rest != "" || strings.ContainsAny(t, ".eE") {
		return 0, fmt.Errorf("%q is not a plain whole number; want 0 (continuous) or 2 to %d", s, MaxLevels)
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil { // out of int64 range: say so with the number given
		if strings.HasPrefix(t, "-") {
			return 0, fmt.Errorf("%s is negative; want 0 (continuous) or 2 to %d", t, MaxLevels)
		}
		return 0, fmt.Errorf("%s exceeds the limit of %d", t, MaxLevels)
	}
	if n < 0 || n == 1 || n > MaxLevels {
		return 0, errors.New(levelsProblem(n))
	}
	return int(n), nil
}

// parseCount reads a whole number from 0 to max.
func parseCount(s string, max int) (int, error) {
	t := strings.TrimSpace(s)
	if num, rest := splitNumber(t); num != t || rest != "" || strings.ContainsAny(t, ".eE+") {
		return 0, fmt.Errorf("%q is not a plain whole number; want 0 to %d", s, max)
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n < 0 || n > int64(max) {
		return 0, fmt.Errorf("%q is outside 0 … %d", s, max)
	}
	return int(n), nil
}

func (p *parser) choice(l *leaf, v *yaml.Node) error {
	var names []string
	switch l.key {
	case "synapse.mapping":
		names = mappingNames[:]
	case "input.encoding":
		names = encodingNames[:]
	case "plasticity.element":
		names = elementNames[:]
	case "plasticity.lambda_outside":
		names = policyNames[:]
	case "scope":
		names = scopeNames[:]
	}
	s, err := p.scalar(v, l.key, "one of "+list(names))
	if err != nil {
		return err
	}
	i := -1
	for j, n := range names {
		if n == s {
			i = j
		}
	}
	if i < 0 {
		return p.errorf(v, l.key, "%q is not supported; supported: %s", s, list(names))
	}
	switch l.key {
	case "synapse.mapping":
		p.d.Synapse.Mapping = Mapping(i)
	case "input.encoding":
		p.d.Input.Encoding = Encoding(i)
	case "plasticity.element":
		p.d.Plasticity.Element = Element(i)
	case "plasticity.lambda_outside":
		p.d.Plasticity.LambdaOutside = LambdaPolicy(i)
	case "scope":
		p.d.Scope = Scope(i)
	}
	return nil
}

// want describes what a figure key accepts.
func (l *leaf) want() string {
	if l.kind == kindNumber {
		return "a plain number"
	}
	w := l.dim.String()
	if l.ohm {
		w += " or " + Resistance.String()
	}
	if l.auto {
		w += ", or auto"
	}
	return w
}

// figure parses a quantity or dimensionless figure, point or [low, high].
func (p *parser) figure(l *leaf, v *yaml.Node) (Range, error) {
	switch v.Kind {
	case yaml.ScalarNode:
		s, err := p.scalar(v, l.key, l.want())
		if err != nil {
			return Range{}, err
		}
		q, err := p.value(l, v, s)
		if err != nil {
			return Range{}, err
		}
		g := toSI(q)
		return Range{Lo: g, Hi: g}, nil
	case yaml.SequenceNode:
		if len(v.Content) != 2 {
			return Range{}, p.errorf(v, l.key, "a range needs exactly two values [low, high], found %d", len(v.Content))
		}
		var q [2]quantity
		for i, n := range v.Content {
			if err := p.plain(n, l.key); err != nil {
				return Range{}, err
			}
			s, err := p.scalar(n, l.key, l.want()+" in the range")
			if err != nil {
				return Range{}, err
			}
			if q[i], err = p.value(l, n, s); err != nil {
				return Range{}, err
			}
		}
		if q[0].unit != q[1].unit {
			return Range{}, p.errorf(v, l.key, "range [%s, %s] mixes units %s and %s",
				v.Content[0].Value, v.Content[1].Value, q[0].unit, q[1].unit)
		}
		if q[0].v > q[1].v {
			return Range{}, p.errorf(v, l.key, "range [%s, %s] has low above high",
				v.Content[0].Value, v.Content[1].Value)
		}
		lo, hi := toSI(q[0]), toSI(q[1])
		if lo > hi { // resistances: the larger resistance is the lower conductance
			lo, hi = hi, lo
		}
		return Range{Lo: lo, Hi: hi}, nil
	}
	return Range{}, p.errorf(v, l.key, "want %s or a range [low, high], found %s", l.want(), yamlnode.Kind(v))
}

// value parses one written value of a figure and checks its dimension and sign.
func (p *parser) value(l *leaf, n *yaml.Node, s string) (quantity, error) {
	if l.kind == kindNumber {
		f, err := parseNumber(s)
		if err != nil {
			return quantity{}, p.errorf(n, l.key, "%v; want a plain number", err)
		}
		if f < 0 {
			return quantity{}, p.errorf(n, l.key, "%q is negative", s)
		}
		return quantity{v: f}, nil
	}
	if l.auto && strings.TrimSpace(s) == "auto" {
		return quantity{}, p.errorf(n, l.key, "auto cannot be one end of a range")
	}
	q, err := parseQuantity(s)
	if err != nil {
		return quantity{}, p.errorf(n, l.key, "%v; want %s", err, l.want())
	}
	if q.dim != l.dim && !(l.ohm && q.dim == Resistance) {
		return quantity{}, p.errorf(n, l.key, "%q is %s, want %s", s, dimNouns[q.dim], l.want())
	}
	if q.v < 0 {
		return quantity{}, p.errorf(n, l.key, "%q is negative", s)
	}
	if q.dim == Resistance && q.v == 0 {
		return quantity{}, p.errorf(n, l.key, "%q is a zero resistance, an infinite conductance", s)
	}
	return q, nil
}

// toSI converts a checked quantity to the key's SI unit (a resistance to its
// conductance). The conversion can underflow only for absurd resistances,
// which checkRange then sees as a zero conductance.
func toSI(q quantity) float64 {
	if q.dim == Resistance {
		return 1 / q.v
	}
	return q.v
}

// sources parses the sources mapping: dotted key → one line of text.
func (p *parser) sources(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil // "sources:" with nothing under it
	}
	if n.Kind != yaml.MappingNode {
		return p.errorf(n, sourcesKey, "want a mapping of figure keys to their sources, found %s", yamlnode.Kind(n))
	}
	src := map[string]string{}
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if err := p.plain(k, sourcesKey); err != nil {
			return err
		}
		if k.Kind != yaml.ScalarNode {
			return p.errorf(k, sourcesKey, "keys must be dotted figure keys, found %s", yamlnode.Kind(k))
		}
		key := sourcesKey + "." + k.Value
		if line, dup := first[k.Value]; dup {
			return p.errorf(k, key, "duplicate key (first at line %d)", line)
		}
		first[k.Value] = k.Line
		if err := p.plain(v, key); err != nil {
			return err
		}
		s, err := p.scalar(v, key, "a line of text")
		if err != nil {
			return err
		}
		p.lines[key] = k.Line
		src[k.Value] = s
	}
	p.d.Sources = src
	return nil
}

// presence checks, in schema order, that each section and each key the
// mapping needs is there, and that no key the mapping has no use for is.
func (p *parser) presence() error {
	m := p.d.Synapse.Mapping
	if _, ok := p.lines["name"]; !ok {
		return &Error{File: p.file, Key: "name", Msg: "missing; every design needs a name"}
	}
	if _, ok := p.lines["synapse"]; !ok {
		return &Error{File: p.file, Key: "synapse", Msg: "missing section; want mapping and its keys"}
	}
	if _, ok := p.lines["synapse.mapping"]; !ok {
		return &Error{File: p.file, Line: p.lines["synapse"], Key: "synapse.mapping",
			Msg: "missing; want one of " + list(mappingNames[:])}
	}
	for _, sec := range sections {
		if _, ok := p.lines[sec]; !ok {
			return &Error{File: p.file, Key: sec, Msg: fmt.Sprintf("missing section; mapping %v needs %s",
				m, list(p.needed(sec)))}
		}
	}
	for i := range schema {
		l := &schema[i]
		line, present := p.lines[l.key]
		switch {
		case l.use[m] == required && !present && l.key != "name" &&
			!(l.key == "readout.adc_energy" && p.lines["array.adc_fom"] > 0):
			sec, _, _ := strings.Cut(l.key, ".")
			return &Error{File: p.file, Line: p.lines[sec], Key: l.key,
				Msg: fmt.Sprintf("missing; mapping %v needs %s (%s)", m, l.doc, l.wantShort())}
		case l.use[m] == forbidden && present:
			msg := fmt.Sprintf("not used by mapping %v, which has no %s; remove it", m, l.doc)
			if l.key == "synapse.synop_energy" {
				msg = fmt.Sprintf("only for mapping digital; mapping %v charges synaptic reads as G·V²·t", m)
			}
			return &Error{File: p.file, Line: line, Key: l.key, Msg: msg}
		}
	}
	return nil
}

// needed lists the required keys of a section under the design's mapping.
func (p *parser) needed(sec string) []string {
	var keys []string
	for i := range schema {
		l := &schema[i]
		if s, k, ok := strings.Cut(l.key, "."); ok && s == sec && l.use[p.d.Synapse.Mapping] == required {
			keys = append(keys, k)
		}
	}
	return keys
}

// wantShort is what a missing key should hold, briefly.
func (l *leaf) wantShort() string {
	switch l.kind {
	case kindChoice:
		switch l.key {
		case "input.encoding":
			return list(encodingNames[:])
		case "plasticity.element":
			return list(elementNames[:])
		}
	case kindQuantity:
		return l.want()
	case kindNumber:
		return "a plain number"
	}
	return "a value"
}
