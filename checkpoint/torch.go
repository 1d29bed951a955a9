package checkpoint

import (
	"encoding/binary"
	"io"
	"math"
	"math/big"

	"github.com/nlpodyssey/gopickle/types"
)

// The torch zip format (torch.save, torch >= 1.6) is a zip archive whose
// members all sit in one top directory <prefix> (the file's base name in
// torch 1.x, "archive" in 2.x):
//
//	<prefix>/data.pkl     the pickled object, protocol 2 by default
//	<prefix>/data/<key>   the raw bytes of storage <key>, normally stored uncompressed
//	<prefix>/version      the format version ("3")
//	<prefix>/byteorder    "little" or "big" (torch >= 2.1; absent means little)
//
// In data.pkl a tensor is pickled as a call
//
//	torch._utils._rebuild_tensor_v2(storage, storage_offset, size, stride,
//	                                requires_grad, backward_hooks[, metadata])
//
// whose storage argument is a persistent id, a tuple
//
//	('storage', torch.<Type>Storage, key, location, numel)
//
// that refers to <prefix>/data/<key>, numel elements of the storage's type.
// A state_dict is an OrderedDict of such calls; its _metadata attribute
// (module versions) arrives by BUILD and is ignored. TorchScript archives
// (torch.jit.save) share the container but hold code and constants.pkl.
//
// The legacy format (_use_new_zipfile_serialization=False, or torch < 1.6) is
// a sequence of pickles followed by the storages:
//
//	pickle   magic number 0x1950a86a20f9469cfc6c
//	pickle   protocol version 1001
//	pickle   sys_info dict (byte order and type sizes of the writer; unused)
//	pickle   the object; persistent ids are
//	         ('storage', torch.<Type>Storage, root_key, location, numel, view_metadata)
//	         with view_metadata None or (view_key, offset, size) in elements
//	pickle   the list of storage keys, in the order their data follows
//	per key  int64 little-endian element count, then count × element size bytes
//	         (always little-endian)
//
// The older tar format (torch < 0.4) is refused.

// maxKeyLen bounds storage keys, which are looked up for every tensor:
// torch writes "0", "1", … (zip) or a decimal address (legacy).
const maxKeyLen = 64

// maxPickleBytes bounds data.pkl; a state_dict pickles to about 100 bytes
// per tensor.
const maxPickleBytes = 64 << 20

// persistentLoad resolves a storage persistent id to a view of the storage,
// registering the storage on first sight. Sizes are checked here (zip: against
// the member's declared size) but nothing is read.
func (d *decoder) persistentLoad(pid any) (any, error) {
	t, ok := pid.(*types.Tuple)
	if !ok || len(*t) == 0 {
		return nil, errorf("persistent id is %s, not a ('storage', …) tuple", describe(pid))
	}
	kind, _ := asString((*t)[0])
	switch kind {
	case "storage":
	case "module":
		return nil, unsupportedf("the file pickles an nn.Module (torch.save(model)); save model.state_dict() instead")
	default:
		return nil, errorf("persistent id of unknown kind %s", quote(kind))
	}
	want := 5
	if d.format == TorchLegacy {
		want = 6
	}
	if len(*t) != want {
		return nil, errorf("storage persistent id has %d fields, want %d", len(*t), want)
	}
	class, ok := (*t)[1].(*storageClass)
	if !ok {
		return nil, errorf("storage persistent id names %s, not a storage type", describe((*t)[1]))
	}
	key, ok := asString((*t)[2])
	if !ok {
		return nil, errorf("storage key is %s, not a str", describe((*t)[2]))
	}
	if len(key) > maxKeyLen {
		return nil, errorf("storage key of %d bytes (torch writes short decimal keys; limit %d)", len(key), maxKeyLen)
	}
	if _, ok := asString((*t)[3]); !ok {
		return nil, errorf("storage %s location is %s, not a str", quote(key), describe((*t)[3]))
	}
	numel, err := asInt((*t)[4], "storage "+quote(key)+" size")
	if err != nil {
		return nil, err
	}
	size := int64(class.dtype.Size())
	if numel < 0 || numel > math.MaxInt64/size {
		return nil, errorf("storage %s claims %d elements", quote(key), numel)
	}
	st := d.storages[key]
	switch {
	case st == nil:
		st = &storage{key: key, dtype: class.dtype, numel: numel}
		if d.format == TorchZip {
			if err := d.checkZipStorage(st); err != nil {
				return nil, err
			}
		}
		d.storages[key] = st
	case st.dtype != class.dtype || st.numel != numel:
		return nil, errorf("storage %s is used as %d %s elements and as %d %s elements",
			quote(key), st.numel, st.dtype, numel, class.dtype)
	}
	if d.format == TorchLegacy && (*t)[5] != nil {
		return d.legacyView(st, (*t)[5])
	}
	return &storageView{s: st, len: numel}, nil
}

