//go:build race

package workload

// raceEnabled: the race detector allocates on its own, so tests that
// measure allocation skip their byte counts.
const raceEnabled = true
