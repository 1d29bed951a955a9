//go:build !linux

package workload

// adviseHuge is a hint to Linux's memory manager (advise_linux.go); other
// systems go without.
func adviseHuge([]byte) {}
