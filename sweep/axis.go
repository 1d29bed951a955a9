package sweep

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"

	yaml "go.yaml.in/yaml/v3"

	"github.com/neurosim/neurosim/design"
)

// Axis is one prepared axis: its key, how its values are tabulated, and,
// for a grid or a list, its values.
type Axis struct {
	Key string
	// Column is the table column: the key, with its SI unit when it is a
	// quantity ("readout.adc_energy_J").
	Column string
	// Unit is the SI symbol of numeric values ("" for plain numbers,
	// levels and words).
	Unit    string
	Numeric bool // values are numbers (quantities, plain numbers, levels)
	Whole   bool // values are whole numbers (levels)
	Values  []Value
	// For random mode: a {from, to} axis without steps draws from the
	// interval (geometrically when Log).
	Continuous bool
	From, To   float64
	Log        bool

	spec *AxisSpec
}

// Value is one value of an axis.
type Value struct {
	// Node is the YAML value given to design.WithAll (its line points at
	// the spec).
	Node *yaml.Node
	// Text is the value as the design writes it ("0.1pJ", "16", "auto").
	Text string
	// SI is the numeric value in the axis's unit; NaN for words and auto.
	SI float64
}

// sourceOfAxis is the source a swept figure gets in the point's design.
const sourceOfAxis = "[sweep axis]"

// prepareAxis checks one axis against the base design and lists its values:
// the key must be a figure of the design, each value must read as the
// design file would read it (unit, range checks), a generated axis needs
// numeric ends of the same key.
func prepareAxis(file string, base *design.Design, a *AxisSpec, random bool) (*Axis, error) {
	errAt := func(n *yaml.Node, format string, args ...any) error {
		line := a.Line
		if n != nil && n.Line > 0 {
			line = n.Line
		}
		return &Error{File: file, Line: line, Msg: "axes: " + a.Key + ": " + fmt.Sprintf(format, args...)}
	}
	role, ok := design.KeyRole(a.Key)
	switch {
	case !ok:
		return nil, errAt(nil, "is not a design key; supported: %s", strings.Join(figureKeys(), ", "))
	case role == design.Meta:
		return nil, errAt(nil, "is the design's %s, not a figure", a.Key)
	case a.Key == "seed":
		return nil, errAt(nil, "use seeds: N for Monte-Carlo over device variation (seed, seed+1, …)")
	}
	dim, whole, numeric := design.KeyNumeric(a.Key)
	ax := &Axis{Key: a.Key, Column: a.Key, Numeric: numeric, Whole: whole, spec: a, Log: a.Log}
	if numeric && dim != design.Dimensionless {
		ax.Unit = dim.Symbol()
		ax.Column += "_" + ax.Unit
	}
	// value reads one YAML value as the base design's file would (key,
	// unit, sign, levels, words); how it fits the other figures is checked
	// per point.
	value := func(n *yaml.Node) (Value, error) {
		text, r, isNum, err := base.ParseValue(a.Key, n, file)
		if err != nil {
			return Value{}, specError(file, err)
		}
		v := Value{Node: n, Text: text, SI: math.NaN()}
		if isNum && numeric && text != "auto" {
			if !r.IsPoint() {
				return Value{}, errAt(n, "%s is a range; an axis value is one figure (put ranges in the base design)", text)
			}
			v.SI = r.Lo
		}
		return v, nil
	}
	if a.List != nil {
		seen := map[string]int{}
		for _, n := range a.List {
			v, err := value(n)
			if err != nil {
				return nil, err
			}
			if l, dup := seen[v.Text]; dup {
				return nil, errAt(n, "value %s repeats the value at line %d", v.Text, l)
			}
			seen[v.Text] = n.Line
			ax.Values = append(ax.Values, v)
		}
		return ax, nil
	}
	if !numeric {
		return nil, errAt(a.Node, "{from, to} needs a numeric figure; list the values of %s instead", a.Key)
	}
	from, err := value(a.From)
	if err != nil {
		return nil, err
	}
	to, err := value(a.To)
	if err != nil {
		return nil, err
	}
	if math.IsNaN(from.SI) || math.IsNaN(to.SI) {
		return nil, errAt(a.Node, "from and to must be numbers, found %s and %s", from.Text, to.Text)
	}
	ax.From, ax.To = from.SI, to.SI
	if a.Log && (from.SI <= 0 || to.SI <= 0) {
		return nil, errAt(a.Node, "log: true needs from and to above zero, found %s and %s", from.Text, to.Text)
	}
	switch {
	case a.Steps == 0 && random:
		ax.Continuous = true
		return ax, nil
	case a.Steps == 0:
		return nil, errAt(a.Node, "steps: missing; a grid needs the number of values from %s to %s", from.Text, to.Text)
	case a.Steps == 1 && from.SI != to.SI:
		return nil, errAt(a.Node, "steps: 1 cannot reach from %s to %s; want 2 or more", from.Text, to.Text)
	}
	for i := range a.Steps {
		x := interpolate(from.SI, to.SI, i, a.Steps, a.Log, whole)
		v, err := value(generated(a, x, ax.Unit, whole))
		if err != nil {
			return nil, err
		}
		if len(ax.Values) > 0 && ax.Values[len(ax.Values)-1].Text == v.Text {
			return nil, errAt(a.Node, "%d steps from %s to %s repeat the value %s (whole levels); use fewer steps",
				a.Steps, from.Text, to.Text, v.Text)
		}
		ax.Values = append(ax.Values, v)
	}
	return ax, nil
}

