package workload

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/internal/input"
	"github.com/neurosim/neurosim/internal/npyfile"
	"github.com/neurosim/neurosim/internal/zipread"
)

// Defaults of the bounds on event files.
const (
	DefaultMaxEventsFileBytes int64 = 1 << 30
	DefaultMaxEvents                = 1 << 24
)

// Bounds on event files, checked before anything of that size is allocated.
// MaxEventsFileBytes and MaxEvents may be changed by a program at start-up,
// before any file is read (the neurosim command does, from
// --max-events-bytes and --max-events).
var (
	// MaxEventsFileBytes bounds the size of an event file (.csv or .npz):
	// a regular file is refused before it is read, a stream once it has
	// sent this many bytes.
	MaxEventsFileBytes = DefaultMaxEventsFileBytes
	// MaxEvents bounds the events of a file or generated stream (at most
	// MaxStreamEvents). Decoding holds 24 bytes per event (an .npz) or at
	// most 28 (a CSV whose sequences interleave: 52 while grouping them);
	// the stream itself 12 bytes per event and 12 per step. The file is
	// never held in memory when it is a regular file.
	MaxEvents = DefaultMaxEvents
)

const (
	// MaxSequences bounds the number of sequences of a stream (the largest
	// sequence index of a file is MaxSequences−1).
	MaxSequences = 1 << 20
	// MaxChannels bounds the channels per step (the model's input size).
	MaxChannels = 1 << 20
	// maxLine bounds a CSV line.
	maxLine = 64 << 10
)

const csvHeader = "sequence,t,channel,value"

// npzArrays are the arrays of an event .npz, in the order they are checked.
var npzArrays = [...]string{"sequence", "t", "channel", "value"}

func maxEvents() int { return min(max(MaxEvents, 1), MaxStreamEvents) }

// LoadEvents reads an event file for a model of channels inputs: a .npz file
// when its name ends in .npz, CSV when it ends in .csv, and otherwise .npz
// when it starts like a zip archive ("PK\x03\x04" or "PK\x05\x06"), else CSV.
// The file may be a regular file or a stream (pipe, device). It is decoded in
// one streaming pass: a regular file is never read into memory (an .npz's
// four arrays are inflated side by side), a bad event is refused as soon as
// it is read, and memory follows the events accepted so far. A regular file
// larger than MaxEventsFileBytes is refused before it is read; a stream is
// read through that limit (an .npz from a stream is held whole, since a zip
// archive's directory is at its end). The stream is named path and has no
// labels.
func LoadEvents(path string, channels int) (*Stream, error) {
	if err := checkChannels(path, channels); err != nil {
		return nil, err
	}
	f, err := input.Open(path, MaxEventsFileBytes)
	if err != nil {
		return nil, wrap("events", path, err, "--max-events-bytes")
	}
	defer f.Close()
	head, _ := f.Peek(4)
	ext := strings.ToLower(filepath.Ext(path))
	zipped := bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06"))
	if ext == ".npz" || (ext != ".csv" && zipped) {
		if f.Regular() {
			return readEventsNPZ(path, f.ReaderAt(), f.Size(), channels)
		}
		data, err := f.ReadAll()
		if err != nil {
			return nil, wrap("events", path, err, "--max-events-bytes")
		}
		return DecodeEventsNPZ(path, data, channels)
	}
	hint := -1
	if f.Regular() {
		// A first pass counts the lines, so that the events are allocated
		// once and an oversized file is refused before it is parsed.
		if hint, err = countLines(f.ReaderAt(), f.Size()); err != nil {
			return nil, wrap("events", path, err, "")
		}
	}
	return readEventsCSV(path, f, channels, hint)
}

// countLines counts the newlines of the first size bytes of r, and one more
// if the last line has none.
func countLines(r io.ReaderAt, size int64) (int, error) {
	buf := make([]byte, 64<<10)
	n, last := 0, byte('\n')
	for off := int64(0); off < size; {
		k, err := r.ReadAt(buf[:min(int64(len(buf)), size-off)], off)
		n += bytes.Count(buf[:k], []byte("\n"))
		if k > 0 {
			last = buf[k-1]
		}
		off += int64(k)
		if err != nil && (err != io.EOF || off < size) {
			return 0, err
		}
	}
	if last != '\n' {
		n++
	}
	return n, nil
}

