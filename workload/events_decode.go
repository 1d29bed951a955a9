package workload

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/internal/npyfile"
)

// Bounds on event files, checked before anything of that size is allocated.
const (
	// MaxEventsFileBytes bounds the size of an event file (.csv or .npz).
	MaxEventsFileBytes int64 = 1 << 30
	// MaxEvents bounds the events of a file or generated stream. A stream
	// takes 12 bytes per event and 56 per step; decoding peaks at about 100
	// bytes per event plus the file for CSV and 200 for an .npz of 64-bit
	// arrays (some 3 GiB at the bound).
	MaxEvents = 1 << 24
	// MaxSequences bounds the number of sequences of a stream (the largest
	// sequence index of a file is MaxSequences−1).
	MaxSequences = 1 << 20
	// MaxChannels bounds the channels per step (the model's input size).
	MaxChannels = 1 << 20
)

const csvHeader = "sequence,t,channel,value"

// npzArrays are the arrays of an event .npz, in the order they are checked.
var npzArrays = [...]string{"sequence", "t", "channel", "value"}

// LoadEvents reads an event file for a model of channels inputs: a .npz file
// when its name ends in .npz, CSV when it ends in .csv, and otherwise .npz
// when it starts like a zip archive ("PK\x03\x04" or "PK\x05\x06"), else CSV.
// Files larger than [MaxEventsFileBytes] are refused before they are read.
// The stream is named path and has no labels.
func LoadEvents(path string, channels int) (*Stream, error) {
	data, err := readBounded(path, MaxEventsFileBytes)
	if err != nil {
		return nil, err
	}
	switch ext := strings.ToLower(filepath.Ext(path)); {
	case ext == ".npz":
		return DecodeEventsNPZ(path, data, channels)
	case ext == ".csv":
		return DecodeEventsCSV(path, data, channels)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return DecodeEventsNPZ(path, data, channels)
	}
	return DecodeEventsCSV(path, data, channels)
}

// readBounded reads the file at path, refusing it before reading when its size
// is above max, and reading at most max+1 bytes in case it grows meanwhile.
func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, wrap("events", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, wrap("events", path, err)
	}
	if info.Size() > max {
		return nil, errorf("events", path, "file is %d bytes, more than the %d allowed", info.Size(), max)
	}
	// The size is a hint (it is 0 for pipes); the limit is what bounds.
	buf := bytes.NewBuffer(make([]byte, 0, info.Size()+1))
	if _, err := buf.ReadFrom(io.LimitReader(f, max+1)); err != nil {
		return nil, wrap("events", path, err)
	}
	if int64(buf.Len()) > max {
		return nil, errorf("events", path, "file is more than the %d bytes allowed", max)
	}
	return buf.Bytes(), nil
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
func DecodeEventsCSV(name string, data []byte, channels int) (*Stream, error) {
	if int64(len(data)) > MaxEventsFileBytes {
		return nil, errorf("events", name, "file is %d bytes, more than the %d allowed", len(data), MaxEventsFileBytes)
	}
	if err := checkChannels(name, channels); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, errorf("events", name, "empty file, want the header %s and at least one event", csvHeader)
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	lines := bytes.Count(data, []byte("\n")) // events, once the header is taken off
	if lines > MaxEvents {
		return nil, errorf("events", name, "%d lines, more than the %d events allowed", lines+1, MaxEvents)
	}
	header, rest, _ := bytes.Cut(data, []byte("\n"))
	if h := string(bytes.TrimSuffix(header, []byte("\r"))); h != csvHeader {
		return nil, errorf("events", name, "line 1: header %s, want %s", quoteField(h), csvHeader)
	}
	if lines == 0 {
		return nil, errorf("events", name, "no events after the header")
	}
	p := newParser(name, channels, lines, func(i int) string { return "line " + strconv.Itoa(i+2) })
	for i := range lines {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		var f [4]string
		cols := bytes.Count(line, []byte(",")) + 1
		if cols != 4 || len(line) == 0 {
			if len(line) == 0 {
				cols = 0
			}
			return nil, p.errorf(i, "%d columns, want 4 (%s)", cols, csvHeader)
		}
		for k := range f {
			var b []byte
			b, line, _ = bytes.Cut(line, []byte(","))
			f[k] = string(b)
		}
		seq, err := parseIndex(f[0])
		if err != "" {
			return nil, p.errorf(i, "sequence %s %s", quoteField(f[0]), err)
		}
		t, err := parseNumber(f[1])
		if err != "" {
			return nil, p.errorf(i, "time %s %s", quoteField(f[1]), err)
		}
		ch, err := parseIndex(f[2])
		if err != "" {
			return nil, p.errorf(i, "channel %s %s", quoteField(f[2]), err)
		}
		v, err := parseNumber(f[3])
		if err != "" {
			return nil, p.errorf(i, "value %s %s", quoteField(f[3]), err)
		}
		if err := p.add(i, seq, t, ch, v); err != nil {
			return nil, err
		}
	}
	return p.build()
}

