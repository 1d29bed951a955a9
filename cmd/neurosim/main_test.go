package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/internal/testutil"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, &out, &errb)
	return code, out.String(), errb.String()
}

var (
	h11     = testutil.Testdata("art", "ART_STPN_h11", "model.pth")
	h11cfg  = testutil.Testdata("art", "ART_STPN_h11", "config.json")
	inputs  = testutil.Testdata("art", "inputs.npy")
	labels  = testutil.Testdata("art", "labels.npy")
	ckptBad = func(name string) string { return testutil.Testdata("checkpoint", name) }
)

// writeSafetensors writes tensors (float32 unless the name is in ints, which
// are written as int64) in the safetensors layout: an 8-byte little-endian
// header length, a JSON header with dtype/shape/data_offsets, then the data.
func writeSafetensors(t *testing.T, path string, sd *checkpoint.StateDict, edit func(name string, data []float64) []float64, ints map[string]bool) {
	t.Helper()
	header := map[string]any{}
	var data []byte
	for _, ten := range sd.Tensors {
		vals := edit(ten.Name, ten.Float64s())
		begin := len(data)
		dtype := "F32"
		for _, v := range vals {
			if ints[ten.Name] {
				data = binary.LittleEndian.AppendUint64(data, uint64(int64(v)))
				dtype = "I64"
			} else {
				data = binary.LittleEndian.AppendUint32(data, math.Float32bits(float32(v)))
			}
		}
		shape := ten.Shape
		if shape == nil {
			shape = []int{}
		}
		header[ten.Name] = map[string]any{"dtype": dtype, "shape": shape, "data_offsets": []int{begin, len(data)}}
	}
	h, err := json.Marshal(header)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(h)))
	b.Write(h)
	b.Write(data)
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Every malformed or hostile input: one line on stderr, exit status 1, no
// panic, no output file, and an existing file at an output path untouched.
func TestEnergyRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	cfg, err := os.ReadFile(h11cfg)
	if err != nil {
		t.Fatal(err)
	}
	config := func(name, old, new string) string {
		if !strings.Contains(string(cfg), old) {
			t.Fatalf("config has no %q", old)
		}
		return testutil.WriteFile(t, dir, name, []byte(strings.Replace(string(cfg), old, new, 1)))
	}
	sd, err := checkpoint.Load(h11, checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	nanWeight := filepath.Join(dir, "nan.safetensors")
	writeSafetensors(t, nanWeight, sd, func(n string, d []float64) []float64 {
		if n == "rnn.weight" {
			d[17] = math.NaN()
		}
		return d
	}, nil)
	intWeight := filepath.Join(dir, "int.safetensors")
	writeSafetensors(t, intWeight, sd, func(_ string, d []float64) []float64 { return d }, map[string]bool{"rnn.bias": true})
	rng := rand.New(rand.NewPCG(7, 7))
	random := make([]byte, 4096)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	randomFile := testutil.WriteFile(t, dir, "random.pth", random)

	tests := []struct {
		name                    string
		ckpt, cfg, inputs, want string
	}{
		{"empty checkpoint", ckptBad("empty.pth"), h11cfg, inputs, "empty.pth"},
		{"truncated checkpoint", ckptBad("truncated.pth"), h11cfg, inputs, "truncated.pth"},
		{"random bytes", randomFile, h11cfg, inputs, "random.pth"},
		{"os.system", ckptBad("evil_os_system.pth"), h11cfg, inputs, "os.system"},
		{"builtins.eval", ckptBad("evil_builtins_eval.pth"), h11cfg, inputs, "builtins.eval"},
		{"stack global", ckptBad("evil_stack_global.pth"), h11cfg, inputs, "evil_stack_global.pth"},
		{"zip bomb", ckptBad("bomb_declared.pth"), h11cfg, inputs, "bomb_declared.pth"},
		{"zip bomb, honest size", ckptBad("bomb_honest.pth"), h11cfg, inputs, "bomb_honest.pth"},
		{"storage claims more", ckptBad("short_storage.pth"), h11cfg, inputs, "short_storage.pth"},
		{"shape disagrees with config", h11, config("h12.json", `"hidden_size": 11`, `"hidden_size": 12`), inputs,
			`tensor "rnn.weight" has shape [11 48], config needs [12 49]`},
		{"missing tensor", h11, config("ln.json", `"layer_norm": false`, `"layer_norm": true`), inputs,
			`tensor "rnn.layer_norm.weight" is missing`},
		{"NaN weight", nanWeight, h11cfg, inputs, `tensor "rnn.weight" holds NaN at flat index 17`},
		{"integer weight", intWeight, h11cfg, inputs, `tensor "rnn.bias" has integer dtype int64`},
		{"unknown unit", h11, config("gru.json", `"STPNr"`, `"GRU"`), inputs, `"GRU" is not supported (supported: STPNr, STPNf`},
		{"negative hidden", h11, config("neg.json", `"hidden_size": 11`, `"hidden_size": -11`), inputs, "hidden_size: must be between 1"},
		{"truncated config", h11, testutil.WriteFile(t, dir, "trunc.json", cfg[:len(cfg)/3]), inputs, "not valid JSON"},
		{"missing config", h11, filepath.Join(dir, "none.json"), inputs, "none.json"},
		{"inputs of the wrong width", h11, h11cfg, testutil.Testdata("workload", "width40.npy"), "40 values per step, the model takes 37"},
		{"inputs of the wrong rank", h11, h11cfg, testutil.Testdata("workload", "rank2.npy"), "rank 2"},
		{"NaN in inputs", h11, h11cfg, testutil.Testdata("workload", "nan.npy"), "NaN"},
		{"npy header claims more", h11, h11cfg, testutil.Testdata("workload", "truncated.npy"), "more than the"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			perStep := filepath.Join(dir, "E.npy")
			logits := testutil.WriteFile(t, dir, "L.npy", []byte("keep me"))
			code, stdout, stderr := runCLI(t, "energy", "--checkpoint", tt.ckpt, "--config", tt.cfg,
				"--inputs", tt.inputs, "--design", "paper", "--per-step-out", perStep, "--logits-out", logits)
			if code != 1 {
				t.Errorf("exit status %d, want 1 (stderr %q)", code, stderr)
			}
			if lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n"); len(lines) != 1 ||
				!strings.HasPrefix(stderr, "neurosim: ") || !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q: want one line containing %q", stderr, tt.want)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if _, err := os.Stat(perStep); !os.IsNotExist(err) {
				t.Errorf("%s was written", perStep)
			}
			if b, _ := os.ReadFile(logits); string(b) != "keep me" {
				t.Errorf("existing %s was overwritten", logits)
			}
			leftovers, _ := filepath.Glob(filepath.Join(dir, ".*.tmp-*"))
			if len(leftovers) > 0 {
				t.Errorf("temporary files left: %v", leftovers)
			}
		})
	}
}

