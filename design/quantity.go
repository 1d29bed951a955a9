package design

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/interval"
)

// Range is a physical quantity in SI units, known to lie between Lo and Hi.
// A point value has Lo == Hi. Published figures for the same part often
// disagree (estimates of one 8-bit ADC differ about 9×); a design keeps both
// ends rather than picking one, and every energy that depends on a ranged
// figure becomes a range too. The unit is the one its key names (Dim).
type Range = interval.Range[float64]

// Point is the range holding the single value v.
func Point(v float64) Range { return Range{Lo: v, Hi: v} }

// Dim is the physical dimension of a design key.
type Dim uint8

const (
	Dimensionless Dim = iota // plain numbers: variation, read_noise
	Conductance              // S (design files may also give a resistance in Ω for g_min, g_max)
	Voltage                  // V
	Time                     // s
	Energy                   // J
	Power                    // W
	Resistance               // Ω; only ever converted to a conductance
	Length                   // m (feature size)
	Area                     // m² (written m2 or m², the prefix applying to the metre: 1um2 = 1e-12 m²)
)

var dimNames = [...]string{
	Dimensionless: "a plain number",
	Conductance:   "a conductance (S)",
	Voltage:       "a voltage (V)",
	Time:          "a time (s)",
	Energy:        "an energy (J)",
	Power:         "a power (W)",
	Resistance:    "a resistance (Ω)",
	Length:        "a length (m)",
	Area:          "an area (m2)",
}

// dimNouns name a dimension without its unit, for "is a voltage, want …".
var dimNouns = [...]string{
	Dimensionless: "a plain number", Conductance: "a conductance", Voltage: "a voltage",
	Time: "a time", Energy: "an energy", Power: "a power", Resistance: "a resistance",
	Length: "a length", Area: "an area",
}

var dimSymbols = [...]string{
	Conductance: "S", Voltage: "V", Time: "s", Energy: "J", Power: "W", Resistance: "Ω",
	Length: "m", Area: "m2",
}

// String names the dimension with its SI unit, as errors show it.
func (d Dim) String() string {
	if int(d) < len(dimNames) {
		return dimNames[d]
	}
	return fmt.Sprintf("Dim(%d)", uint8(d))
}

// Symbol is the SI unit symbol ("" for Dimensionless).
func (d Dim) Symbol() string {
	if int(d) < len(dimSymbols) {
		return dimSymbols[d]
	}
	return ""
}

// units maps each accepted unit spelling to its dimension.
var units = map[string]Dim{
	"S": Conductance, "V": Voltage, "s": Time, "J": Energy, "W": Power,
	"\u03a9": Resistance, "\u2126": Resistance, "Ohm": Resistance, "ohm": Resistance, // Greek capital omega, ohm sign
	"m": Length, "m2": Area, "m\u00b2": Area, // metre; square metre (the prefix is squared with it)
}

// prefixes maps each accepted SI prefix to its power of ten. Both the micro
// sign (U+00B5) and the Greek mu (U+03BC) are accepted besides "u".
var prefixes = map[string]int{
	"f": -15, "p": -12, "n": -9, "u": -6, "\u00b5": -6, "\u03bc": -6, "m": -3,
	"k": 3, "M": 6, "G": 9,
}

// quantity is one parsed scalar quantity, before range checks.
type quantity struct {
	v    float64 // SI value
	dim  Dim
	unit string // the canonical unit symbol, without prefix ("Ω" for "Ohm")
}

// maxQuantityLen bounds one quantity string; nothing sensible is longer.
const maxQuantityLen = 64