// DecodeEventsCSV decodes an event CSV for a model of channels inputs; name is
// used in errors and as the stream's Name.
//
// The first line is exactly
//
//	sequence,t,channel,value
//
// and every other line is one event: the sequence index (a decimal integer
// ≥ 0), the time in seconds (decimal or scientific notation, ≥ 0), the input
// channel (a decimal integer in [0, channels)) and the value (a finite
// number). Lines end in "\n" or "\r\n"; the last newline is optional; there
// are no blank lines, quotes or spaces. Sequences are numbered 0..N−1 and
// every one of them must have at least one event: an index that never occurs
// is refused, because a file cannot say that trailing sequences exist, so
// allowing gaps would make N depend on which sequences happen to be silent,
// and a missing sequence is far more often an error (numbering from 1, a
// filter that dropped rows) that would misalign the labels. A silent sequence
// can be written as one event of value 0. Rows of different sequences may
// interleave, but the times of each sequence must not decrease in file order
// (compared after rounding to ticks). Events of a sequence at the same tick
// form one step; the same (sequence, tick, channel) twice is refused.
//
// Every problem is an [*Error] whose one-line message names the file, the
// line (1-based, the header is line 1) and what is wrong, for example
//
//	events in.csv: line 7: channel 40 is out of range: the model's input size is 37 (channels 0..36)
//
// DecodeEventsCSV reads from memory; LoadEvents reads files and streams.
func DecodeEventsCSV(name string, data []byte, channels int) (*Stream, error) {
	if int64(len(data)) > MaxEventsFileBytes {
		return nil, errorf("events", name, "file is %d bytes, more than the %d allowed (--max-events-bytes)", len(data), MaxEventsFileBytes)
	}
	if err := checkChannels(name, channels); err != nil {
		return nil, err
	}
	lines, _ := countLines(bytes.NewReader(data), int64(len(data)))
	return readEventsCSV(name, bytes.NewReader(data), channels, lines)
}

// readEventsCSV decodes a CSV stream line by line; lines (when ≥ 0) is an
// upper bound of the number of lines, header included.
func readEventsCSV(name string, r io.Reader, channels, lines int) (*Stream, error) {
	br := bufio.NewReaderSize(r, maxLine)
	line := 0
	next := func() ([]byte, error) {
		b, err := br.ReadSlice('\n')
		switch {
		case err == bufio.ErrBufferFull:
			return nil, errorf("events", name, "line %d is longer than %d bytes", line+1, maxLine)
		case err == io.EOF && len(b) == 0:
			return nil, io.EOF
		case err != nil && err != io.EOF:
			return nil, wrap("events", name, err, "--max-events-bytes")
		}
		line++
		b = bytes.TrimSuffix(b, []byte("\n"))
		return bytes.TrimSuffix(b, []byte("\r")), nil
	}
	header, err := next()
	if err == io.EOF {
		return nil, errorf("events", name, "empty file, want the header %s and at least one event", csvHeader)
	}
	if err != nil {
		return nil, err
	}
	if h := string(header); h != csvHeader {
		return nil, errorf("events", name, "line 1: header %s, want %s", quoteField(h), csvHeader)
	}
	hint := -1
	if lines >= 0 {
		if lines-1 > maxEvents() {
			return nil, errorf("events", name, "%d lines, more than the %d events allowed (--max-events)", lines, maxEvents())
		}
		hint = lines - 1
	}
	p := newParser(name, channels, hint, func(i int) string { return "line " + strconv.Itoa(i+2) })
	for i := 0; ; i++ {
		b, err := next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if i >= maxEvents() {
			return nil, p.errorf(i, "more than the %d events allowed (--max-events)", maxEvents())
		}
		var f [4][]byte
		cols := bytes.Count(b, []byte(",")) + 1
		if cols != 4 || len(b) == 0 {
			if len(b) == 0 {
				cols = 0
			}
			return nil, p.errorf(i, "%d columns, want 4 (%s)", cols, csvHeader)
		}
		for k := range f {
			f[k], b, _ = bytes.Cut(b, []byte(","))
		}
		seq, problem := parseIndex(f[0])
		if problem != "" {
			return nil, p.errorf(i, "sequence %s %s", quoteField(string(f[0])), problem)
		}
		t, problem := parseNumber(f[1])
		if problem != "" {
			return nil, p.errorf(i, "time %s %s", quoteField(string(f[1])), problem)
		}
		ch, problem := parseIndex(f[2])
		if problem != "" {
			return nil, p.errorf(i, "channel %s %s", quoteField(string(f[2])), problem)
		}
		v, problem := parseNumber(f[3])
		if problem != "" {
			return nil, p.errorf(i, "value %s %s", quoteField(string(f[3])), problem)
		}
		if err := p.add(i, seq, t, ch, v); err != nil {
			return nil, err
		}
	}
	if p.n == 0 {
		return nil, errorf("events", name, "no events after the header")
	}
	return p.build()
}

