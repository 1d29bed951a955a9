package design

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		v    float64 // SI, as the Go compiler converts the same decimal
		dim  Dim
		want string // error text; "" when valid
	}{
		{in: "0.588uS", v: 0.588e-6, dim: Conductance},
		{in: "0.588 µS", v: 0.588e-6, dim: Conductance}, // micro sign U+00B5
		{in: "0.588μS", v: 0.588e-6, dim: Conductance},  // Greek mu U+03BC
		{in: "  10ns ", v: 10e-9, dim: Time},            // surrounding spaces
		{in: "1 ms", v: 1e-3, dim: Time},                // space before the unit
		{in: "0.417pJ", v: 0.417e-12, dim: Energy},      // pico
		{in: "47fJ", v: 47e-15, dim: Energy},            // femto
		{in: "0W", v: 0, dim: Power},                    // zero
		{in: "-0W", v: 0, dim: Power},                   // negative zero becomes zero
		{in: "0.55V", v: 0.55, dim: Voltage},            // no prefix
		{in: "25e-6 S", v: 25e-6, dim: Conductance},     // scientific notation
		{in: "2.5E3kS", v: 2.5e6, dim: Conductance},     // exponent and prefix together
		{in: ".5V", v: 0.5, dim: Voltage},               // no integer part
		{in: "5.V", v: 5, dim: Voltage},                 // no fraction digits
		{in: "+3mV", v: 3e-3, dim: Voltage},             // explicit sign
		{in: "-1pJ", v: -1e-12, dim: Energy},            // negative: the caller refuses it
		{in: "1.7MOhm", v: 1.7e6, dim: Resistance},      // mega-ohm
		{in: "100 kΩ", v: 100e3, dim: Resistance},       // Greek capital omega U+03A9
		{in: "100kΩ", v: 100e3, dim: Resistance},        // ohm sign U+2126
		{in: "2ohm", v: 2, dim: Resistance},             // lower-case ohm
		{in: "3mohm", v: 3e-3, dim: Resistance},         // milli-ohm
		{in: "1GW", v: 1e9, dim: Power},                 // giga
		{in: "1MS", v: 1e6, dim: Conductance},           // mega-siemens, not milli
		{in: "1mS", v: 1e-3, dim: Conductance},          // milli-siemens
		{in: "1ms", v: 1e-3, dim: Time},                 // millisecond
		{in: "1e-300s", v: 1e-300, dim: Time},           // tiny but representable
		{in: "1e0000000002V", v: 100, dim: Voltage},     // leading zeros in the exponent
		{in: "", want: "empty value"},                   // nothing
		{in: "   ", want: "empty value"},                // only spaces
		{in: "5", want: `"5" has no unit`},              // bare number
		{in: "V", want: `"V" has no number`},            // bare unit
		{in: "uS", want: `"uS" has no number`},          // bare prefixed unit
		{in: "1e400V", want: `"1e400V" is out of range (overflows float64)`},
		{in: "-1e400V", want: `"-1e400V" is out of range (overflows float64)`},
		{in: "1e-400V", want: `"1e-400V" is out of range (underflows to zero)`},
		{in: "1e99999V", want: `"1e99999V" is out of range (exponent too large)`},
		{in: "5 kg", want: `"5 kg" has unknown unit "kg"`},
		{in: "5v", want: `"5v" has unknown unit "v"`},         // units are case-sensitive
		{in: "5 u S", want: `"5 u S" has unknown unit "u S"`}, // no space inside the unit
		{in: "5e", want: `"5e" has unknown unit "e"`},         // exponent without digits
		{in: "1.5.3V", want: `"1.5.3V" has unknown unit ".3V"`},
		{in: "NaN V", want: `"NaN V" has no number`},
		{in: "inf V", want: `"inf V" has no number`},
		{in: "0x10V", want: `"0x10V" has unknown unit "x10V"`},
		{in: "1,5V", want: `"1,5V" has unknown unit ",5V"`},
		{in: "1_000V", want: `"1_000V" has unknown unit "_000V"`},
		{in: strings.Repeat("1", 65) + "V", want: "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := parseQuantity(tt.in)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("got %v (%v), want error containing %q", q, err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			// Exact: both sides are one correctly rounded conversion of the same decimal.
			if q.v != tt.v || q.dim != tt.dim || math.Signbit(q.v) != math.Signbit(tt.v) {
				t.Errorf("got %v %v, want %v %v", q.v, q.dim, tt.v, tt.dim)
			}
		})
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		v    float64
		want string
	}{
		{in: "0", v: 0},
		{in: "0.05", v: 0.05},
		{in: " 1e-2 ", v: 0.01},
		{in: "-0.1", v: -0.1},
		{in: "", want: "empty value"},
		{in: "0.1S", want: `"0.1S" is not a plain number`},
		{in: ".nan", want: `".nan" is not a plain number`},
		{in: ".inf", want: `".inf" is not a plain number`},
		{in: "1e999", want: "out of range"},
		{in: "5%", want: `"5%" is not a plain number`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			v, err := parseNumber(tt.in)
			if tt.want != "" {
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("got %v (%v), want error containing %q", v, err, tt.want)
				}
				return
			}
			if err != nil || v != tt.v {
				t.Fatalf("got %v, %v; want %v", v, err, tt.v)
			}
		})
	}
}

