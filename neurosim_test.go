package neurosim

import (
	"io/fs"
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
