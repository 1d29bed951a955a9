package checkpoint

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"strings"

	"github.com/nlpodyssey/gopickle/pickle"
	"github.com/nlpodyssey/gopickle/types"
)

// The allow-list: the only Python globals a pickle may name. It is a strict
// subset of what torch.load(weights_only=True) accepts. Each allowed global is
// a Go value of this package; nothing from the file is ever called.
var allowed = map[string]any{
	// The state_dict container. gopickle resolves it itself (to
	// types.OrderedDict) before asking findClass, so its value here is unused.
	"collections.OrderedDict": nil,

	// How torch.save pickles a tensor: a call that rebuilds it from a storage.
	"torch._utils._rebuild_tensor":               rebuildTensor,
	"torch._utils._rebuild_tensor_v2":            rebuildTensorV2,
	"torch._utils._rebuild_parameter":            rebuildParameter,
	"torch._utils._rebuild_parameter_with_state": rebuildParameterWithState,

	// Storage classes, named in the persistent ids of storages.
	"torch.FloatStorage":    &storageClass{"FloatStorage", Float32},
	"torch.DoubleStorage":   &storageClass{"DoubleStorage", Float64},
	"torch.HalfStorage":     &storageClass{"HalfStorage", Float16},
	"torch.BFloat16Storage": &storageClass{"BFloat16Storage", BFloat16},
	"torch.LongStorage":     &storageClass{"LongStorage", Int64},
	"torch.IntStorage":      &storageClass{"IntStorage", Int32},
	"torch.ShortStorage":    &storageClass{"ShortStorage", Int16},
	"torch.CharStorage":     &storageClass{"CharStorage", Int8},
	"torch.ByteStorage":     &storageClass{"ByteStorage", Uint8},
	"torch.BoolStorage":     &storageClass{"BoolStorage", Bool},

	// Protocol 2 (torch.save's default) pickles a Python bytes value as
	// _codecs.encode(text, "latin1"). It may appear in a wrapper's extra
	// entries; the result is an opaque value this package never reads.
	"_codecs.encode": codecsEncode{},
}

const allowedSummary = "collections.OrderedDict, " +
	"torch._utils._rebuild_tensor, torch._utils._rebuild_tensor_v2, " +
	"torch._utils._rebuild_parameter, torch._utils._rebuild_parameter_with_state, " +
	"torch.{Float,Double,Half,BFloat16,Long,Int,Short,Char,Byte,Bool}Storage, _codecs.encode"

// checkGlobal refuses a global outside the allow-list. Storage classes torch
// has but this package does not decode get a more useful message.
func checkGlobal(module, name string) error {
	if _, ok := allowed[module+"."+name]; ok {
		return nil
	}
	if module == "torch" && strings.HasSuffix(name, "Storage") && len(name) < maxShown {
		return unsupportedf("storage type torch.%s is not supported (supported: float32, float64, float16, bfloat16, int8..int64, uint8, bool)", printable(name))
	}
	return &GlobalError{Module: module, Name: name}
}

// findClass is the gopickle hook. The pre-scan has already refused every
// global outside the allow-list; this repeats the check.
func findClass(module, name string) (any, error) {
	if err := checkGlobal(module, name); err != nil {
		return nil, err
	}
	return allowed[module+"."+name], nil
}

// storageClass is the value of an allowed torch.<Type>Storage global.
type storageClass struct {
	name  string
	dtype DType
}

// storage is one serialised torch storage, read lazily and at most once.
type storage struct {
	key    string
	dtype  DType
	numel  int64  // elements, as the persistent id claims
	raw    []byte // numel × dtype.Size() bytes once loaded
	loaded bool
}

// storageView is what a persistent id unpickles to: a storage, or (legacy
// format) a window of one.
type storageView struct {
	s        *storage
	off, len int64 // in elements
}

// tensorRef is what _rebuild_tensor_v2 unpickles to: a strided view of a
// storage, checked to lie within it but not yet read.
type tensorRef struct {
	view   *storageView
	offset int64
	shape  []int
	stride []int64
	numel  int64
}

