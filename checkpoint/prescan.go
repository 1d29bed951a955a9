package checkpoint

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strconv"
)

// This file holds the pickle pre-scan: a linear pass over the opcode stream
// that runs before any byte reaches the third-party pickle VM
// (github.com/nlpodyssey/gopickle), in the manner of Python's
// pickletools.genops. gopickle resolves some globals before consulting our
// hook, allocates lengths read from the stream and panics on a few malformed
// streams; the pre-scan makes sure none of that can be reached:
//
//   - every opcode of protocols 0–5 is recognised and unknown bytes refused;
//   - every length argument is non-negative and at most the bytes remaining,
//     and every line argument ends within the stream (and within a small
//     bound for numbers and names);
//   - every GLOBAL is checked against the allow-list, and so is every
//     STACK_GLOBAL whose module and name the simulation below knows to be
//     strings written in the pickle (pushed directly, or fetched from the
//     memo); a STACK_GLOBAL of anything else is refused;
//   - INST, OBJ, EXT1/2/4, NEXT_BUFFER and READONLY_BUFFER are refused;
//   - the stack and memo are simulated (values are only "a string of this
//     text" or "something else"), so stack underflow, an odd number of
//     dict items (which gopickle indexes past) and memo reads of unset
//     slots are refused up front;
//   - the memory and work gopickle will spend is estimated opcode by
//     opcode and the pickle refused when the estimate exceeds pickleBudget,
//     which bounds what a small hostile pickle can make the VM allocate
//     (a MARK, one byte, costs gopickle a 256-byte slice; a BUILD walks a
//     whole dict).
//
// The simulation is exact for every stream gopickle runs without error: both
// consume the same bytes in the same order (frames are transparent, since
// gopickle reads a frame's bytes in stream order too), both pop and push the
// same number of values per opcode, and both keep the memo as a map indexed
// the same way. Where they could differ, the simulation refuses. The cost
// constants are checked against measured allocation by TestPickleCostModel.

// pickleBudget bounds the estimated bytes (and, loosely, the work) the pickle
// VM may spend on one pickle. A real state_dict costs about 12 KiB per
// tensor by this estimate, so the budget admits some 20 000 tensors.
const pickleBudget = 256 << 20

// Per-opcode cost estimates: bytes allocated in total (not just live) by
// gopickle and by this simulation, 64-bit, measured on long runs of each
// opcode (slices grow by 1.25× there, so a stack slot costs about five times
// its size) and rounded up.
const (
	costPush   = 160 // a stack slot here and in the VM, and a boxed value
	costMark   = 576 // a new 16-slot VM stack and the meta-stack slots
	costDict   = 256 // types.NewDict (4 entries) or types.NewOrderedDict
	costList   = 128
	costSet    = 256
	costItem   = 96  // one element moved into a tuple, list or set
	costPair   = 320 // one dict insertion (map entry, list element, entry)
	costMemo   = 192 // one memo map entry, here and in the VM
	costCall   = 512 // REDUCE / NEWOBJ / BINPERSID: an OrderedDict or a tensor descriptor
	costGlobal = 128
)

// Bounds on line and numeric arguments; torch never comes close.
const (
	maxNameLine   = 256  // GLOBAL / INST module and name lines
	maxNumberLine = 64   // INT, FLOAT, GET, PUT
	maxLongLine   = 1024 // LONG (decimal digits)
	maxLongBytes  = 64   // LONG1 / LONG4 (gopickle decodes these in quadratic time)
	maxPersIDLine = 4096 // PERSID
	highestPickle = 5
)

// absValue is what the pre-scan knows of a value on the stack or in the
// memo: a string, as the offset and length of its text in the pickle, or
// (n < 0) something else. Eight bytes, so the simulation costs little next
// to the VM it guards.
type absValue struct {
	off, n int32
}

var other = absValue{n: -1}

func (v absValue) isString() bool { return v.n >= 0 }

// strLen is the length of a string value, 0 for others.
func (v absValue) strLen() int64 { return int64(max(v.n, 0)) }