func TestFormatQuantity(t *testing.T) {
	tests := []struct {
		v    float64
		dim  Dim
		want string
	}{
		{0, Energy, "0J"},
		{1, Conductance, "1S"},
		{0.55, Voltage, "550mV"},
		{10e-9, Time, "10ns"},
		{0.417e-12, Energy, "417fJ"},
		{47e-15, Energy, "47fJ"},
		{1e-5, Conductance, "10uS"},
		{1.5e-12, Energy, "1.5pJ"},
		{999e-12, Energy, "999pJ"},
		{1e-3, Time, "1ms"},
		{2.5e6, Conductance, "2.5MS"},
		{1e-16, Energy, "1e-16J"},  // below femto: scientific notation
		{3e12, Power, "3e+12W"},    // above giga
		{-2.5e-3, Power, "-2.5mW"}, // negative (only in messages)
		{1 / 1.7e6, Conductance, "588.235294117647nS"},
	}
	for _, tt := range tests {
		if got := formatQuantity(tt.v, tt.dim); got != tt.want {
			t.Errorf("formatQuantity(%v) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

// Every float64 written by formatQuantity reads back bit for bit.
func TestFormatQuantityRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(v float64) {
		s := formatQuantity(v, Energy)
		q, err := parseQuantity(s)
		if err != nil || q.v != v {
			t.Fatalf("%v → %q → %v, %v", v, s, q.v, err)
		}
	}
	for _, v := range []float64{math.SmallestNonzeroFloat64, math.MaxFloat64, 1e-15, 999.9999999999999e-15, 1e9, 1e12} {
		check(v)
	}
	for range 10000 {
		check(math.Float64frombits(r.Uint64() &^ (1 << 63) % math.Float64bits(math.MaxFloat64)))
		check(math.Pow(10, r.Float64()*40-25) * (1 + r.Float64()))
	}
}

// FuzzQuantity checks that parseQuantity never panics and that what it
// accepts formats and reads back unchanged.
func FuzzQuantity(f *testing.F) {
	for _, s := range []string{"0.588uS", "0.588 µS", "25e-6 S", "1.7MOhm", "1e400V", "", "5", "V", "-0W", "100 kΩ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseQuantity(s)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") && !strings.ContainsAny(s, "\n\r") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		if math.IsNaN(q.v) || math.IsInf(q.v, 0) {
			t.Fatalf("%q gave %v", s, q.v)
		}
		back, err := parseQuantity(formatQuantity(q.v, q.dim))
		if err != nil || back.v != q.v || back.dim != q.dim {
			t.Fatalf("%q → %v → %q → %v, %v", s, q.v, formatQuantity(q.v, q.dim), back.v, err)
		}
	})
}
