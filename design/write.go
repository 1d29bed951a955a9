package design

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// WriteYAML writes the design as a YAML file that Parse reads back into an
// identical Design (File aside). Each figure carries its source as a trailing
// comment for people, and the sources mapping at the end carries them for
// Parse. Figures are written with SI prefixes chosen so that no digit is lost.
func (d *Design) WriteYAML(w io.Writer) error {
	if err := d.Validate(); err != nil {
		return err
	}
	root, err := d.node()
	if err != nil {
		return err
	}
	doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}, HeadComment: strings.Join([]string{
		"neurosim hardware design " + d.Name + ".",
		"Figures are SI with an optional prefix (f p n u m k M G); any figure may be a range [low, high].",
		"The comment after a figure is its source: [assumption] marks assumptions, [derived] arithmetic.",
	}, "\n")}
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		return err
	}
	return enc.Close()
}

// MarshalYAML makes a Design a yaml.Marshaler, written as by WriteYAML
// (without the head comment).
func (d *Design) MarshalYAML() (any, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return d.node()
}

func scalarNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// plainNode is a number or quantity; the encoder writes it unquoted. Parse
// reads every scalar as text, so its YAML type does not matter.
func plainNode(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Value: s}
}

// node builds the YAML mapping of the design.
func (d *Design) node() (*yaml.Node, error) {
	m := d.Synapse.Mapping
	root := &yaml.Node{Kind: yaml.MappingNode}
	var sec *yaml.Node // the section being filled
	secName := ""
	pendingHead := "" // a comment for the next key of the section
	for i := range schema {
		l := &schema[i]
		if !l.applies(m) {
			continue
		}
		s, k, nested := strings.Cut(l.key, ".")
		v := d.value(l)
		if !nested {
			k, sec, secName = s, nil, ""
		} else if s != secName && v != nil {
			// A section is written with its first key that has a value, so
			// an optional section with none is left out.
			sec, secName = &yaml.Node{Kind: yaml.MappingNode}, s
			root.Content = append(root.Content, scalarNode(s), sec)
		}
		if v == nil {
			if l.key == "synapse.g_max" {
				pendingHead = "g_max omitted: the conductance window is unbounded"
				if src := d.Sources[l.key]; src != "" {
					pendingHead += " (" + src + ")"
				}
			}
			continue
		}
		v.LineComment = d.Sources[l.key]
		key := scalarNode(k)
		if pendingHead != "" && nested {
			key.HeadComment, pendingHead = pendingHead, ""
		}
		if nested {
			sec.Content = append(sec.Content, key, v)
		} else {
			root.Content = append(root.Content, key, v)
		}
	}
	if len(d.Sources) > 0 {
		src := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range sortedKeys(d.Sources) {
			src.Content = append(src.Content, scalarNode(k), scalarNode(d.Sources[k]))
		}
		root.Content = append(root.Content, scalarNode(sourcesKey), src)
	}
	return root, nil
}

// value is the YAML node of one key, nil when the key is left out (the
// unbounded g_max of the ideal mapping, an empty source).
func (d *Design) value(l *leaf) *yaml.Node {
	s := &d.Synapse
	switch l.key {
	case "name":
		return scalarNode(d.Name)
	case "source":
		if d.Source == "" {
			return nil
		}
		return scalarNode(d.Source)
	case "synapse.mapping":
		return scalarNode(s.Mapping.String())
	case "synapse.levels":
		return plainNode(strconv.Itoa(s.Levels))
	case "input.encoding":
		return scalarNode(d.Input.Encoding.String())
	case "plasticity.element":
		return scalarNode(d.Plasticity.Element.String())
	case "plasticity.lambda_outside":
		return scalarNode(d.Plasticity.LambdaOutside.String())
	case "scope":
		if d.Scope == CoreScope {
			return nil // the default, left out so that files stay as they were
		}
		return scalarNode(d.Scope.String())
	case "seed":
		return plainNode(strconv.FormatUint(d.Seed, 10))
	}
	if !l.present(d) {
		return nil
	}
	if l.kind == kindCount {
		return plainNode(strconv.Itoa(*l.cnt(d)))
	}
	switch l.key {
	case "synapse.g_per_unit":
		if s.GPerUnitAuto {
			return scalarNode("auto")
		}
	case "synapse.g_max":
		if !s.Bounded() {
			return nil
		}
	case "synapse.g_min":
		if !s.Bounded() && s.GMin == (Range{}) {
			return nil
		}
	}
	r := *l.rng(d)
	var ends []string
	switch {
	case l.kind == kindNumber:
		ends = []string{formatNumber(r.Lo), formatNumber(r.Hi)}
	case l.ohm:
		ends = formatConductance(r)
	default:
		ends = []string{formatQuantity(r.Lo, l.dim), formatQuantity(r.Hi, l.dim)}
	}
	if r.IsPoint() {
		return plainNode(ends[0])
	}
	return &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle,
		Content: []*yaml.Node{plainNode(ends[0]), plainNode(ends[1])}}
}

// formatConductance writes the ends of a conductance range in S, or as
// resistances when that is shorter and reads back exactly: 1/1.7 MΩ is
// "1.7MOhm" rather than "588.235294117647nS". Resistances are written in
// ascending order, so the larger conductance comes first.
func formatConductance(r Range) []string {
	s := []string{formatQuantity(r.Lo, Conductance), formatQuantity(r.Hi, Conductance)}
	if r.Lo <= 0 {
		return s
	}
	var ohm []string
	for _, g := range []float64{r.Hi, r.Lo} {
		rs, ok := shortestInverse(g)
		if !ok {
			return s
		}
		ohm = append(ohm, formatScaled(rs)+"Ohm")
	}
	if len(ohm[0])+len(ohm[1]) < len(s[0])+len(s[1]) {
		return ohm
	}
	return s
}

// shortestInverse returns the resistance with the fewest significant digits
// whose conductance 1/R is exactly g, if there is one.
func shortestInverse(g float64) (float64, bool) {
	for prec := 1; prec <= 17; prec++ {
		r, err := strconv.ParseFloat(strconv.FormatFloat(1/g, 'e', prec-1, 64), 64)
		if err == nil && r > 0 && 1/r == g {
			return r, true
		}
	}
	return 0, false
}

// Hash is a content hash of the design: the hex sha256 of its canonical
// YAML (WriteYAML: every figure, with its source), so two designs hash alike
// exactly when they read back alike.
func (d *Design) Hash() (string, error) {
	h := sha256.New()
	if err := d.WriteYAML(h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// SimulationKey identifies what a run under d computes and counts: a hash of
// its Device figures (and of step_period when timed, i.e. for event
// streams, where it sets the decay between events). Designs with the same
// key give the same counts for the same network and inputs and differ only
// in prices, so one run serves them all (Role).
func SimulationKey(d *Design, timed bool) string {
	h := sha256.New()
	for i := range schema {
		l := &schema[i]
		if !(l.role == Device || (l.role == Timing && (timed || d.Plasticity.Retention != Range{}))) {
			continue
		}
		if l.absent && !l.present(d) {
			continue // an optional figure left out: designs from before it hash alike
		}
		fmt.Fprintf(h, "%s=", l.key)
		switch v := d.value(l); {
		case !l.applies(d.Synapse.Mapping) || v == nil:
			fmt.Fprint(h, "-")
		case v.Kind == yaml.SequenceNode:
			fmt.Fprintf(h, "[%s,%s]", v.Content[0].Value, v.Content[1].Value)
		default:
			fmt.Fprint(h, v.Value)
		}
		fmt.Fprintln(h)
	}
	return hex.EncodeToString(h.Sum(nil))
}
