// Package sim runs a batch of input sequences through a trained network and
// collects what each step cost and what the network answered.
//
// Sequences are independent (all neural and synaptic state is zero at the
// start of each, as in the reference evaluation), so they run in parallel on
// Workers goroutines. Every sequence writes only its own slots of the result
// and totals are summed afterwards in sequence order, so results are
// bit-identical whatever the number of workers.
package sim
