package design

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// valid returns a small valid differential design to break in one place.
func valid() *Design {
	return &Design{
		Name: "t",
		Synapse: Synapse{Mapping: Differential, GPerUnitAuto: true,
			GMin: Point(1e-6), GMax: Point(1e-5), Levels: 16},
		Input:      Input{Encoding: Amplitude, VRead: Point(0.5), TRead: Point(1e-8), DACEnergy: Point(1e-13)},
		Readout:    Readout{ADCEnergy: Range{Lo: 1e-13, Hi: 1e-12}, NeuronEnergy: Point(1e-13)},
		Plasticity: Plasticity{Element: Volatile, WriteEnergyPerEvent: Point(1e-12)},
		StepPeriod: Point(1e-3),
		Sources:    map[string]string{"readout.adc_energy": "somewhere"},
		File:       "t.yaml",
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(d *Design)
		want   string // "" when still valid
	}{
		{"valid", func(d *Design) {}, ""},
		{"ideal unbounded", func(d *Design) {
			d.Synapse = Synapse{Mapping: Ideal, GPerUnit: Point(1)}
		}, ""},
		{"empty name", func(d *Design) { d.Name = "" }, "design t.yaml: name: is empty"},
		{"name with newline", func(d *Design) { d.Name = "a\nb" }, `name: "a\nb": want letters`},
		{"source with tab", func(d *Design) { d.Source = "a\tb" }, "source: must be one line of printable text"},
		{"unknown mapping", func(d *Design) { d.Synapse.Mapping = 7 }, "synapse.mapping: Mapping(7) is not a mapping; supported: ideal, differential, digital"},
		{"unknown encoding", func(d *Design) { d.Input.Encoding = 9 }, "input.encoding: Encoding(9) is not an encoding"},
		{"unknown element", func(d *Design) { d.Plasticity.Element = 2 }, "plasticity.element: Element(2) is not an element"},
		{"unknown policy", func(d *Design) { d.Plasticity.LambdaOutside = 3 }, "plasticity.lambda_outside: LambdaPolicy(3) is not a policy"},
		{"NaN", func(d *Design) { d.Readout.NeuronEnergy = Point(math.NaN()) }, "readout.neuron_energy: NaN is not a finite number"},
		{"Inf", func(d *Design) { d.StaticPower = Range{Lo: 0, Hi: math.Inf(1)} }, "static_power: +Inf is not a finite number"},
		{"reversed range", func(d *Design) { d.Readout.ADCEnergy = Range{Lo: 2e-12, Hi: 1e-12} }, "readout.adc_energy: range low 2pJ is above high 1pJ"},
		{"negative", func(d *Design) { d.Input.DACEnergy = Point(-1e-12) }, "input.dac_energy: -1pJ is negative"},
		{"negative noise", func(d *Design) { d.Synapse.ReadNoise = Range{Lo: -0.1, Hi: 0.1} }, "synapse.read_noise: [-0.1, 0.1] is negative"},
		{"auto and value", func(d *Design) { d.Synapse.GPerUnit = Point(1e-6) }, "synapse.g_per_unit: is auto and 1uS at once"},
		{"zero g_per_unit", func(d *Design) { d.Synapse.GPerUnitAuto = false }, "synapse.g_per_unit: must be positive (or auto), found 0S"},
		{"g_min above g_max", func(d *Design) { d.Synapse.GMin = Point(2e-5) }, "synapse.g_min: 20uS exceeds g_max 10uS"},
		{"differential unbounded", func(d *Design) { d.Synapse.GMax = Range{} }, "synapse.g_max: must be positive for mapping differential"},
		{"levels 1", func(d *Design) { d.Synapse.Levels = 1 }, "synapse.levels: 1 level stores nothing"},
		{"levels too many", func(d *Design) { d.Synapse.Levels = MaxLevels + 1 }, "synapse.levels: 65537 exceeds the limit of 65536"},
		{"zero v_read", func(d *Design) { d.Input.VRead = Range{} }, "input.v_read: must be positive, found 0V"},
		{"zero step", func(d *Design) { d.StepPeriod = Range{} }, "step_period: must be positive, found 0s"},
		{"read longer than step", func(d *Design) { d.Input.TRead = Range{Lo: 1e-8, Hi: 2e-3} }, "input.t_read: a read of 2ms does not fit in step_period 1ms"},
		{"synop on analog", func(d *Design) { d.Synapse.SynopEnergy = Point(1e-12) }, "synapse.synop_energy: is set, but mapping differential has no energy per synaptic operation"},
		{"digital with conductance", func(d *Design) {
			d.Synapse = Synapse{Mapping: Digital, SynopEnergy: Point(1e-12), GMax: Point(1e-5)}
			d.Input = Input{}
			d.Readout.ADCEnergy = Range{}
			d.Sources = nil
		}, "synapse.g_max: is set, but mapping digital has no highest cell conductance"},
		{"digital with levels", func(d *Design) {
			d.Synapse = Synapse{Mapping: Digital, SynopEnergy: Point(1e-12), Levels: 4}
			d.Input = Input{}
			d.Readout.ADCEnergy = Range{}
			d.Sources = nil
		}, "synapse.levels: is 4, but mapping digital has no conductance levels"},
		{"digital with auto", func(d *Design) {
			d.Synapse = Synapse{Mapping: Digital, SynopEnergy: Point(1e-12), GPerUnitAuto: true}
			d.Input = Input{}
			d.Readout.ADCEnergy = Range{}
			d.Sources = nil
		}, "synapse.g_per_unit: is auto, but mapping digital has no conductances"},
		{"digital with pulse-width", func(d *Design) {
			d.Synapse = Synapse{Mapping: Digital, SynopEnergy: Point(1e-12)}
			d.Input = Input{Encoding: PulseWidth}
			d.Readout.ADCEnergy = Range{}
			d.Sources = nil
		}, "input.encoding: is pulse-width, but mapping digital drives no read voltage"},
		{"ideal auto unbounded", func(d *Design) {
			d.Synapse = Synapse{Mapping: Ideal, GPerUnitAuto: true}
		}, "synapse.g_per_unit: auto maps the largest |efficacy| to g_max − g_min, but g_max is not given"},
		{"source of unknown key", func(d *Design) { d.Sources["readout.adc"] = "x" }, "sources.readout.adc: is not a figure of the design; supported: synapse.mapping,"},
		{"source of name", func(d *Design) { d.Sources["name"] = "x" }, "sources.name: is not a figure"},
		{"empty source", func(d *Design) { d.Sources["step_period"] = " " }, "sources.step_period: is empty"},
		{"multi-line source", func(d *Design) { d.Sources["step_period"] = "a\nb" }, `sources.step_period: must be one line of printable text, found '\n'`},
		{"no file name", func(d *Design) { d.File = ""; d.Name = "" }, "design: name: is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := valid()
			tt.change(d)
			err := d.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want error containing %q", err, tt.want)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Errorf("error is not one line: %q", err)
			}
		})
	}
}

