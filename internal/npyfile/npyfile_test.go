package npyfile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// npyBytes builds a .npy stream by hand from a header dict and raw data,
// independently of the code under test: version major (1, 2 or 3), the
// header padded so that the data starts at a multiple of 64, as NumPy does.
func npyBytes(major byte, dict string, data []byte) []byte {
	pre := 10
	if major > 1 {
		pre = 12
	}
	h := dict
	for (pre+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.WriteByte(major)
	b.WriteByte(0)
	if major == 1 {
		binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint32(len(h)))
	}
	b.WriteString(h)
	b.Write(data)
	return b.Bytes()
}

func v1(dict string, data []byte) []byte { return npyBytes(1, dict, data) }

func le64(vs ...float64) []byte {
	b := make([]byte, 8*len(vs))
	for i, v := range vs {
		binary.LittleEndian.PutUint64(b[8*i:], math.Float64bits(v))
	}
	return b
}

func TestDecode(t *testing.T) {
	be32 := make([]byte, 8)
	binary.BigEndian.PutUint32(be32, math.Float32bits(1.5))
	binary.BigEndian.PutUint32(be32[4:], math.Float32bits(-2))
	tests := []struct {
		name  string
		in    []byte
		dtype DType
		shape []int
		want  []float64
	}{
		{"float64 2x2", v1("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", le64(1, 2, 3, 4)),
			Float64, []int{2, 2}, []float64{1, 2, 3, 4}},
		// Column-major data 1,2,3,4 of a 2x2 array is [[1,3],[2,4]] in C order.
		{"fortran", v1("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", le64(1, 2, 3, 4)),
			Float64, []int{2, 2}, []float64{1, 3, 2, 4}},
		{"big-endian float32", v1("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", be32),
			Float32, []int{2}, []float64{1.5, -2}},
		// float16 0x3C00 = 1.0, 0xC000 = −2.0 (IEEE 754 binary16).
		{"float16", v1("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", []byte{0x00, 0x3c, 0x00, 0xc0}),
			Float16, []int{2}, []float64{1, -2}},
		{"int64", v1("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", []byte{33, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}),
			Int64, []int{2}, []float64{33, -1}},
		{"uint8", v1("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", []byte{0, 7, 255}),
			Uint8, []int{3}, []float64{0, 7, 255}},
		{"bool", v1("{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", []byte{1, 0}),
			Bool, []int{2}, []float64{1, 0}},
		{"0-d", v1("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", le64(7)),
			Float64, []int{}, []float64{7}},
		{"empty", v1("{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", nil),
			Float64, []int{0, 3}, []float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got.DType != tt.dtype || !cmp.Equal(got.Shape, tt.shape) || got.Fortran {
				t.Errorf("got %s %v (fortran %v), want %s %v", got.DType, got.Shape, got.Fortran, tt.dtype, tt.shape)
			}
			if vals := got.Float64s(); !cmp.Equal(vals, tt.want) {
				t.Errorf("values %v, want %v", vals, tt.want)
			}
			for i, w := range tt.want {
				if v := got.Float64(i); v != w {
					t.Errorf("Float64(%d) = %v, want %v", i, v, w)
				}
			}
		})
	}
}