// parseIndex parses a decimal integer; the problem, if any, is a phrase to
// follow the field.
func parseIndex(s string) (int64, string) {
	v, err := strconv.ParseInt(s, 10, 64)
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
func parseNumber(s string) (float64, string) {
	v, err := strconv.ParseFloat(s, 64)
	if strings.ContainsAny(s, "xX_") || (err != nil && !errors.Is(err, strconv.ErrRange)) {
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
// for a model of channels inputs; name is used in errors and as the stream's
// Name.
//
// The archive holds exactly the members sequence.npy, t.npy, channel.npy and
// value.npy, stored or deflated: 1-D arrays of one length, sequence and
// channel of an integer dtype, t (seconds) and value of a float dtype. Element
// k of the four arrays is event k, and the rules are those of
// [DecodeEventsCSV], with "index k" (0-based) in place of the line. Each
// member's declared size is checked against the bound before it is read, no
// more than that size plus one byte is inflated, and a member that inflates
// beyond its declared size is refused.
func DecodeEventsNPZ(name string, data []byte, channels int) (*Stream, error) {
	if int64(len(data)) > MaxEventsFileBytes {
		return nil, errorf("events", name, "file is %d bytes, more than the %d allowed", len(data), MaxEventsFileBytes)
	}
	if err := checkChannels(name, channels); err != nil {
		return nil, err
	}
	if len(data) == 0 {
		return nil, errorf("events", name, "empty file, want an .npz archive of the arrays sequence, t, channel, value")
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, &Error{What: "events", Name: name, Msg: "not an .npz (zip) archive: " + oneLine(err.Error()), Err: err}
	}
	var members [len(npzArrays)]*zip.File
	for _, f := range zr.File {
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

	// A member holds a preamble and header (at most 12+npyfile.MaxHeader
	// bytes) and at most 8 bytes per event.
	const memberMax = 12 + npyfile.MaxHeader + 8*MaxEvents
	var arrays [len(npzArrays)]*npyfile.Array
	for k, f := range members {
		what := npzArrays[k]
		raw, err := readMember(name, what, f, memberMax)
		if err != nil {
			return nil, err
		}
		// npyfile.Decode allocates 8 (floats) or 16 (integers) bytes per
		// element: bound the element count before it does.
		if elems, ok := npyElements(raw); !ok {
			return nil, errorf("events", name, "array %q: cannot read the .npy header's dtype", what)
		} else if elems > MaxEvents {
			return nil, errorf("events", name, "array %q holds %d elements, more than the %d events allowed", what, elems, MaxEvents)
		}
		a, err := npyfile.Decode(raw)
		if err != nil {
			return nil, &Error{What: "events", Name: name, Msg: fmt.Sprintf("array %q: %s", what, oneLine(err.Error())), Err: err}
		}
		if len(a.Shape) != 1 {
			return nil, errorf("events", name, "array %q has shape %v, want 1-D", what, a.Shape)
		}
		switch what {
		case "sequence", "channel":
			if a.Int == nil || a.DType == "bool" {
				return nil, errorf("events", name, "array %q has dtype %s, want an integer dtype (int8..int64, uint8..uint64)", what, a.DType)
			}
		default:
			if !a.IsFloat() {
				return nil, errorf("events", name, "array %q has dtype %s, want float16, float32 or float64", what, a.DType)
			}
		}
		if k > 0 && a.Len() != arrays[0].Len() {
			return nil, errorf("events", name, "array %q has %d elements and %q %d, want equal lengths",
				what, a.Len(), npzArrays[0], arrays[0].Len())
		}
		arrays[k] = a
	}
	n := arrays[0].Len()
	if n == 0 {
		return nil, errorf("events", name, "no events (the arrays are empty)")
	}
	seq, t, ch, v := arrays[0].Int, arrays[1].Float, arrays[2].Int, arrays[3].Float
	p := newParser(name, channels, n, func(i int) string { return "index " + strconv.Itoa(i) })
	for i := range n {
		if err := p.add(i, seq[i], t[i], ch[i], v[i]); err != nil {
			return nil, err
		}
	}
	return p.build()
}

// readMember reads one zip member, refusing it before reading if its declared
// size is above max, then inflating at most the declared size plus one byte
// and checking the CRC-32. It decompresses the raw member itself rather than
// through zip.File.Open so that every refusal says what was wrong.
func readMember(name, what string, f *zip.File, max uint64) ([]byte, error) {
	fail := func(format string, args ...any) error {
		return errorf("events", name, "array %q: %s", what, fmt.Sprintf(format, args...))
	}
	if f.Method != zip.Store && f.Method != zip.Deflate {
		return nil, fail("unsupported compression method %d (want stored or deflated)", f.Method)
	}
	size := f.UncompressedSize64
	if size > max {
		return nil, fail("member declares %d bytes, more than the %d allowed", size, max)
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return nil, fail("%s", oneLine(err.Error()))
	}
	r := raw
	if f.Method == zip.Deflate {
		fr := flate.NewReader(raw)
		defer fr.Close()
		r = fr
	}
	buf := make([]byte, size+1)
	got, err := io.ReadFull(r, buf)
	switch {
	case err == nil:
		return nil, fail("member inflates beyond its declared %d bytes", size)
	case err != io.EOF && err != io.ErrUnexpectedEOF:
		return nil, fail("corrupt member: %s", oneLine(err.Error()))
	case uint64(got) != size:
		return nil, fail("member holds %d bytes, declares %d", got, size)
	}
	if sum := crc32.ChecksumIEEE(buf[:size]); sum != f.CRC32 {
		return nil, fail("member CRC-32 is %08x, declares %08x", sum, f.CRC32)
	}
	return buf[:size], nil
}

// npyDescr finds the dtype code of a .npy header, such as '<f8' or '|u1'.
var npyDescr = regexp.MustCompile(`['"]descr['"]\s*:\s*['"][<>|=]?[a-zA-Z](\d{1,2})['"]`)

// npyElements returns an upper bound of the number of elements of a .npy
// stream, the data bytes over the dtype's item size, without decoding it; ok
// is false when the header cannot be read (npyfile would refuse it as well).
func npyElements(raw []byte) (int, bool) {
	if len(raw) < 10 || !bytes.HasPrefix(raw, []byte("\x93NUMPY")) {
		return 0, true // not .npy at all; npyfile.Decode refuses it without allocating
	}
	var hdrLen, prefix int
	switch raw[6] {
	case 1:
		hdrLen, prefix = int(raw[8])|int(raw[9])<<8, 10
	case 2, 3:
		if len(raw) < 12 {
			return 0, true
		}
		hdrLen, prefix = int(raw[8])|int(raw[9])<<8|int(raw[10])<<16|int(raw[11])<<24, 12
	default:
		return 0, true
	}
	if hdrLen < 0 || hdrLen > len(raw)-prefix {
		return 0, true
	}
	// Take the smallest item size named anywhere in the header, so that the
	// bound holds whichever descr the real parser settles on.
	size := 0
	for _, m := range npyDescr.FindAllSubmatch(raw[prefix:prefix+hdrLen], -1) {
		if s, _ := strconv.Atoi(string(m[1])); s >= 1 && (size == 0 || s < size) {
			size = s
		}
	}
	if size == 0 {
		return 0, false
	}
	return (len(raw) - prefix - hdrLen) / size, true
}

// parser gathers validated events in file order and builds the stream.
type parser struct {
	name     string
	channels int
	where    func(i int) string // "line 7", "index 5"

	seq  []int32
	tick []Tick
	ch   []int32
	val  []float64

	last    []Tick  // per sequence: tick of its last event so far
	lastRow []int32 // per sequence: that event's index
	steps   int     // distinct (sequence, tick) so far
}

func newParser(name string, channels, events int, where func(int) string) *parser {
	return &parser{
		name: name, channels: channels, where: where,
		seq: make([]int32, 0, events), tick: make([]Tick, 0, events),
		ch: make([]int32, 0, events), val: make([]float64, 0, events),
	}
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
	case seq >= int64(cap(p.seq)):
		// Every sequence below needs an event of its own: this is a gap,
		// refused here before per-sequence state is allocated for it.
		return p.errorf(i, "sequence %d, but there are only %d events: some sequence in 0..%d has none (sequences are numbered from 0, without gaps)",
			seq, cap(p.seq), seq-1)
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
	switch prev := p.last[seq]; {
	case t < prev:
		return p.errorf(i, "sequence %d time %v s comes before %v s at %s (unsorted times: each sequence must be in time order)",
			seq, sec, Seconds(prev), p.where(int(p.lastRow[seq])))
	case t > prev:
		p.steps++
	}
	p.last[seq], p.lastRow[seq] = t, int32(i)
	p.seq = append(p.seq, int32(seq))
	p.tick = append(p.tick, t)
	p.ch = append(p.ch, int32(ch))
	p.val = append(p.val, v)
	return nil
}

// build groups the events into steps, refusing gaps in the sequence numbers
// and duplicate events.
func (p *parser) build() (*Stream, error) {
	n := len(p.seq)
	if n == 0 {
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
	// Counting sort of the events by sequence, stable: file order within a
	// sequence, which is time order.
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

	s := &Stream{Name: p.name, N: N, I: p.channels, Seqs: make([]Sequence, N)}
	steps := make([]Step, 0, p.steps)
	chans := make([]int32, n)
	vals := make([]float64, n)
	dup, dupFirst := -1, -1 // the duplicate with the earliest second row
	for q := range N {
		first, off := len(steps), start[q]
		ev := order[start[q]:start[q+1]]
		for len(ev) > 0 {
			t := p.tick[ev[0]]
			k := 1
			for k < len(ev) && p.tick[ev[k]] == t {
				k++
			}
			group := ev[:k]
			ev = ev[k:]
			// Channels ascending; among equal channels, file order.
			slices.SortFunc(group, func(a, b int32) int {
				if c := p.ch[a] - p.ch[b]; c != 0 {
					return int(c)
				}
				return int(a - b)
			})
			c := chans[off : off+k : off+k]
			v := vals[off : off+k : off+k]
			for j, e := range group {
				c[j], v[j] = p.ch[e], p.val[e]
				if j > 0 && c[j] == c[j-1] && (dup < 0 || int(e) < dup) {
					dup, dupFirst = int(e), int(group[j-1])
				}
			}
			steps = append(steps, Step{T: t, Chan: c, Value: v})
			off += k
		}
		s.Seqs[q].Steps = steps[first:len(steps):len(steps)]
	}
	if dup >= 0 {
		return nil, errorf("events", p.name, "%s: sequence %d channel %d at %v s (tick %d) already has an event at %s (duplicate event)",
			p.where(dup), p.seq[dup], p.ch[dup], Seconds(p.tick[dup]), p.tick[dup], p.where(dupFirst))
	}
	return s, nil
}
