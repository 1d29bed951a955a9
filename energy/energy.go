// Package energy holds the quantities neurosim charges and the ledger that adds
// them up.
//
// Two kinds of energy are kept apart by type:
//
//   - Paper is the dimensionless energy of Rodriguez, Guo & Moraitis, "Short-Term
//     Plasticity Neurons Learning to Learn and Forget" (ICML 2022): every synapse
//     is a conductance |efficacy| driven by a voltage equal to its presynaptic
//     value, so one step of one synapse costs z_f² · |efficacy_hf|. It has no unit.
//   - Joules (later: per-event hardware costs) are SI energies.
package energy

// Paper is the paper's dimensionless synaptic energy, Σ z_f² |efficacy_hf|.
// It is never mixed with joules.
type Paper float64