func TestValidateNil(t *testing.T) {
	var d *Design
	if err := d.Validate(); err == nil {
		t.Fatal("nil design validated")
	}
}

func TestRangedAndFigures(t *testing.T) {
	d := valid()
	d.Synapse.Variation = Range{Lo: 0, Hi: 0.1}
	if got, want := d.Ranged(), []string{"synapse.variation", "readout.adc_energy"}; !slices.Equal(got, want) {
		t.Errorf("Ranged() = %v, want %v", got, want)
	}
	want := []string{"synapse.g_per_unit", "synapse.g_min", "synapse.g_max", "synapse.levels",
		"synapse.variation", "synapse.read_noise", "input.v_read", "input.t_read", "input.dac_energy",
		"readout.adc_energy", "readout.neuron_energy", "plasticity.write_energy_per_event",
		"plasticity.write_energy_per_unit", "static_power", "step_period"}
	if got := d.Figures(); !slices.Equal(got, want) {
		t.Errorf("Figures() = %v, want %v", got, want)
	}
	// Under digital, adc_energy is still a range in the struct but not a figure of the design.
	d.Synapse = Synapse{Mapping: Digital, SynopEnergy: Range{Lo: 1, Hi: 2}}
	if got, want := d.Ranged(), []string{"synapse.synop_energy"}; !slices.Equal(got, want) {
		t.Errorf("digital Ranged() = %v, want %v", got, want)
	}
}

func TestKeyDim(t *testing.T) {
	tests := []struct {
		key string
		dim Dim
		ok  bool
	}{
		{"synapse.g_min", Conductance, true},
		{"input.v_read", Voltage, true},
		{"input.t_read", Time, true},
		{"readout.adc_energy", Energy, true},
		{"static_power", Power, true},
		{"synapse.variation", Dimensionless, true},
		{"synapse.levels", 0, false},
		{"name", 0, false},
		{"nope", 0, false},
	}
	for _, tt := range tests {
		if dim, ok := KeyDim(tt.key); dim != tt.dim || ok != tt.ok {
			t.Errorf("KeyDim(%q) = %v, %v; want %v, %v", tt.key, dim, ok, tt.dim, tt.ok)
		}
	}
}

func TestEnumStrings(t *testing.T) {
	tests := []struct{ got, want string }{
		{Ideal.String(), "ideal"}, {Differential.String(), "differential"}, {Digital.String(), "digital"},
		{Mapping(3).String(), "Mapping(3)"},
		{Amplitude.String(), "amplitude"}, {PulseWidth.String(), "pulse-width"},
		{Volatile.String(), "volatile"}, {Rewrite.String(), "rewrite"},
		{PerStep.String(), "per-step"}, {Clamp.String(), "clamp"}, {Refuse.String(), "refuse"},
		{Energy.String(), "an energy (J)"}, {Dim(99).String(), "Dim(99)"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if len(Mappings()) != 3 || len(Encodings()) != 2 || len(Elements()) != 2 || len(LambdaPolicies()) != 3 {
		t.Error("enum lists are incomplete")
	}
}

func TestRangeIsInterval(t *testing.T) {
	r := Range{Lo: 1, Hi: 2}
	if r.IsPoint() || !Point(3).IsPoint() || Point(3) != (Range{Lo: 3, Hi: 3}) {
		t.Error("IsPoint / Point")
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    Error
		want string
	}{
		{Error{File: "d.yaml", Line: 4, Key: "synapse.g_min", Msg: "bad"}, "design d.yaml:4: synapse.g_min: bad"},
		{Error{File: "d.yaml", Key: "name", Msg: "bad"}, "design d.yaml: name: bad"},
		{Error{File: "d.yaml", Msg: "bad"}, "design d.yaml: bad"},
		{Error{Line: 2, Msg: "bad"}, "design line 2: bad"},
		{Error{File: "a\nb.yaml", Key: "k\x00", Msg: "x\ry"}, `design a\nb.yaml: k\x00: x\ry`},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
}