// The header is a Python dict literal: every spelling NumPy (or a person)
// may write parses to the same header, whatever the key order and quoting.
func TestHeaderLiteral(t *testing.T) {
	data := make([]byte, 4*9*37*4)
	want := []int{4, 9, 37}
	for name, dict := range map[string]string{
		"numpy":              "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 9, 37), }",
		"no trailing comma":  "{'descr': '<f4', 'fortran_order': False, 'shape': (4,9,37)}",
		"shape first":        "{'shape': (4, 9, 37), 'fortran_order': False, 'descr': '<f4'}",
		"fortran first":      "{'fortran_order': False, 'shape': (4, 9, 37), 'descr': '<f4', }",
		"double quotes":      `{"descr": "<f4", "fortran_order": False, "shape": (4, 9, 37)}`,
		"mixed quotes":       `{"descr": '<f4', 'fortran_order': False, "shape": (4, 9, 37,)}`,
		"spaces and breaks":  "{ 'descr' :'<f4' ,\n 'fortran_order':False,\t'shape' : ( 4 , 9 , 37 ) , }",
		"python 2 longs":     "{'descr': '<f4', 'fortran_order': False, 'shape': (4L, 9L, 37L), }",
		"no newline padding": "{'descr': '<f4', 'fortran_order': False, 'shape': (4, 9, 37)}",
	} {
		t.Run(name, func(t *testing.T) {
			a, err := Decode(v1(dict, data), 0)
			if err != nil {
				t.Fatal(err)
			}
			if !cmp.Equal(a.Shape, want) || a.DType != Float32 || a.Len != 4*9*37 {
				t.Errorf("shape %v dtype %s len %d, want %v float32 %d", a.Shape, a.DType, a.Len, want, 4*9*37)
			}
		})
	}
}

// Versions 2 and 3 have a 4-byte header length; 3 allows UTF-8 in the header.
func TestVersions(t *testing.T) {
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }"
	for _, major := range []byte{1, 2, 3} {
		a, err := Decode(npyBytes(major, dict, le64(1.5, -3)), 0)
		if err != nil {
			t.Fatalf("version %d: %v", major, err)
		}
		if a.Major != int(major) || !cmp.Equal(a.Float64s(), []float64{1.5, -3}) {
			t.Errorf("version %d: read version %d values %v", major, a.Major, a.Float64s())
		}
		if a.DataOffset%64 != 0 || a.DataOffset != int64(len(npyBytes(major, dict, nil))) {
			t.Errorf("version %d: data at %d, want the first multiple of 64 after the header", major, a.DataOffset)
		}
	}
	// Non-ASCII UTF-8 is valid in a version 3 header (in a padding position
	// after the dict it is not whitespace, so it is refused as stray text).
	if _, err := Decode(npyBytes(3, dict+"é", le64(1.5, -3)), 0); err == nil || !strings.Contains(err.Error(), "after the header dictionary") {
		t.Errorf("stray UTF-8 text: %v", err)
	}
	if _, err := Decode(npyBytes(3, dict+"\xff", le64(1.5, -3)), 0); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
		t.Errorf("invalid UTF-8 in version 3: %v", err)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := v1("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", le64(1, 2, 3, 4))
	hugeHeader := append([]byte("\x93NUMPY\x02\x00"), 0xff, 0xff, 0xff, 0x7f)
	hdr := func(dict string) []byte { return v1(dict, le64(0)) }
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "not a .npy file"},
		{"random", []byte("PK\x03\x04 this is a zip"), "not a .npy file"},
		{"truncated preamble", []byte("\x93NUMPY\x01\x00\x10"), "truncated .npy preamble"},
		{"truncated data", good[:len(good)-3], "claims shape [2 2] of float64 (32 bytes), more than the 29 bytes of data present"},
		{"extra data", append(append([]byte{}, good...), 0), "holds 33 bytes of data"},
		{"claims more", v1("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", nil), "claims shape [1000000 1000000]"},
		{"overflow", v1("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", nil), "more than 2^63 bytes"},
		{"header beyond cap", hugeHeader, "header claims 2147483647 bytes (limit 1048576)"},
		{"header beyond file", append([]byte("\x93NUMPY\x01\x00"), 0xff, 0x00, '{'), "header claims 255 bytes, only 1 present"},
		{"negative dim", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }"), "negative"},
		{"object dtype", hdr("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"), "unsupported .npy dtype"},
		{"complex", hdr("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }"), "unsupported .npy dtype"},
		{"structured", hdr("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (1,), }"), "want the 'descr' value (a dtype string) in quotes"},
		{"version 9", append([]byte("\x93NUMPY\x09\x00"), 0, 0), "unsupported .npy version 9.0"},
		{"version 1.5", append([]byte("\x93NUMPY\x01\x05"), 0, 0), "unsupported .npy version 1.5"},
		{"newline in header value", hdr("{'descr': '<f8', 'fortran_order': 0\n0, 'shape': (1,), }"), `\n`},
		{"missing key", hdr("{'descr': '<f8', 'shape': (1,), }"), `no "fortran_order" key`},
		{"extra key", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'x': 1}"), `key "x"`},
		{"repeated key", hdr("{'descr': '<f8', 'descr': '<f8', 'fortran_order': False, 'shape': (1,)}"), `key "descr" twice`},
		{"int shape", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (1)}"), "an int, not a tuple"},
		{"list shape", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': [1]}"), "'shape' must be a tuple"},
		{"float dim", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (1.0,)}"), "want ',' or ')'"},
		{"fortran 1", hdr("{'descr': '<f8', 'fortran_order': 1, 'shape': (1,)}"), "True or False"},
		{"Truex", hdr("{'descr': '<f8', 'fortran_order': Truex, 'shape': (1,)}"), "True or False"},
		{"unterminated", hdr("{'descr': '<f8"), "unterminated string"},
		{"no brace", hdr("'descr': '<f8'"), "want '{'"},
		{"not closed", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)"), "want ',' or '}'"},
		{"trailing text", hdr("{'descr': '<f8', 'fortran_order': False, 'shape': (1,)} x"), "after the header dictionary"},
		{"escape", hdr(`{'descr': '<f\x38', 'fortran_order': False, 'shape': (1,)}`), "escapes"},
		{"element cap", good, "holds 4 elements, more than the 3 allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			max := int64(0)
			if tt.name == "element cap" {
				max = 3
			}
			_, err := Decode(tt.in, max)
			if err == nil {
				t.Fatalf("Decode succeeded, want %q", tt.want)
			}
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("error %T, want *FormatError", err)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line containing %q", err, tt.want)
			}
		})
	}
}

