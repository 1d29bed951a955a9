package checkpoint

import (
	"bytes"
	"io"
	"strings"

	"github.com/neurosim/neurosim/internal/npyfile"
)

// The npz format (numpy.savez, numpy.savez_compressed) is a zip archive of
// .npy arrays, one member <name>.npy per array, stored or deflated. The tensor
// name is the member name without ".npy". Each member is read through the
// bounded zip reader (internal/zipread) and its header parsed by
// internal/npyfile, which checks the header's shape and dtype against the
// bytes present. A stored member's tensor views the file's bytes; a deflated
// one is inflated once (Decode) or streamed (Inspect). A Fortran-order array
// becomes a view with column-major strides.

var npyDTypes = map[npyfile.DType]DType{
	npyfile.Float16: Float16, npyfile.Float32: Float32, npyfile.Float64: Float64,
	npyfile.Int8: Int8, npyfile.Int16: Int16, npyfile.Int32: Int32, npyfile.Int64: Int64,
	npyfile.Uint8: Uint8, npyfile.Bool: Bool,
}

func (d *decoder) decodeNPZ() error {
	d.format = NPZ
	if err := d.noStateKey(); err != nil {
		return err
	}
	for _, f := range d.zip.Files {
		name := strings.TrimSuffix(f.Name, ".npy")
		// A member holds a header (at most npyfile.MaxHeader bytes plus a
		// 12-byte preamble) and at most 8 bytes per element still allowed.
		limit := uint64(8*(d.opt.maxElements()-d.elems) + npyfile.MaxHeader + 12)
		if d.inspect {
			if err := d.inspectMember(name, f.Name, limit); err != nil {
				return err
			}
			continue
		}
		raw, err := d.zip.ReadAll(f, limit)
		if err != nil {
			return zipError(err)
		}
		h, err := npyfile.ReadHeader(bytes.NewReader(raw))
		if err != nil {
			return npzError(f.Name, err)
		}
		dt, err := d.npzHeader(name, f.Name, h)
		if err != nil {
			return err
		}
		body := raw[h.DataOffset:]
		switch need := h.DataBytes(); {
		case need > int64(len(body)):
			return errorf("npz member %s: .npy header claims shape %v of %s (%d bytes), more than the %d bytes of data present",
				quote(f.Name), h.Shape, h.DType, need, len(body))
		case need < int64(len(body)):
			return errorf("npz member %s: .npy holds %d bytes of data, shape %v of %s needs %d",
				quote(f.Name), len(body), h.Shape, h.DType, need)
		}
		strides := cStrides(h.Shape)
		if h.Fortran {
			strides = fStrides(h.Shape)
		}
		d.tensors = append(d.tensors, &Tensor{Name: name, DType: dt, Shape: h.Shape, raw: body, order: h.Order, stride: strides})
	}
	return nil
}

// npzHeader checks a member's dtype and reserves its elements.
func (d *decoder) npzHeader(name, member string, h *npyfile.Header) (DType, error) {
	dt, ok := npyDTypes[h.DType]
	if !ok {
		return 0, unsupportedf("npz member %s has dtype %s (supported: float16/32/64, int8..int64, uint8, bool)", quote(member), h.DType)
	}
	if len(h.Shape) > maxDims {
		return 0, errorf("npz member %s has %d dimensions (at most %d)", quote(member), len(h.Shape), maxDims)
	}
	return dt, d.reserve(name, h.Len)
}

// inspectMember streams one member through the statistics.
func (d *decoder) inspectMember(name, member string, limit uint64) error {
	m, err := d.zip.Open(d.zip.Lookup(member), limit)
	if err != nil {
		return zipError(err)
	}
	defer m.Close()
	r, err := npyfile.NewReader(m)
	if err != nil {
		return npzError(member, err)
	}
	dt, err := d.npzHeader(name, member, &r.Header)
	if err != nil {
		return err
	}
	var a acc
	buf := make([]float64, 8192)
	for {
		n, err := r.ReadFloat64(buf)
		for _, v := range buf[:n] {
			a.add(v)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return npzError(member, err)
		}
	}
	if err := r.End(); err != nil {
		return npzError(member, err)
	}
	d.summaries = append(d.summaries, Summary{Name: name, DType: dt, Shape: r.Shape, Stats: a.stats(1)})
	return nil
}

// npzError names the member in an error of the .npy or zip reader.
func npzError(member string, err error) error {
	if _, ok := err.(*npyfile.FormatError); ok {
		return wrapf(err, "npz member %s: %s", quote(member), oneLine(err.Error()))
	}
	return zipError(err)
}
