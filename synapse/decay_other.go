//go:build !amd64

package synapse

var haveDecay4 = false

func decay4(dst, ll, lambda []float64, delta float64) int { return 0 }

var haveDecay8 = false

func decay8(dst, ll, lambda []float64, delta float64) int { return 0 }

func pack8(dst, ll, lambda, f, xs []float64, mask []byte, delta float64) int { return 0 }

func expand8(dst, ys []float64, mask []byte) {}

func tanh8(x, s []float64) int { return 0 }