// parseQuantity reads "0.588uS", "0.588 µS", "25e-6 S" or "1.7MOhm". It checks
// syntax and finiteness only; the caller checks the dimension and the sign.
func parseQuantity(s string) (quantity, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return quantity{}, errors.New("empty value")
	}
	if len(s) > maxQuantityLen {
		return quantity{}, fmt.Errorf("value of %d bytes is too long for a quantity", len(s))
	}
	num, rest := splitNumber(s)
	if num == "" {
		return quantity{}, fmt.Errorf("%q has no number", s)
	}
	rest = strings.TrimLeft(rest, " ")
	if rest == "" {
		return quantity{}, fmt.Errorf("%q has no unit", s)
	}
	sym, exp, ok := splitUnit(rest)
	if !ok {
		return quantity{}, fmt.Errorf("%q has unknown unit %q", s, rest)
	}
	if units[sym] == Area {
		exp *= 2 // 1 µm² = (1e-6 m)²
	}
	v, err := parseScaled(num, exp)
	if err != nil {
		return quantity{}, fmt.Errorf("%q %v", s, err)
	}
	return quantity{v: v, dim: units[sym], unit: units[sym].Symbol()}, nil
}

// parseNumber reads a plain number (a dimensionless figure).
func parseNumber(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty value")
	}
	if len(s) > maxQuantityLen {
		return 0, fmt.Errorf("value of %d bytes is too long for a number", len(s))
	}
	num, rest := splitNumber(s)
	if num == "" || rest != "" {
		return 0, fmt.Errorf("%q is not a plain number", s)
	}
	v, err := parseScaled(num, 0)
	if err != nil {
		return 0, fmt.Errorf("%q %v", s, err)
	}
	return v, nil
}

// splitNumber splits s after its leading decimal number
// [+-]digits[.digits][(e|E)[+-]digits]; num is "" when s does not start with one.
func splitNumber(s string) (num, rest string) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return "", s
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		k := j
		for k < len(s) && isDigit(s[k]) {
			k++
		}
		if k > j { // an exponent needs digits; "5e" leaves "e" as the unit
			i = k
		}
	}
	return s[:i], s[i:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// splitUnit splits "uS" into the unit symbol "S" and the prefix exponent −6.
func splitUnit(u string) (sym string, exp int, ok bool) {
	if _, ok := units[u]; ok {
		return u, 0, true
	}
	for p, e := range prefixes {
		if rest, found := strings.CutPrefix(u, p); found {
			if _, ok := units[rest]; ok {
				return rest, e, true
			}
		}
	}
	return "", 0, false
}

// maxExponentDigits bounds the exponent of a written number: any float64 is
// reachable with three digits, and Atoi of longer strings could overflow.
const maxExponentDigits = 4

// parseScaled returns num × 10^exp, correctly rounded: the prefix is folded
// into the decimal exponent before conversion, so "0.588uS" and "5.88e-7S"
// give the same float64.
func parseScaled(num string, exp int) (float64, error) {
	mant, e10 := num, 0
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		mant = num[:i]
		es := strings.TrimLeft(num[i+1:], "+-")
		if len(strings.TrimLeft(es, "0")) > maxExponentDigits {
			return 0, errors.New("is out of range (exponent too large)")
		}
		n, err := strconv.Atoi(num[i+1:])
		if err != nil {
			return 0, errors.New("has a malformed exponent")
		}
		e10 = n
	}
	v, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e10+exp), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, errors.New("is out of range (overflows float64)")
	}
	if v == 0 && strings.Trim(mant, "+-0.") != "" {
		return 0, errors.New("is out of range (underflows to zero)")
	}
	if v == 0 {
		v = 0 // no negative zero
	}
	return v, nil
}

// engPrefixes are the prefixes formatQuantity writes, by exponent/3 + 5.
var engPrefixes = [...]string{"f", "p", "n", "u", "m", "", "k", "M", "G"}

// formatQuantity writes an SI value with an engineering prefix, such that
// parseQuantity reads back exactly the same float64: the shortest decimal that
// round-trips v is written with its decimal point moved, never rescaled in
// floating point.
func formatQuantity(v float64, dim Dim) string {
	if dim == Area {
		return formatArea(v)
	}
	return formatScaled(v) + dim.Symbol()
}

