// Package half converts IEEE 754 binary16 ("half", float16) values exactly.
//
// npyio's float16.Num.Float32 maps subnormal halves to the wrong float32, so
// neurosim's readers (checkpoint, npyfile) decode halves here.
package half

import "math"

// Float64 converts the binary16 bits h to float64 exactly, subnormals, signed
// zeros, infinities and NaN payloads included.
func Float64(h uint16) float64 {
	exp := int(h>>10) & 0x1f
	frac := uint32(h & 0x3ff)
	var f float64
	switch exp {
	case 0: // zero or subnormal: frac × 2^-24
		f = math.Ldexp(float64(frac), -24)
	case 0x1f: // Inf or NaN: widen through float32 to keep the payload
		return float64(math.Float32frombits(uint32(h>>15)<<31 | 0xff<<23 | frac<<13))
	default: // normal: 1.frac × 2^(exp-15)
		f = math.Ldexp(float64(frac|0x400), exp-25)
	}
	if h&0x8000 != 0 {
		f = math.Copysign(f, -1)
	}
	return f
}
