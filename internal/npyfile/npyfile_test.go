package npyfile

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// npy builds a version-1 .npy stream by hand from a header dict and raw data,
// independently of the decoder under test.
func npyBytes(dict string, data []byte) []byte {
	h := dict
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	b.Write(data)
	return b.Bytes()
}

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
		name string
		in   []byte
		want *Array
	}{
		{"float64 2x2", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", le64(1, 2, 3, 4)),
			&Array{DType: "float64", Shape: []int{2, 2}, Float: []float64{1, 2, 3, 4}}},
		// Column-major data 1,2,3,4 of a 2x2 array is [[1,3],[2,4]] in C order.
		{"fortran", npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", le64(1, 2, 3, 4)),
			&Array{DType: "float64", Shape: []int{2, 2}, Float: []float64{1, 3, 2, 4}}},
		{"big-endian float32", npyBytes("{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", be32),
			&Array{DType: "float32", Shape: []int{2}, Float: []float64{1.5, -2}}},
		// float16 0x3C00 = 1.0, 0xC000 = −2.0 (IEEE 754 binary16).
		{"float16", npyBytes("{'descr': '<f2', 'fortran_order': False, 'shape': (2,), }", []byte{0x00, 0x3c, 0x00, 0xc0}),
			&Array{DType: "float16", Shape: []int{2}, Float: []float64{1, -2}}},
		{"int64 labels", npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", []byte{33, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}),
			&Array{DType: "int64", Shape: []int{2}, Float: []float64{33, -1}, Int: []int64{33, -1}}},
		{"0-d", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", le64(7)),
			&Array{DType: "float64", Shape: []int{}, Float: []float64{7}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Decode(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	good := npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", le64(1, 2, 3, 4))
	hugeHeader := append([]byte("\x93NUMPY\x02\x00"), 0xff, 0xff, 0xff, 0x7f)
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "not a .npy file"},
		{"random", []byte("PK\x03\x04 this is a zip"), "not a .npy file"},
		{"truncated data", good[:len(good)-3], "claims shape [2 2] of float64, more than the 29 bytes of data present"},
		{"extra data", append(append([]byte{}, good...), 0), "holds 33 bytes of data"},
		{"claims more", npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000, 1000000), }", nil), "claims shape [1000000 1000000]"},
		{"header beyond file", hugeHeader, "header claims 2147483647 bytes (limit 1048576)"},
		{"negative dim", npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (-1, 2), }", nil), "negative dimension"},
		{"object dtype", npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", le64(0)), "unsupported .npy dtype"},
		{"complex", npyBytes("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", le64(0, 0)), "unsupported .npy dtype"},
		{"version 9", append([]byte("\x93NUMPY\x09\x00"), 0, 0), "unsupported .npy version 9"},
		{"newline in header value", npyBytes("{'descr': '<f8', 'fortran_order': 0\n0, 'shape': (1,), }", le64(0)), `\n`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode(tt.in)
			if err == nil {
				t.Fatalf("Decode succeeded, want %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line containing %q", err, tt.want)
			}
		})
	}
}

// The reference inputs: float32 [128 9 37], one-hot (reference README).
func TestReadFileReference(t *testing.T) {
	a, err := ReadFile(filepath.Join("..", "..", "testdata", "art", "inputs.npy"), 0)
	if err != nil {
		t.Fatal(err)
	}
	if a.DType != "float32" || !cmp.Equal(a.Shape, []int{128, 9, 37}) {
		t.Fatalf("got %s %v", a.DType, a.Shape)
	}
	var sum float64
	for _, v := range a.Float {
		sum += v
	}
	if sum != 128*9 {
		t.Errorf("one-hot inputs sum to %v, want %d", sum, 128*9)
	}
	if _, err := ReadFile(filepath.Join("..", "..", "testdata", "art", "inputs.npy"), 1000); err == nil {
		t.Error("ReadFile ignored maxBytes")
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	var b bytes.Buffer
	data := []float64{1, -2.5, math.Pi, 1e-300, 0, 6}
	if err := EncodeFloat64(&b, []int{2, 3}, data); err != nil {
		t.Fatal(err)
	}
	a, err := Decode(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if a.DType != "float64" || !cmp.Equal(a.Shape, []int{2, 3}) || !cmp.Equal(a.Float, data) {
		t.Errorf("round trip gave %s %v %v", a.DType, a.Shape, a.Float)
	}
	if err := EncodeFloat64(&b, []int{4}, data); err == nil {
		t.Error("EncodeFloat64 accepted a shape that does not fit the data")
	}
}

func FuzzDecode(f *testing.F) {
	for _, p := range []string{"../../testdata/art/labels.npy", "../../testdata/art/ART_STPN_h11/energy_f64.npy"} {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add(npyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 2), }", le64(1, 2, 3, 4)))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Decode(data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
			return
		}
		n := 1
		for _, d := range a.Shape {
			n *= d
		}
		if n != len(a.Float) || n > len(data) {
			t.Errorf("shape %v with %d elements from %d bytes", a.Shape, len(a.Float), len(data))
		}
		_ = fmt.Sprint(a.DType)
	})
}
