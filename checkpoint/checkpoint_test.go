package checkpoint_test

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/internal/testutil"
)

func fixture(name string) string { return testutil.Testdata("checkpoint", name) }

func load(t *testing.T, name string, opt checkpoint.Options) *checkpoint.StateDict {
	t.Helper()
	sd, err := checkpoint.Load(fixture(name), opt)
	if err != nil {
		t.Fatal(err)
	}
	return sd
}

// sameFloats compares decoded values exactly, bit for bit up to NaN payloads:
// every dtype here widens to float64 without rounding, so any difference is
// a decoding error, and a tolerance would hide a wrong −0 or a flushed
// subnormal.
func sameFloats(t *testing.T, what string, got, want []float64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d values, want %d", what, len(got), len(want))
	}
	for i := range want {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) && !(math.IsNaN(got[i]) && math.IsNaN(want[i])) {
			t.Errorf("%s[%d] = %v, want %v", what, i, got[i], want[i])
		}
	}
}

func tensor(t *testing.T, sd *checkpoint.StateDict, name string) *checkpoint.Tensor {
	t.Helper()
	x, ok := sd.Get(name)
	if !ok {
		t.Fatalf("%s: no tensor %q (have %v)", sd.File, name, sd.Names())
	}
	return x
}

// TestReference reads the checkpoints written by torch 1.13 and checks names,
// shapes and dtypes against the reference manifest (copied by gen.py into
// reference_manifest.json, in state_dict order).
func TestReference(t *testing.T) {
	raw, err := os.ReadFile(fixture("reference_manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var manifest map[string][]struct {
		Name  string
		Shape []int
		DType string
	}
	if err := json.Unmarshal(raw, &manifest); err != nil {
		t.Fatal(err)
	}
	if len(manifest) != 3 {
		t.Fatalf("manifest lists %d models, want 3", len(manifest))
	}
	for model, want := range manifest {
		t.Run(model, func(t *testing.T) {
			sd := load(t, model+".pth", checkpoint.Options{})
			if sd.Format != checkpoint.TorchZip || sd.Key != "" {
				t.Errorf("format %v, key %q; want torch-zip, bare state_dict", sd.Format, sd.Key)
			}
			if len(sd.Tensors) != len(want) {
				t.Fatalf("%d tensors %v, manifest lists %d", len(sd.Tensors), sd.Names(), len(want))
			}
			for i, w := range want {
				got := sd.Tensors[i]
				if got.Name != w.Name || got.DType.String() != w.DType || !slices.Equal(got.Shape, w.Shape) || len(got.Float64s()) != got.Len() {
					t.Errorf("tensor %d: %s %v %v (%d values), want %s %v %v",
						i, got.Name, got.DType, got.Shape, len(got.Float64s()), w.Name, w.DType, w.Shape)
				}
			}
		})
	}
}

// TestReferenceValues checks a few values of the torch 1.13 checkpoints. The
// expected numbers were read independently of this package, with Python's
// standard library:
//
//	z = zipfile.ZipFile("ART_STPN_h11.pth"); b = z.read(prefix + "/data/3")
//	struct.unpack("<%df" % (len(b) // 4), b)   # float32 storages
//	struct.unpack("<d", b)                     # the 8-byte float64 storage
//
// with the storage key of each tensor taken from pickletools.genops over
// data.pkl. Python prints the shortest decimal that round-trips the widened
// float64, so the literals below are exact.
func TestReferenceValues(t *testing.T) {
	tests := []struct {
		file, tensor string
		index        int
		want         float64
	}{
		{"ART_STPN_h11.pth", "rnn.weight_lambda", 0, 0.5258416533470154},      // storage "0"
		{"ART_STPN_h11.pth", "rnn.weight_lambda", 1, 0.6830137372016907},      // storage "0"
		{"ART_STPN_h11.pth", "rnn.weight_lambda", 527, 0.5868997573852539},    // storage "0", last
		{"ART_STPN_h11.pth", "rnn.weight", 0, -0.008036121726036072},          // storage "2"
		{"ART_STPN_h11.pth", "rnn.weight", 527, -0.022998880594968796},        // storage "2", last
		{"ART_STPN_h11.pth", "rnn.bias", 0, -0.1457732766866684},              // storage "3"
		{"ART_STPN_h11.pth", "rnn.bias", 10, 0.08486922085285187},             // storage "3", last
		{"ART_STPN_h11.pth", "hidden2tag.weight", 406, -0.3843533992767334},   // storage "4", last
		{"ART_HebbFF_h26.pth", "rnn._weight_lambda", 0, 5.101675373036114},    // storage "2", float64, 0-d
		{"ART_HebbFF_h26.pth", "rnn._weight_gamma", 0, -2.194981813430786},    // storage "3", float32, 0-d
		{"ART_HebbFF_h26.pth", "rnn.weight", 1, 0.04172908142209053},          // storage "0"
		{"ART_MODPLAST_h17.pth", "rnn.w", 0, 0.05074290931224823},             // storage "0"
		{"ART_MODPLAST_h17.pth", "rnn.w", 288, 0.05997399613261223},           // storage "0", last
		{"ART_MODPLAST_h17.pth", "rnn.h2DA.bias", 0, 0.23664411902427673},     // storage "5"
		{"ART_MODPLAST_h17.pth", "hidden2tag.bias", 36, -0.21598218381404877}, // storage "7", last
	}
	for _, tt := range tests {
		sd := load(t, tt.file, checkpoint.Options{})
		x := tensor(t, sd, tt.tensor)
		sameFloats(t, tt.file+" "+tt.tensor, x.Float64s()[tt.index:tt.index+1], []float64{tt.want})
	}
}

// want is a tensor gen.py wrote, with its known values.
type want struct {
	name  string
	dtype checkpoint.DType
	shape []int
	data  []float64
}

func checkTensors(t *testing.T, sd *checkpoint.StateDict, wants []want) {
	t.Helper()
	if len(sd.Tensors) != len(wants) {
		t.Fatalf("%s: tensors %v, want %d", sd.File, sd.Names(), len(wants))
	}
	for i, w := range wants {
		got := sd.Tensors[i]
		if got.Name != w.name || got.DType != w.dtype || !slices.Equal(got.Shape, w.shape) {
			t.Errorf("%s tensor %d: %s %v %v, want %s %v %v", filepath.Base(sd.File), i, got.Name, got.DType, got.Shape, w.name, w.dtype, w.shape)
			continue
		}
		sameFloats(t, filepath.Base(sd.File)+" "+w.name, got.Float64s(), w.data)
	}
}

// common lists the tensors gen.py writes in every format (see main() there).
var common = []want{
	{"f32", checkpoint.Float32, []int{2, 3}, []float64{0, 1, 2, 3, 4, 5}},
	{"f64", checkpoint.Float64, []int{3}, []float64{0.1, -1e300, 2.5}},
	{"f16", checkpoint.Float16, []int{4}, []float64{1, -2.5, 65504, math.Inf(1)}},
	{"i64", checkpoint.Int64, []int{4}, []float64{-3, 0, 1 << 40, 7}},
	{"u8", checkpoint.Uint8, []int{2}, []float64{0, 255}},
	{"flag", checkpoint.Bool, []int{3}, []float64{1, 0, 1}},
	{"scalar", checkpoint.Float64, []int{}, []float64{5.25}},
}

func TestFormats(t *testing.T) {
	tests := []struct {
		file   string
		format checkpoint.Format
	}{
		{"common.pth", checkpoint.TorchZip},
		{"common_legacy.pth", checkpoint.TorchLegacy},
		{"common.safetensors", checkpoint.SafeTensors},
		{"common.npz", checkpoint.NPZ},
		{"common_compressed.npz", checkpoint.NPZ},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			sd := load(t, tt.file, checkpoint.Options{})
			if sd.Format != tt.format || sd.File != fixture(tt.file) {
				t.Errorf("format %v file %q, want %v %q", sd.Format, sd.File, tt.format, fixture(tt.file))
			}
			checkTensors(t, sd, common)
		})
	}
}

