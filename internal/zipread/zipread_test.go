package zipread

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"unsafe"
)

// member is one zip member for makeZip; zero fields mean honest.
type member struct {
	name     string
	data     []byte
	method   uint16
	declared uint64  // declared uncompressed size, if set
	crc      *uint32 // declared CRC-32, if set
	body     []byte  // compressed bytes, if set (else data, deflated when method is Deflate)
}

// makeZip writes members with full control over their headers.
func makeZip(t *testing.T, ms ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range ms {
		body := m.body
		if body == nil {
			body = m.data
			if m.method == zip.Deflate {
				var c bytes.Buffer
				fw, _ := flate.NewWriter(&c, flate.BestCompression)
				fw.Write(m.data)
				fw.Close()
				body = c.Bytes()
			}
		}
		h := &zip.FileHeader{Name: m.name, Method: m.method, CRC32: crc32.ChecksumIEEE(m.data),
			CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(m.data))}
		if m.declared > 0 {
			h.UncompressedSize64 = m.declared
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

func TestReadAll(t *testing.T) {
	data := []byte(strings.Repeat("neurosim ", 100)) // 900 bytes
	badCRC, zero := uint32(12345), uint32(0)
	tests := []struct {
		name  string
		m     member
		limit uint64
		want  string // "" = reads data back
	}{
		{"stored", member{data: data}, 900, ""},
		{"deflated", member{data: data, method: zip.Deflate}, 900, ""},
		{"CRC 0 is not recorded", member{data: data, crc: &zero}, 900, ""},
		{"over the limit", member{data: data}, 899, "declares 900 bytes, more than the 899 it may hold"},
		{"stored size mismatch", member{data: data, declared: 1000}, 1000, "is stored and declares 1000 bytes but holds 900"},
		{"deflate bomb", member{data: data, method: zip.Deflate, declared: 100}, 900, "inflates beyond its declared 100 bytes (zip bomb?)"},
		{"deflate short", member{data: data, method: zip.Deflate, declared: 901}, 1000, "is truncated: it ends 1 bytes short of its declared 901"},
		{"impossible ratio", member{data: data, method: zip.Deflate, declared: 1 << 30}, 1 << 40, "more than deflate can expand to (1032:1)"},
		{"bad CRC stored", member{data: data, crc: &badCRC}, 900, "fails its CRC-32 check"},
		{"bad CRC deflated", member{data: data, method: zip.Deflate, crc: &badCRC}, 900, "fails its CRC-32 check"},
		{"corrupt deflate", member{data: data, method: zip.Deflate, body: []byte{0xff, 0xff, 0xff}}, 900, "holds corrupt deflate data"},
		{"bzip2", member{data: data, method: 12}, 900, "uses compression method 12"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.m.name = "m"
			raw := makeZip(t, tc.m)
			for _, via := range []string{"memory", "reader"} {
				var a *Archive
				var err error
				if via == "memory" {
					a, err = New(raw, 1<<40)
				} else {
					a, err = NewReaderAt(bytes.NewReader(raw), int64(len(raw)), 1<<40)
				}
				if err != nil {
					t.Fatal(err)
				}
				got, err := a.ReadAll(a.Lookup("m"), tc.limit)
				if tc.want == "" {
					if err != nil || !bytes.Equal(got, data) {
						t.Errorf("%s: %d bytes, %v", via, len(got), err)
					}
					continue
				}
				var ze *Error
				if !errors.As(err, &ze) || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), `member "m" `) {
					t.Errorf("%s: %v, want an *Error naming the member and containing %q", via, err, tc.want)
				}
				if ze != nil && ze.Unsupported != (tc.m.method == 12) {
					t.Errorf("%s: Unsupported = %v", via, ze.Unsupported)
				}
			}
		})
	}
}