// The contract ../shared/tools/parity relies on: the flags, and .npy outputs
// float64 [N, T] and [N, classes] equal to the reference.
func TestEnergyOutputs(t *testing.T) {
	dir := t.TempDir()
	e, l := filepath.Join(dir, "E.npy"), filepath.Join(dir, "L.npy")
	code, stdout, stderr := runCLI(t, "energy", "--checkpoint", h11, "--config", h11cfg, "--inputs", inputs,
		"--labels", labels, "--design", "paper", "--per-step-out", e, "--logits-out", l, "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	gotE, gotL := testutil.NPY(t, e), testutil.NPY(t, l)
	if gotE.DType != "float64" || gotL.DType != "float64" {
		t.Errorf("dtypes %s, %s; want float64", gotE.DType, gotL.DType)
	}
	wantE := testutil.NPY(t, testutil.Testdata("art", "ART_STPN_h11", "energy_f64.npy"))
	wantL := testutil.NPY(t, testutil.Testdata("art", "ART_STPN_h11", "logits_f64.npy"))
	if !equalInts(gotE.Shape, []int{128, 9}) || !equalInts(gotL.Shape, []int{128, 37}) {
		t.Fatalf("shapes %v %v", gotE.Shape, gotL.Shape)
	}
	// Same tolerance argument as synapse's reference test.
	testutil.Close(t, "energy", gotE.Float, wantE.Float, 1e-11, 1e-12)
	testutil.Close(t, "logits", gotL.Float, wantL.Float, 1e-11, 1)

	var rep struct {
		Unit        string
		Synapses    int
		Accuracy    export.Value
		Correct     export.Value
		Paper       export.Value `json:"paper_energy"`
		PaperPerSeq export.Value `json:"paper_energy_mean_per_sequence"`
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("stdout is not JSON: %v", err)
	}
	// metrics.json: accuracy 0.4296875 = 55/128; mean energy per sequence
	// 77.89006714033894 (float32 run; ours is float64, hence 1e-6).
	if rep.Accuracy != (export.Value{Lo: 0.4296875, Hi: 0.4296875}) || rep.Correct != (export.Value{Lo: 55, Hi: 55}) ||
		rep.Unit != "STPNr" || rep.Synapses != 528 {
		t.Errorf("report %+v", rep)
	}
	testutil.Close(t, "mean per sequence", []float64{rep.PaperPerSeq.Lo, rep.PaperPerSeq.Hi}, []float64{77.89006714033894, 77.89006714033894}, 1e-6, 0)
	var sum float64
	for _, v := range wantE.Float {
		sum += v
	}
	testutil.Close(t, "total", []float64{rep.Paper.Lo}, []float64{sum}, 1e-12, 0)
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestEnergyCSVAndTable(t *testing.T) {
	code, out, stderr := runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--labels", labels, "--format", "csv")
	if code != 0 {
		t.Fatal(stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for len(lines) > 0 && strings.HasPrefix(lines[0], "# ") {
		lines = lines[1:]
	}
	if len(lines) != 129 || !strings.HasPrefix(lines[0], "sequence,label,predicted,steps,paper_energy_step_0_low,paper_energy_step_0_high,") ||
		!strings.HasSuffix(lines[0], ",paper_energy_step_8_high,paper_energy_sequence_low,paper_energy_sequence_high,"+
			"synapse_read_J_low,synapse_read_J_high,synapse_write_J_low,synapse_write_J_high,dac_J_low,dac_J_high,"+
			"adc_J_low,adc_J_high,neuron_J_low,neuron_J_high,static_J_low,static_J_high,digital_add_J_low,digital_add_J_high,"+
			"total_J_low,total_J_high") {
		t.Errorf("csv: %d lines, header %q", len(lines), lines[0])
	}
	// Sequence 0 is y4t7k0??t, label 33 (reference README).
	if !strings.HasPrefix(lines[1], "0,33,") {
		t.Errorf("first row %q", lines[1])
	}
	// With the paper design, each sequence's synapse_read joules equal its
	// paper energy and the other categories are 0.
	f := strings.Split(lines[1], ",")
	const seq, read, write, static, add, total = 4 + 18, 4 + 20, 4 + 22, 4 + 30, 4 + 32, 4 + 34
	if f[seq] != f[read] || f[read] != f[read+1] || f[write] != "0" || f[static] != "0" || f[add] != "0" || f[total] != f[read] {
		t.Errorf("first row %q", lines[1])
	}
	code, out, stderr = runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--labels", labels, "--wide")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, want := range []string{"42.96875", "% of sequences", "paper units, dimensionless", "77.89007", "8.654452"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

// Without --inputs the built-in ART generator supplies sequences and labels.
func TestEnergyART(t *testing.T) {
	code, out, stderr := runCLI(t, "energy", "--checkpoint", h11, "--art-n", "40", "--art-seed", "3", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var rep struct {
		Sequences, Steps int
		Accuracy         *export.Value
		Inputs           string
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Sequences != 40 || rep.Steps != 9 || rep.Accuracy == nil || !strings.Contains(rep.Inputs, "seed=3") {
		t.Errorf("report %+v", rep)
	}
}

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"energy"},
		{"energy", "--checkpoint", h11, "--format", "xml"},
		{"energy", "--checkpoint", h11, "--labels", labels},
		{"energy", "--no-such-flag"},
		{"frobnicate"},
		{"inspect"},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != 2 || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and one line", args, code, stderr)
		}
	}
	code, _, stderr := runCLI(t, "energy", "--checkpoint", h11, "--design", "rram")
	if code != 2 || !strings.Contains(stderr, `did you mean rram-neurosim or rram-neurram?`) {
		t.Errorf("unknown design: exit %d, %q", code, stderr)
	}
}

func TestOutputMayNotOverwriteInput(t *testing.T) {
	dir := t.TempDir()
	in := testutil.WriteFile(t, dir, "in.npy", mustRead(t, inputs))
	code, _, stderr := runCLI(t, "energy", "--checkpoint", h11, "--inputs", in, "--per-step-out", in)
	if code != 1 || !strings.Contains(stderr, "is an input of this run") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	if !bytes.Equal(mustRead(t, in), mustRead(t, inputs)) {
		t.Error("the input was modified")
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCompareDefault(t *testing.T) {
	code, out, stderr := runCLI(t, "compare", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var c struct {
		Baseline string
		Models   []struct {
			Model                      string
			Unit                       string
			Accuracy                   export.Value
			PaperEnergyMeanPerSequence export.Value `json:"paper_energy_mean_per_sequence"`
			Ratio                      export.Value `json:"ratio_to_baseline"`
		}
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.Baseline != "ART_STPN_h11" || len(c.Models) != 8 {
		t.Fatalf("baseline %q, %d models", c.Baseline, len(c.Models))
	}
	for _, m := range c.Models {
		var metrics struct {
			Accuracy              float64 `json:"accuracy"`
			MeanEnergyPerSequence float64 `json:"mean_energy_per_sequence"`
		}
		if err := json.Unmarshal(mustRead(t, testutil.Testdata("art", m.Model, "metrics.json")), &metrics); err != nil {
			t.Fatal(err)
		}
		if m.Accuracy.Lo != metrics.Accuracy || m.Accuracy.Hi != metrics.Accuracy {
			t.Errorf("%s: accuracy %v, reference %v", m.Model, m.Accuracy, metrics.Accuracy)
		}
		// metrics.json comes from the float32 reference run (≤ 3e-4 relative
		// from float64 for STPNf's tiny steps, ≤ 6e-7 otherwise; per sequence
		// the sums are far from those tiny values).
		testutil.Close(t, m.Model, []float64{m.PaperEnergyMeanPerSequence.Lo}, []float64{metrics.MeanEnergyPerSequence}, 1e-5, 0)
	}
	code, out, _ = runCLI(t, "compare")
	if code != 0 || !strings.Contains(out, "baseline ART_STPN_h11") || !strings.Contains(out, "ART_MODPLAST_h17") {
		t.Errorf("table:\n%s", out)
	}
}

func TestInspect(t *testing.T) {
	code, out, stderr := runCLI(t, "inspect", "--format", "json", testutil.Testdata("art", "ART_HebbFF_h26", "model.pth"))
	if code != 0 {
		t.Fatal(stderr)
	}
	var rep struct {
		Format  string
		Tensors []struct {
			Name, DType string
			Shape       []int
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	// reference README: rnn._weight_lambda [] (float64), the rest float32.
	if rep.Format != "torch-zip" || len(rep.Tensors) != 6 || rep.Tensors[2].Name != "rnn._weight_lambda" ||
		rep.Tensors[2].DType != "float64" || len(rep.Tensors[2].Shape) != 0 {
		t.Errorf("%+v", rep)
	}
	code, _, stderr = runCLI(t, "inspect", ckptBad("evil_os_system.pth"))
	if code != 1 || !strings.Contains(stderr, "os.system") {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

func TestInspectCountsDecayOutside(t *testing.T) {
	// 25 λ < 0 and 37 λ > 1 of 528 in the reference STPN h11 (counted from
	// the checkpoint's rnn.weight_lambda with Python's struct module).
	code, out, stderr := runCLI(t, "inspect", h11)
	if code != 0 || !strings.Contains(out, "rnn.weight_lambda: 62 of 528 decay factors λ outside [0, 1]") {
		t.Errorf("exit %d %s\n%s", code, stderr, out)
	}
}

func TestDesignsCommands(t *testing.T) {
	code, out, stderr := runCLI(t, "designs")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, name := range []string{"paper", "rram-neurosim", "rram-neurram", "pcm", "loihi", "biology"} {
		if !strings.Contains(out, "│ "+name+" ") {
			t.Errorf("designs lacks %s:\n%s", name, out)
		}
	}
	// `designs show` prints YAML that reads back as the same design.
	code, out, stderr = runCLI(t, "designs", "show", "loihi")
	if code != 0 || !strings.Contains(out, "synop_energy") || !strings.Contains(out, "Davies") {
		t.Fatalf("exit %d %s\n%s", code, stderr, out)
	}
	dir := t.TempDir()
	f := testutil.WriteFile(t, dir, "mine.yaml", []byte(out))
	code, _, stderr = runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--design", f)
	if code != 0 {
		t.Errorf("a shown design does not run: %s", stderr)
	}
	code, _, stderr = runCLI(t, "designs", "show", "nope")
	if code != 2 || strings.Count(stderr, "\n") != 1 {
		t.Errorf("exit %d, %q", code, stderr)
	}
}

// Invalid design files: one line naming file, key and problem, no output.
func TestBadDesignFiles(t *testing.T) {
	bad, err := filepath.Glob(testutil.Testdata("designs", "bad", "*.yaml"))
	if err != nil || len(bad) < 10 {
		t.Fatalf("%d bad designs", len(bad))
	}
	dir := t.TempDir()
	for _, f := range bad {
		perStep := filepath.Join(dir, "E.npy")
		code, stdout, stderr := runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--design", f, "--per-step-out", perStep)
		want := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(string(mustRead(t, f)), "\n", 2)[0], "# want:"))
		if code != 1 || stdout != "" || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, filepath.Base(f)) ||
			!strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d, stderr %q, want one line naming the file and containing %q", filepath.Base(f), code, stderr, want)
		}
		if _, err := os.Stat(perStep); err == nil {
			t.Errorf("%s: output written", f)
		}
	}
}

func TestBreakeven(t *testing.T) {
	code, out, stderr := runCLI(t, "breakeven", "--design", "rram-neurosim", "--format", "json")
	if code != 0 {
		t.Fatal(stderr)
	}
	var b struct {
		STPN   string
		Models []struct {
			Model      string
			StpnWrites export.Value  `json:"stpn_writes"`
			Writes     export.Value  `json:"writes"`
			BreakEven  *export.Value `json:"break_even_J"`
		}
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatal(err)
	}
	if b.STPN != "ART_STPN_h11" || len(b.Models) != 7 {
		t.Fatalf("%+v", b)
	}
	for _, m := range b.Models {
		// rram-neurosim rewrites every plastic synapse every step: STPN h11
		// writes its 528 synapses × 9 steps per sequence; RNN and LSTM
		// have no plastic state.
		if m.StpnWrites.Lo != 528*9 || m.StpnWrites.Hi != 528*9 {
			t.Errorf("%s: STPN writes %v per sequence, want 4752", m.Model, m.StpnWrites)
		}
		if (m.Model == "ART_RNN_h20" || m.Model == "ART_LSTM_h9") && (m.Writes != export.Value{} || m.BreakEven == nil) {
			t.Errorf("%s: %v writes, break-even %v", m.Model, m.Writes, m.BreakEven)
		}
	}
}

func TestEventsAndTrace(t *testing.T) {
	dir := t.TempDir()
	trace := filepath.Join(dir, "trace.csv")
	events := testutil.Testdata("events", "poisson_seed7.csv")
	code, _, stderr := runCLI(t, "energy", "--checkpoint", h11, "--events", events, "--design", "paper", "--trace-out", trace)
	if code != 0 {
		t.Fatal(stderr)
	}
	lines := strings.Split(strings.TrimSpace(string(mustRead(t, trace))), "\n")
	for len(lines) > 0 && strings.HasPrefix(lines[0], "# ") {
		lines = lines[1:]
	}
	if lines[0] != "sequence,step,t_s,delta,active_inputs,synapse_read_J_low,synapse_read_J_high,synapse_write_J_low,synapse_write_J_high,"+
		"dac_J_low,dac_J_high,adc_J_low,adc_J_high,neuron_J_low,neuron_J_high,static_J_low,static_J_high,digital_add_J_low,digital_add_J_high,"+
		"paper_energy_low,paper_energy_high" {
		t.Errorf("trace header %q", lines[0])
	}
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		// paper design: each step's synapse_read joules are its paper energy
		if f[5] != f[19] || f[6] != f[20] || f[7] != "0" || f[17] != "0" {
			t.Fatalf("trace row %q", l)
		}
	}
	// --per-step-out needs a rectangle; event sequences differ in length.
	code, _, stderr = runCLI(t, "energy", "--checkpoint", h11, "--events", events, "--per-step-out", filepath.Join(dir, "E.npy"))
	if code != 1 || !strings.Contains(stderr, "--trace-out") {
		t.Errorf("exit %d, %q", code, stderr)
	}
	wide := testutil.WriteFile(t, dir, "wide.csv", []byte("sequence,t,channel,value\n0,0.1,3,1\n0,0.2,37,1\n"))
	code, _, stderr = runCLI(t, "energy", "--checkpoint", h11, "--events", wide)
	if code != 1 || !strings.Contains(stderr, "wide.csv") || !strings.Contains(stderr, "37") {
		t.Errorf("unknown channel: exit %d, %q", code, stderr)
	}
	for _, bad := range []string{"bad_unsorted.csv", "bad_negative_time.csv", "bad_channel_negative.csv", "bad_nan_value.csv", "bad_header.csv"} {
		p := testutil.Testdata("events", bad)
		if _, err := os.Stat(p); err != nil {
			t.Errorf("missing fixture %s", bad)
			continue
		}
		code, _, stderr := runCLI(t, "energy", "--checkpoint", h11, "--events", p, "--trace-out", trace+"2")
		if code != 1 || strings.Count(stderr, "\n") != 1 || !strings.Contains(stderr, bad) {
			t.Errorf("%s: exit %d, %q", bad, code, stderr)
		}
		if _, err := os.Stat(trace + "2"); err == nil {
			t.Errorf("%s: trace written", bad)
		}
	}
}

// A design whose lambda_outside is refuse refuses STPN h11 (62 λ outside
// [0, 1]); clamp runs it.
func TestLambdaOutsidePolicy(t *testing.T) {
	show := func(policy string) string {
		_, out, _ := runCLI(t, "designs", "show", "paper")
		if !strings.Contains(out, "lambda_outside") {
			out = strings.Replace(out, "plasticity:", "plasticity:\n  lambda_outside: "+policy, 1)
		}
		return strings.Replace(out, "lambda_outside: per-step", "lambda_outside: "+policy, 1)
	}
	dir := t.TempDir()
	refuse := testutil.WriteFile(t, dir, "refuse.yaml", []byte(show("refuse")))
	code, _, stderr := runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--design", refuse)
	if code != 1 || !strings.Contains(stderr, "62 of 528") {
		t.Errorf("refuse: exit %d, %q", code, stderr)
	}
	clamp := testutil.WriteFile(t, dir, "clamp.yaml", []byte(show("clamp")))
	code, out, stderr := runCLI(t, "energy", "--checkpoint", h11, "--inputs", inputs, "--labels", labels, "--design", clamp, "--format", "json")
	if code != 0 {
		t.Fatalf("clamp: %s", stderr)
	}
	var rep struct {
		Accuracy export.Value `json:"accuracy"`
		Outside  int          `json:"decay_outside_unit_interval"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Outside != 62 || rep.Accuracy.Lo == 0 {
		t.Errorf("clamp: %+v", rep)
	}
}

// Tables are compared with their Unicode borders; TestTablesFit sets other
// locales itself. With NEUROSIM_TEST_MAIN=1 the test binary is neurosim
// itself (main, with its signal handling), for tests of the process.
func TestMain(m *testing.M) {
	if os.Getenv("NEUROSIM_TEST_MAIN") == "1" {
		main()
	}
	os.Setenv("LC_ALL", "C.UTF-8")
	os.Exit(m.Run())
}

// One SIGTERM stops a run blocked where no context reaches — opening an
// input FIFO that no process writes (it waited for ever, for a second
// signal) — with the status of the signal, and no output written.
func TestSignalWhileBlocked(t *testing.T) {
	dir := t.TempDir()
	fifo, out := filepath.Join(dir, "inputs.npy"), filepath.Join(dir, "E.npy")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	var stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "energy", "--checkpoint", h11, "--inputs", fifo, "--per-step-out", out)
	cmd.Env = append(os.Environ(), "NEUROSIM_TEST_MAIN=1")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	time.Sleep(300 * time.Millisecond) // the run is waiting in open(2)
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-done:
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 143 {
			t.Errorf("after SIGTERM: %v (%s), want exit status 143", err, stderr.String())
		}
		oneLine(t, stderr.String(), "interrupted; no output was written")
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatal("still running 20 s after SIGTERM")
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("an output was written")
	}
}

// A closed pipe on stdout (neurosim designs | head -0) is a write error:
// exit 1 and one line on stderr, not death by SIGPIPE (exit 141).
func TestClosedStdout(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	defer w.Close()
	var stderr bytes.Buffer
	cmd := exec.Command(os.Args[0], "designs")
	cmd.Env = append(os.Environ(), "NEUROSIM_TEST_MAIN=1")
	cmd.Stdout, cmd.Stderr = w, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitFailed {
		t.Fatalf("closed stdout: %v (%s), want exit status 1", err, stderr.String())
	}
	oneLine(t, stderr.String(), "writing to stdout: broken pipe")
}
