// Package circuit is the physics of a hardware design (package design): the
// crossbar device a network's efficacies are read through, and the pricing
// that turns what a run counted (energy.Counts) into joules.
//
// # Device
//
// A Setting fixes one value of every ranged device figure (Settings lists
// the corners). A Chip is a network's arrays built at a setting; its
// Crossbar, one per worker, maps each efficacy e to cells — one cell
// G = g·|e| ("ideal", the paper's model) or a differential pair
// G± = g_min + g·max(±e, 0), both conducting — saturates the programmable
// part to [0, g_max − g_min], rounds it to `levels` evenly spaced values,
// multiplies it by a per-cell lognormal factor exp(σ_var·N(0,1)) drawn once
// from the design's seed, and at every read by 1 + σ_noise·N(0,1) from a
// stream per sequence. The network then uses what the cells give back,
// (G+ − G−)/g, so logits and accuracy are those of the chip as run. Without
// levels, variation, noise or possible saturation (NeedsDevice) no crossbar
// is used: reads are ideal and cell currents follow exactly from counted
// sums. g_per_unit "auto" maps each array's largest |efficacy| over the
// workload to the window (Setting.Calibrate). Prepare applies the design's
// policy for trained λ outside [0, 1].
//
// # Prices
//
// Price charges counts at both ends of every price range, by location
// (arrays, neurons, chip) and category, with the equations of package
// design's doc ("The model"): synapse_read = v_read²·t_read·Σ_cells G·z²
// (amplitude) or v_read²·t_read·Σ_cells G·|z| (pulse width), or
// synop_energy per synaptic operation (digital); dac per nonzero drive; adc
// per row read; synapse_write per write event and per unit of change, for
// the plasticity element's kind of write; neuron per evaluation; static
// power × simulated time. Energies are non-negative sums of counts × prices,
// so the two ends bound them exactly. With the "paper" design (ideal, 1 S
// per unit, 1 V, 1 s, all else free) synapse_read is the paper's energy.
// Because a run only counts, a change of price figures (design.Role Price)
// is re-priced from stored counts; Meter says which optional counts a
// design's prices need.
//
// Sources of the device model: DNN+NeuroSim (cells, ranges, levels), IBM
// aihwkit (programming and read noise of PCM), and the presets' sources
// (design.Presets).
package circuit
