// Package workload holds the input sequences that neurosim feeds to a
// recurrent network: batches read from NumPy .npy files, and a seeded
// generator of the Associative Retrieval Task (ART).
//
// A [Set] is N sequences of T steps of I values, row-major, with optional
// integer class labels, one per sequence. Values are dimensionless network
// inputs (one-hot symbols for ART), held at the dtype they were read with
// (float32 or float64) and widened one step or sequence at a time
// ([Set.Step], [Set.Sequence]).
//
// # Files and bounds
//
// [LoadInputs] reads a float32 or float64 .npy array of shape [N T I];
// [Set.LoadLabels] reads an integer .npy array of shape [N]. Both read
// regular files, pipes and devices (/dev/stdin) in one pass through
// internal/npyfile, the project's one .npy reader, and refuse files larger
// than [MaxFileBytes] (4 GiB; the neurosim flag --max-input-bytes) — before
// reading a regular file, as soon as a stream passes it. A Set costs its
// values at their own dtype, once; labels are counted against the inputs
// before one is read. Every problem is reported as an [*Error] naming the
// file and what was expected versus found, for example
//
//	inputs x.npy: shape [128 37] has rank 2, want [N T I] (rank 3)
//
// # Associative Retrieval Task
//
// ART is the task of Ba et al., "Using Fast Weights to Attend to the Recent
// Past" (NeurIPS 2016), in the form used by Rodriguez, Guo and Moraitis,
// "Short-Term Plasticity Neurons Learning to Learn and Forget" (ICML 2022),
// reference implementation data_art.create_data. Sequences have [ARTSteps] = 9
// steps of [ARTWidth] = 37 one-hot symbols ([ARTSymbols]): index 0–25 are the
// letters a–z (keys), 26–35 the digits 0–9 (values), 36 the separator '?'.
// Steps 0, 2, 4 hold three distinct keys, steps 1, 3, 5 their values (repeats
// allowed), steps 6 and 7 '?', step 8 one of the three keys as the query. The
// label is the one-hot index of the value paired with the query, so it lies in
// 26..35: "y4t7k0??t" has label 33 ('7').
//
// [ART] draws such sequences from an explicit seed (see [ARTConfig] for the
// exact algorithm); it cannot reproduce the reference sets, which come from
// NumPy's global generator. Those are read from their .npy files instead.
//
// # Event streams
//
// A [Stream] holds timestamped inputs for event-driven runs: per sequence, a
// list of network steps at integer times ([Tick], 1 ns), each with the
// channels that received an event and their values, held flat (12 bytes per
// event and per step). [LoadEvents], [DecodeEventsCSV] and [DecodeEventsNPZ]
// read files of events (sequence, t in seconds, channel, value); all events
// of a sequence at the same tick form one step. [Poisson] and [Bursts]
// generate streams from an explicit seed, a [Builder] builds one by hand, and
// [FromSet] turns a dense set into a clocked stream whose steps are counted
// by index (Δ ≡ 1), not in nanoseconds, so no step period can overflow.
//
// Event files are decoded in one streaming pass: a regular file is never
// read into memory (an .npz's four arrays are inflated side by side through
// internal/zipread), each event is checked as it is read, and memory follows
// the events accepted so far, so a file refused at event 0 costs O(1) however
// much it declares. Bounds: [MaxEventsFileBytes] (1 GiB, --max-events-bytes),
// [MaxEvents] (2^24, --max-events), [MaxSequences], [MaxChannels], and CSV
// lines of at most 64 KiB.
package workload
