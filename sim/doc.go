// Package sim runs input sequences through a trained network in simulated
// time, counts what each step did (energy.Counts: reads, conversions,
// writes, neuron evaluations, time), and collects what the network
// answered. It never prices: joules are the counts priced by a design
// afterwards (package circuit), so a price change needs no new run.
//
// # Time and events
//
// Time is an integer number of ticks (workload.Tick, 1 ns), so ordering and
// ties never depend on floating point. Inputs are events (sequence, t,
// channel, value); the semantics, for each sequence:
//
//   - All events of the sequence at the same tick form one network step; the
//     step's input vector holds their values at their channels and zero
//     elsewhere. Steps are taken in time order (ties between events were
//     resolved when the stream was built: by time, then insertion order).
//   - Between steps no neuron is evaluated: hidden states (and an LSTM's cell
//     state) hold.
//   - Decay is exact in time. Step k lasts Δ_k = (t_k − t_{k−1}) / period
//     network steps (Δ₁ = 1), period being the design's step_period. In step
//     k every decay factor λ in [0, 1] of the model (STPN, STPNf, HebbFF,
//     Fast Weights) acts as λ^Δ_k: a passive element with time constant
//     τ = −period / ln λ. For Δ ≡ 1 this is the reference model exactly.
//     Models without decay (MODPLAST, RNN, LSTM) are unchanged.
//   - A trained λ outside [0, 1] is not a passive decay and has no
//     continuous-time meaning. The design's lambda_outside policy decides:
//     per-step (default) applies it once per network step as the discrete
//     model does; clamp clamps it into [0, 1] (this changes the model, and
//     its accuracy is the one reported); refuse refuses the network. In the
//     counts such a synapse cannot be passive: its state is counted as
//     rewritten every step.
//   - Static energy: a step lasts until the next step of its sequence and the
//     last step one period, so a sequence's static energy is
//     static_power × (t_last − t_first + period).
//   - A zero presynaptic value drives nothing: no DAC conversion, no read
//     current; a read whose drive is all zero does not happen (no ADC).
//
// A dense set (workload.FromSet) is the clocked case: step k at k·period,
// every channel present, Δ ≡ 1, every step one period long; it takes exactly
// the steps of the reference evaluation.
//
// # What a network answers
//
// A network is a front-end, a core and heads (synapse.Network). A step
// feeds one observation through all three; its paper energy is the core's.
// A network read out after its last step (the paper's ART network) answers
// once per sequence (Result.Logits, Predicted); an agent's heads are read at
// every step, and Options.Outputs keeps each head's output at every step
// (Result.Outputs: the action logits and value of every step), memory
// being spent only when asked. Under a design whose scope is the whole
// network, the front-end's and heads' reads are counted too — a once-read
// readout with the sequence's last step.
//
// # Cost follows events
//
// Nothing runs for silent intervals: a gap of any length costs one decay
// computation at the next step (λ^Δ = exp(Δ·ln λ) with ln λ precomputed), so a
// stream of 1,000 events over an hour costs about what 1,000 dense steps do.
//
// # Determinism
//
// Sequences are independent (all state is zero at the start of each), so
// they run in parallel on Workers goroutines. Each sequence writes only its
// own slots of the result and its counts; device read noise restarts from a
// stream seeded by the design's seed and the sequence index; totals are
// summed afterwards in sequence order. Results are bit-identical whatever the
// number of workers.
//
// # Numbers out of range
//
// A step whose paper energy or cell currents, or a readout, is NaN or
// infinite stops the run with a *NumericError naming the sequence, the step
// and the quantity (the lowest such sequence, whatever the worker count).
// Time never overflows: Δ is computed in float64 ticks, and a clocked run
// takes its time from the step index.
package sim
