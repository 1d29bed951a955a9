// Package export writes results: human tables (units in every header), JSON
// and CSV whose keys and columns are a stable, documented interface, and
// float64 .npy arrays.
//
// Files are written through Outputs, which stages every file in a temporary
// file beside its destination and renames them only once all were written, so
// a failure leaves no half-written output and no existing file is replaced by
// a partial one. Outputs also refuses to write over a file the run reads.
//
// export only reads results; it computes nothing.
package export