func TestTorchFeatures(t *testing.T) {
	tests := []struct {
		file  string
		wants []want
	}{
		{"dtypes.pth", []want{
			// float16: 1, −2.5, largest normal, smallest subnormal 2^−24,
			// +Inf, −0, smallest normal 2^−14, the half nearest 1/3.
			{"f16", checkpoint.Float16, []int{2, 4}, []float64{1, -2.5, 65504, 0x1p-24, math.Inf(1), math.Copysign(0, -1), 0x1p-14, 0.333251953125}},
			{"bf16", checkpoint.BFloat16, []int{6}, []float64{1, -3.5, 0.15625, 0x1p100, math.Inf(-1), 3.140625}},
			{"i32", checkpoint.Int32, []int{2}, []float64{-5, math.MaxInt32}},
			{"i16", checkpoint.Int16, []int{2}, []float64{-300, 300}},
			{"i8", checkpoint.Int8, []int{2}, []float64{-128, 127}},
			{"param", checkpoint.Float32, []int{2}, []float64{1.5, -1.5}}, // via _rebuild_parameter
		}},
		{"views.pth", []want{
			{"w", checkpoint.Float32, []int{2, 3}, []float64{0, 1, 2, 3, 4, 5}},
			// w transposed: strides (1, 3) over the same storage.
			{"wT", checkpoint.Float32, []int{3, 2}, []float64{0, 3, 1, 4, 2, 5}},
			// Storage 10..17: [0:3], [4:8] as 2×2, every third from 1.
			{"head", checkpoint.Float32, []int{3}, []float64{10, 11, 12}},
			{"tail", checkpoint.Float32, []int{2, 2}, []float64{14, 15, 16, 17}},
			{"every3", checkpoint.Float32, []int{2}, []float64{11, 14}},
			{"bcast", checkpoint.Float32, []int{2, 3}, []float64{7, 7, 7, 7, 7, 7}}, // strides (0, 0)
			{"empty", checkpoint.Float32, []int{0, 3}, []float64{}},
		}},
		{"legacy_views.pth", []want{
			{"w", checkpoint.Float32, []int{2, 3}, []float64{0, 1, 2, 3, 4, 5}},
			// Views (offset 4, size 3) of storage 0..9, then offsets 0 and 1 into it.
			{"v", checkpoint.Float32, []int{3}, []float64{4, 5, 6}},
			{"v2", checkpoint.Float32, []int{2}, []float64{5, 6}},
			{"n", checkpoint.Int64, []int{}, []float64{42}},
		}},
		{"proto4.pth", []want{ // STACK_GLOBAL, MEMOIZE, FRAME
			{"a", checkpoint.Float32, []int{3}, []float64{1, 2, 3}},
			{"b", checkpoint.Int16, []int{2}, []float64{-1, 1}},
		}},
		{"bigendian.pth", []want{ // byteorder "big"
			{"x", checkpoint.Float32, []int{3}, []float64{1.5, -2, 3.25}},
			{"y", checkpoint.Int16, []int{2}, []float64{-2, 513}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			checkTensors(t, load(t, tt.file, checkpoint.Options{}), tt.wants)
		})
	}
}

func TestWrappers(t *testing.T) {
	model := []want{
		{"w", checkpoint.Float32, []int{2, 2}, []float64{0, 1, 2, 3}},
		{"b", checkpoint.Float32, []int{1}, []float64{0.5}},
	}
	ema := []want{
		{"w", checkpoint.Float32, []int{2, 2}, []float64{10, 11, 12, 13}},
		{"b", checkpoint.Float32, []int{1}, []float64{-0.5}},
	}
	tests := []struct {
		name    string
		file    string
		key     string // Options.StateKey
		wantKey string
		wants   []want
	}{
		// epoch, optimizer state, floats, strings and bytes (_codecs.encode) beside the model.
		{"auto", "wrapped.pth", "", "model_state_dict", model},
		{"explicit", "wrapped.pth", "model_state_dict", "model_state_dict", model},
		{"ambiguous resolved", "ambiguous.pth", "ema", "ema", ema},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sd := load(t, tt.file, checkpoint.Options{StateKey: tt.key})
			if sd.Key != tt.wantKey {
				t.Errorf("Key = %q, want %q", sd.Key, tt.wantKey)
			}
			checkTensors(t, sd, tt.wants)
		})
	}
}

