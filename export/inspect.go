package export

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"neurosim/checkpoint"
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
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// WriteInspect lists the tensors of a state_dict as a table or JSON.
func WriteInspect(w io.Writer, sd *checkpoint.StateDict, f Format) error {
	j := InspectJSON{File: sd.File, Format: sd.Format.String(), StateKey: sd.Key, Tensors: []TensorJSON{}}
	for _, t := range sd.Tensors {
		s := t.Stats()
		shape := t.Shape
		if shape == nil {
			shape = []int{}
		}
		j.Tensors = append(j.Tensors, TensorJSON{
			Name: t.Name, DType: t.DType.String(), Shape: shape, Elements: t.Len(),
			Min: finite(s.Min), Max: finite(s.Max), Mean: finite(s.Mean), NonFinite: s.NonFinite,
		})
	}
	switch f {
	case JSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(j)
	case CSV:
		return fmt.Errorf("inspect: csv is not supported (table or json)")
	}
	key := ""
	if sd.Key != "" {
		key = fmt.Sprintf(", state_dict under key %q", sd.Key)
	}
	fmt.Fprintf(w, "%s: %s, %d tensors%s (values are the tensors' own, unitless)\n", sd.File, sd.Format, len(sd.Tensors), key)
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
	return table(w, []string{"tensor", "dtype", "shape", "min", "max", "mean", "NaN/Inf"}, rows, 3, 4, 5, 6)
}
