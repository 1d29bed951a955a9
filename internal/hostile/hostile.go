// Package hostile writes the extreme and hostile input files that neurosim's
// readers must bound: tiny files that claim huge tensors, compressed arrays
// that inflate a thousandfold, event files refused at their first event, and
// very long event streams. Tests of several packages use it, and
// `go run ./internal/hostile/gen DIR` writes the files measured in the
// README's "Limits" section. Large files are generated, never committed.
//
// Every file is built from its format's specification, without the readers
// under test: torch's zip layout and pickle protocol 2 (as torch.save writes
// them), NumPy's .npy version 1.0 header, numpy.savez's zip of .npy members.
package hostile

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strconv"
)

// PickleInt pickles an int as torch's pickler does: BININT1, BININT or
// LONG1.
func PickleInt(v int64) string {
	switch {
	case v >= 0 && v < 256:
		return "K" + string([]byte{byte(v)})
	case v >= -1<<31 && v < 1<<31:
		return "J" + string(binary.LittleEndian.AppendUint32(nil, uint32(v)))
	}
	return "\x8a\x08" + string(binary.LittleEndian.AppendUint64(nil, uint64(v)))
}

func ptuple(vs []int64) string {
	s := "("
	for _, v := range vs {
		s += PickleInt(v)
	}
	return s + "t"
}

// TensorPickle is the data.pkl of a state_dict {"x": tensor}, the tensor a
// view (offset, size, stride) of float32 storage "0" of numel elements, as
// torch.save's protocol 2 pickles it (without the memo).
func TensorPickle(numel, offset int64, size, stride []int64) []byte {
	return []byte("\x80\x02ccollections\nOrderedDict\n)R(X\x01\x00\x00\x00x" +
		"ctorch._utils\n_rebuild_tensor_v2\n(" +
		"(X\x07\x00\x00\x00storagectorch\nFloatStorage\nX\x01\x00\x00\x000X\x03\x00\x00\x00cpu" + PickleInt(numel) + "tQ" +
		PickleInt(offset) + ptuple(size) + ptuple(stride) + "\x89}tRu.")
}

// TorchZip wraps a data.pkl and the bytes of storage "0" in torch's
// archive layout (stored members, as torch.save writes them).
func TorchZip(pkl, storage []byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range []struct {
		name string
		data []byte
	}{{"archive/data.pkl", pkl}, {"archive/data/0", storage}, {"archive/version", []byte("3\n")}} {
		w, _ := zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: zip.Store})
		w.Write(m.data)
	}
	zw.Close()
	return buf.Bytes()
}

// Broadcast is a torch checkpoint of a few hundred bytes whose one tensor
// "x" is a stride-0 view of a single float32 v, shown as rows×cols.
func Broadcast(rows, cols int64, v float32) []byte {
	return TorchZip(TensorPickle(1, 0, []int64{rows, cols}, []int64{0, 0}),
		binary.LittleEndian.AppendUint32(nil, math.Float32bits(v)))
}

// NPYHeader is the preamble and header numpy.save writes for a C-order
// array of descr ("<f4", "<i8", …) and shape (a Python tuple: "(3,)").
func NPYHeader(descr, shape string) []byte {
	h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
	for (10+len(h)+1)%64 != 0 {
		h += " "
	}
	h += "\n"
	return append(binary.LittleEndian.AppendUint16([]byte("\x93NUMPY\x01\x00"), uint16(len(h))), h...)
}

// deflating returns a zip writer whose deflate is flate.BestCompression.
func deflating(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	return zw
}

// ZeroNPZ writes what numpy.savez_compressed writes for {"x": np.zeros(n,
// np.float32)}: 4n bytes of data in a file about a thousand times smaller.
// The zeros are streamed, never held.
func ZeroNPZ(w io.Writer, n int64) error {
	zw := deflating(w)
	m, err := zw.CreateHeader(&zip.FileHeader{Name: "x.npy", Method: zip.Deflate})
	if err != nil {
		return err
	}
	m.Write(NPYHeader("<f4", fmt.Sprintf("(%d,)", n)))
	zero := make([]byte, 1<<20)
	for left := 4 * n; left > 0; left -= int64(len(zero)) {
		if _, err := m.Write(zero[:min(left, int64(len(zero)))]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// EventsNPZ writes an event archive (sequence, t, channel, value) of n
// events, deflated: sequence 0 throughout, t = i µs, channel i mod 4, value
// 1. When bad0 is set, event 0's sequence is −1, so a reader must refuse it
// at once, and every other element is 0, so that the archive is about 1000
// times smaller than its arrays (2^24 events: about 0.5 MB).
func EventsNPZ(w io.Writer, n int, bad0 bool) error {
	zw := deflating(w)
	for _, name := range []string{"sequence", "t", "channel", "value"} {
		descr := "<f8"
		if name == "sequence" || name == "channel" {
			descr = "<i8"
		}
		m, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Deflate})
		if err != nil {
			return err
		}
		m.Write(NPYHeader(descr, fmt.Sprintf("(%d,)", n)))
		buf := make([]byte, 0, 64<<10)
		for i := range n {
			var v uint64
			switch {
			case bad0:
				if i == 0 && name == "sequence" {
					v = math.MaxUint64 // −1
				}
			case name == "t":
				v = math.Float64bits(float64(i) * 1e-6)
			case name == "channel":
				v = uint64(i % 4)
			case name == "value":
				v = math.Float64bits(1)
			}
			buf = binary.LittleEndian.AppendUint64(buf, v)
			if len(buf) == cap(buf) {
				m.Write(buf)
				buf = buf[:0]
			}
		}
		if _, err := m.Write(buf); err != nil {
			return err
		}
	}
	return zw.Close()
}

// EventsCSV writes n events over the given number of sequences (n ≥
// sequences), perStep events to a step: step k of a sequence at k ms, its
// events on channels 0, 1, … mod channels, value 1.
func EventsCSV(w io.Writer, n, sequences, perStep, channels int) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	bw.WriteString("sequence,t,channel,value\n")
	var line []byte
	for q := range sequences {
		count := n / sequences
		if q < n%sequences {
			count++
		}
		for i := range count {
			line = strconv.AppendInt(line[:0], int64(q), 10)
			line = append(line, ',')
			line = strconv.AppendFloat(line, float64(i/perStep)*1e-3, 'g', -1, 64)
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(i%perStep%channels), 10)
			line = append(line, ",1\n"...)
			if _, err := bw.Write(line); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}
