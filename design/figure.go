package design

import "strings"

// Figure returns the SI value of the numeric figure at a dotted key — a
// quantity in its key's unit (KeyDim), a plain number, or synapse.levels as
// a number — and whether the key is such a figure that applies to the
// design's mapping. g_per_unit "auto" reads as the zero range (Text says
// "auto").
func (d *Design) Figure(key string) (Range, bool) {
	l := leafOf(key)
	if l == nil || !l.applies(d.Synapse.Mapping) {
		return Range{}, false
	}
	switch {
	case l.kind == kindLevels:
		return Point(float64(d.Synapse.Levels)), true
	case l.rng != nil:
		return *l.rng(d), true
	}
	return Range{}, false
}

// Text returns the value at a dotted key as WriteYAML writes it ("16",
// "0.1pJ", "[1pJ, 3pJ]", "auto", "volatile"); "" for a key left out (the
// unbounded g_max of the ideal mapping) or one the mapping has no use for.
func (d *Design) Text(key string) string {
	l := leafOf(key)
	if l == nil || !l.applies(d.Synapse.Mapping) {
		return ""
	}
	v := d.value(l)
	switch {
	case v == nil:
		return ""
	case len(v.Content) == 2:
		return "[" + v.Content[0].Value + ", " + v.Content[1].Value + "]"
	}
	return strings.TrimSpace(v.Value)
}

// KeyNumeric reports whether the value at a dotted key is a number that can
// be interpolated: a quantity, a plain number, or synapse.levels (whole).
func KeyNumeric(key string) (dim Dim, whole, ok bool) {
	l := leafOf(key)
	if l == nil {
		return 0, false, false
	}
	switch l.kind {
	case kindQuantity, kindNumber:
		return l.dim, false, true
	case kindLevels:
		return Dimensionless, true, true
	}
	return 0, false, false
}
