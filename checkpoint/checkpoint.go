package checkpoint

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/nlpodyssey/gopickle/types"
)

// Defaults for the zero Options.
const (
	DefaultMaxBytes    = 2 << 30 // 2 GiB
	DefaultMaxElements = 1 << 28 // 2 GiB of float64
)

// Options control how a checkpoint is read. The zero value reads any
// supported file with the default limits.
type Options struct {
	// StateKey names the entry of a wrapper dict that holds the state_dict
	// (e.g. "model_state_dict"). Empty means: a bare state_dict, or the only
	// wrapper entry that holds tensors.
	StateKey string

	// MaxBytes refuses larger files before they are read; 0 means
	// DefaultMaxBytes.
	MaxBytes int64

	// MaxElements bounds the total number of elements decoded over all
	// tensors (each becomes a float64); 0 means DefaultMaxElements. Views
	// may repeat storage elements (a stride of 0 does), so the bound cannot
	// be derived from the file size.
	MaxElements int64
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func (o Options) maxElements() int64 {
	if o.MaxElements > 0 {
		return o.MaxElements
	}
	return DefaultMaxElements
}

// Load reads the checkpoint at path. The format is detected from the content.
func Load(path string, opt Options) (*StateDict, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("checkpoint %s: %w", path, err)
	}
	max := opt.maxBytes()
	if info.Mode().IsRegular() && info.Size() > max {
		return nil, &FormatError{File: path, Msg: sizeMsg(info.Size(), max)}
	}
	var data []byte
	if info.Mode().IsRegular() {
		data = make([]byte, info.Size())
		_, err = io.ReadFull(f, data)
	} else { // a pipe or device: no size to check first
		data, err = io.ReadAll(io.LimitReader(f, max+1))
	}
	if err != nil {
		return nil, &FormatError{File: path, Msg: "read: " + oneLine(err.Error()), Err: err}
	}
	return Decode(path, data, opt)
}

func sizeMsg(size, max int64) string {
	return "file is " + itoa(size) + " bytes, more than the " + itoa(max) + " allowed (Options.MaxBytes)"
}

// Decode reads a checkpoint held in memory; name is used in messages and
// recorded in StateDict.File.
func Decode(name string, data []byte, opt Options) (*StateDict, error) {
	if max := opt.maxBytes(); int64(len(data)) > max {
		return nil, &FormatError{File: name, Msg: sizeMsg(int64(len(data)), max)}
	}
	d := &decoder{opt: opt, order: binary.LittleEndian, storages: make(map[string]*storage)}
	sd, err := d.decode(data)
	if err != nil {
		return nil, withFile(err, name)
	}
	sd.File = name
	return sd, nil
}

