package export

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/neurosim/neurosim/checkpoint"
)

// InspectJSON is the stable JSON form of `neurosim inspect`.
type InspectJSON struct {
	File     string       `json:"file"`
	Format   string       `json:"format"`
	StateKey string       `json:"state_key,omitempty"`
	Tensors  []TensorJSON `json:"tensors"`
}

// TensorJSON describes one tensor. Min, Max and Mean are over the finite
// elements and null when there are none.
type TensorJSON struct {
	Name      string   `json:"name"`
	DType     string   `json:"dtype"`
	Shape     []int    `json:"shape"`
	Elements  int      `json:"elements"`
	Min       *float64 `json:"min"`
	Max       *float64 `json:"max"`
	Mean      *float64 `json:"mean"`
	NonFinite int      `json:"non_finite"`
	// DecayOutside counts, for a tensor of STP decay factors λ
	// (*.weight_lambda), the elements outside [0, 1]: synapses that cannot be
	// a passive decaying element.
	DecayOutside *int `json:"decay_outside_unit_interval,omitempty"`
}

// isDecay reports whether a tensor holds STP decay factors λ
// (*.weight_lambda). HebbFF stores λ as the logit _weight_lambda, whose
// sigmoid is always inside [0, 1], so it is not one.
func isDecay(name string) bool {
	return name[strings.LastIndexByte(name, '.')+1:] == "weight_lambda"
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// WriteInspect lists the tensors of a checkpoint (checkpoint.Inspect: their
// statistics, computed without holding them) as a table or JSON.
func WriteInspect(w io.Writer, sd *checkpoint.Inventory, f Format) error {
	j := InspectJSON{File: sd.File, Format: sd.Format.String(), StateKey: sd.Key, Tensors: []TensorJSON{}}
	for _, t := range sd.Tensors {
		s := t.Stats
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		tj := TensorJSON{
			Name: t.Name, DType: t.DType.String(), Shape: shape, Elements: t.Len(),
			Min: finite(s.Min), Max: finite(s.Max), Mean: finite(s.Mean), NonFinite: s.NonFinite,
		}
		if isDecay(t.Name) {
			n := s.OutsideUnit
			tj.DecayOutside = &n
		}
		j.Tensors = append(j.Tensors, tj)
	}
	switch f {
	case JSON:
		return writeJSON(w, j)
	case CSV:
		return fmt.Errorf("inspect: csv is not supported (table or json)")
	}
	key := ""
	if sd.Key != "" {
		key = fmt.Sprintf(", state_dict under key %q", sd.Key)
	}
	if err := text(w, fmt.Sprintf("%s: %s, %d tensors%s (values are the tensors' own, unitless)", sd.File, sd.Format, len(sd.Tensors), key)); err != nil {
		return err
	}
	rows := make([][]string, len(j.Tensors))
	opt := func(p *float64) string {
		if p == nil {
			return "—"
		}
		return num(*p)
	}
	for i, t := range j.Tensors {
		dims := make([]string, len(t.Shape))
		for k, d := range t.Shape {
			dims[k] = strconv.Itoa(d)
		}
		nf := ""
		if t.NonFinite > 0 {
			nf = strconv.Itoa(t.NonFinite)
		}
		rows[i] = []string{t.Name, t.DType, "[" + strings.Join(dims, " ") + "]", opt(t.Min), opt(t.Max), opt(t.Mean), nf}
	}
	if err := table(w, []string{"tensor", "dtype", "shape", "min", "max", "mean", "NaN/Inf"}, rows, 3, 4, 5, 6); err != nil {
		return err
	}
	for _, t := range j.Tensors {
		if t.DecayOutside != nil {
			if err := text(w, fmt.Sprintf("%s: %d of %d decay factors λ outside [0, 1] (not passive decays; see the design's lambda_outside)",
				escapeControls(t.Name, false), *t.DecayOutside, t.Elements)); err != nil {
				return err
			}
		}
	}
	return nil
}
