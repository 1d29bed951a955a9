// Package design is the hardware design file: its schema, parser and
// writer, the sourced presets, and SI quantities with ranges. A design says
// how a trained network's synapses, inputs and readout are built and what
// each event costs; it is data. The physics that uses it — the crossbar
// device model and the pricing of counts into joules — is package circuit.
//
// It turns the dimensionless energy of Rodriguez, Guo & Moraitis,
// "Short-Term Plasticity Neurons Learning to Learn and Forget" (ICML 2022)
// into joules.
//
// # The model
//
// A design says, per event, what is charged (the README, "Hardware designs"):
//
//   - Synaptic read. A nonzero presynaptic value z drives its column for one
//     read; every cell on it conducts. With amplitude encoding the cell sees
//     V = v_read·z for t_read, so it dissipates G·V²·t_read; with pulse-width
//     encoding it sees v_read for |z|·t_read, so G·v_read²·t_read·|z|.
//   - Conductances. synapse.mapping "ideal" is the paper's model, one cell
//     G = g_per_unit·|w|; "differential" is a pair G+ = g_min + g_per_unit·max(w,0),
//     G− = g_min + g_per_unit·max(−w,0), both conducting, so g_min matters.
//     g_per_unit "auto" maps the array's largest |efficacy| at programming
//     time to g_max − g_min. levels (0 = continuous, else ≥ 2) quantise a
//     cell's conductance within [g_min, g_max]; variation is the lognormal σ of
//     device-to-device variation, read_noise the relative σ of each read; seed
//     seeds both. With "ideal", g_min and g_max may be left out: the window is
//     then unbounded (Synapse.GMax is zero), as in the paper, and neither auto
//     nor levels may be used.
//   - Digital synapses. Mapping "digital" (Loihi-like chips, and biology) has
//     no conductances: each synaptic operation — a synapse whose presynaptic
//     value is nonzero — costs synapse.synop_energy. Under "digital" the keys
//     g_per_unit, g_min, g_max, levels, variation, read_noise, input.encoding,
//     input.v_read, input.t_read and readout.adc_energy are errors, and
//     synop_energy is required; under the analog mappings synop_energy is an
//     error.
//   - Periphery. input.dac_energy per conversion of a nonzero presynaptic
//     value; readout.adc_energy per postsynaptic row read; readout.neuron_energy
//     per activation evaluated.
//   - Plasticity. plasticity.element "volatile" decays for free and charges
//     each synapse whose Hebbian increment is nonzero write_energy_per_event +
//     write_energy_per_unit·|increment|; "rewrite" (non-volatile or digital
//     memory) writes every plastic synapse's new value each step at the same
//     prices. plasticity.lambda_outside (per-step, clamp, refuse; default
//     per-step) is the policy for trained decay factors λ outside [0, 1] in
//     event-driven runs.
//   - static_power × simulated time; step_period is one network step.
//   - The chip (all optional; a design without them is what it was before
//     they existed). array: rows × cols crossbar tiles — presynaptic inputs
//     on rows (a differential pair takes two), outputs on columns, each
//     column's partial sum converted by an ADC shared by cols_per_adc
//     columns and the row tiles' sums added digitally (add_energy, t_add);
//     adc_bits quantises every partial sum over its full-scale range;
//     adc_fom prices a conversion as FOM·2^adc_bits (Walden 1999) instead
//     of readout.adc_energy; t_conversion. For a digital chip a tile is a
//     core (inputs × neurons). area: cell (or cell_f2·feature_size²), adc,
//     dac, neuron, adder, tile, in m² (written um2, mm2). readout.t_neuron
//     and synapse.t_synop (digital) time a step. plasticity.retention (τ),
//     retention_variation (lognormal σ cell to cell) and endurance (cycles)
//     make the volatile element a device (Array, Footprint).
//   - scope (core or network; default core) is which layers the chip holds:
//     the recurrent core alone, as the paper charges it, or the whole
//     network — front-end layers (a convolution as one crossbar read of its
//     unrolled kernels per output position), core and heads, all read
//     through the design's arrays and priced, the front-end's activations
//     as neurons. The paper's energy is the core's either way.
//
// The "paper" preset (ideal mapping, 1 S per unit, v_read = 1 V, t_read = 1 s,
// all else free) makes a synapse read cost |w|·z² joules: the paper's number.
//
// # Units and ranges
//
// Every figure is held in SI as float64 inside a Range{Lo: Lo, Hi: Hi}; a point value
// has Lo == Hi. In design files a quantity is a number, optional spaces, an
// optional prefix (f p n u µ μ m k M G) and its unit: S for conductances, V,
// s, J and W. g_min and g_max also accept a resistance in Ω or Ohm, stored as
// its conductance 1/R (so g_min is written as R_off). variation and read_noise
// are plain numbers. Any figure may be a range [low, high] of two values in
// the same unit; an energy that depends on a ranged figure is itself a range.
// Prices — v_read, t_read and every per-event energy, static power — enter
// the energy as non-negative factors, so charging every price at its Low end
// and then at its High end bounds the energy exactly. Figures that change
// what the network computes or how much current its cells draw — g_min,
// g_max, an explicit g_per_unit, variation, read_noise, and step_period for
// event inputs (see Design.Settings) — are evaluated by one run per
// combination of their ends, and the reported range is the hull of those
// runs: an estimate, not a bound, where the energy is not monotone in such a
// figure (with levels, the rounding of g·|w| to the level spacing is not). A wrong dimension, a missing
// unit, a negative value, NaN or infinity, a malformed range, an unknown or
// duplicate key at any level, or a key the mapping has no use for is an
// *Error naming the file, the line, the key and the problem.
//
// # Roles: which figure needs a new run
//
// Every key has a Role (KeyRole). Price figures only turn counts into
// joules — synop_energy, input.encoding, v_read, t_read, dac_energy,
// adc_energy, neuron_energy, plasticity.element, both write energies,
// static_power — so a change of them is re-priced from a stored run.
// Device figures change what the network computes or what is counted —
// mapping, g_per_unit, g_min, g_max, levels, variation, read_noise, seed,
// lambda_outside, scope — and need a new run. step_period (Timing) is a price for
// dense inputs and a device figure for event streams, where it sets the
// decay between events. SimulationKey hashes the figures that need a run;
// With sets one figure by its dotted key, as a sweep does.
//
// # Sources
//
// Every figure of a preset carries its source (Design.Sources, the sources
// mapping of a file, and a trailing comment in WriteYAML's output):
// DNN+NeuroSim V1.4 and V2.1, NVSim and NVMExplorer cells, CiMLoop's NeuRRAM
// model (Wan et al., Nature 2022), the Accelergy library's ISAAC, TIMELY and
// NeuRRAM converters, MNSIM 2.0, IBM aihwkit, Davies et al. (IEEE Micro 2018)
// for Loihi, nengo/keras-spiking, and Attwell & Laughlin (J Cereb Blood Flow
// Metab 2001) for biology. "[derived]" marks arithmetic on cited parameters,
// "[assumption]" a choice made where no source gives the figure.
package design