func TestErrors(t *testing.T) {
	var (
		formatErr      *checkpoint.FormatError
		unsupportedErr *checkpoint.UnsupportedError
		globalErr      *checkpoint.GlobalError
	)
	tests := []struct {
		file string
		opt  checkpoint.Options
		as   any // pointer to the error type expected
		want string
	}{
		{"empty.pth", checkpoint.Options{}, &formatErr, "empty file"},
		{"truncated.pth", checkpoint.Options{}, &formatErr, "truncated or corrupt zip archive (zip: not a valid zip file)"},
		{"evil_os_system.pth", checkpoint.Options{}, &globalErr, "pickle refers to global os.system, which is not allowed (allowed: collections.OrderedDict, "},
		{"evil_builtins_eval.pth", checkpoint.Options{}, &globalErr, "pickle refers to global builtins.eval, which is not allowed"},
		{"evil_stack_global.pth", checkpoint.Options{}, &globalErr, "pickle refers to global builtins.eval, which is not allowed"},
		{"evil_legacy.pth", checkpoint.Options{}, &globalErr, "pickle refers to global posix.system, which is not allowed"},
		{"bomb_declared.pth", checkpoint.Options{}, &formatErr, `member "archive/data/0" inflates beyond its declared 44 bytes`},
		{"bomb_honest.pth", checkpoint.Options{}, &formatErr, `storage "0" claims 11 float32 elements (44 bytes) but holds 44000 bytes`},
		{"bomb.npz", checkpoint.Options{}, &formatErr, `member "x.npy" inflates beyond its declared 172 bytes`},
		{"short_storage.pth", checkpoint.Options{}, &formatErr, `storage "0" claims 528 float32 elements (2112 bytes) but holds 44 bytes`},
		{"claims_2_40.pth", checkpoint.Options{}, &formatErr, `storage "0" claims 1099511627776 float32 elements (4398046511104 bytes) but holds 44 bytes`},
		{"oob_view.pth", checkpoint.Options{}, &formatErr, `tensor with shape [10], strides [1] at offset 2 reaches element 11 of storage "0", which holds 11`},
		{"huge_binunicode8.pth", checkpoint.Options{}, &formatErr, "BINUNICODE8 claims 4611686018427387904 bytes, only 4 remain"},
		{"huge_frame.pth", checkpoint.Options{}, &formatErr, "FRAME claims 9223372036854775807 bytes, only 2 remain"},
		{"lying_header.npz", checkpoint.Options{}, &formatErr, `npz member "x.npy": .npy header claims shape [1000] of float32`},
		{"torchscript.pt", checkpoint.Options{}, &unsupportedErr, "TorchScript archive"},
		{"nested.pth", checkpoint.Options{}, &formatErr, `state_dict entry "cfg" is a dict, not a tensor`},
		{"legacy_bad_count.pth", checkpoint.Options{}, &formatErr, `storage "1000" holds 12 elements, its persistent id claims 6`},
		{"ambiguous.pth", checkpoint.Options{}, &formatErr, `several entries hold tensors ("model", "ema"); choose one with --state-key`},
		{"ambiguous.pth", checkpoint.Options{StateKey: "nope"}, &formatErr, `no entry "nope" (the file has: "model", "ema", "epoch")`},
		{"wrapped.pth", checkpoint.Options{StateKey: "epoch"}, &formatErr, `entry "epoch" is an int, not a state_dict`},
		{"common.safetensors", checkpoint.Options{StateKey: "model"}, &formatErr, "a safetensors file has no wrapper entries"},
		{"views.pth", checkpoint.Options{MaxElements: 22}, &formatErr, `tensor "bcast" would bring the elements of the tensors to more than 22`}, // 21 before it
		{"common.pth", checkpoint.Options{MaxBytes: 1000}, &formatErr, "file is 1716 bytes, more than the 1000 allowed"},
		{"gen.py", checkpoint.Options{}, &formatErr, "unknown format"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.want, func(t *testing.T) {
			path := fixture(tt.file)
			_, err := checkpoint.Load(path, tt.opt)
			checkError(t, err, path, tt.as, tt.want)
		})
	}
}

