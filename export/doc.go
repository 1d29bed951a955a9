// Package export writes neurosim's results: human tables, JSON and CSV whose
// keys and columns are a stable, documented interface (README, "Outputs"),
// and float64 .npy arrays. It only reads results; it computes nothing but
// their presentation (hulls over a design's corners, ratios end by end).
//
// # Schema
//
// A quantity that may be a range — an energy, an accuracy, a count over a
// design's corners — is a Value: {"low": …, "high": …} in JSON and two
// columns NAME_low, NAME_high in CSV, equal when exact, so that the shape of
// an output never depends on the design. Units are in the key (_J joules,
// _S siemens, _s seconds; paper_energy is dimensionless); accuracy is a
// fraction in data and a percentage only in tables. Every JSON output starts
// with a "meta" object and every CSV output with the same keys as "# key:
// value" lines (Meta): version, command line, design name and hash
// (DesignHash: SHA-256 of the design's canonical YAML), checkpoint, inputs.
// Every number is checked before anything is written: NaN and infinities are
// a *NonFiniteError naming the value.
//
// # Tables
//
// Tables are laid out for a Terminal's Style: at most Style.Width columns
// (DefaultWidth, 100) by wrapping cells at spaces — a number keeps its unit —
// then hiding the columns a table marks optional (and saying so), then
// breaking long words; Width 0 (--wide) lifts the limit. Style.ASCII draws
// ASCII borders and spells µ, …, × and the like in ASCII, for locales that
// are not UTF-8.
//
// # Output files
//
// Outputs is one transaction over a command's output files: paths checked
// before the run (Plan), files staged to temporaries (Stage), then renamed
// into place together (Commit) — or none of them (Abort), after a failure or
// an interrupt. Symbolic links are followed, permissions kept, character
// devices and FIFOs streamed in place, never replaced.
package export
