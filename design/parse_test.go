package design

import (
	"bytes"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurosim/neurosim/internal/testutil"
)

// Every file in testdata/designs/bad is invalid in one way; its first line,
// "# want: …", is the text the one-line error must contain after the file name.
func TestParseBad(t *testing.T) {
	files, err := filepath.Glob(testutil.Testdata("designs", "bad", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad designs in %s", testutil.Testdata("designs", "bad"))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(data), "\n")
			want, ok := strings.CutPrefix(first, "# want: ")
			if !ok || want == "" {
				t.Fatalf("fixture has no '# want: ' first line")
			}
			d, err := Load(file)
			if err == nil {
				t.Fatalf("parsed %q, want an error containing %q", d.Name, want)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "design "+file) {
				t.Errorf("error does not start with %q:\n%s", "design "+file, msg)
			}
			if !strings.Contains(msg, want) {
				t.Errorf("error\n  %s\ndoes not contain\n  %s", msg, want)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error is not one line: %q", msg)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Errorf("error is %T, want *Error", err)
			}
		})
	}
}

// The line of an error is the line of the offending key or value.
func TestParseErrorLine(t *testing.T) {
	tests := []struct {
		fixture string
		line    int
	}{
		{"wrong-unit", 6},       // g_min: 5V
		{"unknown-top-key", 26}, // colour: red, after the 24 lines of the base and the want line
		{"duplicate-key", 7},    // the second g_min
		{"tab", 8},              // yaml.v3 itself says line 7
		{"gmin-above-gmax", 6},  // Validate's error, placed at the g_min key
		{"synop-analog", 11},    // the forbidden key
		{"missing-key", 11},     // a missing key points at its section
		{"two-documents", 26},   // the second document's "---"
		{"sources-unknown-key", 27},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			_, err := Load(testutil.Testdata("designs", "bad", tt.fixture+".yaml"))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v, want *Error", err)
			}
			if e.Line != tt.line {
				t.Errorf("line %d, want %d (%v)", e.Line, tt.line, err)
			}
		})
	}
}

// The good examples parse to the designs their text says, with every figure
// converted by hand: 0.588 µS = 5.88e-7 S, 1/1.7 MΩ, 1/2 MΩ = 5e-7 S, …
func TestParseGood(t *testing.T) {
	tests := []struct {
		file string
		want Design
	}{
		{"rram-22nm.yaml", Design{
			Name: "rram-22nm", Source: "DNN+NeuroSim V1.4 Param.cpp; ADC: ISAAC via the Accelergy library",
			Synapse:    Synapse{Mapping: Differential, GPerUnitAuto: true, GMin: Point(5.88e-7), GMax: Point(1e-5), Levels: 32},
			Input:      Input{Encoding: Amplitude, VRead: Point(0.55), TRead: Point(1e-8), DACEnergy: Point(4.17e-13)},
			Readout:    Readout{ADCEnergy: Point(9.9e-13), NeuronEnergy: Point(2.5e-13)},
			Plasticity: Plasticity{Element: Volatile, WriteEnergyPerEvent: Point(6e-13)},
			StepPeriod: Point(1e-3), Seed: 1,
		}},
		{"ranges.yaml", Design{
			Name: "ranged-rram",
			Synapse: Synapse{Mapping: Differential, GPerUnit: Point(2.5e-6),
				GMin: Range{Lo: 1 / 2e6, Hi: 1 / 1.7e6}, GMax: Range{Lo: 9.5e-6, Hi: 1e-5}, Levels: 16,
				Variation: Range{Lo: 0, Hi: 0.05}, ReadNoise: Point(0.01)},
			Input: Input{Encoding: PulseWidth, VRead: Range{Lo: 0.5, Hi: 0.55}, TRead: Point(1e-8),
				DACEnergy: Range{Lo: 3.75e-14, Hi: 4.17e-13}},
			Readout: Readout{ADCEnergy: Range{Lo: 4.7e-14, Hi: 9.9e-13}, NeuronEnergy: Point(2.5e-13)},
			Plasticity: Plasticity{Element: Rewrite, WriteEnergyPerEvent: Range{Lo: 6e-13, Hi: 3.33e-12},
				LambdaOutside: Clamp},
			StaticPower: Range{Lo: 0, Hi: 1e-6}, StepPeriod: Point(1e-3), Seed: math.MaxUint64,
			Sources: map[string]string{
				"readout.adc_energy": "low: DNN+NeuroSim V1.4 SarADC.cpp; high: ISAAC",
				"synapse.g_min":      "[assumption] R_off between 1.7 and 2 MΩ",
			},
		}},
		{"digital.yaml", Design{
			Name: "loihi-like", Source: "Davies et al., IEEE Micro 2018",
			Synapse:    Synapse{Mapping: Digital, SynopEnergy: Range{Lo: 2.36e-11, Hi: 2.71e-11}},
			Readout:    Readout{NeuronEnergy: Point(8.1e-11)},
			Plasticity: Plasticity{Element: Rewrite, WriteEnergyPerEvent: Point(1.2e-10), LambdaOutside: Refuse},
			StepPeriod: Point(1e-3),
		}},
		{"ideal-unbounded.yaml", Design{
			Name:       "paper-like",
			Synapse:    Synapse{Mapping: Ideal, GPerUnit: Point(1)},
			Input:      Input{Encoding: Amplitude, VRead: Point(1), TRead: Point(1)},
			StepPeriod: Point(1),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := testutil.Testdata("designs", tt.file)
			got, err := Load(path)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.File = path
			// Exact float equality on purpose: every value is one correctly
			// rounded decimal conversion, as the Go literal above is.
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("design (-want +got):\n%s", diff)
			}
			if err := got.Validate(); err != nil {
				t.Errorf("Validate: %v", err)
			}
		})
	}
}