// formatArea writes an area in µm² (below 1 mm²) or mm², moving the decimal
// point of the shortest decimal that round-trips v, so that parseQuantity
// reads back the same float64.
func formatArea(v float64) string {
	if v == 0 {
		return "0m2"
	}
	exp, unit := -12, "um2"
	if math.Abs(v) >= 1e-6 {
		exp, unit = -6, "mm2"
	}
	if math.Abs(v) >= 1e6 || math.Abs(v) < 1e-27 {
		return strconv.FormatFloat(v, 'e', -1, 64) + "m2"
	}
	return shiftDecimal(v, exp) + unit
}

// shiftDecimal writes v/10^exp exactly, by moving the decimal point of v's
// shortest round-trip decimal.
func shiftDecimal(v float64, exp int) string {
	s := strconv.FormatFloat(v, 'e', -1, 64)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	i := strings.IndexByte(s, 'e')
	digits := strings.Replace(s[:i], ".", "", 1)
	e, _ := strconv.Atoi(s[i+1:])
	point := e - exp + 1 // digits before the decimal point
	switch {
	case point <= 0:
		return sign + "0." + strings.Repeat("0", -point) + digits
	case point >= len(digits):
		return sign + digits + strings.Repeat("0", point-len(digits))
	}
	return sign + digits[:point] + "." + digits[point:]
}

// formatScaled formats v with an engineering prefix (for a unit to follow).
func formatScaled(v float64) string {
	if v == 0 {
		return "0"
	}
	s := strconv.FormatFloat(v, 'e', -1, 64) // "-5.88e-07"
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	i := strings.IndexByte(s, 'e')
	digits := strings.Replace(s[:i], ".", "", 1) // "588"
	e, _ := strconv.Atoi(s[i+1:])                // value = 0.digits × 10^(e+1)
	p := floorDiv(e, 3) * 3                      // engineering exponent
	idx := p/3 + 5
	if idx < 0 || idx >= len(engPrefixes) {
		return sign + s // outside f…G: plain scientific notation
	}
	// value = d.ddd × 10^e = (d.ddd × 10^(e−p)) × 10^p, with 0 ≤ e−p ≤ 2.
	intLen := e - p + 1
	for len(digits) < intLen {
		digits += "0"
	}
	m := digits[:intLen]
	if frac := digits[intLen:]; frac != "" {
		m += "." + frac
	}
	return sign + m + engPrefixes[idx]
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// formatNumber writes a dimensionless figure so that parseNumber reads it back
// exactly.
func formatNumber(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// formatRange writes a range for messages: "10uS" or "[47fJ, 0.99pJ]".
func formatRange(r Range, dim Dim) string {
	f := func(v float64) string {
		if dim == Dimensionless {
			return formatNumber(v)
		}
		return formatQuantity(v, dim)
	}
	if r.IsPoint() {
		return f(r.Lo)
	}
	return "[" + f(r.Lo) + ", " + f(r.Hi) + "]"
}

// ParseQuantity reads one value as a design file writes it ("1mW", "40nm",
// "0.5um2"), checks that it is a finite, non-negative quantity of dimension
// dim (a plain number for Dimensionless) and returns it in SI. For flags.
func ParseQuantity(s string, dim Dim) (float64, error) {
	var v float64
	if dim == Dimensionless {
		f, err := parseNumber(s)
		if err != nil {
			return 0, err
		}
		v = f
	} else {
		q, err := parseQuantity(s)
		if err != nil {
			return 0, fmt.Errorf("%v; want %s", err, dim)
		}
		if q.dim != dim {
			return 0, fmt.Errorf("%q is %s, want %s", s, dimNouns[q.dim], dim)
		}
		v = q.v
	}
	if v < 0 {
		return 0, fmt.Errorf("%q is negative", s)
	}
	return v, nil
}
