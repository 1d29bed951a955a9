package sweep

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"

	"github.com/neurosim/neurosim/energy"
)

// The results folder (`--out DIR`):
//
//	DIR/plan.json            what the sweep is: axes, points, rows and their keys
//	DIR/points/HASH.json     the rows one simulation priced, each with its
//	                         content hash (key); HASH is the hash of those keys
//	DIR/sweep.csv, .jsonl    the merged table
//
// Every file is written to a temporary name in its folder and renamed, so a
// run killed at any moment leaves whole files only (and perhaps a
// temporary ".*.tmp-*" file, which is ignored). The rows of one simulation
// share a file because they are finished together, and because creating
// a file costs far more than pricing a row (a cluster's shared file
// system makes that worse): a thousand price-only rows are one file.
const (
	planFile  = "plan.json"
	pointsDir = "points"
	// planFormat names the layout of plan.json.
	planFormat = "neurosim-sweep-plan/1"
)

// rowFormat names the layout of a result and enters every row's key: a
// change that alters results changes it, so that old results are not
// reused. It lists the energy categories, so that a new category (a new
// column) makes every row be computed again rather than read with a zero.
var rowFormat = "neurosim-sweep-row/1 " + strings.Join(energy.CategoryNames(), ",")

// Result is the stored result of one row.
type Result struct {
	Format     string `json:"format"`
	Key        string `json:"key"`
	Model      string `json:"model"`
	Unit       string `json:"unit"`
	Seed       uint64 `json:"seed"`
	Design     string `json:"design"`
	DesignHash string `json:"design_hash"`
	Version    string `json:"neurosim_version"`
	Sequences  int    `json:"sequences"`
	Steps      int    `json:"steps"`   // per sequence; 0 when sequences differ in length
	Corners    int    `json:"corners"` // runs over the ends of ranged device figures
	// Joules by category over the whole run, [low, high], in ledger order
	// (energy.Categories).
	Breakdown [energy.NumCategories][2]float64 `json:"breakdown_J"`
	Total     [2]float64                       `json:"total_J"`
	// PerInference is the mean energy of one sequence (one inference).
	PerInference      [2]float64 `json:"J_per_inference"`
	Paper             [2]float64 `json:"paper_energy"`
	PaperPerInference [2]float64 `json:"paper_energy_per_inference"`
	// Accuracy is a fraction; nil without labels.
	Accuracy *[2]float64 `json:"accuracy"`
	Outside  int         `json:"decay_outside_unit_interval"`
	Plastic  int         `json:"decay_synapses"`
}

// AccuracyLow is the low end of the accuracy, NaN without labels.
func (r *Result) AccuracyLow() float64 {
	if r.Accuracy == nil {
		return math.NaN()
	}
	return r.Accuracy[0]
}

func pair(j energy.Joules) [2]float64 { return [2]float64{float64(j.Lo), float64(j.Hi)} }

// writeAtomic writes data to path through a temporary file in the same
// folder and a rename.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	cerr := f.Close()
	if err := errors.Join(werr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

// resultFile is one file of points/: the rows one simulation priced.
type resultFile struct {
	Format string    `json:"format"`
	Rows   []*Result `json:"rows"`
}

// loadResults reads every result file of dir into an index by row key.
// Files are read in name order and the first result of a key wins, so the
// index does not depend on the order files were written in. A file that is
// not a whole result file of this format is skipped (its rows are computed
// again); temporary files (".*") are ignored.
func loadResults(dir string) (map[string]*Result, error) {
	entries, err := os.ReadDir(filepath.Join(dir, pointsDir))
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]*Result{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
	}
	index := map[string]*Result{}
	for _, e := range entries { // ReadDir sorts by name
		name := e.Name()
		if strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") || !e.Type().IsRegular() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, pointsDir, name))
		if err != nil {
			return nil, fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
		}
		var f resultFile
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil || f.Format != rowFormat {
			continue
		}
		for _, r := range f.Rows {
			if r == nil || r.Format != rowFormat || r.Key == "" {
				continue
			}
			if _, dup := index[r.Key]; !dup {
				index[r.Key] = r
			}
		}
	}
	return index, nil
}

// writeResults writes the rows one simulation priced as one file, named by
// the hash of their keys, atomically.
func writeResults(dir string, rows []*Result) error {
	keys := make([][]byte, len(rows))
	for i, r := range rows {
		keys[i] = []byte(r.Key)
	}
	data, err := json.Marshal(resultFile{Format: rowFormat, Rows: rows})
	if err != nil {
		return err
	}
	path := filepath.Join(dir, pointsDir, hashBytes(keys...)+".json")
	if err := writeAtomic(path, append(data, '\n')); err != nil {
		return fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
	}
	return nil
}