type prescanner struct {
	src   []byte
	pos   int
	stack []absValue
	marks [][]absValue
	memo  map[int]absValue
	cost  int64
	// dictWork is keyCost summed over every dict insertion so far: an upper
	// bound on the work of a BUILD, which walks (and re-hashes) a dict.
	dictWork int64
}

// scanPickle checks the pickle at the start of data and returns its length,
// STOP included. data may continue after it (the legacy torch format
// concatenates pickles).
func scanPickle(data []byte) (int, error) {
	p := &prescanner{src: data, memo: make(map[int]absValue)}
	if len(data) > maxPickleBytes {
		p.src = data[:maxPickleBytes] // offsets fit in int32
	}
	n, err := p.run()
	if err != nil && p.pos >= len(p.src) && len(p.src) < len(data) {
		return 0, errorf("pickle longer than %d MiB", maxPickleBytes>>20)
	}
	return n, err
}

func (p *prescanner) text(v absValue) string { return string(p.src[v.off : v.off+v.n]) }

func (p *prescanner) errorf(at int, format string, args ...any) error {
	return errorf("malformed pickle at byte %d: %s", at, fmt.Sprintf(format, args...))
}

func (p *prescanner) charge(n int64) error {
	p.cost += n
	if p.cost > pickleBudget {
		return errorf("pickle would need more than %d MiB to decode (limit %d MiB)", pickleBudget>>20, pickleBudget>>20)
	}
	return nil
}

// take consumes n argument bytes of opcode op at offset at and returns them
// as a string value.
func (p *prescanner) take(op byte, at int, n uint64) (absValue, error) {
	if rem := uint64(len(p.src) - p.pos); n > rem {
		return other, p.errorf(at, "%s claims %d bytes, only %d remain", opName(op), n, rem)
	}
	v := absValue{off: int32(p.pos), n: int32(n)}
	p.pos += int(n)
	return v, nil
}

func (p *prescanner) fixed(op byte, at, n int) ([]byte, error) {
	v, err := p.take(op, at, uint64(n))
	if err != nil {
		return nil, err
	}
	return p.src[v.off : v.off+v.n], nil
}

// line consumes a newline-terminated argument of at most limit bytes and
// returns it, without the newline, as a string value.
func (p *prescanner) line(op byte, at, limit int) (absValue, error) {
	rest := p.src[p.pos:]
	if len(rest) > limit+1 {
		rest = rest[:limit+1]
	}
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		if len(p.src)-p.pos > limit {
			return other, p.errorf(at, "%s argument longer than %d bytes", opName(op), limit)
		}
		return other, p.errorf(at, "%s argument is not newline-terminated (truncated?)", opName(op))
	}
	v := absValue{off: int32(p.pos), n: int32(i)}
	p.pos += i + 1
	return v, nil
}

func (p *prescanner) push(v absValue) { p.stack = append(p.stack, v) }

// pop removes the top n values, returning them bottom first.
func (p *prescanner) pop(op byte, at, n int) ([]absValue, error) {
	if len(p.stack) < n {
		return nil, p.errorf(at, "%s needs %d stack items, %d present", opName(op), n, len(p.stack))
	}
	v := p.stack[len(p.stack)-n:]
	p.stack = p.stack[:len(p.stack)-n]
	return v, nil
}

func (p *prescanner) top(op byte, at int) (absValue, error) {
	if len(p.stack) == 0 {
		return absValue{}, p.errorf(at, "%s on an empty stack", opName(op))
	}
	return p.stack[len(p.stack)-1], nil
}

func (p *prescanner) popMark(op byte, at int) ([]absValue, error) {
	if len(p.marks) == 0 {
		return nil, p.errorf(at, "%s without a MARK", opName(op))
	}
	items := p.stack
	p.stack = p.marks[len(p.marks)-1]
	p.marks = p.marks[:len(p.marks)-1]
	return items, nil
}

func (p *prescanner) pushString(v absValue) error {
	p.push(v)
	return p.charge(costPush + 2*v.strLen())
}

// pushOther pushes a non-string value whose object costs cost beyond its
// stack slot.
func (p *prescanner) pushOther(cost int64) error {
	p.push(other)
	return p.charge(costPush + cost)
}

