// Package report runs neurosim's jobs end to end as library calls — load a
// checkpoint with its architecture, build the workload, run it, and gather
// what a user is shown — so the command line only parses flags and prints.
//
// Energy evaluates one model; Compare evaluates a set of models on the same
// inputs (by default the reference Associative Retrieval Task set embedded in
// the binary) and relates their energy to STPN's.
package report