// A stored member of an archive in memory is a view of it, not a copy.
func TestStoredIsView(t *testing.T) {
	raw := makeZip(t, member{name: "m", data: []byte("abcdef")})
	a, err := New(raw, 100)
	if err != nil {
		t.Fatal(err)
	}
	got, err := a.ReadAll(a.Lookup("m"), 6)
	if err != nil || string(got) != "abcdef" {
		t.Fatal(got, err)
	}
	start := uintptr(unsafe.Pointer(&raw[0]))
	if p := uintptr(unsafe.Pointer(&got[0])); p < start || p >= start+uintptr(len(raw)) {
		t.Error("stored member was copied")
	}
}

// The members read from one archive share a budget of declared bytes.
func TestBudget(t *testing.T) {
	raw := makeZip(t, member{name: "a", data: make([]byte, 60)}, member{name: "b", data: make([]byte, 60)})
	a, err := New(raw, 100)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReadAll(a.Lookup("a"), 100); err != nil {
		t.Fatal(err)
	}
	if _, err := a.ReadAll(a.Lookup("b"), 100); err == nil || !strings.Contains(err.Error(), "declares 60 bytes, more than the 40 left of the archive's budget") {
		t.Errorf("budget: %v", err)
	}
}

// Open streams what ReadAll returns, and reports the same problems at the end.
func TestOpenStreams(t *testing.T) {
	data := bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 10000)
	raw := makeZip(t, member{name: "ok", data: data, method: zip.Deflate},
		member{name: "bomb", data: data, method: zip.Deflate, declared: 1000})
	a, err := New(raw, 1<<30)
	if err != nil {
		t.Fatal(err)
	}
	m, err := a.Open(a.Lookup("ok"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	buf := make([]byte, 333) // reads of an odd size
	for {
		n, err := m.Read(buf)
		got.Write(buf[:n])
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got.Bytes(), data) || m.Size() != uint64(len(data)) {
		t.Errorf("streamed %d bytes, want %d", got.Len(), len(data))
	}
	m.Close()
	b, _ := a.Open(a.Lookup("bomb"), 1<<20)
	n, err := io.Copy(io.Discard, b)
	if n != 1000 || err == nil || !strings.Contains(err.Error(), "inflates beyond its declared 1000 bytes") {
		t.Errorf("bomb: %d bytes, %v", n, err)
	}
}

func TestArchiveErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"not a zip": {[]byte("hello"), "truncated or corrupt zip archive"},
		"duplicate": {makeZip(t, member{name: "x"}, member{name: "x"}), `zip archive holds member "x" twice`},
	} {
		_, err := New(tc.data, 100)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// FuzzReadAll feeds arbitrary archives to both ways of reading a member:
// they agree, never panic, never return more than the declared size, and
// their errors are one line.
func FuzzReadAll(f *testing.F) {
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateHeader(&zip.FileHeader{Name: "a.npy", Method: zip.Deflate})
	w.Write([]byte("deflated data, deflated data"))
	w, _ = zw.CreateHeader(&zip.FileHeader{Name: "b", Method: zip.Store})
	w.Write([]byte("stored"))
	zw.Close()
	f.Add(buf.Bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := New(data, 1<<20)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("multi-line error %q", err)
			}
			return
		}
		b, _ := New(data, 1<<20) // its own budget
		for i, f := range a.Files {
			whole, err := a.ReadAll(f, 1<<16)
			if err != nil && strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("multi-line error %q", err)
			}
			if uint64(len(whole)) > f.UncompressedSize64 {
				t.Fatalf("%d bytes from a member declaring %d", len(whole), f.UncompressedSize64)
			}
			m, oerr := b.Open(b.Files[i], 1<<16)
			if oerr != nil {
				if err == nil {
					t.Fatalf("ReadAll accepted, Open refused: %v", oerr)
				}
				continue
			}
			streamed, serr := io.ReadAll(m)
			m.Close()
			if (err == nil) != (serr == nil) || (err == nil && !bytes.Equal(whole, streamed)) {
				t.Fatalf("ReadAll %v, Open %v", err, serr)
			}
		}
	})
}
