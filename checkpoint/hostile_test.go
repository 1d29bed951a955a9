package checkpoint_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"runtime"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/internal/hostile"
)

// member is one zip member for makeZip. Zero fields mean honest: stored,
// declared size and CRC those of data.
type member struct {
	name     string
	data     []byte
	method   uint16  // zip.Store, zip.Deflate, or another (unsupported) method
	declared int64   // declared uncompressed size if > 0
	crc      *uint32 // declared CRC-32 if set
}

// makeZip writes members with full control over their headers.
func makeZip(t testing.TB, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		body := m.data
		if m.method == zip.Deflate {
			var c bytes.Buffer
			fw, _ := flate.NewWriter(&c, flate.BestCompression)
			fw.Write(m.data)
			fw.Close()
			body = c.Bytes()
		}
		h := &zip.FileHeader{Name: m.name, Method: m.method, CRC32: crc32.ChecksumIEEE(m.data),
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(m.data))}
		if m.declared > 0 {
			h.UncompressedSize64 = uint64(m.declared)
		}
		if m.crc != nil {
			h.CRC32 = *m.crc
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// torchZip wraps a data.pkl and storages in torch's archive layout.
func torchZip(t testing.TB, pkl []byte, storages ...member) []byte {
	ms := []member{{name: "archive/data.pkl", data: pkl}}
	for _, s := range storages {
		s.name = "archive/data/" + s.name
		ms = append(ms, s)
	}
	return makeZip(t, append(ms, member{name: "archive/version", data: []byte("3\n")})...)
}

func floats(n int) []byte { return make([]byte, 4*n) }

func TestHostilePickles(t *testing.T) {
	var (
		formatErr      *checkpoint.FormatError
		unsupportedErr *checkpoint.UnsupportedError
		globalErr      *checkpoint.GlobalError
	)
	storage6 := member{name: "0", data: floats(6)}
	bigDict := "\x80\x02}q\x00(" + strings.Repeat("K\x01N", 20000) + "u" + strings.Repeat("h\x00}b", 1000) + "."
	// Regressions for work that grew faster than the pickle (found while
	// fuzzing: the fuzzer reported them as hangs).
	// 1. 50 000 wrapper entries all referring to one 50 000-entry dict:
	//    scanning each entry's dict would be 2.5e9 steps.
	var inner, outer strings.Builder
	for i := range 50000 {
		inner.WriteString(hostile.PickleInt(int64(1000+i)) + "N")
		outer.WriteString(hostile.PickleInt(int64(1000+i)) + "h\x00")
	}
	sharedDict := "\x80\x02}q\x00(" + inner.String() + "u0}(" + outer.String() + "u."
	// 2. A 100 KB string used as the key of 1000 entries, BUILD-walked
	//    (and re-hashed) again and again.
	longKeyBuild := "\x80\x02X\xa0\x86\x01\x00" + strings.Repeat("k", 100000) + "q\x000}q\x01(" + strings.Repeat("h\x00N", 1000) + "u0" +
		"ccollections\nOrderedDict\n)R" + strings.Repeat("h\x01b", 50) + "."
	// 3. A storage key of 100 bytes, which every tensor would hash.
	longStorageKey := "\x80\x02(X\x07\x00\x00\x00storagectorch\nFloatStorage\nXd\x00\x00\x00" + strings.Repeat("0", 100) + "X\x03\x00\x00\x00cpuK\x06tQ."
	tests := []struct {
		name     string
		pickle   string
		storages []member
		as       any
		want     string
	}{
		{"GLOBAL posix.system", "\x80\x02cposix\nsystem\nX\x02\x00\x00\x00id\x85R.", nil, &globalErr, "global posix.system, which is not allowed"},
		{"GLOBAL __builtin__.eval", "\x80\x02c__builtin__\neval\n.", nil, &globalErr, "global __builtin__.eval"},
		// From the fuzzer (the seed of a hang, see below): a binary name is quoted, on one line.
		{"GLOBAL with a binary name", "cttrch._utils\n\x80\xff\xff\xff{il\x1e\x1e\x1e\x1e\x1esor_v2\n(K0(dC\x00222tR.", nil, &globalErr,
			`pickle refers to global "ttrch._utils.\x80\xff\xff\xff{il\x1e\x1e\x1e\x1e\x1esor_v2", which is not allowed`},
		{"STACK_GLOBAL subprocess.Popen", "\x80\x04\x8c\x0asubprocess\x94\x8c\x05Popen\x94\x93.", nil, &globalErr, "global subprocess.Popen"},
		// gopickle resolves these itself, without asking its hook.
		{"GLOBAL builtins.list", "\x80\x02cbuiltins\nlist\n).", nil, &globalErr, "global builtins.list"},
		{"GLOBAL copy_reg._reconstructor", "\x80\x02ccopy_reg\n_reconstructor\n.", nil, &globalErr, "global copy_reg._reconstructor"},
		{"STACK_GLOBAL module from the memo", "\x80\x04\x8c\x0bcollections\x94\x8c\x0bOrderedDict\x94\x93\x94h\x00\x8c\x07Counter\x93.", nil, &globalErr, "global collections.Counter"},
		{"STACK_GLOBAL of non-strings", "\x80\x04K\x01K\x02\x93.", nil, &formatErr, "STACK_GLOBAL whose module and name are not strings"},
		{"STACK_GLOBAL of a REDUCE result", "\x80\x04c_codecs\nencode\nX\x01\x00\x00\x00aX\x06\x00\x00\x00latin1\x86R\x8c\x01x\x93.", nil, &formatErr, "STACK_GLOBAL whose module and name are not strings"},
		{"unsupported storage class", "\x80\x02ctorch\nComplexFloatStorage\n.", nil, &unsupportedErr, "storage type torch.ComplexFloatStorage is not supported"},
		{"INST of a forbidden global", "(ios\nsystem\nX\x02\x00\x00\x00id.", nil, &globalErr, "global os.system"},
		{"INST of an allowed global", "(icollections\nOrderedDict\n.", nil, &formatErr, "opcode INST is not allowed"},
		{"OBJ", "\x80\x02(N)o.", nil, &formatErr, "opcode OBJ is not allowed"},
		{"EXT1", "\x80\x02\x82\x01.", nil, &formatErr, "opcode EXT1 is not allowed"},
		{"NEXT_BUFFER", "\x80\x05\x97.", nil, &formatErr, "NEXT_BUFFER refers to an out-of-band buffer"},
		{"unknown opcode 0xff", "\x80\x02\xff.", nil, &formatErr, "unknown opcode 0xff"},                 // gopickle indexes past its table
		{"odd SETITEMS", "\x80\x02}(K\x01u.", nil, &formatErr, "SETITEMS of an odd number (1) of items"}, // gopickle indexes past the items
		{"odd DICT", "\x80\x02(K\x01d.", nil, &formatErr, "DICT of an odd number"},
		{"zero-length LONG1", "\x80\x02\x8a\x00.", nil, &formatErr, "LONG1 of zero length"}, // gopickle indexes the empty slice
		{"negative LONG4", "\x80\x02\x8b\xff\xff\xff\xff.", nil, &formatErr, "LONG4 has negative length -1"},
		{"huge LONG4", "\x80\x02\x8b\x00\x00\x01\x00" + strings.Repeat("\x01", 65536) + ".", nil, &formatErr, "LONG4 of 65536 bytes"},
		{"negative BINSTRING", "T\xff\xff\xff\xff.", nil, &formatErr, "BINSTRING has negative length"},
		{"huge BINBYTES8", "\x80\x04\x8e\xff\xff\xff\xff\xff\xff\xff\xffab.", nil, &formatErr, "BINBYTES8 claims 18446744073709551615 bytes"},
		{"huge BINUNICODE", "\x80\x02X\xff\xff\xff\x7fab.", nil, &formatErr, "BINUNICODE claims 2147483647 bytes, only 3 remain"},
		{"unterminated GLOBAL", "\x80\x02ctorch\nFloatSto", nil, &formatErr, "GLOBAL argument is not newline-terminated"},
		{"stack underflow", "\x80\x02R.", nil, &formatErr, "REDUCE needs 2 stack items, 0 present"},
		{"unset memo slot", "\x80\x02h\x05.", nil, &formatErr, "BINGET of memo slot 5, which was never set"},
		{"no STOP", "\x80\x02N", nil, &formatErr, "without STOP"},
		{"bytes after STOP", "\x80\x02}.N", nil, &formatErr, "1 bytes after the pickle's STOP"},
		{"protocol 6", "\x80\x06}.", nil, &formatErr, "pickle protocol 6 is newer than 5"},
		{"MARK flood", "\x80\x02" + strings.Repeat("(", 1<<20) + "}.", nil, &formatErr, "pickle would need more than 256 MiB to decode"},
		{"BUILD over a large dict, repeated", bigDict, nil, &formatErr, "pickle would need more than 256 MiB"},
		{"BUILD over long keys, repeated", longKeyBuild, nil, &formatErr, "pickle would need more than 256 MiB"},
		{"one dict under many wrapper entries", sharedDict, nil, &formatErr, "no state_dict found: no entry holds tensors (entries: 1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015, … 49984 more)"},
		{"long storage key", longStorageKey, nil, &formatErr, "storage key of 100 bytes"},
		// The pre-scan cannot see that a key is unhashable; gopickle panics and
		// the panic becomes an error.
		{"unhashable OrderedDict key", "\x80\x02ccollections\nOrderedDict\n)RC\x01aNs.", nil, &formatErr, "the pickle VM failed"},
		// From the fuzzer: a bytes value in a wrapper made the candidate
		// search use it as a map key (a panic outside the VM).
		{"bytes key and value", "(B\r\x00\x00\x000000000000000" + "2d.", nil, &formatErr, "no state_dict found: no entry holds tensors (entries: <a bytes value>)"},
		{"top-level list", "\x80\x02].", nil, &formatErr, "the pickled object is a list, not a state_dict"},
		{"empty state_dict", "\x80\x02}.", nil, &formatErr, "the state_dict is empty"},
		{"no tensors anywhere", "\x80\x02}(X\x05\x00\x00\x00epochK\x03u.", nil, &formatErr, `no state_dict found: no entry holds tensors (entries: "epoch")`},
		{"non-string tensor name", strings.Replace(string(hostile.TensorPickle(6, 0, []int64{6}, []int64{1})), "X\x01\x00\x00\x00x", "K\x01", 1), []member{storage6}, &formatErr, "the state_dict has a key that is an int, not a str"},
		{"persistent id not a tuple", "\x80\x02K\x01Q.", nil, &formatErr, "persistent id is an int, not a ('storage', …) tuple"},
		{"pickled module", "\x80\x02(X\x06\x00\x00\x00moduleNNtQ.", nil, &unsupportedErr, "pickles an nn.Module"},
		{"persistent id of 6 fields in a zip", "\x80\x02(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x06NtQ.", []member{storage6}, &formatErr, "storage persistent id has 6 fields, want 5"},
		{"storage without record", string(hostile.TensorPickle(6, 0, []int64{6}, []int64{1})), nil, &formatErr, `storage "0" has no record "archive/data/0" in the archive`},
		{"rebuild of a non-storage", "\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(K\x01K\x00))\x89}tR.", nil, &formatErr, "_rebuild_tensor_v2 of an int, not a storage"},
		{"rebuild with 3 arguments", "\x80\x02ctorch._utils\n_rebuild_tensor_v2\n(K\x01K\x00)tR.", nil, &formatErr, "_rebuild_tensor_v2 called with 3 arguments"},
		{"negative stride", string(hostile.TensorPickle(6, 5, []int64{6}, []int64{-1})), []member{storage6}, &formatErr, "shape [6], strides [-1]: negative entries"},
		{"negative offset", string(hostile.TensorPickle(6, -1, []int64{6}, []int64{1})), []member{storage6}, &formatErr, "negative offset -1"},
		{"sizes and strides differ", string(hostile.TensorPickle(6, 0, []int64{2, 3}, []int64{1})), []member{storage6}, &formatErr, "has 2 sizes but 1 strides"},
		{"view past the storage", string(hostile.TensorPickle(6, 0, []int64{2, 3}, []int64{4, 1})), []member{storage6}, &formatErr, "reaches element 6 of storage \"0\", which holds 6"},
		{"element count overflows", string(hostile.TensorPickle(6, 0, []int64{1 << 32, 1 << 32}, []int64{0, 0})), []member{storage6}, &formatErr, "too many elements"},
		{"reach overflows", string(hostile.TensorPickle(6, 0, []int64{4, 2}, []int64{1 << 62, 1})), []member{storage6}, &formatErr, "overflows"},
		{"65 dimensions", string(hostile.TensorPickle(6, 0, make([]int64, 65), make([]int64, 65))), []member{storage6}, &formatErr, "size has 65 entries (at most 64 dimensions)"},
		{"storage size beyond int64", "\x80\x02(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpu\x8a\x09\x00\x00\x00\x00\x00\x00\x00\x00\x01tQ.", nil, &formatErr, "size 18446744073709551616 is too large"},
		{"storage of 2^61 float32", "\x80\x02(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpu\x8a\x08\x00\x00\x00\x00\x00\x00\x00\x20tQ.", nil, &formatErr, `storage "0" claims 2305843009213693952 elements`},
		{"storage typed two ways", "\x80\x02(" +
			"(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x06tQ" +
			"(X\x07\x00\x00\x00storagectorch\nIntStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpuK\x06tQl.",
			[]member{storage6}, &formatErr, `storage "0" is used as 6 float32 elements and as 6 int32 elements`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := torchZip(t, []byte(tt.pickle), tt.storages...)
			_, err := checkpoint.Decode("hostile.pth", data, checkpoint.Options{})
			checkError(t, err, "hostile.pth", tt.as, tt.want)
		})
	}
}

