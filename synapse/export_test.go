package synapse

// SetKernels turns the block's assembly kernels on or off (where the CPU
// has them) and returns the previous setting.
func SetKernels(on bool) bool {
	old := haveKernels4
	haveKernels4 = on && kernels4Available
	return old
}
