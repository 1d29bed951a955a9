package synapse

import "golang.org/x/sys/cpu"

// haveDecay4 says whether decay4 runs: it needs AVX2, and FMA so that it
// matches math.Exp, which takes its FMA path on such a CPU.
var haveDecay4 = cpu.X86.HasAVX2 && cpu.X86.HasFMA && cpu.X86.HasAVX

//go:noescape
func decay4(dst, ll, lambda []float64, delta float64) int

// haveDecay8 says whether decay8 runs: decay4's needs and AVX-512.
var haveDecay8 = haveDecay4 && cpu.X86.HasAVX512F

//go:noescape
func decay8(dst, ll, lambda []float64, delta float64) int

//go:noescape
func pack8(dst, ll, lambda, f, xs []float64, mask []byte, delta float64) int

//go:noescape
func expand8(dst, ys []float64, mask []byte)

// tanh8 needs what decay8 needs (AVX-512): it runs when haveDecay8 does.
//
//go:noescape
func tanh8(x, s []float64) int