// legacyView resolves view_metadata (view_key, offset, size). Like torch, the
// first use of a view key defines it.
func (d *decoder) legacyView(st *storage, meta any) (*storageView, error) {
	vm, ok := meta.(*types.Tuple)
	if !ok || len(*vm) != 3 {
		return nil, errorf("storage %s view metadata is %s, not a (key, offset, size) tuple", quote(st.key), describe(meta))
	}
	key, ok := asString((*vm)[0])
	if !ok || len(key) > maxKeyLen {
		return nil, errorf("storage %s view key is %s, not a short str", quote(st.key), describe((*vm)[0]))
	}
	if v, ok := d.views[key]; ok {
		return v, nil
	}
	off, err := asInt((*vm)[1], "view offset")
	if err != nil {
		return nil, err
	}
	n, err := asInt((*vm)[2], "view size")
	if err != nil {
		return nil, err
	}
	if off < 0 || n < 0 || off > st.numel || n > st.numel-off {
		return nil, errorf("view %s of elements [%d, %d+%d) lies outside storage %s of %d elements",
			quote(key), off, off, n, quote(st.key), st.numel)
	}
	if d.views == nil {
		d.views = make(map[string]*storageView)
	}
	v := &storageView{s: st, off: off, len: n}
	d.views[key] = v
	return v, nil
}

func (d *decoder) storageMember(st *storage) string { return d.prefix + "data/" + st.key }

// checkZipStorage compares a storage's claimed size with its member's
// declared size, before anything is read.
func (d *decoder) checkZipStorage(st *storage) error {
	name := d.storageMember(st)
	f := d.zip.Lookup(name)
	if f == nil {
		return errorf("storage %s has no record %s in the archive", quote(st.key), quote(name))
	}
	need := st.numel * int64(st.dtype.Size())
	if f.UncompressedSize64 != uint64(need) {
		return errorf("storage %s claims %d %s elements (%d bytes) but holds %d bytes",
			quote(st.key), st.numel, st.dtype, need, f.UncompressedSize64)
	}
	return nil
}

// loadZipStorage reads a storage member: a stored one (torch's way) is a
// view of the file's bytes, a deflated one is inflated.
func (d *decoder) loadZipStorage(st *storage) error {
	f := d.zip.Lookup(d.storageMember(st))
	raw, err := d.zip.ReadAll(f, uint64(st.numel)*uint64(st.dtype.Size()))
	if err != nil {
		return zipError(err)
	}
	st.raw = raw
	return nil
}

// streamStorage accumulates the statistics of n consecutive elements of a
// compressed storage from element first, without holding them.
func (d *decoder) streamStorage(st *storage, first, n int64) (acc, error) {
	var a acc
	f := d.zip.Lookup(d.storageMember(st))
	m, err := d.zip.Open(f, uint64(st.numel)*uint64(st.dtype.Size()))
	if err != nil {
		return a, zipError(err)
	}
	defer m.Close()
	size := int64(st.dtype.Size())
	if _, err := io.CopyN(io.Discard, m, first*size); err != nil {
		return a, zipError(err)
	}
	conv := converter(st.dtype, d.order)
	buf := make([]byte, 64<<10)
	for n > 0 {
		k := min(n, int64(len(buf))/size)
		b := buf[:k*size]
		if _, err := io.ReadFull(m, b); err != nil {
			return a, zipError(err)
		}
		for i := int64(0); i < k; i++ {
			a.add(conv(b[i*size:]))
		}
		n -= k
	}
	// Read to the end, which checks the member as Decode would (its CRC, and
	// that it does not inflate past its declared size).
	if _, err := io.Copy(io.Discard, m); err != nil {
		return a, zipError(err)
	}
	return a, nil
}