func (p *prescanner) put(op byte, at, i int) error {
	v, err := p.top(op, at)
	if err != nil {
		return err
	}
	p.memo[i] = v
	return p.charge(costMemo)
}

func (p *prescanner) get(op byte, at, i int) error {
	v, ok := p.memo[i]
	if !ok {
		return p.errorf(at, "%s of memo slot %d, which was never set", opName(op), i)
	}
	p.push(v)
	return p.charge(costPush)
}

// keyCost is what inserting the given keys into a dict or set costs: the
// insertion and the hashing of string keys.
func keyCost(items []absValue, step int) int64 {
	var c int64
	for i := 0; i < len(items); i += step {
		c += costPair + items[i].strLen()
	}
	return c
}

func (p *prescanner) run() (int, error) {
	for {
		if p.pos >= len(p.src) {
			return 0, errorf("malformed pickle: ends at byte %d without STOP (truncated?)", p.pos)
		}
		at := p.pos
		op := p.src[p.pos]
		p.pos++
		if err := p.step(op, at); err != nil {
			return 0, err
		}
		if op == '.' {
			return p.pos, nil
		}
	}
}

func (p *prescanner) step(op byte, at int) error {
	switch op {
	// Stack and mark manipulation.
	case '(': // MARK
		p.marks = append(p.marks, p.stack)
		p.stack = nil
		return p.charge(costMark)
	case '.': // STOP
		_, err := p.pop(op, at, 1)
		return err
	case '0': // POP; gopickle pops the mark when the stack is empty
		if len(p.stack) == 0 {
			_, err := p.popMark(op, at)
			return err
		}
		_, err := p.pop(op, at, 1)
		return err
	case '1': // POP_MARK
		_, err := p.popMark(op, at)
		return err
	case '2': // DUP
		v, err := p.top(op, at)
		if err != nil {
			return err
		}
		p.push(v)
		return p.charge(costPush)

	// Numbers and constants.
	case 'N', '\x88', '\x89': // NONE, NEWTRUE, NEWFALSE
		return p.pushOther(0)
	case 'I', 'F': // INT, FLOAT (decimal text)
		if _, err := p.line(op, at, maxNumberLine); err != nil {
			return err
		}
		return p.pushOther(0)
	case 'L': // LONG (decimal text)
		v, err := p.line(op, at, maxLongLine)
		if err != nil {
			return err
		}
		return p.pushOther(2 * v.strLen())
	case 'J': // BININT
		return p.fixedPush(op, at, 4)
	case 'K': // BININT1
		return p.fixedPush(op, at, 1)
	case 'M': // BININT2
		return p.fixedPush(op, at, 2)
	case 'G': // BINFLOAT
		return p.fixedPush(op, at, 8)
	case '\x8a': // LONG1
		b, err := p.fixed(op, at, 1)
		if err != nil {
			return err
		}
		return p.long(op, at, int64(b[0]))
	case '\x8b': // LONG4
		b, err := p.fixed(op, at, 4)
		if err != nil {
			return err
		}
		return p.long(op, at, int64(int32(binary.LittleEndian.Uint32(b))))

	// Strings (pushed as Go strings by gopickle).
	case 'S': // STRING: quoted text, gopickle strips the quotes without unescaping
		v, err := p.line(op, at, len(p.src))
		if err != nil {
			return err
		}
		s := p.src[v.off : v.off+v.n]
		if len(s) < 2 || s[0] != s[len(s)-1] || (s[0] != '\'' && s[0] != '"') {
			return p.errorf(at, "STRING argument is not quoted")
		}
		return p.pushString(absValue{off: v.off + 1, n: v.n - 2})
	case 'V': // UNICODE: raw text
		v, err := p.line(op, at, len(p.src))
		if err != nil {
			return err
		}
		return p.pushString(v)
	case 'T': // BINSTRING: signed 4-byte length
		b, err := p.fixed(op, at, 4)
		if err != nil {
			return err
		}
		n := int32(binary.LittleEndian.Uint32(b))
		if n < 0 {
			return p.errorf(at, "BINSTRING has negative length %d", n)
		}
		return p.counted(op, at, uint64(n), true)
	case 'U', '\x8c': // SHORT_BINSTRING, SHORT_BINUNICODE: 1-byte length
		b, err := p.fixed(op, at, 1)
		if err != nil {
			return err
		}
		return p.counted(op, at, uint64(b[0]), true)
	case 'X': // BINUNICODE: 4-byte length
		b, err := p.fixed(op, at, 4)
		if err != nil {
			return err
		}
		return p.counted(op, at, uint64(binary.LittleEndian.Uint32(b)), true)
	case '\x8d': // BINUNICODE8: 8-byte length
		b, err := p.fixed(op, at, 8)
		if err != nil {
			return err
		}
		return p.counted(op, at, binary.LittleEndian.Uint64(b), true)

	// Bytes.
	case 'C': // SHORT_BINBYTES
		b, err := p.fixed(op, at, 1)
		if err != nil {
			return err
		}
		return p.counted(op, at, uint64(b[0]), false)
	case 'B': // BINBYTES
		b, err := p.fixed(op, at, 4)
		if err != nil {
			return err
		}
		return p.counted(op, at, uint64(binary.LittleEndian.Uint32(b)), false)
	case '\x8e', '\x96': // BINBYTES8, BYTEARRAY8
		b, err := p.fixed(op, at, 8)
		if err != nil {
			return err
		}
		return p.counted(op, at, binary.LittleEndian.Uint64(b), false)

	// Containers.
	case ')': // EMPTY_TUPLE
		return p.pushOther(0)
	case ']': // EMPTY_LIST
		return p.pushOther(costList)
	case '}': // EMPTY_DICT
		return p.pushOther(costDict)
	case '\x8f': // EMPTY_SET
		return p.pushOther(costSet)
	case 't', 'l': // TUPLE, LIST
		items, err := p.popMark(op, at)
		if err != nil {
			return err
		}
		return p.pushOther(costList + costItem*int64(len(items)))
	case '\x85', '\x86', '\x87': // TUPLE1, TUPLE2, TUPLE3
		if _, err := p.pop(op, at, int(op-'\x84')); err != nil {
			return err
		}
		return p.pushOther(costList)
	case '\x91': // FROZENSET
		items, err := p.popMark(op, at)
		if err != nil {
			return err
		}
		return p.pushOther(costSet + keyCost(items, 1))
	case 'd': // DICT
		items, err := p.popMark(op, at)
		if err != nil {
			return err
		}
		if len(items)%2 != 0 {
			return p.errorf(at, "DICT of an odd number (%d) of items", len(items))
		}
		c := keyCost(items, 2)
		p.dictWork += c
		return p.pushOther(costDict + c)
	case 'a': // APPEND: list, value → list
		v, err := p.pop(op, at, 2)
		if err != nil {
			return err
		}
		p.push(v[0])
		return p.charge(costItem)
	case 'e', '\x90': // APPENDS, ADDITEMS: list MARK items → list
		items, err := p.popMark(op, at)
		if err != nil {
			return err
		}
		if _, err := p.top(op, at); err != nil {
			return err
		}
		if op == 'e' {
			return p.charge(costItem * int64(len(items)))
		}
		return p.charge(keyCost(items, 1))
	case 's': // SETITEM: dict, key, value → dict
		kv, err := p.pop(op, at, 2)
		if err != nil {
			return err
		}
		if _, err := p.top(op, at); err != nil {
			return err
		}
		c := keyCost(kv, 2)
		p.dictWork += c
		return p.charge(c)
	case 'u': // SETITEMS: dict MARK k v … → dict
		items, err := p.popMark(op, at)
		if err != nil {
			return err
		}
		if len(items)%2 != 0 {
			return p.errorf(at, "SETITEMS of an odd number (%d) of items", len(items))
		}
		if _, err := p.top(op, at); err != nil {
			return err
		}
		c := keyCost(items, 2)
		p.dictWork += c
		return p.charge(c)

	// Memo.
	case 'g', 'p': // GET, PUT (decimal text index)
		v, err := p.line(op, at, maxNumberLine)
		if err != nil {
			return err
		}
		i, err := strconv.Atoi(p.text(v)) // as gopickle parses it
		if err != nil {
			return p.errorf(at, "%s index %q is not a number", opName(op), p.text(v))
		}
		if op == 'g' {
			return p.get(op, at, i)
		}
		if i < 0 {
			return p.errorf(at, "PUT of negative memo index %d", i)
		}
		return p.put(op, at, i)
	case 'h', 'q': // BINGET, BINPUT
		b, err := p.fixed(op, at, 1)
		if err != nil {
			return err
		}
		if op == 'h' {
			return p.get(op, at, int(b[0]))
		}
		return p.put(op, at, int(b[0]))
	case 'j', 'r': // LONG_BINGET, LONG_BINPUT
		b, err := p.fixed(op, at, 4)
		if err != nil {
			return err
		}
		i := int(binary.LittleEndian.Uint32(b))
		if op == 'j' {
			return p.get(op, at, i)
		}
		return p.put(op, at, i)
	case '\x94': // MEMOIZE: the next index is the memo's size
		return p.put(op, at, len(p.memo))

	// Globals and object construction.
	case 'c': // GLOBAL module\nname\n
		module, name, err := p.globalLines(op, at)
		if err != nil {
			return err
		}
		if err := checkGlobal(module, name); err != nil {
			return err
		}
		return p.pushOther(costGlobal)
	case '\x93': // STACK_GLOBAL: module, name → global
		v, err := p.pop(op, at, 2)
		if err != nil {
			return err
		}
		if !v[0].isString() || !v[1].isString() {
			return p.errorf(at, "STACK_GLOBAL whose module and name are not strings pushed by the pickle (cannot check them against the allow-list)")
		}
		if err := checkGlobal(p.text(v[0]), p.text(v[1])); err != nil {
			return err
		}
		return p.pushOther(costGlobal)
	case 'R': // REDUCE: callable, args → result
		if _, err := p.pop(op, at, 2); err != nil {
			return err
		}
		return p.pushOther(costCall)
	case '\x81': // NEWOBJ: cls, args → obj
		if _, err := p.pop(op, at, 2); err != nil {
			return err
		}
		return p.pushOther(costCall)
	case '\x92': // NEWOBJ_EX: cls, args, kwargs → obj
		if _, err := p.pop(op, at, 3); err != nil {
			return err
		}
		return p.pushOther(costCall)
	case 'b': // BUILD: obj, state → obj; walks the state dict
		if _, err := p.pop(op, at, 1); err != nil {
			return err
		}
		if _, err := p.top(op, at); err != nil {
			return err
		}
		return p.charge(costCall + p.dictWork)
	case 'P': // PERSID (text)
		v, err := p.line(op, at, maxPersIDLine)
		if err != nil {
			return err
		}
		return p.pushOther(costCall + v.strLen())
	case 'Q': // BINPERSID
		if _, err := p.pop(op, at, 1); err != nil {
			return err
		}
		return p.pushOther(costCall)
	case 'i': // INST module\nname\n: name the global if it is not allowed
		module, name, err := p.globalLines(op, at)
		if err != nil {
			return err
		}
		if err := checkGlobal(module, name); err != nil {
			return err
		}
		return p.errorf(at, "opcode INST is not allowed (torch.save never writes it)")
	case 'o', '\x82', '\x83', '\x84': // OBJ, EXT1, EXT2, EXT4
		return p.errorf(at, "opcode %s is not allowed (torch.save never writes it)", opName(op))
	case '\x97', '\x98': // NEXT_BUFFER, READONLY_BUFFER
		return p.errorf(at, "opcode %s refers to an out-of-band buffer, which a file cannot hold", opName(op))

	// Framing.
	case '\x80': // PROTO
		b, err := p.fixed(op, at, 1)
		if err != nil {
			return err
		}
		if b[0] > highestPickle {
			return p.errorf(at, "pickle protocol %d is newer than %d", b[0], highestPickle)
		}
		return nil
	case '\x95': // FRAME: 8-byte length; its bytes are opcodes read in order
		b, err := p.fixed(op, at, 8)
		if err != nil {
			return err
		}
		n := binary.LittleEndian.Uint64(b)
		if rem := uint64(len(p.src) - p.pos); n > rem {
			return p.errorf(at, "FRAME claims %d bytes, only %d remain", n, rem)
		}
		return p.charge(int64(n)) // gopickle copies the frame
	}
	return p.errorf(at, "unknown opcode 0x%02x", op)
}

