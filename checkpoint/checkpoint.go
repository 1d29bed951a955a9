package checkpoint

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/nlpodyssey/gopickle/types"

	"github.com/neurosim/neurosim/internal/input"
	"github.com/neurosim/neurosim/internal/npyfile"
	"github.com/neurosim/neurosim/internal/zipread"
)

// Default limits (see the package documentation, "Bounds").
const (
	DefaultMaxBytes    = 2 << 30 // 2 GiB
	DefaultMaxElements = 1 << 28 // 2 GiB of float64
)

// MaxBytes and MaxElements are the limits used for zero Options fields. A
// program may change them once at start-up, before any checkpoint is read
// (the neurosim command sets them from --max-checkpoint-bytes and
// --max-checkpoint-elements).
var (
	MaxBytes    int64 = DefaultMaxBytes
	MaxElements int64 = DefaultMaxElements
)

// Options control how a checkpoint is read. The zero value reads any
// supported file with the package's limits.
type Options struct {
	// StateKey names the entry of a wrapper dict that holds the state_dict
	// (e.g. "model_state_dict"). Empty means: a bare state_dict, or the only
	// wrapper entry that holds tensors.
	StateKey string

	// MaxBytes refuses larger files before they are read, and bounds the
	// bytes that the zip members read from one archive may declare
	// together; 0 means the package's MaxBytes.
	MaxBytes int64

	// MaxElements bounds the total number of elements over all tensors: what
	// a caller widening every tensor to float64 would hold. 0 means the
	// package's MaxElements. Views may repeat storage elements (a stride of
	// 0 does), so the bound cannot be derived from the file size.
	MaxElements int64
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return max(MaxBytes, 1)
}

func (o Options) maxElements() int64 {
	if o.MaxElements > 0 {
		return o.MaxElements
	}
	return max(MaxElements, 1)
}

// sniffLen is how much of a stream is looked at before it is read whole:
// enough to recognise every format (the tar magic is at byte 257).
const sniffLen = 512

// read reads the checkpoint at path through the size limit. A stream (pipe,
// device) is first recognised by its leading bytes, so that /dev/zero or a
// stray file fails at once rather than after the limit.
func read(path string, opt Options) ([]byte, error) {
	f, err := input.Open(path, opt.maxBytes())
	if err != nil {
		return nil, fileError(path, err)
	}
	return readOpen(path, f)
}

// readOpen reads the open checkpoint f, named name, and closes it.
func readOpen(name string, f *input.File) ([]byte, error) {
	defer f.Close()
	if !f.Regular() {
		head, err := f.Peek(sniffLen)
		if err != nil && err != io.EOF {
			return nil, fileError(name, err)
		}
		if _, err := detect(head, len(head) < sniffLen); err != nil {
			return nil, withFile(err, name)
		}
	}
	data, err := f.ReadAll()
	if err != nil {
		return nil, fileError(name, err)
	}
	return data, nil
}

// fileError reports a failure to open or read path.
func fileError(path string, err error) error {
	if se, ok := err.(*input.SizeError); ok {
		return &FormatError{File: path, Msg: se.Error() + " (--max-checkpoint-bytes)", Err: err}
	}
	if pe, ok := err.(*fs.PathError); ok {
		err = pe.Err
	}
	return &FormatError{File: path, Msg: "read: " + oneLine(err.Error()), Err: err}
}

// Load reads the checkpoint at path (a regular file, a pipe or a device).
// The format is detected from the content. The tensors view the bytes of
// the file, which the StateDict keeps: memory is the file's size plus a few
// hundred bytes per tensor.
func Load(path string, opt Options) (*StateDict, error) {
	data, err := read(path, opt)
	if err != nil {
		return nil, err
	}
	return Decode(path, data, opt)
}

// LoadFS is Load for the file file of fsys (a set directory through
// os.DirFS, or an embedded set), named name in messages and in
// StateDict.File: the same size limit, and a link to a stream (/dev/zero)
// recognised by its first bytes before it is read.
func LoadFS(fsys fs.FS, file, name string, opt Options) (*StateDict, error) {
	f, err := input.OpenFS(fsys, file, opt.maxBytes())
	if err != nil {
		return nil, fileError(name, err)
	}
	data, err := readOpen(name, f)
	if err != nil {
		return nil, err
	}
	return Decode(name, data, opt)
}

// Decode reads a checkpoint held in memory; name is used in messages and
// recorded in StateDict.File. The tensors view data, which must not change
// afterwards.
func Decode(name string, data []byte, opt Options) (*StateDict, error) {
	if max := opt.maxBytes(); int64(len(data)) > max {
		return nil, &FormatError{File: name, Msg: sizeMsg(int64(len(data)), max)}
	}
	d := newDecoder(opt, false)
	if err := d.decode(data); err != nil {
		return nil, withFile(err, name)
	}
	return &StateDict{File: name, Format: d.format, Key: d.key, Tensors: d.tensors}, nil
}

