// Package neurosim is the module root. It holds the reference data neurosim
// ships with; the tool itself lives in the sub-packages (see README.md).
package neurosim

import (
	"embed"
	"io/fs"
)

//go:embed testdata/art/inputs.npy testdata/art/labels.npy testdata/art/*/model.pth testdata/art/*/config.json
var reference embed.FS

// ReferenceART is the Associative Retrieval Task set of the paper's reference
// fixtures: inputs.npy, labels.npy and one folder per model with model.pth and
// config.json (eight models: STPN, STPN with scalar λ/γ, STPNf, HebbFF, RNN,
// LSTM, Fast Weights, MODPLAST). It is what `neurosim compare` runs by default.
func ReferenceART() fs.FS {
	// fs.Sub fails only for an invalid path (and embed.FS has no Sub method
	// of its own that could fail otherwise); this one is a valid constant.
	sub, _ := fs.Sub(reference, "testdata/art")
	return sub
}