func (p *prescanner) fixedPush(op byte, at, n int) error {
	if _, err := p.fixed(op, at, n); err != nil {
		return err
	}
	return p.pushOther(0)
}

func (p *prescanner) long(op byte, at int, n int64) error {
	switch {
	case n < 0:
		return p.errorf(at, "%s has negative length %d", opName(op), n)
	case n == 0:
		// Valid Python (the value 0), but gopickle indexes the empty
		// slice; pickle never writes it (0 is BININT1).
		return p.errorf(at, "%s of zero length is not supported", opName(op))
	case n > maxLongBytes:
		return p.errorf(at, "%s of %d bytes (more than %d)", opName(op), n, maxLongBytes)
	}
	if _, err := p.take(op, at, uint64(n)); err != nil {
		return err
	}
	return p.pushOther(2 * n)
}

// counted consumes a length-prefixed str or bytes argument.
func (p *prescanner) counted(op byte, at int, n uint64, isString bool) error {
	v, err := p.take(op, at, n)
	if err != nil {
		return err
	}
	if isString {
		return p.pushString(v)
	}
	return p.pushOther(2 * v.strLen())
}

func (p *prescanner) globalLines(op byte, at int) (module, name string, err error) {
	m, err := p.line(op, at, maxNameLine)
	if err != nil {
		return "", "", err
	}
	n, err := p.line(op, at, maxNameLine)
	if err != nil {
		return "", "", err
	}
	return p.text(m), p.text(n), p.charge(costGlobal)
}

