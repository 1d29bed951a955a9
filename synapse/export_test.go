package synapse

// SetKernels turns the block's assembly kernels on or off (where the CPU
// has them) and returns the previous setting.
func SetKernels(on bool) bool {
	old := haveKernels4
	haveKernels4 = on && kernels4Available
	return old
}

// SetDecay8 turns the AVX-512 decay kernels (and with them the packing of
// a gap's exponentials) on or off, where the CPU has them, and returns the
// previous setting.
func SetDecay8(on bool) bool {
	old := haveDecay8
	haveDecay8 = on && decay8Available
	return old
}

var decay8Available = haveDecay8

// HaveDecay8 says whether the CPU runs the AVX-512 decay kernels.
func HaveDecay8() bool { return decay8Available }

// SetWide turns the float64 block kernels' AVX-512 path on or off (where
// the CPU has it; off, they take their AVX2 path) and returns the previous
// setting.
func SetWide(on bool) bool {
	old := useZ
	useZ = on && zAvailable
	return old
}
