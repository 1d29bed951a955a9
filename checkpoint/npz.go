package checkpoint

import (
	"archive/zip"
	"strings"

	"github.com/neurosim/neurosim/internal/npyfile"
)

// The npz format (numpy.savez, numpy.savez_compressed) is a zip archive of
// .npy arrays, one member <name>.npy per array, stored or deflated. The tensor
// name is the member name without ".npy". Each member is read through the
// same bounded reader as torch storages and decoded by internal/npyfile, which
// checks the header's shape and dtype against the bytes present.

var npyDTypes = map[string]DType{
	"float16": Float16, "float32": Float32, "float64": Float64,
	"int8": Int8, "int16": Int16, "int32": Int32, "int64": Int64,
	"uint8": Uint8, "bool": Bool,
}

func (d *decoder) decodeNPZ(files []*zip.File) (*StateDict, error) {
	d.format = NPZ
	if err := d.noStateKey(); err != nil {
		return nil, err
	}
	sd := &StateDict{Format: NPZ, Tensors: make([]*Tensor, 0, len(files))}
	for _, f := range files {
		name := strings.TrimSuffix(f.Name, ".npy")
		// A member holds a header (at most npyfile.MaxHeader bytes plus a
		// 12-byte preamble) and at most 8 bytes per element.
		left := uint64(d.opt.maxElements() - d.elems)
		raw, err := d.readMember(f, 8*left+npyfile.MaxHeader+12)
		if err != nil {
			return nil, err
		}
		a, err := npyfile.Decode(raw)
		if err != nil {
			return nil, wrapf(err, "npz member %s: %s", quote(f.Name), oneLine(err.Error()))
		}
		dt, ok := npyDTypes[a.DType]
		if !ok {
			return nil, unsupportedf("npz member %s has dtype %s (supported: float16/32/64, int8..int64, uint8, bool)", quote(f.Name), a.DType)
		}
		if err := d.reserve(name, int64(a.Len())); err != nil {
			return nil, err
		}
		sd.Tensors = append(sd.Tensors, &Tensor{Name: name, DType: dt, Shape: append(make([]int, 0, len(a.Shape)), a.Shape...), Data: a.Float})
	}
	return sd, nil
}
