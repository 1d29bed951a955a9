// Package npyfile reads and writes NumPy .npy arrays: the one .npy path of
// neurosim. Inputs and labels (package workload), .npz checkpoints (package
// checkpoint), event archives and the .npy outputs (package export) all go
// through it.
//
// # Format
//
// https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html:
//
//	6 bytes   magic "\x93NUMPY"
//	2 bytes   version major, minor: 1.0, 2.0 or 3.0
//	2|4 bytes header length H, little-endian (2 bytes in version 1, else 4)
//	H bytes   the header: a Python dict literal, Latin-1 (UTF-8 in version 3),
//	          padded with spaces and ended by a newline
//	rest      the data: the elements in C or Fortran order
//
// The header is parsed as the Python literal it is, not by position: keys in
// any order, strings in single or double quotes, optional trailing comma,
// any whitespace. It must hold exactly the keys 'descr' (a dtype string such
// as '<f8', '|u1', '>i4'), 'fortran_order' (True or False) and 'shape' (a
// tuple of non-negative ints; Python 2's 3L is read as 3). Anything else —
// structured dtypes, unknown or repeated keys, a shape that is not a tuple —
// is refused with a *FormatError that says what was found.
//
// Element types: bool, int8…int64, uint8…uint64, float16, float32, float64,
// little- or big-endian ('=' and '|' are read as little-endian).
//
// # Bounds
//
// The header is at most MaxHeader bytes. The element count is computed with
// overflow checks; a reader never allocates for elements it has not been
// given: Decode checks the header's claim against the bytes present and
// against the caller's element cap, and Reader hands out elements in
// caller-sized chunks. Elements stay at their own dtype (Array.Data, or the
// caller's typed buffers) until a caller widens them.
package npyfile
