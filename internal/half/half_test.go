package half

import (
	"math"
	"testing"
)

func TestFloat64(t *testing.T) {
	// Expected values derived by hand from IEEE 754 binary16:
	// value = (−1)^s × 2^(e−15) × 1.f for 0 < e < 31, (−1)^s × 2^−14 × 0.f for e = 0.
	tests := []struct {
		name string
		bits uint16
		want float64
	}{
		{"one", 0x3c00, 1},
		{"minus two and a half", 0xc100, -2.5},           // s=1 e=16 f=0x100: −2 × 1.25
		{"largest normal", 0x7bff, 65504},                // 2^15 × (2 − 2^−10)
		{"smallest normal", 0x0400, 1.0 / 16384},         // 2^−14
		{"smallest subnormal", 0x0001, 1.0 / 16777216},   // 2^−24
		{"largest subnormal", 0x03ff, 1023.0 / 16777216}, // 1023 × 2^−24
		{"third", 0x3555, 0.333251953125},                // 2^−2 × (1 + 341/1024)
		{"zero", 0x0000, 0},
		{"minus zero", 0x8000, math.Copysign(0, -1)},
		{"inf", 0x7c00, math.Inf(1)},
		{"minus inf", 0xfc00, math.Inf(-1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Conversion is exact, so the bits must match (this also tells 0 from −0).
			if got := Float64(tt.bits); math.Float64bits(got) != math.Float64bits(tt.want) {
				t.Errorf("Float64(%#04x) = %v, want %v", tt.bits, got, tt.want)
			}
		})
	}
	if got := Float64(0x7e00); !math.IsNaN(got) {
		t.Errorf("Float64(0x7e00) = %v, want NaN", got)
	}
}