// parseIndex parses a decimal integer; the problem, if any, is a phrase to
// follow the field.
func parseIndex(b []byte) (int64, string) {
	v, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, "is out of range"
		}
		return 0, "is not an integer"
	}
	return v, ""
}

// parseNumber parses a decimal or scientific number (or NaN/Inf, refused
// later with the field's own message).
func parseNumber(b []byte) (float64, string) {
	v, err := strconv.ParseFloat(string(b), 64)
	if bytes.ContainsAny(b, "xX_") || (err != nil && !errors.Is(err, strconv.ErrRange)) {
		return 0, "is not a decimal number"
	}
	return v, "" // out of range gives ±Inf, refused as not finite
}

// quoteField quotes a field for an error message, cut to a readable length.
func quoteField(s string) string {
	const max = 40
	if len(s) > max {
		return strconv.Quote(s[:max]) + "…"
	}
	return strconv.Quote(s)
}

func checkChannels(name string, channels int) error {
	if channels < 1 || channels > MaxChannels {
		return errorf("events", name, "the model's input size is %d, want 1..%d channels", channels, MaxChannels)
	}
	return nil
}

// DecodeEventsNPZ decodes an event .npz (numpy.savez or savez_compressed)
// held in memory, for a model of channels inputs; name is used in errors and
// as the stream's Name.
//
// The archive holds exactly the members sequence.npy, t.npy, channel.npy and
// value.npy, stored or deflated: 1-D arrays of one length, sequence and
// channel of an integer dtype, t (seconds) and value of a float dtype. Element
// k of the four arrays is event k, and the rules are those of
// [DecodeEventsCSV], with "index k" (0-based) in place of the line. The four
// members are read side by side through the bounded zip reader
// (internal/zipread): each member's declared size is checked before it is
// read, no member is inflated past it, and event k is checked before event
// k+1 is read, so a bad event is refused after reading only what precedes it.
func DecodeEventsNPZ(name string, data []byte, channels int) (*Stream, error) {
	if int64(len(data)) > MaxEventsFileBytes {
		return nil, errorf("events", name, "file is %d bytes, more than the %d allowed (--max-events-bytes)", len(data), MaxEventsFileBytes)
	}
	if err := checkChannels(name, channels); err != nil {
		return nil, err
	}
	return readEventsNPZ(name, bytes.NewReader(data), int64(len(data)), channels)
}

// npzChunk is the number of events read from each array at a time.
const npzChunk = 4096