var opNames = map[byte]string{
	'(': "MARK", '.': "STOP", '0': "POP", '1': "POP_MARK", '2': "DUP", 'F': "FLOAT",
	'I': "INT", 'J': "BININT", 'K': "BININT1", 'L': "LONG", 'M': "BININT2", 'N': "NONE",
	'P': "PERSID", 'Q': "BINPERSID", 'R': "REDUCE", 'S': "STRING", 'T': "BINSTRING",
	'U': "SHORT_BINSTRING", 'V': "UNICODE", 'X': "BINUNICODE", 'a': "APPEND", 'b': "BUILD",
	'c': "GLOBAL", 'd': "DICT", '}': "EMPTY_DICT", 'e': "APPENDS", 'g': "GET", 'h': "BINGET",
	'i': "INST", 'j': "LONG_BINGET", 'l': "LIST", ']': "EMPTY_LIST", 'o': "OBJ", 'p': "PUT",
	'q': "BINPUT", 'r': "LONG_BINPUT", 's': "SETITEM", 't': "TUPLE", ')': "EMPTY_TUPLE",
	'u': "SETITEMS", 'G': "BINFLOAT",
	'\x80': "PROTO", '\x81': "NEWOBJ", '\x82': "EXT1", '\x83': "EXT2", '\x84': "EXT4",
	'\x85': "TUPLE1", '\x86': "TUPLE2", '\x87': "TUPLE3", '\x88': "NEWTRUE", '\x89': "NEWFALSE",
	'\x8a': "LONG1", '\x8b': "LONG4", 'B': "BINBYTES", 'C': "SHORT_BINBYTES",
	'\x8c': "SHORT_BINUNICODE", '\x8d': "BINUNICODE8", '\x8e': "BINBYTES8", '\x8f': "EMPTY_SET",
	'\x90': "ADDITEMS", '\x91': "FROZENSET", '\x92': "NEWOBJ_EX", '\x93': "STACK_GLOBAL",
	'\x94': "MEMOIZE", '\x95': "FRAME", '\x96': "BYTEARRAY8", '\x97': "NEXT_BUFFER",
	'\x98': "READONLY_BUFFER",
}

func opName(op byte) string {
	if s, ok := opNames[op]; ok {
		return s
	}
	return fmt.Sprintf("opcode 0x%02x", op)
}