// Inspect reads the checkpoint at path as Load does and summarises its
// tensors (Stats) without holding or widening their elements: a compressed
// npz member (or torch storage viewed contiguously) is streamed, a broadcast
// view is counted rather than walked. Memory is the file's size plus
// O(1) per tensor, whatever the tensors' shapes claim.
func Inspect(path string, opt Options) (*Inventory, error) {
	data, err := read(path, opt)
	if err != nil {
		return nil, err
	}
	return InspectBytes(path, data, opt)
}

// InspectBytes is Inspect for a checkpoint held in memory.
func InspectBytes(name string, data []byte, opt Options) (*Inventory, error) {
	if max := opt.maxBytes(); int64(len(data)) > max {
		return nil, &FormatError{File: name, Msg: sizeMsg(int64(len(data)), max)}
	}
	d := newDecoder(opt, true)
	if err := d.decode(data); err != nil {
		return nil, withFile(err, name)
	}
	return &Inventory{File: name, Format: d.format, Key: d.key, Tensors: d.summaries}, nil
}

func sizeMsg(size, max int64) string {
	return "file is " + itoa(size) + " bytes, more than the " + itoa(max) + " allowed (--max-checkpoint-bytes)"
}

// decoder holds the state of one Decode or Inspect.
type decoder struct {
	opt      Options
	inspect  bool // summarise tensors instead of keeping them
	format   Format
	key      string              // wrapper key of the state_dict
	order    binary.ByteOrder    // of storage bytes (torch zip files may say "big")
	storages map[string]*storage // by key, torch formats
	views    map[string]*storageView
	load     func(*storage) error // reads a storage's bytes (torch formats)
	zip      *zipread.Archive     // torch zip and npz
	prefix   string               // torch zip: the archive's top directory
	elems    int64                // elements of the tensors so far

	tensors   []*Tensor // Decode's result
	summaries []Summary // Inspect's result
}

func newDecoder(opt Options, inspect bool) *decoder {
	return &decoder{opt: opt, inspect: inspect, order: binary.LittleEndian, storages: make(map[string]*storage)}
}

// zipMagic starts every zip archive with at least one member; an empty
// archive starts with the end-of-directory record.
var (
	zipMagic      = []byte("PK\x03\x04")
	zipEmptyMagic = []byte("PK\x05\x06")
	// The first pickle of a legacy torch file: PROTO n, LONG1 10 bytes of
	// 0x1950a86a20f9469cfc6c (little-endian), STOP.
	legacyMagic = []byte("\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19")
)

// kind is a container detected from a file's first bytes.
type kind uint8

const (
	kindZip kind = iota + 1
	kindLegacy
	kindSafetensors
)

// detect recognises the container from the start of a file; complete says
// head is the whole file (not a prefix of a longer stream).
func detect(head []byte, complete bool) (kind, error) {
	switch {
	case len(head) == 0:
		return 0, errorf("empty file")
	case bytes.HasPrefix(head, zipMagic) || bytes.HasPrefix(head, zipEmptyMagic):
		return kindZip, nil
	case len(head) >= 2+len(legacyMagic) && head[0] == 0x80 && bytes.Equal(head[2:2+len(legacyMagic)], legacyMagic):
		return kindLegacy, nil
	case bytes.HasPrefix(head, []byte(npyfile.Magic)): // before safetensors: byte 8 may be '{'
		return 0, unsupportedf("a single .npy array, not a checkpoint (use an .npz archive)")
	case len(head) >= 9 && head[8] == '{':
		return kindSafetensors, nil
	case len(head) >= 262 && string(head[257:262]) == "ustar":
		return 0, unsupportedf("tar archive: the torch < 0.4 tar format is not supported; re-save with a current torch.save")
	case head[0] == 0x80:
		return 0, errorf("a pickle without torch's magic number: not a torch.save file")
	case len(head) < 9 && complete:
		return 0, errorf("truncated file (%d bytes, not a known checkpoint format)", len(head))
	}
	return 0, errorf("unknown format (not a torch zip or legacy checkpoint, safetensors or npz)")
}

func (d *decoder) decode(data []byte) error {
	k, err := detect(data, true)
	if err != nil {
		return err
	}
	switch k {
	case kindZip:
		return d.decodeZip(data)
	case kindLegacy:
		return d.decodeLegacy(data)
	}
	return d.decodeSafetensors(data)
}