func readEventsNPZ(name string, r io.ReaderAt, size int64, channels int) (*Stream, error) {
	if size == 0 {
		return nil, errorf("events", name, "empty file, want an .npz archive of the arrays sequence, t, channel, value")
	}
	// A member holds a preamble and header (at most 12+npyfile.MaxHeader
	// bytes) and at most 8 bytes per event.
	memberMax := uint64(12 + npyfile.MaxHeader + 8*maxEvents())
	a, err := zipread.NewReaderAt(r, size, int64(4*memberMax))
	if err != nil {
		msg := oneLine(err.Error())
		if errors.Unwrap(err) != nil { // archive/zip could not read it
			msg = "not an .npz (zip) archive: " + msg
		}
		return nil, &Error{What: "events", Name: name, Msg: msg, Err: err}
	}
	var members [len(npzArrays)]*zip.File
	for _, f := range a.Files {
		k := slices.Index(npzArrays[:], strings.TrimSuffix(f.Name, ".npy"))
		if k < 0 || !strings.HasSuffix(f.Name, ".npy") {
			return nil, errorf("events", name, "member %s is not one of sequence.npy, t.npy, channel.npy, value.npy", quoteField(f.Name))
		}
		if members[k] != nil {
			return nil, errorf("events", name, "member %s appears twice", quoteField(f.Name))
		}
		members[k] = f
	}
	for k, f := range members {
		if f == nil {
			return nil, errorf("events", name, "missing array %q (want sequence, t, channel, value)", npzArrays[k])
		}
	}
	var arrays [len(npzArrays)]*npyfile.Reader
	for k, f := range members {
		what := npzArrays[k]
		fail := func(err error) error {
			return &Error{What: "events", Name: name, Msg: fmt.Sprintf("array %q: %s", what, oneLine(err.Error())), Err: err}
		}
		m, err := a.Open(f, memberMax)
		if err != nil {
			return nil, fail(err)
		}
		defer m.Close()
		nr, err := npyfile.NewReader(m)
		if err != nil {
			return nil, fail(err)
		}
		if len(nr.Shape) != 1 {
			return nil, errorf("events", name, "array %q has shape %v, want 1-D", what, nr.Shape)
		}
		switch what {
		case "sequence", "channel":
			if !nr.DType.IsInt() {
				return nil, errorf("events", name, "array %q has dtype %s, want an integer dtype (int8..int64, uint8..uint64)", what, nr.DType)
			}
		default:
			if !nr.DType.IsFloat() {
				return nil, errorf("events", name, "array %q has dtype %s, want float16, float32 or float64", what, nr.DType)
			}
		}
		if nr.Len > int64(maxEvents()) {
			return nil, errorf("events", name, "array %q holds %d elements, more than the %d events allowed (--max-events)", what, nr.Len, maxEvents())
		}
		if k > 0 && nr.Len != arrays[0].Len {
			return nil, errorf("events", name, "array %q has %d elements and %q %d, want equal lengths",
				what, nr.Len, npzArrays[0], arrays[0].Len)
		}
		if have := m.Size() - uint64(nr.DataOffset); uint64(nr.DataBytes()) != have {
			return nil, errorf("events", name, "array %q: member declares %d bytes of data, shape %v of %s needs %d", what, have, nr.Shape, nr.DType, nr.DataBytes())
		}
		arrays[k] = nr
	}
	n := int(arrays[0].Len)
	if n == 0 {
		return nil, errorf("events", name, "no events (the arrays are empty)")
	}
	p := newParser(name, channels, n, func(i int) string { return "index " + strconv.Itoa(i) })
	var (
		seq, ch [npzChunk]int64
		t, v    [npzChunk]float64
	)
	for i := 0; i < n; {
		k := min(npzChunk, n-i)
		for j, read := range [...]func() (int, error){
			func() (int, error) { return arrays[0].ReadInt64(seq[:k]) },
			func() (int, error) { return arrays[1].ReadFloat64(t[:k]) },
			func() (int, error) { return arrays[2].ReadInt64(ch[:k]) },
			func() (int, error) { return arrays[3].ReadFloat64(v[:k]) },
		} {
			if got, err := read(); err != nil || got != k {
				if err == nil || err == io.EOF {
					err = io.ErrUnexpectedEOF
				}
				return nil, &Error{What: "events", Name: name, Msg: fmt.Sprintf("array %q: %s", npzArrays[j], oneLine(err.Error())), Err: err}
			}
		}
		for j := range k {
			if err := p.add(i+j, seq[j], t[j], ch[j], v[j]); err != nil {
				return nil, err
			}
		}
		i += k
	}
	for j, nr := range arrays {
		if err := nr.End(); err != nil {
			return nil, &Error{What: "events", Name: name, Msg: fmt.Sprintf("array %q: %s", npzArrays[j], oneLine(err.Error())), Err: err}
		}
	}
	return p.build()
}

// parser validates events in file order and builds the stream. While the
// events come grouped by sequence and in time order (the usual layout), it
// builds the stream's flat arrays directly (sorted mode); at the first event
// of a sequence that an earlier sequence's events followed, it falls back to
// keeping the events as columns, grouped at the end by a counting sort.
type parser struct {
	name     string
	channels int
	where    func(i int) string // "line 7", "index 5"
	hint     int                // events in the file when known, else -1

	last    []Tick  // per sequence: tick of its last event so far (-1: none)
	lastRow []int32 // per sequence: that event's index
	n       int     // events so far

	sorted bool
	b      *Builder // sorted mode: the stream, events in file order within each step
	open   int      // sorted mode: first event of the step being filled
	cur    int      // sorted mode: the sequence being filled

	// fallback mode: columns, in file order
	seq  []int32
	tick []Tick
	ch   []int32
	val  []float64
}

func newParser(name string, channels, hint int, where func(int) string) *parser {
	return &parser{name: name, channels: channels, where: where, hint: hint, sorted: true,
		b: NewBuilder(name, 1, channels), cur: -1}
}