// The reference inputs: float32 [128 9 37], one-hot (reference README).
func TestReadFileReference(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "art", "inputs.npy")
	a, err := ReadFile(path, 1<<30, 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.DType != Float32 || !cmp.Equal(a.Shape, []int{128, 9, 37}) {
		t.Fatalf("got %s %v", a.DType, a.Shape)
	}
	var sum float64
	for _, v := range a.Float64s() {
		sum += v
	}
	if sum != 128*9 {
		t.Errorf("one-hot inputs sum to %v, want %d", sum, 128*9)
	}
	if _, err := ReadFile(path, 1000, 0); err == nil || !strings.Contains(err.Error(), "more than the 1000 allowed") {
		t.Errorf("ReadFile ignored maxBytes: %v", err)
	}
}

// The Reader decodes in chunks; a long array crosses chunk boundaries and
// the caller's buffer size does not matter.
func TestReaderChunks(t *testing.T) {
	const n = 20011 // > 64 KiB of float64, prime
	vals := make([]float64, n)
	for i := range vals {
		vals[i] = float64(i) * 0.5
	}
	data := v1("{'descr': '<f8', 'fortran_order': False, 'shape': (20011,), }", le64(vals...))
	for _, bufLen := range []int{1, 7, 4096, n + 5} {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		var got []float64
		buf := make([]float64, bufLen)
		for {
			k, err := r.ReadFloat64(buf)
			got = append(got, buf[:k]...)
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if !cmp.Equal(got, vals) || r.End() != nil {
			t.Fatalf("buffer %d: read %d values, end %v", bufLen, len(got), r.End())
		}
	}
	// Cut short, and followed by a stray byte.
	r, _ := NewReader(bytes.NewReader(data[:len(data)-8*10-3]))
	buf := make([]float64, n)
	var err error
	for err == nil {
		_, err = r.ReadFloat64(buf)
	}
	if !strings.Contains(err.Error(), "ends after 20000 of the 20011 elements") {
		t.Errorf("truncated: %v", err)
	}
	r, _ = NewReader(bytes.NewReader(append(append([]byte{}, data...), 1)))
	for {
		if _, err := r.ReadFloat64(buf); err != nil {
			break
		}
	}
	if err := r.End(); err == nil || !strings.Contains(err.Error(), "bytes after") {
		t.Errorf("trailing byte: %v", err)
	}
}

func TestReaderTypes(t *testing.T) {
	u64 := v1("{'descr': '<u8', 'fortran_order': False, 'shape': (2,), }",
		[]byte{5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80})
	r, _ := NewReader(bytes.NewReader(u64))
	ints := make([]int64, 2)
	if _, err := r.ReadInt64(ints); err == nil || !strings.Contains(err.Error(), "element 1 is above 2^63-1") {
		t.Errorf("uint64 2^63: %v", err)
	}
	// float16 0x3C00 = 1.0 and the smallest subnormal 0x0001 = 2^-24, exact in float32.
	f16 := v1("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", []byte{0x00, 0x3c, 0x01, 0x00})
	r, _ = NewReader(bytes.NewReader(f16))
	fs := make([]float32, 2)
	if n, err := r.ReadFloat32(fs); n != 2 || err != nil || fs[0] != 1 || fs[1] != 0x1p-24 {
		t.Errorf("float16 as float32: %v %v %v", n, err, fs)
	}
	r, _ = NewReader(bytes.NewReader(u64))
	if _, err := r.ReadFloat32(fs); err == nil {
		t.Error("uint64 read as float32")
	}
}

// EncodeFloat64 writes what numpy.save writes: for np.zeros((2, 3)) the
// header "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }" padded
// to 118 bytes (data at byte 128), version 1.0.
func TestEncode(t *testing.T) {
	var b bytes.Buffer
	if err := EncodeFloat64(&b, []int{2, 3}, make([]float64, 6)); err != nil {
		t.Fatal(err)
	}
	dict := "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }"
	want := "\x93NUMPY\x01\x00\x76\x00" + dict + strings.Repeat(" ", 118-len(dict)-1) + "\n"
	if got := b.String()[:128]; got != want || b.Len() != 128+48 {
		t.Errorf("header %q (%d bytes in all), want %q", got, b.Len(), want)
	}
	for _, tt := range []struct {
		shape []int
		data  []float64
	}{
		{[]int{6}, []float64{1, -2.5, math.Pi, 1e-300, 0, math.Inf(-1)}},
		{[]int{2, 3}, []float64{1, 2, 3, 4, 5, 6}},
		{[]int{}, []float64{42}},
		{[]int{0, 3}, []float64{}},
	} {
		b.Reset()
		if err := EncodeFloat64(&b, tt.shape, tt.data); err != nil {
			t.Fatal(err)
		}
		a, err := Decode(b.Bytes(), 0)
		if err != nil {
			t.Fatalf("%v: %v", tt.shape, err)
		}
		if a.DType != Float64 || !cmp.Equal(a.Shape, tt.shape) || !cmp.Equal(a.Float64s(), tt.data) || a.DataOffset%64 != 0 {
			t.Errorf("round trip of %v gave %s %v %v (data at %d)", tt.shape, a.DType, a.Shape, a.Float64s(), a.DataOffset)
		}
	}
	if err := EncodeFloat64(&b, []int{4}, make([]float64, 6)); err == nil {
		t.Error("EncodeFloat64 accepted a shape that does not fit the data")
	}
}

// FuzzDecode feeds arbitrary bytes to both paths of the package: Decode
// (in memory) and Reader (streaming) must agree — both refuse, or both give
// the same header and elements — and never panic. Seeds are small, so the
// fuzzer's time goes to mutation, not to minimising.
func FuzzDecode(f *testing.F) {
	if b, err := os.ReadFile("../../testdata/art/labels.npy"); err == nil {
		f.Add(b)
	}
	f.Add(v1("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", le64(1, 2, 3, 4)))
	f.Add(v1(`{"shape": (3,), "descr": "|u1", "fortran_order": False}`, []byte{1, 2, 3}))
	f.Add(npyBytes(3, "{'descr': '>f4', 'fortran_order': False, 'shape': (1, 1, 1), }", []byte{0x3f, 0x80, 0, 0}))
	f.Add(npyBytes(2, "{'descr': '<f2', 'fortran_order': False, 'shape': (), }", []byte{0, 0x3c}))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Decode(data, 1<<20)
		r, rerr := NewReader(bytes.NewReader(data))
		var stream []float64
		if rerr == nil && r.Len <= 1<<20 {
			buf := make([]float64, 100)
			for {
				n, err := r.ReadFloat64(buf)
				stream = append(stream, buf[:n]...)
				if err != nil {
					if err != io.EOF {
						rerr = err
					}
					break
				}
			}
			if rerr == nil {
				rerr = r.End()
			}
		}
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("multi-line error %q", err)
			}
			if rerr == nil && (r.Len <= 1<<20) {
				t.Fatalf("Decode refused (%v), Reader accepted", err)
			}
			return
		}
		if rerr != nil {
			t.Fatalf("Decode accepted, Reader refused: %v", rerr)
		}
		n := int64(1)
		for _, d := range a.Shape {
			n *= int64(d)
		}
		if n != a.Len || int64(len(a.Data)) != a.DataBytes() || a.DataBytes() > int64(len(data)) {
			t.Fatalf("shape %v, %d elements, %d data bytes from %d", a.Shape, a.Len, len(a.Data), len(data))
		}
		want := a.Float64s()
		if a.Major != r.Major || !cmp.Equal(a.Shape, r.Shape) || a.DType != r.DType {
			t.Fatalf("Decode %v %s, Reader %v %s", a.Shape, a.DType, r.Shape, r.DType)
		}
		if !r.Fortran && !cmp.Equal(stream, want, cmpopts.EquateEmpty(), cmp.Comparer(func(x, y float64) bool {
			return math.Float64bits(x) == math.Float64bits(y)
		})) {
			t.Fatalf("Decode and Reader disagree on the elements")
		}
	})
}