// interpolate returns value i of n from a to b, evenly or geometrically
// spaced, ends exact, rounded to 12 significant digits (so that a third of
// a decade reads 0.1, not 0.10000000000000002) or to whole numbers.
func interpolate(a, b float64, i, n int, log, whole bool) float64 {
	var x float64
	switch {
	case i == 0 || n == 1:
		x = a
	case i == n-1:
		x = b
	case log:
		x = math.Exp(math.Log(a) + float64(i)/float64(n-1)*(math.Log(b)-math.Log(a)))
	default:
		x = a + float64(i)/float64(n-1)*(b-a)
	}
	return round(x, whole)
}

func round(x float64, whole bool) float64 {
	if whole {
		return math.Round(x)
	}
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
	return r
}

// generated is the YAML value of a computed axis value, at the axis's line:
// the SI number and unit symbol, which design files accept as written.
func generated(a *AxisSpec, x float64, unit string, whole bool) *yaml.Node {
	text := strconv.FormatFloat(x, 'g', -1, 64)
	if whole {
		text = strconv.FormatFloat(x, 'f', 0, 64)
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text + unit, Line: a.Node.Line, Column: a.Node.Column}
}

// draw returns a random value of the axis: one of its values, or a point of
// its continuous interval.
func (ax *Axis) draw(rng *rand.Rand) Value {
	if !ax.Continuous {
		return ax.Values[rng.IntN(len(ax.Values))]
	}
	u := rng.Float64()
	var x float64
	if ax.Log {
		x = math.Exp(math.Log(ax.From) + u*(math.Log(ax.To)-math.Log(ax.From)))
	} else {
		x = ax.From + u*(ax.To-ax.From)
	}
	x = round(x, ax.Whole)
	return Value{Node: generated(ax.spec, x, ax.Unit, ax.Whole), SI: x}
}

// specError moves a design error onto the spec: same file and line, the
// message without the "design FILE:LINE:" prefix.
func specError(file string, err error) error {
	var de *design.Error
	if errors.As(err, &de) {
		msg := de.Msg
		if de.Key != "" {
			msg = de.Key + ": " + msg
		}
		return &Error{File: file, Line: de.Line, Msg: "axes: " + msg}
	}
	return &Error{File: file, Msg: err.Error()}
}

func figureKeys() []string {
	var keys []string
	for _, k := range design.Keys() {
		if r, _ := design.KeyRole(k); r != design.Meta && k != "seed" {
			keys = append(keys, k)
		}
	}
	return keys
}