// checkError checks an error's type, that it is one line naming the file, and
// that it contains want.
func checkError(t *testing.T, err error, name string, as any, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %q", want)
	}
	msg := err.Error()
	if !strings.Contains(msg, want) {
		t.Errorf("error %q\ndoes not contain %q", msg, want)
	}
	if !strings.HasPrefix(msg, "checkpoint "+name+": ") || strings.ContainsAny(msg, "\n\r") {
		t.Errorf("error %q is not one line starting with %q", msg, "checkpoint "+name+": ")
	}
	if as != nil && !errors.As(err, as) {
		t.Errorf("error %q is a %T, not the expected type", msg, err)
	}
}

func TestLoadMissing(t *testing.T) {
	p := filepath.Join(t.TempDir(), "missing.pth")
	_, err := checkpoint.Load(p, checkpoint.Options{})
	checkError(t, err, p, nil, "no such file")
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("error %v is not fs.ErrNotExist", err)
	}
}

// TestLoadMaxBytes checks the size limit applies before the file is read: a
// file of zeros that is not a checkpoint fails on its size, not its content.
func TestLoadMaxBytes(t *testing.T) {
	p := testutil.WriteFile(t, t.TempDir(), "big.pth", make([]byte, 4096))
	_, err := checkpoint.Load(p, checkpoint.Options{MaxBytes: 4095})
	checkError(t, err, p, nil, "file is 4096 bytes, more than the 4095 allowed")
}

func TestStats(t *testing.T) {
	x := checkpoint.NewTensor("x", []int{5}, []float64{3, -1, math.NaN(), 4, math.Inf(1)})
	// Over the finite elements 3, −1, 4: min −1, max 4, mean 2 (exact in
	// binary); outside [0, 1]: 3, −1, 4, +Inf.
	if got, want := x.Stats(), (checkpoint.Stats{Min: -1, Max: 4, Mean: 2, NonFinite: 2, OutsideUnit: 4}); got != want {
		t.Errorf("Stats() = %+v, want %+v", got, want)
	}
	empty := checkpoint.NewTensor("nan", []int{}, []float64{math.NaN()}).Stats()
	if !math.IsNaN(empty.Mean) || empty.NonFinite != 1 {
		t.Errorf("Stats() of an all-NaN tensor = %+v, want NaN mean, 1 non-finite", empty)
	}
}

func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"ART_STPN_h11.pth", "common_legacy.pth", "common.safetensors", "common.npz"} {
		data, err := os.ReadFile(fixture(name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := checkpoint.Decode(name, data, checkpoint.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