// rebuildFunc is the value of an allowed torch._utils global.
type rebuildFunc int

const (
	rebuildTensor rebuildFunc = iota
	rebuildTensorV2
	rebuildParameter
	rebuildParameterWithState
)

var rebuildNames = [...]string{"_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_parameter", "_rebuild_parameter_with_state"}

// Call implements types.Callable for REDUCE. It checks the arguments and
// returns a descriptor; it reads no storage.
func (f rebuildFunc) Call(args ...any) (any, error) {
	name := rebuildNames[f]
	switch f {
	case rebuildParameter, rebuildParameterWithState:
		// (data, requires_grad, backward_hooks[, state]): a Parameter is its data.
		if want := 3 + int(f-rebuildParameter); len(args) != want {
			return nil, errorf("%s called with %d arguments, want %d", name, len(args), want)
		}
		t, ok := args[0].(*tensorRef)
		if !ok {
			return nil, errorf("%s of %s, not a tensor", name, describe(args[0]))
		}
		return t, nil
	}
	// _rebuild_tensor(storage, storage_offset, size, stride) and
	// _rebuild_tensor_v2(…, requires_grad, backward_hooks[, metadata]).
	if f == rebuildTensor && len(args) != 4 || f == rebuildTensorV2 && (len(args) < 6 || len(args) > 7) {
		return nil, errorf("%s called with %d arguments", name, len(args))
	}
	view, ok := args[0].(*storageView)
	if !ok {
		return nil, errorf("%s of %s, not a storage", name, describe(args[0]))
	}
	offset, err := asInt(args[1], "storage offset")
	if err != nil {
		return nil, err
	}
	size, err := intTuple(args[2], "size")
	if err != nil {
		return nil, err
	}
	stride, err := intTuple(args[3], "stride")
	if err != nil {
		return nil, err
	}
	return newTensorRef(view, offset, size, stride)
}

// maxDims bounds a tensor's rank (PyTorch itself allows at most 64 dimensions
// in most operations).
const maxDims = 64

// newTensorRef checks that every element of the strided view lies inside the
// storage: dims and strides non-negative, offset + Σ (size_i − 1)·stride_i <
// storage length, all without overflow.
func newTensorRef(view *storageView, offset int64, size, stride []int64) (*tensorRef, error) {
	key := view.s.key
	if len(size) != len(stride) {
		return nil, errorf("tensor in storage %s has %d sizes but %d strides", quote(key), len(size), len(stride))
	}
	if offset < 0 {
		return nil, errorf("tensor in storage %s has negative offset %d", quote(key), offset)
	}
	numel := int64(1)
	for i, n := range size {
		if n < 0 || stride[i] < 0 {
			return nil, errorf("tensor in storage %s has shape %v, strides %v: negative entries", quote(key), size, stride)
		}
		if n != 0 && numel > math.MaxInt64/n {
			return nil, errorf("tensor in storage %s has shape %v: too many elements", quote(key), size)
		}
		numel *= n
	}
	if numel > 0 {
		last := offset // index of the furthest element
		for i, n := range size {
			if stride[i] != 0 && n-1 > (math.MaxInt64-last)/stride[i] {
				return nil, errorf("tensor in storage %s with shape %v, strides %v overflows", quote(key), size, stride)
			}
			last += (n - 1) * stride[i]
		}
		if last >= view.len {
			return nil, errorf("tensor with shape %v, strides %v at offset %d reaches element %d of storage %s, which holds %d",
				size, stride, offset, last, quote(key), view.len)
		}
	}
	t := &tensorRef{view: view, offset: offset, shape: make([]int, len(size)), stride: stride, numel: numel}
	for i, n := range size {
		t.shape[i] = int(n)
	}
	return t, nil
}

// codecsEncode is the value of _codecs.encode. It stands for a Python bytes
// value; its text is never looked at.
type codecsEncode struct{}

// pyBytes is the result of _codecs.encode.
type pyBytes struct{}

