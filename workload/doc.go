// Package workload holds the input sequences that neurosim feeds to a
// recurrent network: batches read from NumPy .npy files, and a seeded
// generator of the Associative Retrieval Task (ART).
//
// A [Set] is N sequences of T steps of I values, stored row-major as
// X[(n*T+t)*I+i], with optional integer class labels, one per sequence.
// Values are dimensionless network inputs (one-hot symbols for ART).
//
// # Files
//
// [LoadInputs] reads a float32 or float64 .npy array of shape [N T I];
// [Set.LoadLabels] reads an integer .npy array of shape [N]. Both refuse
// files larger than [MaxFileBytes] before reading them, and every problem is
// reported as an [*Error] naming the file and what was expected versus found,
// for example
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
// channels that received an event and their values. [DecodeEventsCSV] and
// [DecodeEventsNPZ] read files of events (sequence, t in seconds, channel,
// value); all events of a sequence at the same tick form one step. [Poisson]
// and [Bursts] generate streams from an explicit seed, and [FromSet] turns
// dense sequences into a stream with one step per step period.
package workload