func TestHostileContainers(t *testing.T) {
	var (
		formatErr      *checkpoint.FormatError
		unsupportedErr *checkpoint.UnsupportedError
	)
	pkl := hostile.TensorPickle(6, 0, []int64{2, 3}, []int64{3, 1})
	badCRC := uint32(12345)
	st := func(header string, data []byte) []byte {
		b := binary.LittleEndian.AppendUint64(nil, uint64(len(header)))
		return append(append(b, header...), data...)
	}
	legacy, err := os.ReadFile(fixture("common_legacy.pth"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
		as   any
		want string
	}{
		{"stored member shorter than declared", torchZip(t, pkl, member{name: "0", data: floats(3), declared: 24}),
			&formatErr, `member "archive/data/0" is stored and declares 24 bytes but holds 12`},
		{"deflated member shorter than declared", torchZip(t, pkl, member{name: "0", data: floats(3), method: zip.Deflate, declared: 24}),
			&formatErr, `member "archive/data/0" is truncated: it ends 12 bytes short of its declared 24`},
		{"deflate bomb", torchZip(t, pkl, member{name: "0", data: floats(6000), method: zip.Deflate, declared: 24}),
			&formatErr, `member "archive/data/0" inflates beyond its declared 24 bytes (zip bomb?)`},
		{"bad CRC", torchZip(t, pkl, member{name: "0", data: floats(6), crc: &badCRC}),
			&formatErr, `member "archive/data/0" fails its CRC-32 check`},
		{"bzip2 member", torchZip(t, pkl, member{name: "0", data: floats(6), method: 12}),
			&unsupportedErr, "uses compression method 12"},
		{"big data.pkl declared", makeZip(t, member{name: "archive/data.pkl", data: []byte("\x80\x02}."), method: zip.Deflate, declared: 1 << 40}),
			&formatErr, `member "archive/data.pkl" declares 1099511627776 bytes, more than the 67108864 it may hold`},
		{"byteorder middle", makeZip(t, member{name: "archive/data.pkl", data: pkl}, member{name: "archive/byteorder", data: []byte("middle")},
			member{name: "archive/data/0", data: floats(6)}), &formatErr, `byteorder record says "middle"`},
		{"two data.pkl", makeZip(t, member{name: "a/data.pkl", data: pkl}, member{name: "b/data.pkl", data: pkl}),
			&formatErr, `zip archive holds 2 data.pkl records ("a/data.pkl, b/data.pkl")`},
		{"duplicate member", makeZip(t, member{name: "x.npy", data: nil}, member{name: "x.npy", data: nil}),
			&formatErr, `zip archive holds member "x.npy" twice`},
		{"zip of other files", makeZip(t, member{name: "README", data: []byte("hi")}),
			&formatErr, "neither <dir>/data.pkl (torch) nor only .npy members (npz)"},
		{"empty zip", makeZip(t), &formatErr, "empty zip archive"},
		{"TorchScript code only", makeZip(t, member{name: "m/data.pkl", data: pkl}, member{name: "m/code/__torch__/m.py", data: nil}),
			&unsupportedErr, "TorchScript archive (torch.jit.save)"},
		{"npz of uint16", makeZip(t, member{name: "x.npy", data: []byte("\x93NUMPY\x01\x00\x76\x00{'descr': '<u2', 'fortran_order': False, 'shape': (1,), }" + strings.Repeat(" ", 60) + "\n\x01\x00")}),
			&unsupportedErr, `npz member "x.npy" has dtype uint16`},
		{"legacy with trailing bytes", append(legacy[:len(legacy):len(legacy)], 0), &formatErr, "1 unexpected bytes after the last storage"},
		{"safetensors header past the end", st(`{}`, nil)[:9], &formatErr, "safetensors header claims 2 bytes, 1 present"},
		{"safetensors bad JSON", st(`{"x":`, nil), &formatErr, "safetensors header is not a JSON object"},
		{"safetensors F8 dtype", st(`{"x":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}`, []byte{0}), &unsupportedErr, `safetensors tensor "x" has dtype "F8_E4M3"`},
		{"safetensors gap", st(`{"x":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}`, []byte{0, 0}), &formatErr, "expected to start at 0"},
		{"safetensors overlap", st(`{"x":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"y":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}`, []byte{0, 0}), &formatErr, "tensors must tile the data"},
		{"safetensors wrong size", st(`{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}`, floats(1)), &formatErr, `safetensors tensor "x" of shape [2] needs 8 bytes of float32, data_offsets give 4`},
		{"safetensors shape overflow", st(`{"x":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}`, floats(1)), &formatErr, `safetensors tensor "x" has shape`},
		{"safetensors negative dim", st(`{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, floats(1)), &formatErr, `safetensors tensor "x" has shape [-1]`},
		{"safetensors offsets past the data", st(`{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}`, floats(1)), &formatErr, "truncated file: safetensors data needs 16 bytes, 4 present"},
		{"safetensors unused data", st(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, floats(2)), &formatErr, "safetensors data holds 8 bytes, the tensors use 4"},
		{"safetensors three offsets", st(`{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, floats(1)), &formatErr, "has 3 data_offsets, want 2"},
		{"safetensors bad metadata", st(`{"__metadata__":{"a":1}}`, nil), &formatErr, "__metadata__ is not an object of strings"},
		{"tar", append(make([]byte, 257), "ustar\x0000"...), &unsupportedErr, "tar archive"},
		{"bare .npy", []byte("\x93NUMPY\x01\x00\x00\x00\n"), &unsupportedErr, "a single .npy array"},
		{"bare .npy, header length 123", []byte("\x93NUMPY\x01\x00{\x00{'descr'"), &unsupportedErr, "a single .npy array"},
		{"plain pickle", []byte("\x80\x02}."), &formatErr, "a pickle without torch's magic number"},
		{"short junk", []byte("hello"), &formatErr, "truncated file (5 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := checkpoint.Decode("hostile", tt.data, checkpoint.Options{})
			checkError(t, err, "hostile", tt.as, tt.want)
		})
	}
}

// TestTruncations cuts real and generated checkpoints at every byte offset:
// each prefix must be refused with an error (and nothing may panic).
func TestTruncations(t *testing.T) {
	for _, name := range []string{"ART_STPN_h11.pth", "ART_HebbFF_h26.pth", "common_legacy.pth", "legacy_views.pth", "common.safetensors", "common.npz", "common_compressed.npz", "proto4.pth"} {
		data, err := os.ReadFile(fixture(name))
		if err != nil {
			t.Fatal(err)
		}
		for n := range len(data) {
			if _, err := checkpoint.Decode(name, data[:n], checkpoint.Options{}); err == nil {
				t.Errorf("%s cut to %d of %d bytes: no error", name, n, len(data))
			}
		}
	}
}

// TestRandomBytes feeds seeded random data, bare and behind each format's
// magic, and expects errors.
func TestRandomBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	prefixes := []string{"", "PK\x03\x04", "\x80\x02\x8a\x0a\x6c\xfc\x9c\x46\xf9\x20\x6a\xa8\x50\x19.", "\x10\x00\x00\x00\x00\x00\x00\x00{"}
	for i := range 2000 {
		data := []byte(prefixes[i%len(prefixes)])
		for range rng.IntN(512) {
			data = append(data, byte(rng.Uint32()))
		}
		if _, err := checkpoint.Decode("random", data, checkpoint.Options{}); err == nil {
			t.Errorf("random input %d (%q…) decoded without error", i, data[:min(len(data), 16)])
		}
	}
}

