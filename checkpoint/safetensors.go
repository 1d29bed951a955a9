package checkpoint

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"maps"
	"math"
	"slices"
)

// The safetensors format (https://github.com/huggingface/safetensors):
//
//	8 bytes   N, the header length, unsigned little-endian
//	N bytes   a JSON object: for each tensor name
//	          {"dtype": "F32", "shape": [11, 48], "data_offsets": [begin, end]},
//	          and optionally "__metadata__": {str: str}
//	rest      the data buffer; tensor bytes are data[begin:end], C order,
//	          little-endian
//
// As the reference implementation does, the reader requires the tensors,
// sorted by offset, to tile the data buffer exactly (no gap, no overlap,
// nothing left over) and end − begin to equal numel × item size.

// maxSafetensorsHeader is the reference implementation's header limit.
const maxSafetensorsHeader = 100_000_000

var safetensorsDTypes = map[string]DType{
	"F16": Float16, "BF16": BFloat16, "F32": Float32, "F64": Float64,
	"I8": Int8, "I16": Int16, "I32": Int32, "I64": Int64, "U8": Uint8, "BOOL": Bool,
}

// safetensorsFields says what each field of an entry holds, for messages.
var safetensorsFields = map[string]string{
	"dtype":        "a dtype string",
	"shape":        "a list of integers",
	"data_offsets": "two byte offsets, integers from 0 to 2^64-1",
}

type safetensorsInfo struct {
	DType       string   `json:"dtype"`
	Shape       []int64  `json:"shape"`
	DataOffsets []uint64 `json:"data_offsets"`
}

func (d *decoder) decodeSafetensors(data []byte) error {
	d.format = SafeTensors
	if err := d.noStateKey(); err != nil {
		return err
	}
	n := binary.LittleEndian.Uint64(data)
	if n > uint64(len(data)-8) {
		return errorf("truncated file: safetensors header claims %d bytes, %d present", n, len(data)-8)
	}
	if n > maxSafetensorsHeader {
		return errorf("safetensors header of %d bytes (limit %d)", n, maxSafetensorsHeader)
	}
	header, body := data[8:8+n], data[8+n:]
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(header, &fields); err != nil {
		return wrapf(err, "safetensors header is not a JSON object (%s)", oneLine(err.Error()))
	}
	type item struct {
		name  string
		dtype DType
		shape []int
		numel int64
		begin uint64
		end   uint64
	}
	items := make([]item, 0, len(fields))
	// In name order, so that a file with several bad entries always names
	// the same one.
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		raw := fields[name]
		if name == "__metadata__" {
			var meta map[string]string
			if err := json.Unmarshal(raw, &meta); err != nil {
				return errorf("safetensors __metadata__ is not an object of strings")
			}
			continue
		}
		var info safetensorsInfo
		if err := json.Unmarshal(raw, &info); err != nil {
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) && safetensorsFields[te.Field] != "" {
				return errorf("safetensors tensor %s: %s holds %s, want %s", quote(name), te.Field, te.Value, safetensorsFields[te.Field])
			}
			return errorf("safetensors entry %s is not an object of dtype, shape and data_offsets", quote(name))
		}
		dt, ok := safetensorsDTypes[info.DType]
		if !ok {
			return unsupportedf("safetensors tensor %s has dtype %s (supported: F16, BF16, F32, F64, I8, I16, I32, I64, U8, BOOL)",
				quote(name), quote(info.DType))
		}
		if len(info.DataOffsets) != 2 {
			return errorf("safetensors tensor %s has %d data_offsets, want 2", quote(name), len(info.DataOffsets))
		}
		if len(info.Shape) > maxDims {
			return errorf("safetensors tensor %s has %d dimensions (at most %d)", quote(name), len(info.Shape), maxDims)
		}
		it := item{name: name, dtype: dt, shape: make([]int, len(info.Shape)), numel: 1,
			begin: info.DataOffsets[0], end: info.DataOffsets[1]}
		for i, s := range info.Shape {
			if s < 0 || s != 0 && it.numel > math.MaxInt64/int64(dt.Size())/s {
				return errorf("safetensors tensor %s has shape %v", quote(name), info.Shape)
			}
			it.shape[i] = int(s)
			it.numel *= s
		}
		items = append(items, it)
	}
	// File order: by offset (then name, for empty tensors sharing one).
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.begin, b.begin), cmp.Compare(a.end, b.end), cmp.Compare(a.name, b.name))
	})
	var at uint64
	for _, it := range items {
		if it.begin != at || it.end < it.begin {
			return errorf("safetensors tensor %s has data_offsets [%d, %d], expected to start at %d (tensors must tile the data)",
				quote(it.name), it.begin, it.end, at)
		}
		if want := uint64(it.numel) * uint64(it.dtype.Size()); it.end-it.begin != want {
			return errorf("safetensors tensor %s of shape %v needs %d bytes of %s, data_offsets give %d",
				quote(it.name), it.shape, want, it.dtype, it.end-it.begin)
		}
		at = it.end
	}
	if at != uint64(len(body)) {
		if at > uint64(len(body)) {
			return errorf("truncated file: safetensors data needs %d bytes, %d present", at, len(body))
		}
		return errorf("safetensors data holds %d bytes, the tensors use %d", len(body), at)
	}
	for _, it := range items {
		if err := d.reserve(it.name, it.numel); err != nil {
			return err
		}
		t := &Tensor{Name: it.name, DType: it.dtype, Shape: it.shape, raw: body[it.begin:it.end:it.end],
			order: binary.LittleEndian, stride: cStrides(it.shape)}
		if d.inspect {
			d.summaries = append(d.summaries, Summary{Name: t.Name, DType: t.DType, Shape: t.Shape, Stats: t.Stats()})
		} else {
			d.tensors = append(d.tensors, t)
		}
	}
	return nil
}
