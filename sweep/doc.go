// Package sweep explores a space of hardware designs: a spec names models,
// inputs, a base design and axes over any design figure (by its dotted YAML
// key), and the sweep evaluates every (point, model, seed) — a row — and
// tabulates joules by category, joules per inference, the paper's energy,
// accuracy and the Pareto front of energy against accuracy.
//
// # Spec
//
//	name: levels-noise
//	models:                      # a list of sets (all or some of their models) or checkpoints
//	  - set: embedded            # the reference ART set built into neurosim, or a set folder
//	    only: [ART_STPN_h11, ART_LSTM_h9]
//	  - checkpoint: runs/m/model.pth   # config.json beside it unless config: is given
//	inputs: {set: embedded}      # or {inputs: x.npy, labels: y.npy}, {events: e.csv, labels: y.npy},
//	                             # {art: {n: 128, seed: 0}}; default: the models' set
//	design: rram-neurosim        # the base design: a preset or a design file
//	axes:                        # dotted design keys; the first axis varies slowest
//	  synapse.levels: [0, 64, 16, 8, 4, 2]
//	  synapse.read_noise: {from: 0, to: 0.4, steps: 5}
//	  readout.adc_energy: {from: 10fJ, to: 10pJ, steps: 4, log: true}
//	seeds: 1                     # Monte-Carlo seeds: design seed, seed+1, …
//	mode: grid                   # or {random: K, seed: S}
//
// Paths are relative to the spec file. Axis values are written as in a
// design file (units, prefixes, words of a choice) and each one is checked
// against the base design, and every point's whole design, before anything
// runs: a bad key, unit or range is an *Error naming the spec file and the
// line of the value. Generated values ({from, to, steps}) are spaced evenly
// or geometrically, ends exact, rounded to 12 significant digits (whole
// numbers for levels). In random mode each point draws each axis
// independently from a PCG seeded with the mode's seed: one of the listed or
// generated values, or, for {from, to} without steps, a value of the
// interval (log-uniform with log: true).
//
// # Counts, then prices
//
// A design figure's Role (design.KeyRole) says whether changing it needs a
// new simulation. Rows of one model whose designs share a
// design.SimulationKey form a Group: the network runs once, metering the
// union of the counts their prices need, and every row is priced from the
// stored counts ((*report.Energy).Reprice). A sweep of 1,000 price-only
// points costs one simulation.
//
// # Results folder, shards, merge
//
// Run writes plan.json (the rows and the content hash that keys each
// result) and, as soon as a group is priced, its rows' results in one file
// points/HASH.json (HASH of their keys), atomically: a run killed at any
// moment loses only the group in flight, and a rerun skips finished rows,
// wherever they were computed (results are found by key, so a changed spec
// reuses the rows it shares with an earlier one). A shard i of n takes the groups g with
// g mod n = i. Merge builds the Table from the plan and the results alone,
// so its CSV and JSON Lines are byte-identical whatever the sharding, the
// number of workers or the interruptions.
package sweep
