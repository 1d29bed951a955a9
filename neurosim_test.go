package neurosim

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"testing"
)

// The embedded reference set holds the inputs, labels and the eight models
// of testdata/art, each with its checkpoint and config.
func TestReferenceART(t *testing.T) {
	fsys := ReferenceART()
	for _, f := range []string{"inputs.npy", "labels.npy"} {
		if _, err := fs.Stat(fsys, f); err != nil {
			t.Error(err)
		}
	}
	models, err := fs.Glob(fsys, "*/model.pth")
	if err != nil || len(models) != 8 {
		t.Fatalf("%d models (%v), want 8", len(models), err)
	}
	configs, _ := fs.Glob(fsys, "*/config.json")
	if len(configs) != 8 {
		t.Errorf("%d configs, want 8", len(configs))
	}
}

// Every embedded file is the file of testdata/art byte for byte, and every
// model folder there is embedded: `compare` runs the reference fixtures.
func TestReferenceARTIsTestdata(t *testing.T) {
	fsys := ReferenceART()
	n := 0
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		n++
		got, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		want, err := os.ReadFile(filepath.Join("testdata", "art", filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: embedded %d bytes differ from testdata's %d", name, len(got), len(want))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	onDisk, err := filepath.Glob(filepath.Join("testdata", "art", "*", "model.pth"))
	if err != nil {
		t.Fatal(err)
	}
	// inputs, labels, and a checkpoint and a config per model.
	if want := 2 + 2*len(onDisk); n != want {
		t.Errorf("%d files embedded, want %d (testdata/art has %d models)", n, want, len(onDisk))
	}
}

// ReferenceART is the set `neurosim compare` runs by default: the ART
// inputs and labels and the paper's eight models (testdata/art/README.md).
func ExampleReferenceART() {
	fsys := ReferenceART()
	models, _ := fs.Glob(fsys, "*/model.pth")
	for _, m := range models {
		fmt.Println(path.Dir(m))
	}
	// Output:
	// ART_FW_S1_h20
	// ART_HebbFF_h26
	// ART_LSTM_h9
	// ART_MODPLAST_h17
	// ART_RNN_h20
	// ART_STPN_h11
	// ART_STPN_scalarSTP_h20
	// ART_STPNf_h13
}