// room makes room for one more element in x. Capacity doubles as elements
// arrive (from 4096), so that a file refused early costs little; when the
// count is known (limit ≥ 0), once an eighth of it has arrived the rest is
// allocated at once: an accepted file costs about 1.25 times its final size
// in all, never more than limit+1 elements.
func room[T any](x []T, limit int) []T {
	if len(x) < cap(x) {
		return x
	}
	c := max(2*cap(x), 4096)
	if limit >= 0 {
		if len(x) >= limit/8 {
			c = limit + 1
		}
		c = max(min(c, limit+1), len(x)+1)
	}
	grown := make([]T, len(x), c)
	copy(grown, x)
	return grown
}

func (p *parser) errorf(i int, format string, args ...any) error {
	return errorf("events", p.name, "%s: %s", p.where(i), fmt.Sprintf(format, args...))
}

// add validates event i and appends it.
func (p *parser) add(i int, seq int64, sec float64, ch int64, v float64) error {
	switch {
	case seq < 0:
		return p.errorf(i, "sequence %d is negative, want ≥ 0", seq)
	case seq >= MaxSequences:
		return p.errorf(i, "sequence %d is beyond the %d sequences allowed", seq, MaxSequences)
	case p.hint >= 0 && seq >= int64(p.hint):
		// Every sequence below needs an event of its own: this is a gap,
		// refused here before per-sequence state is allocated for it.
		return p.errorf(i, "sequence %d, but there are only %d events: some sequence in 0..%d has none (sequences are numbered from 0, without gaps)",
			seq, p.hint, seq-1)
	}
	t, problem := toTicks(sec)
	if problem != "" {
		return p.errorf(i, "%s", problem)
	}
	if ch < 0 || ch >= int64(p.channels) {
		return p.errorf(i, "channel %d is out of range: the model's input size is %d (channels 0..%d)", ch, p.channels, p.channels-1)
	}
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return p.errorf(i, "value %v, want a finite number", v)
	}
	if int(seq) >= len(p.last) {
		grow := int(seq) + 1 - len(p.last)
		p.last = append(p.last, slices.Repeat([]Tick{-1}, grow)...)
		p.lastRow = append(p.lastRow, make([]int32, grow)...)
	}
	prev := p.last[seq]
	if t < prev {
		return p.errorf(i, "sequence %d time %v s comes before %v s at %s (unsorted times: each sequence must be in time order)",
			seq, sec, Seconds(prev), p.where(int(p.lastRow[seq])))
	}
	p.last[seq], p.lastRow[seq] = t, int32(i)
	if p.sorted && int(seq) < p.cur {
		if err := p.unsort(); err != nil {
			return err
		}
	}
	if p.sorted {
		s := p.b.s
		if int(seq) != p.cur || t != prev {
			if err := p.closeStep(); err != nil {
				return err
			}
			p.b.to(int(seq))
			p.cur = int(seq)
			s.tick = append(room(s.tick, p.hint), t)
			s.evStart = append(room(s.evStart, p.hint), int32(len(s.ch)))
			p.open = len(s.ch)
		}
		s.ch = append(room(s.ch, p.hint), int32(ch))
		s.val = append(room(s.val, p.hint), v)
		s.evStart[len(s.evStart)-1] = int32(len(s.ch))
	} else {
		p.seq = append(room(p.seq, p.hint), int32(seq))
		p.tick = append(room(p.tick, p.hint), t)
		p.ch = append(room(p.ch, p.hint), int32(ch))
		p.val = append(room(p.val, p.hint), v)
	}
	p.n++
	return nil
}

// closeStep checks the step being filled (sorted mode) for a repeated
// channel. Its events stay in file order (their index is their row) until
// build sorts them by channel.
func (p *parser) closeStep() error {
	s := p.b.s
	if len(s.tick) == 0 || len(s.ch)-p.open < 2 {
		return nil
	}
	rows := make([]int32, len(s.ch)-p.open)
	for j := range rows {
		rows[j] = int32(p.open + j)
	}
	if dup, first := duplicate(rows, s.ch); dup >= 0 {
		return p.dupError(dup, first, p.cur, s.tick[len(s.tick)-1])
	}
	return nil
}

// duplicate sorts rows (event indices) by channel, then row, and returns the
// first repeated channel's later row with the row it repeats (-1 if none).
func duplicate(rows []int32, ch []int32) (dup, first int) {
	slices.SortFunc(rows, func(a, b int32) int {
		if c := ch[a] - ch[b]; c != 0 {
			return int(c)
		}
		return int(a - b)
	})
	dup, first = -1, -1
	for j := 1; j < len(rows); j++ {
		if ch[rows[j]] == ch[rows[j-1]] && (dup < 0 || int(rows[j]) < dup) {
			dup, first = int(rows[j]), int(rows[j-1])
		}
	}
	return dup, first
}

