package synapse

import "math"

// expScaled sets dst[i] = math.Exp(scale·x[i]) for every i, with math.Exp's
// bits: eight or four at a time where the CPU has the decay kernels, where x
// holds numbers (a NaN gives x[i] itself there, as for a decay).
func expScaled(dst, x []float64, scale float64) {
	i := 0
	if haveDecay8 {
		i = decay8(dst, x, x, scale)
	}
	if haveDecay4 {
		i += decay4(dst[i:], x[i:], x[i:], scale)
	}
	for ; i < len(dst); i++ {
		dst[i] = math.Exp(scale * x[i])
	}
}

// tanhMaxLog is 0.5·log(2^127), above which math.Tanh returns ±1.
const tanhMaxLog = 0.5 * 8.8029691931113054295988e+01

// tanhAll sets x[i] = math.Tanh(x[i]), with its bits, for every i, taking
// the exponentials of the |x| ≥ 0.625 branch together (expScaled), and with
// AVX-512 the rest of the steps eight at a time (tanh8); z and s are
// scratch of len(x).
func tanhAll(x, z, s []float64) {
	z, s = z[:len(x)], s[:len(x)]
	for i, v := range x {
		z[i] = math.Abs(v)
	}
	expScaled(s, z, 2)
	i := 0
	if haveDecay8 {
		// Eight at a time, math.Tanh's steps and bits.
		i = tanh8(x, s)
	}
	for ; i < len(x); i++ {
		v := x[i]
		switch a := z[i]; {
		case a > tanhMaxLog:
			x[i] = math.Copysign(1, v)
		case a >= 0.625:
			// math.Tanh's own steps: 1 − 2/(e^{2|x|} + 1), signed.
			t := 1 - 2/(s[i]+1)
			if v < 0 {
				t = -t
			}
			x[i] = t
		default: // the rational branch, no exponential; and NaN
			x[i] = math.Tanh(v)
		}
	}
}