// decodeZip tells a torch archive from an .npz by its members.
func (d *decoder) decodeZip(data []byte) error {
	a, err := zipread.New(data, d.opt.maxBytes())
	if err != nil {
		return zipError(err)
	}
	d.zip = a
	var pkls []string
	npy := 0
	for _, f := range a.Files {
		_, base, nested := strings.Cut(f.Name, "/")
		switch {
		case nested && (base == "constants.pkl" || strings.HasPrefix(base, "code/")):
			return unsupportedf("TorchScript archive (torch.jit.save), not a state_dict: load it in Python and torch.save(model.state_dict())")
		case nested && base == "data.pkl":
			pkls = append(pkls, f.Name)
		case strings.HasSuffix(f.Name, ".npy"):
			npy++
		}
	}
	switch {
	case len(pkls) == 1:
		d.format = TorchZip
		d.prefix = strings.TrimSuffix(pkls[0], "data.pkl")
		return d.decodeTorchZip(pkls[0])
	case len(pkls) > 1:
		slices.Sort(pkls)
		return errorf("zip archive holds %d data.pkl records (%s), a torch archive has one", len(pkls), quote(strings.Join(pkls, ", ")))
	case npy > 0 && npy == len(a.Files):
		d.format = NPZ
		return d.decodeNPZ()
	case len(a.Files) == 0:
		return errorf("empty zip archive")
	}
	return errorf("zip archive holds neither <dir>/data.pkl (torch) nor only .npy members (npz)")
}

// noStateKey refuses Options.StateKey for formats without wrappers.
func (d *decoder) noStateKey() error {
	if d.opt.StateKey != "" {
		return errorf("Options.StateKey (--state-key) is %s, but a %s file has no wrapper entries", quote(d.opt.StateKey), d.format)
	}
	return nil
}

// entry is one key/value pair of an unpickled dict, in insertion order.
type entry struct {
	key any
	val any
}

// dictEntries lists a dict's pairs with Python semantics (a repeated key
// keeps its first position and its last value); ok is false if v is not a dict.
func dictEntries(v any) (es []entry, ok bool) {
	switch d := v.(type) {
	case *types.OrderedDict:
		for e := d.List.Front(); e != nil; e = e.Next() {
			oe := e.Value.(*types.OrderedDictEntry)
			es = append(es, entry{oe.Key, oe.Value})
		}
		return es, true
	case *types.Dict:
		seen := make(map[string]int)
		for _, de := range *d {
			if k, isStr := de.Key.(string); isStr {
				if i, dup := seen[k]; dup {
					es[i].val = de.Value
					continue
				}
				seen[k] = len(es)
			}
			es = append(es, entry{de.Key, de.Value})
		}
		return es, true
	}
	return nil, false
}

// keyName shows a dict key in a message.
func keyName(k any) string {
	if s, ok := k.(string); ok {
		return quote(s)
	}
	if n, ok := k.(int); ok {
		return itoa(int64(n))
	}
	return "<" + describe(k) + ">"
}

// maxKeysShown bounds the keys an error lists.
const maxKeysShown = 16

func keyNames(es []entry) string {
	var names []string
	for i, e := range es {
		if i == maxKeysShown {
			names = append(names, "… "+itoa(int64(len(es)-i))+" more")
			break
		}
		names = append(names, keyName(e.key))
	}
	return strings.Join(names, ", ")
}

func holdsTensor(es []entry) bool {
	for _, e := range es {
		if _, ok := e.val.(*tensorRef); ok {
			return true
		}
	}
	return false
}

// dictHoldsTensor reports whether v is a dict with a tensor value, without
// listing its entries.
func dictHoldsTensor(v any) bool {
	switch d := v.(type) {
	case *types.OrderedDict:
		for e := d.List.Front(); e != nil; e = e.Next() {
			if _, ok := e.Value.(*types.OrderedDictEntry).Value.(*tensorRef); ok {
				return true
			}
		}
	case *types.Dict:
		for _, de := range *d {
			if _, ok := de.Value.(*tensorRef); ok {
				return true
			}
		}
	}
	return false
}

