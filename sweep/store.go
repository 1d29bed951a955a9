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

	"github.com/neurosim/neurosim/energy"
)

// The results folder (`--out DIR`):
//
//	DIR/plan.json            what the sweep is: axes, points, rows and their keys
//	DIR/points/KEY.json      one result per row, KEY its content hash
//	DIR/sweep.csv, .jsonl    the merged table
//
// Every file is written to a temporary name in its folder and renamed, so a
// run killed at any moment leaves whole files only (and perhaps a
// temporary ".*.tmp-*" file, which is ignored).
const (
	planFile  = "plan.json"
	pointsDir = "points"
	// rowFormat and planFormat name the layouts; a change that alters
	// results changes rowFormat, so that old results are not reused.
	rowFormat  = "neurosim-sweep-row/1"
	planFormat = "neurosim-sweep-plan/1"
)

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

func resultPath(dir, key string) string { return filepath.Join(dir, pointsDir, key+".json") }

// readResult reads the result of key; ok is false when it is absent or is
// not a whole result of this format for this key (it is then computed again).
func readResult(dir, key string) (*Result, bool, error) {
	data, err := os.ReadFile(resultPath(dir, key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
	}
	var r Result
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil || r.Format != rowFormat || r.Key != key {
		return nil, false, nil
	}
	return &r, true, nil
}

func writeResult(dir string, r *Result) error {
	data, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return err
	}
	if err := writeAtomic(resultPath(dir, r.Key), append(data, '\n')); err != nil {
		return fmt.Errorf("sweep results %s: %w", dir, unwrapPath(err))
	}
	return nil
}