// Good example files survive WriteYAML → Parse unchanged, ranges included.
func TestGoodFilesRoundTrip(t *testing.T) {
	files, _ := filepath.Glob(testutil.Testdata("designs", "*.yaml"))
	if len(files) == 0 {
		t.Fatal("no good designs")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			d, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			roundTrip(t, d)
		})
	}
}

// roundTrip checks that WriteYAML's output parses back to d.
func roundTrip(t *testing.T, d *Design) {
	t.Helper()
	var buf bytes.Buffer
	if err := d.WriteYAML(&buf); err != nil {
		t.Fatalf("WriteYAML: %v", err)
	}
	got, err := Parse(d.File, buf.Bytes())
	if err != nil {
		t.Fatalf("Parse of WriteYAML output: %v\n%s", err, buf.String())
	}
	if diff := cmp.Diff(d, got); diff != "" {
		t.Errorf("round trip (-written +read):\n%s\n%s", diff, buf.String())
	}
}

func TestParseInline(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"too large", bytes.Repeat([]byte("#"), MaxFileSize+1), "larger than the limit of 1048576 bytes"},
		{"invalid UTF-8", []byte("name: \xff\xfe\n"), "malformed YAML"},
		{"control character in key", []byte("na\x01me: x\n"), "malformed YAML"},
		{"deep nesting", append(bytes.Repeat([]byte("["), 20000), bytes.Repeat([]byte("]"), 20000)...), "malformed YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.yaml", tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "design x.yaml") || strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("error is not one line naming the file: %q", err)
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	if err == nil || !strings.Contains(err.Error(), "nope.yaml: no such file or directory") {
		t.Fatalf("got %v", err)
	}
}

func TestLoadBoundsSize(t *testing.T) {
	p := testutil.WriteFile(t, t.TempDir(), "big.yaml", bytes.Repeat([]byte("# padding\n"), MaxFileSize/10+1))
	_, err := Load(p)
	if err == nil || !strings.Contains(err.Error(), "larger than the limit") {
		t.Fatalf("got %v", err)
	}
}
