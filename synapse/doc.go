// Package synapse holds the trained recurrent units neurosim evaluates, as
// arrays of synapses (efficacies) feeding neurons, and their per-step paper
// energy.
//
// Units and their equations follow the public reference implementation of
// Rodriguez, Guo & Moraitis, "Short-Term Plasticity Neurons Learning to Learn
// and Forget", ICML 2022 (NeuromorphicComputing/stpn, STPLayers.py and the
// NoEmbed_AssociativeNet wrapper of the Associative Retrieval Task), including
// behaviour that looks accidental but defines the published numbers; each such
// place says so in a comment:
//
//   - STPN (STPNr): the Hebbian term of the plastic state F uses the *new*
//     hidden state as its recurrent presynaptic value, and F is divided by the
//     row norm of the total efficacy before it decays.
//   - STPNf and HebbFF: the network wrapper applies the activation to the first
//     state tensor of the cell, which for these cells is F itself, before the
//     update.
//   - FastWeights: the fast-weight matrix A used in a step is built from the
//     previous hidden state, and the stored state is clamped to ±1000.
//
// Energy is the paper's dimensionless quantity (energy.Paper): at step t,
// before the step's update, Σ_rows Σ_f z_f² |efficacy_rf| over every synapse
// of the recurrent cell; the readout layer is not counted.
//
// Arithmetic is float64 throughout; float32 checkpoints are widened exactly, so
// results compare with the reference executed in float64.
//
// A Network is immutable once built and safe for concurrent use; each
// goroutine runs sequences through its own Runner, which owns every buffer a
// step needs, so steps do not allocate.
package synapse