// chooseStateDict finds the state_dict in the unpickled top-level object: the
// object itself when it maps names to tensors, else the wrapper entry
// opt.StateKey, else the only wrapper entry that is a dict holding tensors.
// It returns the wrapper key ("" for a bare state_dict) and the entries.
func (d *decoder) chooseStateDict(top any) (string, []entry, error) {
	es, ok := dictEntries(top)
	if !ok {
		return "", nil, errorf("the pickled object is %s, not a state_dict (a dict of tensors)", describe(top))
	}
	if d.opt.StateKey != "" {
		for _, e := range es {
			if k, ok := e.key.(string); ok && k == d.opt.StateKey {
				sub, ok := dictEntries(e.val)
				if !ok {
					return "", nil, errorf("entry %s is %s, not a state_dict", quote(k), describe(e.val))
				}
				return k, sub, nil
			}
		}
		return "", nil, errorf("no entry %s (the file has: %s)", quote(d.opt.StateKey), keyNames(es))
	}
	if len(es) == 0 {
		return "", nil, errorf("the state_dict is empty")
	}
	if holdsTensor(es) {
		return "", es, nil
	}
	// Each dict is scanned once, however many entries refer to it (the
	// memo lets a pickle repeat one large dict cheaply).
	var cands []entry
	scanned := make(map[any]bool)
	for _, e := range es {
		switch e.val.(type) {
		case *types.Dict, *types.OrderedDict: // pointers: safe map keys
		default:
			continue
		}
		holds, seen := scanned[e.val]
		if !seen {
			holds = dictHoldsTensor(e.val)
			scanned[e.val] = holds
		}
		if holds {
			cands = append(cands, e)
		}
	}
	switch len(cands) {
	case 0:
		return "", nil, errorf("no state_dict found: no entry holds tensors (entries: %s)", keyNames(es))
	case 1:
		k, ok := cands[0].key.(string)
		if !ok {
			return "", nil, errorf("the state_dict is under a non-string key %s", keyName(cands[0].key))
		}
		chosen, _ := dictEntries(cands[0].val)
		return k, chosen, nil
	}
	return "", nil, errorf("several entries hold tensors (%s); choose one with --state-key", keyNames(cands))
}

// tensors keeps (Decode) or summarises (Inspect) the chosen state_dict:
// every key a str, every value a tensor.
func (d *decoder) addTensors(es []entry) error {
	for _, e := range es {
		name, ok := e.key.(string)
		if !ok {
			return errorf("the state_dict has a key that is %s, not a str", describe(e.key))
		}
		ref, ok := e.val.(*tensorRef)
		if !ok {
			return errorf("state_dict entry %s is %s, not a tensor", quote(name), describe(e.val))
		}
		if err := d.reserve(name, ref.numel); err != nil {
			return err
		}
		if d.inspect {
			s, err := d.summarize(name, ref)
			if err != nil {
				return err
			}
			d.summaries = append(d.summaries, s)
			continue
		}
		t, err := d.view(name, ref)
		if err != nil {
			return err
		}
		d.tensors = append(d.tensors, t)
	}
	return nil
}

// reserve counts n more elements against Options.MaxElements.
func (d *decoder) reserve(name string, n int64) error {
	if max := d.opt.maxElements(); n > max-d.elems {
		return errorf("tensor %s would bring the elements of the tensors to more than %d (--max-checkpoint-elements)", quote(name), max)
	}
	d.elems += n
	return nil
}

// view reads a tensor's storage (once per storage) and returns the tensor
// as a view of it. Shape and strides are copied: the pickle may list one
// tensor under two names.
func (d *decoder) view(name string, ref *tensorRef) (*Tensor, error) {
	st := ref.view.s
	t := &Tensor{Name: name, DType: st.dtype, Shape: slices.Clone(ref.shape), order: d.order,
		offset: ref.view.off + ref.offset, stride: slices.Clone(ref.stride)}
	if ref.numel == 0 {
		return t, nil
	}
	if !st.loaded {
		if err := d.load(st); err != nil {
			return nil, err
		}
		st.loaded = true
	}
	t.raw = st.raw
	return t, nil
}

// summarize computes a tensor's statistics. A storage that is not yet in
// memory and is compressed is streamed when the view (without its broadcast
// dimensions) is a contiguous run of it; otherwise it is read once, as for
// Decode.
func (d *decoder) summarize(name string, ref *tensorRef) (Summary, error) {
	st := ref.view.s
	s := Summary{Name: name, DType: st.dtype, Shape: slices.Clone(ref.shape)}
	shape, stride, rep := reduce(ref.shape, ref.stride)
	if rep == 0 {
		s.Stats = acc{}.stats(0)
		return s, nil
	}
	if !st.loaded && d.format == TorchZip && contiguous(shape, stride) {
		if f := d.zip.Lookup(d.storageMember(st)); f != nil && f.Method != zip.Store {
			n := int64(1)
			for _, x := range shape {
				n *= int64(x)
			}
			a, err := d.streamStorage(st, ref.view.off+ref.offset, n)
			if err != nil {
				return s, err
			}
			s.Stats = a.stats(rep)
			return s, nil
		}
	}
	t, err := d.view(name, ref)
	if err != nil {
		return s, err
	}
	s.Stats = t.Stats()
	return s, nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