// Float arrays in either byte order read to the same values, through the
// copy of host-order bytes and through the per-element decode alike.
func TestReadFloatsEitherOrder(t *testing.T) {
	vals := []float64{1.5, -2, 0x1p-126, 3e38}
	for _, tc := range []struct {
		descr string
		order binary.AppendByteOrder
		size  int
	}{{"<f4", binary.LittleEndian, 4}, {">f4", binary.BigEndian, 4}, {"<f8", binary.LittleEndian, 8}, {">f8", binary.BigEndian, 8}} {
		var data []byte
		for _, v := range vals {
			if tc.size == 4 {
				data = tc.order.AppendUint32(data, math.Float32bits(float32(v)))
			} else {
				data = tc.order.AppendUint64(data, math.Float64bits(v))
			}
		}
		stream := v1("{'descr': '"+tc.descr+"', 'fortran_order': False, 'shape': (4,), }", data)
		r, err := NewReader(bytes.NewReader(stream))
		if err != nil {
			t.Fatal(err)
		}
		got := make([]float64, 4)
		if tc.size == 4 {
			f32 := make([]float32, 4)
			if n, err := r.ReadFloat32(f32); n != 4 || err != nil {
				t.Fatalf("%s: read %d, %v", tc.descr, n, err)
			}
			for i, v := range f32 {
				got[i] = float64(v)
			}
		} else if n, err := r.ReadFloat64(got); n != 4 || err != nil {
			t.Fatalf("%s: read %d, %v", tc.descr, n, err)
		}
		for i, v := range vals {
			if tc.size == 4 {
				v = float64(float32(v))
			}
			if got[i] != v {
				t.Errorf("%s: element %d is %v, want %v", tc.descr, i, got[i], v)
			}
		}
	}
}