func (d *decoder) decodeTorchZip(pklName string) error {
	if f := d.zip.Lookup(d.prefix + "byteorder"); f != nil {
		b, err := d.zip.ReadAll(f, 16)
		if err != nil {
			return zipError(err)
		}
		switch string(b) {
		case "little":
		case "big":
			d.order = binary.BigEndian
		default:
			return errorf("byteorder record says %s, want \"little\" or \"big\"", quote(string(b)))
		}
	}
	p, err := d.zip.ReadAll(d.zip.Lookup(pklName), maxPickleBytes)
	if err != nil {
		return zipError(err)
	}
	n, err := scanPickle(p)
	if err != nil {
		return err
	}
	if n != len(p) {
		return errorf("%s has %d bytes after the pickle's STOP", quote(pklName), len(p)-n)
	}
	d.load = d.loadZipStorage
	top, err := unpickle(p, d.persistentLoad)
	if err != nil {
		return err
	}
	return d.stateDict(top)
}

// stateDict chooses the state_dict of an unpickled object and keeps or
// summarises its tensors.
func (d *decoder) stateDict(top any) error {
	key, es, err := d.chooseStateDict(top)
	if err != nil {
		return err
	}
	d.key = key
	return d.addTensors(es)
}

// legacyMagicNumber is the value of the first pickle of a legacy file.
var legacyMagicNumber, _ = new(big.Int).SetString("1950a86a20f9469cfc6c", 16)

func (d *decoder) decodeLegacy(data []byte) error {
	d.format = TorchLegacy
	pos := 0
	next := func(what string, pl func(any) (any, error)) (any, error) {
		n, err := scanPickle(data[pos:])
		if err == nil {
			var v any
			v, err = unpickle(data[pos:pos+n], pl)
			pos += n
			if err == nil {
				return v, nil
			}
		}
		if fe, ok := err.(*FormatError); ok {
			fe.Msg = what + ": " + fe.Msg
		}
		return nil, err
	}
	magic, err := next("magic number", nil)
	if err != nil {
		return err
	}
	if m, ok := magic.(*big.Int); !ok || m.Cmp(legacyMagicNumber) != 0 {
		return errorf("legacy torch file with a wrong magic number")
	}
	version, err := next("protocol version", nil)
	if err != nil {
		return err
	}
	if v, ok := version.(int); !ok || v != 1001 {
		return unsupportedf("legacy torch file of protocol version %s, want 1001", describeInt(version))
	}
	if info, err := next("sys_info", nil); err != nil {
		return err
	} else if _, ok := dictEntries(info); !ok {
		return errorf("legacy sys_info is %s, not a dict", describe(info))
	}
	top, err := next("object", d.persistentLoad)
	if err != nil {
		return err
	}
	keys, err := next("storage keys", nil)
	if err != nil {
		return err
	}
	list, ok := keys.(*types.List)
	if !ok {
		return errorf("legacy storage key list is %s, not a list", describe(keys))
	}
	for _, k := range *list {
		key, ok := asString(k)
		if !ok {
			return errorf("legacy storage key is %s, not a str", describe(k))
		}
		st := d.storages[key]
		switch {
		case st == nil:
			return errorf("storage %s is listed but no tensor refers to it", quote(key))
		case st.loaded:
			return errorf("storage %s is listed twice", quote(key))
		}
		if len(data)-pos < 8 {
			return errorf("truncated file: storage %s has no size (byte %d)", quote(key), pos)
		}
		count := int64(binary.LittleEndian.Uint64(data[pos:]))
		pos += 8
		if count != st.numel {
			return errorf("storage %s holds %d elements, its persistent id claims %d", quote(key), count, st.numel)
		}
		nbytes := st.numel * int64(st.dtype.Size())
		if nbytes > int64(len(data)-pos) {
			return errorf("truncated file: storage %s needs %d bytes, %d remain", quote(key), nbytes, len(data)-pos)
		}
		st.raw, st.loaded = data[pos:pos+int(nbytes)], true
		pos += int(nbytes)
	}
	if pos != len(data) {
		return errorf("%d unexpected bytes after the last storage", len(data)-pos)
	}
	d.load = func(st *storage) error {
		return errorf("storage %s is not in the file's storage list", quote(st.key))
	}
	return d.stateDict(top)
}

func describeInt(v any) string {
	if n, ok := v.(int); ok {
		return itoa(int64(n))
	}
	return "of " + describe(v)
}