// decoder holds the state of one Decode.
type decoder struct {
	opt      Options
	format   Format
	order    binary.ByteOrder    // of storage bytes (torch zip files may say "big")
	storages map[string]*storage // by key, torch formats
	views    map[string]*storageView
	load     func(*storage) error // reads a storage's bytes (torch formats)
	zipFiles map[string]*zip.File // torch zip: members by name
	prefix   string               // torch zip: the archive's top directory
	elems    int64                // elements decoded so far
	inflated uint64               // zip member bytes read so far
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

func (d *decoder) decode(data []byte) (*StateDict, error) {
	switch {
	case len(data) == 0:
		return nil, errorf("empty file")
	case bytes.HasPrefix(data, zipMagic) || bytes.HasPrefix(data, zipEmptyMagic):
		return d.decodeZip(data)
	case len(data) >= 2+len(legacyMagic) && data[0] == 0x80 && bytes.Equal(data[2:2+len(legacyMagic)], legacyMagic):
		return d.decodeLegacy(data)
	case bytes.HasPrefix(data, []byte("\x93NUMPY")): // before safetensors: byte 8 may be '{'
		return nil, unsupportedf("a single .npy array, not a checkpoint (use an .npz archive)")
	case len(data) >= 9 && data[8] == '{':
		return d.decodeSafetensors(data)
	case len(data) >= 262 && string(data[257:262]) == "ustar":
		return nil, unsupportedf("tar archive: the torch < 0.4 tar format is not supported; re-save with a current torch.save")
	case data[0] == 0x80:
		return nil, errorf("a pickle without torch's magic number: not a torch.save file")
	case len(data) < 9:
		return nil, errorf("truncated file (%d bytes, not a known checkpoint format)", len(data))
	}
	return nil, errorf("unknown format (not a torch zip or legacy checkpoint, safetensors or npz)")
}

// decodeZip tells a torch archive from an .npz by its members.
func (d *decoder) decodeZip(data []byte) (*StateDict, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) { // names are only matched, never used as paths
		return nil, wrapf(err, "truncated or corrupt zip archive (%s)", oneLine(err.Error()))
	}
	files := make(map[string]*zip.File, len(zr.File))
	var pkls []string
	npy := 0
	for _, f := range zr.File {
		if _, dup := files[f.Name]; dup {
			return nil, errorf("zip archive holds member %s twice", quote(f.Name))
		}
		if f.CompressedSize64 > uint64(len(data)) {
			return nil, errorf("zip member %s claims %d compressed bytes, the file has %d", quote(f.Name), f.CompressedSize64, len(data))
		}
		files[f.Name] = f
		_, base, nested := strings.Cut(f.Name, "/")
		switch {
		case nested && (base == "constants.pkl" || strings.HasPrefix(base, "code/")):
			return nil, unsupportedf("TorchScript archive (torch.jit.save), not a state_dict: load it in Python and torch.save(model.state_dict())")
		case nested && base == "data.pkl":
			pkls = append(pkls, f.Name)
		case strings.HasSuffix(f.Name, ".npy"):
			npy++
		}
	}
	switch {
	case len(pkls) == 1:
		d.format = TorchZip
		d.zipFiles = files
		d.prefix = strings.TrimSuffix(pkls[0], "data.pkl")
		return d.decodeTorchZip(pkls[0])
	case len(pkls) > 1:
		slices.Sort(pkls)
		return nil, errorf("zip archive holds %d data.pkl records (%s), a torch archive has one", len(pkls), quote(strings.Join(pkls, ", ")))
	case npy > 0 && npy == len(zr.File):
		d.format = NPZ
		return d.decodeNPZ(zr.File)
	case len(zr.File) == 0:
		return nil, errorf("empty zip archive")
	}
	return nil, errorf("zip archive holds neither <dir>/data.pkl (torch) nor only .npy members (npz)")
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

// tensors materialises the chosen state_dict: every key a str, every value a
// tensor.
func (d *decoder) tensors(es []entry) ([]*Tensor, error) {
	out := make([]*Tensor, 0, len(es))
	for _, e := range es {
		name, ok := e.key.(string)
		if !ok {
			return nil, errorf("the state_dict has a key that is %s, not a str", describe(e.key))
		}
		ref, ok := e.val.(*tensorRef)
		if !ok {
			return nil, errorf("state_dict entry %s is %s, not a tensor", quote(name), describe(e.val))
		}
		t, err := d.materialize(name, ref)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// reserve counts n more decoded elements against Options.MaxElements.
func (d *decoder) reserve(name string, n int64) error {
	if max := d.opt.maxElements(); n > max-d.elems {
		return errorf("tensor %s would bring the decoded elements to more than %d (Options.MaxElements)", quote(name), max)
	}
	d.elems += n
	return nil
}

// materialize reads a tensor's storage and gathers its elements in C order.
func (d *decoder) materialize(name string, ref *tensorRef) (*Tensor, error) {
	st := ref.view.s
	if err := d.reserve(name, ref.numel); err != nil {
		return nil, err
	}
	// Shape is copied: the pickle may list one tensor under two names.
	t := &Tensor{Name: name, DType: st.dtype, Shape: slices.Clone(ref.shape), Data: []float64{}}
	if ref.numel == 0 {
		return t, nil
	}
	if !st.loaded {
		if err := d.load(st); err != nil {
			return nil, err
		}
		st.loaded = true
	}
	t.Data = make([]float64, ref.numel)
	size := int64(st.dtype.Size())
	conv := converter(st.dtype, d.order)
	base := ref.view.off + ref.offset // storage element of index (0, …, 0)
	if contiguous(ref.shape, ref.stride) {
		decodeRange(t.Data, st.raw[base*size:], st.dtype, d.order)
		return t, nil
	}
	// An odometer over the C-order index; off tracks its storage element.
	idx := make([]int, len(ref.shape))
	off := base
	for i := range t.Data {
		t.Data[i] = conv(st.raw[off*size:])
		for dim := len(idx) - 1; dim >= 0; dim-- {
			idx[dim]++
			off += ref.stride[dim]
			if idx[dim] < ref.shape[dim] {
				break
			}
			off -= int64(idx[dim]) * ref.stride[dim]
			idx[dim] = 0
		}
	}
	return t, nil
}

// contiguous reports whether strides are the C-order strides of shape
// (ignoring dimensions of size 1, whose stride is never used).
func contiguous(shape []int, stride []int64) bool {
	want := int64(1)
	for i := len(shape) - 1; i >= 0; i-- {
		if shape[i] != 1 && stride[i] != want {
			return false
		}
		want *= int64(shape[i])
	}
	return true
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
