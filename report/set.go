package report

import (
	"io/fs"
	"path"

	"github.com/neurosim/neurosim/workload"
)

// LoadSetFS reads the inputs and labels at the root of a fixture set held
// in fsys (inputs.npy and labels.npy, or the single inputs_*.npy and
// labels_*.npy; labels may be absent), and returns the files' bytes too
// (a sweep keys its results by them). name describes the set in messages.
func LoadSetFS(fsys fs.FS, name string) (*workload.Set, [][]byte, error) {
	in, err := findStem(fsys, name, "inputs")
	if err != nil {
		return nil, nil, err
	}
	data, err := readSetFile(fsys, name, in, workload.MaxFileBytes, "--max-input-bytes")
	if err != nil {
		return nil, nil, err
	}
	set, err := workload.DecodeInputs(path.Join(name, in), data)
	if err != nil {
		return nil, nil, err
	}
	lab, err := findStem(fsys, name, "labels")
	if err != nil {
		return set, [][]byte{data, nil}, nil // no labels: no accuracy
	}
	labels, err := readSetFile(fsys, name, lab, workload.MaxFileBytes, "--max-input-bytes")
	if err != nil {
		return nil, nil, err
	}
	return set, [][]byte{data, labels}, set.DecodeLabels(path.Join(name, lab), labels)
}