// TestAllocationBounded checks that files claiming huge sizes are refused
// before memory is committed to the claim.
func TestAllocationBounded(t *testing.T) {
	tests := []struct {
		file string
		max  uint64 // bytes Decode may allocate, far below what the file claims
	}{
		{"claims_2_40.pth", 1 << 20},      // 2^40 float32 elements
		{"huge_binunicode8.pth", 1 << 20}, // a 2^62-byte string
		{"huge_frame.pth", 1 << 20},       // a 2^63-byte frame
		{"bomb_declared.pth", 1 << 20},    // a member inflating 1000×
		{"bomb.npz", 1 << 20},
	}
	for _, tt := range tests {
		data, err := os.ReadFile(fixture(tt.file))
		if err != nil {
			t.Fatal(err)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, err = checkpoint.Decode(tt.file, data, checkpoint.Options{})
		runtime.ReadMemStats(&after)
		if err == nil {
			t.Errorf("%s: no error", tt.file)
		}
		if got := after.TotalAlloc - before.TotalAlloc; got > tt.max {
			t.Errorf("%s: Decode allocated %d bytes, want at most %d", tt.file, got, tt.max)
		}
	}
	// A broadcast view of one element claiming 2^40 elements is refused by
	// the element bound before its data are allocated.
	data := torchZip(t, hostile.TensorPickle(1, 0, []int64{1 << 20, 1 << 20}, []int64{0, 0}), member{name: "0", data: floats(1)})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := checkpoint.Decode("bcast.pth", data, checkpoint.Options{})
	runtime.ReadMemStats(&after)
	checkError(t, err, "bcast.pth", nil, `tensor "x" would bring the elements of the tensors to more than 268435456 (--max-checkpoint-elements)`)
	if got := after.TotalAlloc - before.TotalAlloc; got > 1<<20 {
		t.Errorf("broadcast bomb: Decode allocated %d bytes", got)
	}
}
