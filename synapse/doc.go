// Package synapse holds the trained networks neurosim evaluates — a
// front-end of stateless layers, a recurrent core, linear heads — as arrays
// of synapses (efficacies) feeding neurons, and their per-step paper energy.
//
// Units and their equations follow the public reference implementation of
// Rodriguez, Guo & Moraitis, "Short-Term Plasticity Neurons Learning to Learn
// and Forget", ICML 2022 (NeuromorphicComputing/stpn: STPLayers.py, the
// NoEmbed_AssociativeNet wrapper of the Associative Retrieval Task, and the
// agents of AtariMujoco/rllib_nets.py), including behaviour that looks
// accidental but defines the published numbers; each such place says so in a
// comment. Each unit is written once; where the paper's two wrappers drive a
// unit differently, the difference is a property of the network description
// (arch.Wrapper), not of the unit:
//
//   - STPN (STPNr): F is divided by the row norm of the total efficacy
//     before it decays. The Hebbian term's recurrent presynaptic value is
//     the *new* hidden state h_t in the ART network, the h_{t−1} that drove
//     the synapses in the agents (SimpleNetSTPN).
//   - STPNf and HebbFF: the ART network applies the activation to the first
//     state tensor of the cell, which for these cells is F itself, before the
//     update; the agents' SimpleNetSTPMLP does not.
//   - FastWeights: the fast-weight matrix A used in a step is built from the
//     previous hidden state, and the stored state is clamped to ±1000.
//   - torch.nn.RNN and LSTM (the agents' "rnn" and "lstm" cores) are the
//     paper's RNN and LSTM cells under torch's tensor names, one array over
//     [x ; h]; GRU (torch only) and the agents' memoryless MLP core are
//     units of their own.
//
// Energy is the paper's dimensionless quantity (energy.Paper): at step t,
// before the step's update, Σ_rows Σ_f z_f² |efficacy_rf| over every synapse
// of the recurrent core, z its presynaptic values (the front-end's output
// and the previous hidden output, never an LSTM's cell state). Front-end,
// readout and heads are not counted, in either of the paper's networks. The
// paper's rule extends to the GRU as to its LSTM: every gate row, input and
// recurrent. A network's scope (WholeNetwork) decides which arrays a run
// meters for a hardware design: the core's, or every layer's — a
// convolution then as one crossbar read of its unrolled kernels per output
// position.
//
// Arithmetic is float64 throughout; float32 checkpoints are widened exactly, so
// results compare with the reference executed in float64.
//
// A Network is immutable once built and safe for concurrent use; each
// goroutine runs sequences through its own Runner, which owns every buffer a
// step needs, so steps do not allocate.
package synapse