func (codecsEncode) Call(args ...any) (any, error) {
	if len(args) != 2 {
		return nil, errorf("_codecs.encode called with %d arguments, want 2", len(args))
	}
	if _, ok := args[0].(string); !ok {
		return nil, errorf("_codecs.encode of %s, not a str", describe(args[0]))
	}
	if enc, ok := args[1].(string); !ok || (enc != "latin1" && enc != "latin-1") {
		return nil, errorf("_codecs.encode with an encoding other than latin1")
	}
	return pyBytes{}, nil
}

// unpickle runs gopickle over a pickle scanPickle has accepted.
//
// gopickle is third-party code that can panic on inputs the pre-scan does not
// model (an unhashable dict key, for one); the deferred recover turns any such
// panic into an error at this boundary so that no input can crash the caller.
// FuzzDecode exercises this.
func unpickle(p []byte, persistentLoad func(any) (any, error)) (v any, err error) {
	defer func() {
		if r := recover(); r != nil {
			v, err = nil, errorf("malformed pickle (the pickle VM failed: %s)", vmMessage(fmt.Sprint(r)))
		}
	}()
	u := pickle.NewUnpickler(bytes.NewReader(p))
	u.FindClass = findClass
	u.PersistentLoad = persistentLoad
	v, err = u.Load()
	if err != nil {
		switch err.(type) {
		case *FormatError, *UnsupportedError, *GlobalError:
			return nil, err
		}
		return nil, wrapf(err, "malformed pickle (%s)", vmMessage(err.Error()))
	}
	return v, nil
}

// goDump marks where a gopickle message goes on with a Go dump (%#v) of the
// value concerned: Go types the user cannot act on, and pointer addresses
// that made the same file give a different message on every run.
var goDump = []string{"&", "[]", "(*", "map[", "interface {", "types.", "checkpoint."}

// vmMessage is the part of a gopickle message before any Go dump, on one
// line and bounded.
func vmMessage(msg string) string {
	cut := len(msg)
	for _, m := range goDump {
		if i := strings.Index(msg, m); i >= 0 {
			cut = min(cut, i)
		}
	}
	if cut < len(msg) {
		msg = strings.TrimRight(msg[:cut], ": ")
	}
	return oneLine(msg)
}

// asInt converts a pickled int.
func asInt(v any, what string) (int64, error) {
	switch x := v.(type) {
	case int:
		return int64(x), nil
	case *big.Int:
		return 0, errorf("%s %s is too large", what, printable(x.String()))
	}
	return 0, errorf("%s is %s, not an int", what, describe(v))
}

// asString converts a pickled str (or a Python 2 byte string).
func asString(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	}
	return "", false
}

// intTuple converts a tuple of at most maxDims ints.
func intTuple(v any, what string) ([]int64, error) {
	t, ok := v.(*types.Tuple)
	if !ok {
		return nil, errorf("tensor %s is %s, not a tuple", what, describe(v))
	}
	if len(*t) > maxDims {
		return nil, errorf("tensor %s has %d entries (at most %d dimensions)", what, len(*t), maxDims)
	}
	out := make([]int64, len(*t))
	for i, x := range *t {
		n, err := asInt(x, "tensor "+what+" entry")
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// describe names the Python type of an unpickled value, with its article,
// for messages. It never formats the value itself, which may be huge or
// cyclic.
func describe(v any) string {
	switch v.(type) {
	case nil:
		return "None"
	case bool:
		return "a bool"
	case int, *big.Int:
		return "an int"
	case float64:
		return "a float"
	case string:
		return "a str"
	case []byte, pyBytes:
		return "a bytes value"
	case *types.ByteArray:
		return "a bytearray"
	case *types.Dict:
		return "a dict"
	case *types.OrderedDict:
		return "an OrderedDict"
	case *types.List:
		return "a list"
	case *types.Tuple:
		return "a tuple"
	case *types.Set:
		return "a set"
	case *types.FrozenSet:
		return "a frozenset"
	case *tensorRef:
		return "a tensor"
	case *storageView:
		return "a storage"
	case *storageClass:
		return "a storage class"
	case rebuildFunc, codecsEncode:
		return "a function"
	}
	return "an object"
}
