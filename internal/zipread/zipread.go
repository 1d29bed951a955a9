// Package zipread reads the members of an untrusted zip archive — a torch
// checkpoint, an .npz — with every size checked before memory is committed
// to it. It is the one bounded zip-member reader of neurosim: package
// checkpoint and package workload both read through it.
//
// archive/zip parses the directory; what this package adds is the policy:
//
//   - a member's declared (uncompressed) size is checked against the limit
//     the caller gives for it, and against what is left of the archive's
//     budget (the bytes that all members read may declare together), before
//     the member is read;
//   - only stored and deflated members are read (anything else is an
//     *Error with Unsupported set); a stored member must declare as many
//     bytes as it holds;
//   - a member is never inflated past its declared size: a deflate stream
//     that holds more (a zip bomb) is refused as soon as one byte too many
//     comes out, one that holds less is refused as truncated;
//   - the CRC-32 is checked at the end of every member whose CRC is
//     recorded (non-zero, as archive/zip decides).
//
// Members can be streamed (Open: O(1) memory, used to compute statistics of
// a tensor or to decode event arrays in one pass) or read whole (ReadAll:
// a stored member of an archive held in memory is returned without a copy;
// otherwise the buffer grows only as bytes really arrive).
package zipread

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"strconv"
)

// Error reports an archive or member that cannot be read.
type Error struct {
	Member      string // "" for the archive as a whole
	Msg         string
	Unsupported bool  // a valid archive using a feature not read here (a compression method)
	Err         error // from archive/zip or compress/flate, if any
}

func (e *Error) Error() string {
	if e.Member == "" {
		return e.Msg
	}
	return "member " + Quote(e.Member) + " " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Quote quotes a name taken from an archive for a message, bounded in length.
func Quote(s string) string {
	const max = 120
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…"
	}
	return strconv.Quote(s)
}

// Archive is an open zip archive.
type Archive struct {
	// Files lists the members in directory order; names are unique.
	Files  []*zip.File
	byName map[string]*zip.File
	data   []byte // the archive, when it is held in memory
	size   int64
	left   uint64 // of the budget
}

// New opens an archive held in memory. budget bounds the bytes that the
// members read from it may declare together.
func New(data []byte, budget int64) (*Archive, error) {
	a, err := NewReaderAt(bytes.NewReader(data), int64(len(data)), budget)
	if a != nil {
		a.data = data
	}
	return a, err
}

// NewReaderAt opens an archive of size bytes read through r.
func NewReaderAt(r io.ReaderAt, size, budget int64) (*Archive, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are only matched, never used as paths
		return nil, &Error{Msg: "truncated or corrupt zip archive (" + oneLine(err.Error()) + ")", Err: err}
	}
	a := &Archive{Files: zr.File, byName: make(map[string]*zip.File, len(zr.File)), size: size, left: uint64(max(budget, 0))}
	for _, f := range zr.File {
		if _, dup := a.byName[f.Name]; dup {
			return nil, &Error{Msg: "zip archive holds member " + Quote(f.Name) + " twice"}
		}
		if f.CompressedSize64 > uint64(size) {
			return nil, &Error{Member: f.Name, Msg: fmt.Sprintf("claims %d compressed bytes, the archive has %d", f.CompressedSize64, size)}
		}
		a.byName[f.Name] = f
	}
	return a, nil
}

// Lookup returns the member called name, or nil.
func (a *Archive) Lookup(name string) *zip.File { return a.byName[name] }

// check applies the limits to f before it is read, checks that its data
// lies within the archive, and charges its declared size to the budget. It
// returns the offset of the member's data.
func (a *Archive) check(f *zip.File, limit uint64) (int64, error) {
	size := f.UncompressedSize64
	switch {
	case f.Method != zip.Store && f.Method != zip.Deflate:
		return 0, &Error{Member: f.Name, Unsupported: true,
			Msg: fmt.Sprintf("uses compression method %d (only stored and deflated members are read)", f.Method)}
	case size > limit:
		return 0, &Error{Member: f.Name, Msg: fmt.Sprintf("declares %d bytes, more than the %d it may hold", size, limit)}
	case size > a.left:
		return 0, &Error{Member: f.Name, Msg: fmt.Sprintf("declares %d bytes, more than the %d left of the archive's budget", size, a.left)}
	case f.Method == zip.Store && size != f.CompressedSize64:
		return 0, &Error{Member: f.Name, Msg: fmt.Sprintf("is stored and declares %d bytes but holds %d", size, f.CompressedSize64)}
	case f.Method == zip.Deflate && size/maxRatio > f.CompressedSize64+1:
		return 0, &Error{Member: f.Name, Msg: fmt.Sprintf("declares %d bytes from %d compressed bytes, more than deflate can expand to (%d:1)",
			size, f.CompressedSize64, maxRatio)}
	}
	// Both ways of reading a member see the same data: a member whose
	// data starts or ends past the archive is refused by both, even one
	// that declares no bytes (found by FuzzReadAll).
	off, err := f.DataOffset()
	if err != nil || off < 0 || off > a.size || f.CompressedSize64 > uint64(a.size-off) {
		return 0, &Error{Member: f.Name, Msg: "lies outside the archive"}
	}
	a.left -= size
	return off, nil
}

// maxRatio is the largest expansion of a deflate stream: a 258-byte match
// coded in 2 bits.
const maxRatio = 1032