func (p *parser) dupError(dup, first, seq int, t Tick) error {
	return errorf("events", p.name, "%s: sequence %d channel %d at %v s (tick %d) already has an event at %s (duplicate event)",
		p.where(dup), seq, p.chanOf(dup), Seconds(t), t, p.where(first))
}

func (p *parser) chanOf(i int) int32 {
	if p.sorted {
		return p.b.s.ch[i]
	}
	return p.ch[i]
}

// unsort leaves sorted mode: the stream built so far becomes columns.
func (p *parser) unsort() error {
	if err := p.closeStep(); err != nil {
		return err
	}
	s := p.b.s
	p.b.to(p.cur + 1)
	p.seq = make([]int32, len(s.ch), len(s.ch)+len(s.ch)/2+1)
	p.tick = make([]Tick, len(s.ch), cap(p.seq))
	for q := 0; q+1 < len(s.seqStart); q++ {
		for st := s.seqStart[q]; st < s.seqStart[q+1]; st++ {
			for e := s.evStart[st]; e < s.evStart[st+1]; e++ {
				p.seq[e], p.tick[e] = int32(q), s.tick[st]
			}
		}
	}
	p.ch, p.val = s.ch, s.val
	p.b, p.sorted = nil, false
	return nil
}

// build finishes the stream, refusing gaps in the sequence numbers and
// duplicate events.
func (p *parser) build() (*Stream, error) {
	if p.n == 0 {
		return nil, errorf("events", p.name, "no events")
	}
	N := len(p.last)
	for q, t := range p.last {
		if t < 0 {
			return nil, errorf("events", p.name,
				"sequence %d has no events, want every sequence 0..%d (N = largest index + 1) to have at least one (numbering starts at 0)",
				q, N-1)
		}
	}
	if p.sorted {
		if err := p.closeStep(); err != nil {
			return nil, err
		}
		p.b.s.N = N
		s := p.b.Stream()
		// Channels ascending within each step (no two equal: checked).
		for st := range s.tick {
			a, b := s.evStart[st], s.evStart[st+1]
			sortStep(s.ch[a:b], s.val[a:b])
		}
		return s, nil
	}
	return p.group(N)
}

// sortStep sorts a step's events by channel (insertion sort: steps are short
// and usually sorted already).
func sortStep(ch []int32, val []float64) {
	for i := 1; i < len(ch); i++ {
		for j := i; j > 0 && ch[j] < ch[j-1]; j-- {
			ch[j], ch[j-1] = ch[j-1], ch[j]
			val[j], val[j-1] = val[j-1], val[j]
		}
	}
}

// group builds the stream from columns: a stable counting sort of the
// events by sequence (file order within a sequence, which is time order),
// then steps of equal ticks.
func (p *parser) group(N int) (*Stream, error) {
	n := len(p.seq)
	start := make([]int, N+1)
	for _, q := range p.seq {
		start[q+1]++
	}
	for q := range N {
		start[q+1] += start[q]
	}
	order := make([]int32, n)
	next := slices.Clone(start[:N])
	for i, q := range p.seq {
		order[next[q]] = int32(i)
		next[q]++
	}
	b := NewBuilder(p.name, N, p.channels)
	steps := 0
	for q := range N {
		ev := order[start[q]:start[q+1]]
		for k := range ev {
			if k == 0 || p.tick[ev[k]] != p.tick[ev[k-1]] {
				steps++
			}
		}
	}
	b.grow(steps, n)
	dup, dupFirst, dupSeq := -1, -1, 0
	var chans []int32
	var vals []float64
	for q := range N {
		b.to(q)
		ev := order[start[q]:start[q+1]]
		for len(ev) > 0 {
			t := p.tick[ev[0]]
			k := 1
			for k < len(ev) && p.tick[ev[k]] == t {
				k++
			}
			group := ev[:k]
			ev = ev[k:]
			if d, f := duplicate(group, p.ch); d >= 0 && (dup < 0 || d < dup) {
				dup, dupFirst, dupSeq = d, f, q
			}
			chans, vals = chans[:0], vals[:0]
			for _, e := range group {
				chans, vals = append(chans, p.ch[e]), append(vals, p.val[e])
			}
			b.push(t, chans, vals)
		}
	}
	if dup >= 0 {
		return nil, p.dupError(dup, dupFirst, dupSeq, p.tick[dup])
	}
	return b.Stream(), nil
}
