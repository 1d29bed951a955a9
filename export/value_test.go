package export

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/design"
)

// One shape whether exact or not: {"low": …, "high": …}, and back.
func TestValueJSON(t *testing.T) {
	for _, tt := range []struct {
		v    Value
		want string
	}{{Value{1.5, 1.5}, `{"low":1.5,"high":1.5}`}, {Value{1, 2}, `{"low":1,"high":2}`}, {Value{0, 0}, `{"low":0,"high":0}`}} {
		b, err := json.Marshal(tt.v)
		if err != nil || string(b) != tt.want {
			t.Errorf("%v: %s %v, want %s", tt.v, b, err, tt.want)
		}
		var back Value
		if err := json.Unmarshal(b, &back); err != nil || back != tt.v {
			t.Errorf("%s read back as %v, %v", b, back, err)
		}
	}
	if err := json.Unmarshal([]byte(`[1,2]`), new(Value)); err == nil {
		t.Error("the old [low, high] form was accepted")
	}
}

// validate names the first non-finite number by its JSON path.
func TestValidate(t *testing.T) {
	type inner struct {
		X Value `json:"x"`
	}
	type doc struct {
		A     float64          `json:"a"`
		M     map[string]Value `json:"m"`
		S     []inner          `json:"s"`
		V     Values           `json:"vs"`
		P     *Value           `json:"p,omitempty"`
		Plain float64
		skip  float64
	}
	ok := doc{A: 1, M: map[string]Value{"k": {1, 2}}, S: []inner{{Value{0, 0}}}, skip: math.NaN()}
	if err := validate("report", ok); err != nil {
		t.Errorf("finite document refused: %v", err)
	}
	for _, tt := range []struct {
		edit func(*doc)
		path string
	}{
		{func(d *doc) { d.A = math.Inf(1) }, "a"},
		{func(d *doc) { d.M["k"] = Value{1, math.NaN()} }, "m.k.high"},
		{func(d *doc) { d.S = append(d.S, inner{Value{math.Inf(-1), 0}}) }, "s[1].x.low"},
		{func(d *doc) { d.V = Values{{1, 1}, {2, 2}, {3, math.NaN()}} }, "vs[2].high"},
		{func(d *doc) { d.P = &Value{math.NaN(), 0} }, "p.low"},
		{func(d *doc) { d.Plain = math.NaN() }, "Plain"},
	} {
		d := ok
		d.M = map[string]Value{"k": {1, 2}}
		tt.edit(&d)
		err := validate("report", &d)
		var nf *NonFiniteError
		if !errors.As(err, &nf) || nf.Path != tt.path || !strings.Contains(err.Error(), "report: "+tt.path) {
			t.Errorf("want the error at %s, got %v", tt.path, err)
		}
	}
}

// The design hash is the SHA-256 of `neurosim designs show`'s bytes.
func TestDesignHash(t *testing.T) {
	hashes := map[string]string{}
	for _, d := range design.Presets() {
		var yaml bytes.Buffer
		if err := d.WriteYAML(&yaml); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(yaml.Bytes())
		h, err := DesignHash(d)
		if err != nil || h != hex.EncodeToString(sum[:]) {
			t.Errorf("%s: hash %s %v", d.Name, h, err)
		}
		if other, dup := hashes[h]; dup {
			t.Errorf("%s and %s have one hash", d.Name, other)
		}
		hashes[h] = d.Name
	}
	// A changed figure changes the hash.
	d, _ := design.Lookup("rram-neurosim")
	before, _ := DesignHash(d)
	d.Input.VRead = design.Point(0.6)
	if after, _ := DesignHash(d); after == before {
		t.Error("v_read changed, hash did not")
	}
	if _, err := DesignHash(failingYAML{}); err == nil {
		t.Error("a design that cannot be written hashed")
	}
}

type failingYAML struct{}

func (failingYAML) WriteYAML(io.Writer) error {
	return errors.New("no")
}

// CSV outputs start with "# key: value" lines that csv readers skip as
// comments; a value with a newline stays on its line.
func TestCSVMeta(t *testing.T) {
	var b bytes.Buffer
	m := Meta{Version: "v1", Command: "neurosim energy --checkpoint 'a\nb.pth'", Design: "paper", DesignHash: "abc",
		Checkpoint: "a\nb.pth", Inputs: "x.npy"}
	c := newCSV(&b, "report", m)
	c.row([]string{"k", "v_J_low"})
	c.row([]string{"a", c.num("v_J_low", 1.25)})
	if err := c.close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	want := []string{"# neurosim_version: v1", `# command: "neurosim energy --checkpoint 'a\nb.pth'"`, "# design: paper",
		"# design_hash: abc", `# checkpoint: "a\nb.pth"`, "# inputs: x.npy", "k,v_J_low", "a,1.25"}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d = %q, want %q", i, lines[i], w)
		}
	}
	r := csv.NewReader(&b)
	r.Comment = '#'
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 2 || recs[1][1] != "1.25" {
		t.Errorf("read back %q, %v", recs, err)
	}
	// A non-finite number is an error naming its column; nothing after it is written.
	b.Reset()
	c = newCSV(&b, "trace", m)
	c.row([]string{c.num("sequence 3 total_J_high", math.Inf(1))})
	c.row([]string{"later"})
	err = c.close()
	var nf *NonFiniteError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "trace: sequence 3 total_J_high is +Inf") || strings.Contains(b.String(), "later") {
		t.Errorf("err %v, output %q", err, b.String())
	}
}

// Value's hand-written encoding is encoding/json's, byte for byte.
func TestValueMarshalMatchesEncodingJSON(t *testing.T) {
	for _, v := range []float64{0, math.Copysign(0, -1), 1, -2.5, 1e-6, 9.99e-7, 1e21, 9.99e20, 1.5e-300, 5e-324,
		math.MaxFloat64, 123456.789, 1.0 / 3, -7e-9} {
		got, err := Value{v, -v}.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(valueJSON{v, -v})
		if string(got) != string(want) {
			t.Errorf("%v: %s, encoding/json %s", v, got, want)
		}
	}
	if _, err := (Value{math.NaN(), 0}).MarshalJSON(); err == nil {
		t.Error("NaN encoded")
	}
}

// Values writes the bytes encoding/json writes for the same []Value, and
// refuses a non-finite element.
func TestValuesMarshalMatchesEncodingJSON(t *testing.T) {
	for _, vs := range [][]Value{nil, {}, {{1, 2}}, {{0, 1e-7}, {1e21, -3}, {1.0 / 3, 1.0 / 3}}} {
		got, err := json.Marshal(Values(vs))
		if err != nil {
			t.Fatal(err)
		}
		plain := make([]valueJSON, len(vs))
		for i, v := range vs {
			plain[i] = valueJSON{v.Lo, v.Hi}
		}
		var want []byte
		if vs == nil {
			want, _ = json.Marshal([]valueJSON(nil))
		} else {
			want, _ = json.Marshal(plain)
		}
		if string(got) != string(want) {
			t.Errorf("%v: %s, encoding/json %s", vs, got, want)
		}
	}
	if _, err := json.Marshal(Values{{1, 1}, {math.Inf(1), 0}}); err == nil {
		t.Error("+Inf encoded")
	}
}