// Member streams one member's bytes: exactly its declared size, checked
// against inflation beyond it and against its CRC-32 at the end.
type Member struct {
	f     *zip.File
	r     io.Reader // the raw data, inflated when deflated
	close func() error
	left  uint64 // declared bytes not yet returned
	crc   hash.Hash32
	err   error // sticky
}

// Open checks f against limit and the budget and returns a stream of its
// bytes. Each Open charges the member's declared size to the budget again.
func (a *Archive) Open(f *zip.File, limit uint64) (*Member, error) {
	if _, err := a.check(f, limit); err != nil {
		return nil, err
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, &Error{Member: f.Name, Msg: oneLine(err.Error()), Err: err}
	}
	m := &Member{f: f, r: raw, close: func() error { return nil }, left: f.UncompressedSize64}
	if f.CRC32 != 0 {
		m.crc = crc32.NewIEEE()
	}
	if f.Method == zip.Deflate {
		fr := flate.NewReader(raw)
		m.r, m.close = fr, fr.Close
	}
	return m, nil
}

// Size is the member's declared (uncompressed) size.
func (m *Member) Size() uint64 { return m.f.UncompressedSize64 }

// Read returns the member's bytes; after the last declared byte it returns
// io.EOF, or an *Error if the data runs past its declared size, ends short of
// it, is corrupt, or fails its CRC-32.
func (m *Member) Read(p []byte) (int, error) {
	if m.err != nil {
		return 0, m.err
	}
	if m.left == 0 {
		m.err = m.finish()
		return 0, m.err
	}
	if uint64(len(p)) > m.left {
		p = p[:m.left]
	}
	n, err := m.r.Read(p)
	m.left -= uint64(n)
	if m.crc != nil {
		m.crc.Write(p[:n])
	}
	switch {
	case err == io.EOF && m.left > 0, err == io.ErrUnexpectedEOF:
		m.err = m.fail("is truncated: it ends %d bytes short of its declared %d", m.left, m.Size())
	case err != nil && err != io.EOF:
		var corrupt flate.CorruptInputError
		if errors.As(err, &corrupt) {
			m.err = &Error{Member: m.f.Name, Msg: "holds corrupt deflate data", Err: err}
		} else {
			m.err = &Error{Member: m.f.Name, Msg: oneLine(err.Error()), Err: err}
		}
	}
	if m.err != nil {
		return n, m.err
	}
	return n, nil
}

// finish checks, after the declared bytes, that nothing more comes out and
// that the CRC-32 matches.
func (m *Member) finish() error {
	var one [1]byte
	for {
		n, err := m.r.Read(one[:])
		if n > 0 {
			return m.fail("inflates beyond its declared %d bytes (zip bomb?)", m.Size())
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			var corrupt flate.CorruptInputError
			if errors.As(err, &corrupt) || err == io.ErrUnexpectedEOF {
				return &Error{Member: m.f.Name, Msg: "holds corrupt deflate data", Err: err}
			}
			return &Error{Member: m.f.Name, Msg: oneLine(err.Error()), Err: err}
		}
	}
	if m.crc != nil && m.crc.Sum32() != m.f.CRC32 {
		return m.fail("fails its CRC-32 check (%08x, declared %08x)", m.crc.Sum32(), m.f.CRC32)
	}
	return io.EOF
}

func (m *Member) fail(format string, args ...any) error {
	return &Error{Member: m.f.Name, Msg: fmt.Sprintf(format, args...)}
}

// Close releases the member's decompressor.
func (m *Member) Close() error { return m.close() }

// ReadAll checks f against limit and the budget and returns its bytes. A
// stored member of an archive held in memory is returned without a copy
// (after its CRC-32 is checked); otherwise the buffer grows as the bytes
// arrive, never past the declared size.
func (a *Archive) ReadAll(f *zip.File, limit uint64) ([]byte, error) {
	if a.data != nil && f.Method == zip.Store {
		off, err := a.check(f, limit)
		if err != nil {
			return nil, err
		}
		b := a.data[off : uint64(off)+f.CompressedSize64 : uint64(off)+f.CompressedSize64]
		if f.CRC32 != 0 && crc32.ChecksumIEEE(b) != f.CRC32 {
			return nil, &Error{Member: f.Name, Msg: fmt.Sprintf("fails its CRC-32 check (%08x, declared %08x)", crc32.ChecksumIEEE(b), f.CRC32)}
		}
		return b, nil
	}
	m, err := a.Open(f, limit)
	if err != nil {
		return nil, err
	}
	defer m.Close()
	size := m.Size()
	// Start with what the member could hold without expanding and double
	// as bytes arrive (a member may declare far more than it really
	// inflates to), the last step to the declared size exactly: at most
	// twice the size is allocated in all.
	b := make([]byte, 0, min(size, max(f.CompressedSize64, 64<<10)))
	for {
		if uint64(len(b)) == size {
			if _, err := m.Read(make([]byte, 1)); err != io.EOF {
				return nil, err
			}
			return b, nil
		}
		if len(b) == cap(b) {
			c := 2 * uint64(cap(b))
			if 2*c > size {
				c = size // within a factor of 2: go to the declared size at once
			}
			nb := make([]byte, len(b), c)
			copy(nb, b)
			b = nb
		}
		n, err := m.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// oneLine flattens and bounds a message from archive/zip or flate.
func oneLine(s string) string {
	if len(s) > 240 {
		s = s[:240] + "…"
	}
	return string(bytes.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, []byte(s)))
}
