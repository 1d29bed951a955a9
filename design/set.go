package design

import (
	"errors"
	"fmt"
	"maps"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// With returns a copy of d whose figure at the dotted key ("synapse.levels",
// "input.v_read", "plasticity.element") is set from v, a YAML value as a
// design file would hold it — so units, prefixes, ranges [low, high], "auto"
// and the words of a choice read exactly as in a file — and validated as a
// whole. source, when not empty, replaces the figure's source. file names
// where v comes from in errors (with v's line), for example a sweep spec.
// d is not changed.
func (d *Design) With(key string, v *yaml.Node, source, file string) (*Design, error) {
	return d.WithAll([]Assignment{{Key: key, Value: v, Source: source}}, file)
}

// Assignment sets one figure of a design: its dotted key, its value as a
// YAML node (the node's line is used in errors), and, when not empty, the
// source that replaces the figure's.
type Assignment struct {
	Key    string
	Value  *yaml.Node
	Source string
}

// WithAll is With for several figures at once: each is set in turn and the
// design is validated once at the end, so that figures that constrain each
// other (g_min and g_max) can move together. An error names file and the
// line of the value it is about (for a check between figures, the line of
// the key the check names, else of the first value).
func (d *Design) WithAll(set []Assignment, file string) (*Design, error) {
	c, lines, err := d.assign(set, file)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.File = file
			if e.Line == 0 {
				e.Line = lines[e.Key]
			}
			if e.Line == 0 && len(set) > 0 {
				e.Line = line(set[0].Value)
			}
		}
		return nil, err
	}
	return c, nil
}

// assign returns a copy of d with the assignments made, not validated as a
// whole, and the line of each key's value.
func (d *Design) assign(set []Assignment, file string) (*Design, map[string]int, error) {
	c := *d
	c.Sources = maps.Clone(d.Sources)
	lines := map[string]int{}
	for _, a := range set {
		key, v := a.Key, a.Value
		l := leafOf(key)
		if l == nil || l.key == "name" {
			return nil, nil, &Error{File: file, Line: line(v), Key: key,
				Msg: "is not a figure of a design; supported: " + strings.Join(figureKeys(), ", ")}
		}
		if !l.applies(c.Synapse.Mapping) {
			return nil, nil, &Error{File: file, Line: line(v), Key: key,
				Msg: fmt.Sprintf("mapping %v has no %s", c.Synapse.Mapping, l.doc)}
		}
		if a.Source != "" {
			if c.Sources == nil {
				c.Sources = map[string]string{}
			}
			c.Sources[key] = a.Source
		}
		if l.auto {
			// Setting g_per_unit replaces auto, and auto replaces a value.
			c.Synapse.GPerUnitAuto, c.Synapse.GPerUnit = false, Range{}
		}
		lines[key] = line(v)
		p := &parser{file: file, lines: map[string]int{key: line(v)}, d: &c}
		if err := p.plain(v, key); err != nil {
			return nil, nil, err
		}
		if err := p.leaf(l, v); err != nil {
			return nil, nil, err
		}
	}
	return &c, lines, nil
}

// ParseValue reads v as the value of the figure at key would be read in a
// design file with d's mapping — key, unit, prefix, sign, levels, the words
// of a choice — without checking it against d's other figures (With does),
// and returns it as WriteYAML would write it ("0.1pJ", "16", "auto") with,
// for a numeric key, its SI value (Figure).
func (d *Design) ParseValue(key string, v *yaml.Node, file string) (text string, si Range, numeric bool, err error) {
	c, _, err := d.assign([]Assignment{{Key: key, Value: v}}, file)
	if err != nil {
		return "", Range{}, false, err
	}
	if c.Synapse.Mapping == Ideal && key == "synapse.g_max" && !c.Synapse.Bounded() {
		return formatQuantity(0, Conductance), Range{}, true, nil // g_max: 0 reads as unbounded
	}
	si, numeric = c.Figure(key)
	return c.Text(key), si, numeric, nil
}

// WithText is With for a value written as YAML text ("16", "0.4", "[1pJ, 3pJ]").
func (d *Design) WithText(key, text string) (*Design, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil || len(doc.Content) != 1 {
		return nil, &Error{File: d.fileName(), Key: key, Msg: fmt.Sprintf("%q is not a YAML value", text)}
	}
	return d.With(key, doc.Content[0], "", d.fileName())
}

func line(v *yaml.Node) int {
	if v == nil {
		return 0
	}
	return v.Line
}

// figureKeys lists the keys With accepts: every key but the name.
func figureKeys() []string {
	var keys []string
	for i := range schema {
		if schema[i].key != "name" {
			keys = append(keys, schema[i].key)
		}
	}
	return keys
}
