package design

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Mapping says how a signed efficacy w becomes hardware.
type Mapping uint8

const (
	// Ideal is the paper's model: one conductance G = g_per_unit·|w|.
	Ideal Mapping = iota
	// Differential is a pair G+ = g_min + g_per_unit·max(w,0),
	// G− = g_min + g_per_unit·max(−w,0); both cells conduct on a read.
	Differential
	// Digital is an event-driven digital chip (Loihi-like, or biology): no
	// conductances; each synaptic operation costs synop_energy.
	Digital
)

var mappingNames = [...]string{Ideal: "ideal", Differential: "differential", Digital: "digital"}

func (m Mapping) String() string { return enumString(mappingNames[:], uint8(m), "Mapping") }

// Mappings lists every mapping.
func Mappings() []Mapping { return []Mapping{Ideal, Differential, Digital} }

// Analog reports whether the mapping stores efficacies as conductances.
func (m Mapping) Analog() bool { return m == Ideal || m == Differential }

// Encoding says how a presynaptic value z drives a column.
type Encoding uint8

const (
	// Amplitude applies V = v_read·z for one read of t_read.
	Amplitude Encoding = iota
	// PulseWidth applies V = v_read for |z|·t_read.
	PulseWidth
)

var encodingNames = [...]string{Amplitude: "amplitude", PulseWidth: "pulse-width"}

func (e Encoding) String() string { return enumString(encodingNames[:], uint8(e), "Encoding") }

// Encodings lists every input encoding.
func Encodings() []Encoding { return []Encoding{Amplitude, PulseWidth} }

// Element is the device that holds the short-term (plastic) state.
type Element uint8

const (
	// Volatile decays by itself, for free; each synapse whose Hebbian
	// increment is nonzero is written.
	Volatile Element = iota
	// Rewrite holds its value (non-volatile or digital memory), so every
	// plastic synapse's new value, decay included, is written each step.
	Rewrite
)

var elementNames = [...]string{Volatile: "volatile", Rewrite: "rewrite"}

func (e Element) String() string { return enumString(elementNames[:], uint8(e), "Element") }

// Elements lists every plastic element.
func Elements() []Element { return []Element{Volatile, Rewrite} }

// LambdaPolicy is what an event-driven run does with trained decay factors λ
// outside [0, 1], which are not a passive decay λ^(Δt/Δt_step).
type LambdaPolicy uint8

const (
	// PerStep applies such λ once per network step, as the reference does.
	PerStep LambdaPolicy = iota
	// Clamp clamps λ into [0, 1].
	Clamp
	// Refuse makes the run fail when any λ is outside [0, 1].
	Refuse
)

var policyNames = [...]string{PerStep: "per-step", Clamp: "clamp", Refuse: "refuse"}

func (p LambdaPolicy) String() string { return enumString(policyNames[:], uint8(p), "LambdaPolicy") }

// LambdaPolicies lists every policy.
func LambdaPolicies() []LambdaPolicy { return []LambdaPolicy{PerStep, Clamp, Refuse} }

// Scope is which layers of a network the chip holds, and so which are priced.
type Scope uint8

const (
	// CoreScope prices the recurrent core alone, as the paper charges it:
	// front-end, readout and heads run elsewhere, exactly, for free.
	CoreScope Scope = iota
	// NetworkScope puts the whole network on the chip: every front-end layer
	// (a convolution as one crossbar read of its unrolled kernels per output
	// position), the core and every head are read through the design's
	// arrays and priced, with the front-end's activations as neurons.
	NetworkScope
)

var scopeNames = [...]string{CoreScope: "core", NetworkScope: "network"}

func (s Scope) String() string { return enumString(scopeNames[:], uint8(s), "Scope") }

// Scopes lists every scope.
func Scopes() []Scope { return []Scope{CoreScope, NetworkScope} }

func enumString(names []string, v uint8, typ string) string {
	if int(v) < len(names) {
		return names[v]
	}
	return fmt.Sprintf("%s(%d)", typ, v)
}

// Synapse is how efficacies are stored and read.
type Synapse struct {
	Mapping Mapping
	// GPerUnit is the conductance per unit of efficacy (S). When GPerUnitAuto
	// is set it is zero: the array's largest |efficacy| at programming time is
	// mapped to g_max − g_min.
	GPerUnit     Range
	GPerUnitAuto bool
	// GMin, GMax bound a cell's conductance (S). With the ideal mapping GMax
	// may be zero, meaning unbounded (the paper's model); Bounded tells.
	GMin, GMax Range
	// Levels is the number of programmable conductance levels per cell;
	// 0 means continuous.
	Levels int
	// Variation is the lognormal σ of device-to-device variation (dimensionless).
	Variation Range
	// ReadNoise is the relative σ of each read (dimensionless).
	ReadNoise Range
	// SynopEnergy is the energy of one synaptic operation (J), digital only.
	SynopEnergy Range
	// TSynop is the time of one synaptic operation (s), digital only: a
	// core works through its synaptic operations one after another.
	TSynop Range
}

// Bounded reports whether the conductance window has a finite g_max.
func (s Synapse) Bounded() bool { return s.GMax != Range{} }

// Input is how presynaptic values drive the array.
type Input struct {
	Encoding  Encoding
	VRead     Range // V
	TRead     Range // s
	DACEnergy Range // J per conversion of a nonzero presynaptic value
}

// Readout is the periphery of each postsynaptic row.
type Readout struct {
	ADCEnergy    Range // J per postsynaptic row read
	NeuronEnergy Range // J per activation evaluated
	TNeuron      Range // s per activation evaluated (all of a read's in parallel)
}

// Plasticity is how the short-term state is written.
type Plasticity struct {
	Element             Element
	WriteEnergyPerEvent Range // J per synapse written
	WriteEnergyPerUnit  Range // J per unit of |increment| written
	LambdaOutside       LambdaPolicy
	// Retention is the time constant τ (s) with which the volatile element
	// decays by itself; zero when the element is not modelled as a device
	// (the trained decay factors λ are used). When set, every plastic
	// synapse decays by its cell's own exp(−Δt/τ_cell).
	Retention Range
	// RetentionVariation is the lognormal σ of τ from cell to cell: τ_cell =
	// τ·exp(σ·N(0,1)), drawn once per cell from the design's seed.
	RetentionVariation Range
	// Endurance is the number of write cycles a cell survives (0: not given).
	Endurance Range
}

// Design is a hardware design: how a network's synapses, inputs and readout
// are built and what each event costs. Every figure is SI.
type Design struct {
	Name   string
	Source string // where the design as a whole comes from

	Synapse    Synapse
	Input      Input
	Readout    Readout
	Plasticity Plasticity

	// Array is how synaptic arrays are split over crossbar tiles (or, for a
	// digital chip, cores); the zero Array means one untiled array each.
	Array Array
	// Area holds the silicon area of each component (zero: not given).
	Area Footprint

	StaticPower Range // W, charged over simulated time
	StepPeriod  Range // s, the duration of one network step
	Seed        uint64
	// Scope is which layers the chip holds and prices (default: the core).
	Scope Scope

	// Sources maps the dotted key of a figure ("readout.adc_energy") to where
	// it comes from; figures that are assumptions say "[assumption]" and why,
	// derived figures "[derived]" with the arithmetic.
	Sources map[string]string
	// File is where the design was read from ("preset" for built-ins).
	File string
}

// use says whether a key may appear under a mapping.
type use uint8

const (
	optional use = iota
	required
	forbidden
)

// leafKind is how a key's value is written.
type leafKind uint8

const (
	kindText   leafKind = iota // a one-line string
	kindChoice                 // one word of a fixed list
	kindQuantity
	kindNumber // dimensionless, may be a range
	kindLevels
	kindSeed
	kindCount // a whole number of things (tiles, bits); 0 = absent
)

// leaf is one key of the design schema.
type leaf struct {
	key  string
	kind leafKind
	dim  Dim
	ohm  bool   // a conductance key that also accepts a resistance
	auto bool   // accepts the word "auto"
	use  [3]use // indexed by Mapping
	doc  string
	rng  func(d *Design) *Range // for kindQuantity and kindNumber
	role Role
	// absent marks an optional figure that is left out of a design when
	// zero (its zero value means "not modelled"): it needs no source then,
	// is not written, and does not enter SimulationKey.
	absent bool
	cnt    func(d *Design) *int // for kindCount
	max    int                  // for kindCount: the largest value
}

// all3 is the same use under every mapping.
func all3(u use) [3]use { return [3]use{u, u, u} }

// schema lists every key in the order files are written and checked.
var schema = []leaf{
	{key: "name", role: Meta, kind: kindText, use: all3(required), doc: "name of the design"},
	{key: "source", role: Meta, kind: kindText, use: all3(optional), doc: "where the design comes from"},

	{key: "synapse.mapping", role: Device, kind: kindChoice, use: all3(required), doc: "how efficacies become hardware"},
	{key: "synapse.g_per_unit", role: Device, kind: kindQuantity, dim: Conductance, auto: true,
		use: [3]use{required, required, forbidden}, doc: "conductance per unit of efficacy, or auto",
		rng: func(d *Design) *Range { return &d.Synapse.GPerUnit }},
	{key: "synapse.g_min", role: Device, kind: kindQuantity, dim: Conductance, ohm: true,
		use: [3]use{optional, required, forbidden}, doc: "lowest cell conductance",
		rng: func(d *Design) *Range { return &d.Synapse.GMin }},
	{key: "synapse.g_max", role: Device, kind: kindQuantity, dim: Conductance, ohm: true,
		use: [3]use{optional, required, forbidden}, doc: "highest cell conductance",
		rng: func(d *Design) *Range { return &d.Synapse.GMax }},
	{key: "synapse.levels", role: Device, kind: kindLevels, use: [3]use{optional, optional, forbidden},
		doc: "conductance levels per cell, 0 = continuous"},
	{key: "synapse.variation", role: Device, kind: kindNumber, use: [3]use{optional, optional, forbidden},
		doc: "lognormal σ of device-to-device variation",
		rng: func(d *Design) *Range { return &d.Synapse.Variation }},
	{key: "synapse.read_noise", role: Device, kind: kindNumber, use: [3]use{optional, optional, forbidden},
		doc: "relative σ of each read",
		rng: func(d *Design) *Range { return &d.Synapse.ReadNoise }},
	{key: "synapse.synop_energy", role: Price, kind: kindQuantity, dim: Energy,
		use: [3]use{forbidden, forbidden, required}, doc: "energy per synaptic operation",
		rng: func(d *Design) *Range { return &d.Synapse.SynopEnergy }},
	{key: "synapse.t_synop", role: Price, kind: kindQuantity, dim: Time, absent: true,
		use: [3]use{forbidden, forbidden, optional}, doc: "time of one synaptic operation",
		rng: func(d *Design) *Range { return &d.Synapse.TSynop }},

	{key: "input.encoding", role: Price, kind: kindChoice, use: [3]use{required, required, forbidden},
		doc: "amplitude or pulse-width"},
	{key: "input.v_read", role: Price, kind: kindQuantity, dim: Voltage, use: [3]use{required, required, forbidden},
		doc: "read voltage for z = 1", rng: func(d *Design) *Range { return &d.Input.VRead }},
	{key: "input.t_read", role: Price, kind: kindQuantity, dim: Time, use: [3]use{required, required, forbidden},
		doc: "read duration for z = 1", rng: func(d *Design) *Range { return &d.Input.TRead }},
	{key: "input.dac_energy", role: Price, kind: kindQuantity, dim: Energy, use: all3(required),
		doc: "energy per conversion of a nonzero presynaptic value",
		rng: func(d *Design) *Range { return &d.Input.DACEnergy }},

	{key: "readout.adc_energy", role: Price, kind: kindQuantity, dim: Energy, use: [3]use{required, required, forbidden},
		doc: "energy per postsynaptic row read", rng: func(d *Design) *Range { return &d.Readout.ADCEnergy }},
	{key: "readout.neuron_energy", role: Price, kind: kindQuantity, dim: Energy, use: all3(required),
		doc: "energy per activation evaluated", rng: func(d *Design) *Range { return &d.Readout.NeuronEnergy }},
	{key: "readout.t_neuron", role: Price, kind: kindQuantity, dim: Time, use: all3(optional), absent: true,
		doc: "time to evaluate the activations of one read", rng: func(d *Design) *Range { return &d.Readout.TNeuron }},

	{key: "plasticity.element", role: Price, kind: kindChoice, use: all3(required), doc: "volatile or rewrite"},
	{key: "plasticity.write_energy_per_event", role: Price, kind: kindQuantity, dim: Energy, use: all3(required),
		doc: "energy per plastic synapse written",
		rng: func(d *Design) *Range { return &d.Plasticity.WriteEnergyPerEvent }},
	{key: "plasticity.write_energy_per_unit", role: Price, kind: kindQuantity, dim: Energy, use: all3(required),
		doc: "energy per unit of |increment| written",
		rng: func(d *Design) *Range { return &d.Plasticity.WriteEnergyPerUnit }},
	{key: "plasticity.lambda_outside", role: Device, kind: kindChoice, use: all3(optional),
		doc: "per-step, clamp or refuse for trained λ outside [0, 1]"},
	{key: "plasticity.retention", role: Device, kind: kindQuantity, dim: Time, use: all3(optional), absent: true,
		doc: "retention time constant τ of the volatile element",
		rng: func(d *Design) *Range { return &d.Plasticity.Retention }},
	{key: "plasticity.retention_variation", role: Device, kind: kindNumber, use: all3(optional), absent: true,
		doc: "lognormal σ of the retention τ from cell to cell",
		rng: func(d *Design) *Range { return &d.Plasticity.RetentionVariation }},
	{key: "plasticity.endurance", role: Price, kind: kindNumber, use: all3(optional), absent: true,
		doc: "write cycles a plastic cell survives",
		rng: func(d *Design) *Range { return &d.Plasticity.Endurance }},

	{key: "array.rows", role: Device, kind: kindCount, use: all3(optional), absent: true, max: MaxTile,
		doc: "crossbar rows per tile (inputs × cells per synapse); cores: inputs per core",
		cnt: func(d *Design) *int { return &d.Array.Rows }},
	{key: "array.cols", role: Device, kind: kindCount, use: all3(optional), absent: true, max: MaxTile,
		doc: "crossbar columns per tile (postsynaptic outputs); cores: neurons per core",
		cnt: func(d *Design) *int { return &d.Array.Cols }},
	{key: "array.cols_per_adc", role: Price, kind: kindCount, use: [3]use{optional, optional, forbidden}, absent: true,
		max: MaxTile, doc: "columns that share one ADC", cnt: func(d *Design) *int { return &d.Array.ColsPerADC }},
	{key: "array.adc_bits", role: Device, kind: kindCount, use: [3]use{optional, optional, forbidden}, absent: true,
		max: MaxADCBits, doc: "ADC resolution that quantises each column partial sum",
		cnt: func(d *Design) *int { return &d.Array.ADCBits }},
	{key: "array.adc_fom", role: Price, kind: kindQuantity, dim: Energy, use: [3]use{optional, optional, forbidden},
		absent: true, doc: "Walden figure of merit per conversion step (adc energy = fom·2^adc_bits)",
		rng: func(d *Design) *Range { return &d.Array.ADCFOM }},
	{key: "array.t_conversion", role: Price, kind: kindQuantity, dim: Time, use: [3]use{optional, optional, forbidden},
		absent: true, doc: "time of one ADC conversion", rng: func(d *Design) *Range { return &d.Array.TConversion }},
	{key: "array.add_energy", role: Price, kind: kindQuantity, dim: Energy, use: all3(optional), absent: true,
		doc: "energy of one digital add of partial sums", rng: func(d *Design) *Range { return &d.Array.AddEnergy }},
	{key: "array.t_add", role: Price, kind: kindQuantity, dim: Time, use: all3(optional), absent: true,
		doc: "time of one level of the partial-sum adder tree", rng: func(d *Design) *Range { return &d.Array.TAdd }},

	{key: "area.feature_size", role: Price, kind: kindQuantity, dim: Length, use: [3]use{optional, optional, forbidden},
		absent: true, doc: "feature size F of the cell area", rng: func(d *Design) *Range { return &d.Area.FeatureSize }},
	{key: "area.cell_f2", role: Price, kind: kindNumber, use: [3]use{optional, optional, forbidden}, absent: true,
		doc: "cell area in F²", rng: func(d *Design) *Range { return &d.Area.CellF2 }},
	{key: "area.cell", role: Price, kind: kindQuantity, dim: Area, use: [3]use{optional, optional, forbidden}, absent: true,
		doc: "area of one crossbar cell", rng: func(d *Design) *Range { return &d.Area.Cell }},
	{key: "area.adc", role: Price, kind: kindQuantity, dim: Area, use: [3]use{optional, optional, forbidden}, absent: true,
		doc: "area of one ADC", rng: func(d *Design) *Range { return &d.Area.ADC }},
	{key: "area.dac", role: Price, kind: kindQuantity, dim: Area, use: [3]use{optional, optional, forbidden}, absent: true,
		doc: "area of one row driver (DAC)", rng: func(d *Design) *Range { return &d.Area.DAC }},
	{key: "area.neuron", role: Price, kind: kindQuantity, dim: Area, use: all3(optional), absent: true,
		doc: "area of one activation circuit", rng: func(d *Design) *Range { return &d.Area.Neuron }},
	{key: "area.adder", role: Price, kind: kindQuantity, dim: Area, use: all3(optional), absent: true,
		doc: "area of one partial-sum adder", rng: func(d *Design) *Range { return &d.Area.Adder }},
	{key: "area.tile", role: Price, kind: kindQuantity, dim: Area, use: all3(optional), absent: true,
		doc: "area per tile (or core) beyond the listed components", rng: func(d *Design) *Range { return &d.Area.Tile }},

	{key: "static_power", role: Price, kind: kindQuantity, dim: Power, use: all3(required),
		doc: "static power over simulated time", rng: func(d *Design) *Range { return &d.StaticPower }},
	{key: "step_period", role: Timing, kind: kindQuantity, dim: Time, use: all3(required),
		doc: "duration of one network step", rng: func(d *Design) *Range { return &d.StepPeriod }},
	{key: "seed", role: Device, kind: kindSeed, use: all3(optional), doc: "seed of device variation and read noise"},
	{key: "scope", role: Device, kind: kindChoice, use: all3(optional),
		doc: "core (as the paper) or network: the layers the chip holds and prices"},
}

// Role says how a figure enters the results, and so what a change of it
// costs: a Price only scales counts (re-priced from a stored run); a Device
// figure changes what the network computes or what is counted (a new run).
type Role uint8

const (
	// Meta keys (name, source) describe the design and change no result.
	Meta Role = iota
	// Price figures turn counts into joules: every per-event energy, the
	// read voltage and time, static power, the input encoding and the
	// plasticity element (whose write counts are kept for both kinds).
	// The chip-budget figures that are derived from counts without a new
	// run — times, areas, columns per ADC, the ADC figure of merit,
	// endurance — are Price figures too.
	Price
	// Device figures change the computation: the mapping and conductance
	// window, levels, variation, read noise, the seed of their draws, the
	// policy for λ outside [0, 1], the tile size (which sets how many
	// conversions and adds are counted), ADC bits, the retention of the
	// volatile element, and the scope (which layers are read through the
	// chip's arrays and counted).
	Device
	// Timing is step_period: a price for dense (clocked) inputs, where it
	// only converts steps into static time, and a device figure for event
	// streams, where it sets the decay between events.
	Timing
)

var roleNames = [...]string{Meta: "meta", Price: "price", Device: "device", Timing: "timing"}

func (r Role) String() string { return enumString(roleNames[:], uint8(r), "Role") }

// KeyRole returns the role of a dotted design key; ok is false for an
// unknown key.
func KeyRole(key string) (r Role, ok bool) {
	l := leafOf(key)
	if l == nil {
		return 0, false
	}
	return l.role, true
}

// Keys lists every dotted key of the schema in file order.
func Keys() []string {
	keys := make([]string, len(schema))
	for i := range schema {
		keys[i] = schema[i].key
	}
	return keys
}

// sections are the top-level keys that hold mappings of their own and that
// every design has, in order; optionalSections may be left out.
var (
	sections         = []string{"synapse", "input", "readout", "plasticity"}
	optionalSections = []string{"array", "area"}
)

// sourcesKey is the top-level mapping of figure sources.
const sourcesKey = "sources"

func leafOf(key string) *leaf {
	for i := range schema {
		if schema[i].key == key {
			return &schema[i]
		}
	}
	return nil
}

// KeyDim returns the physical dimension of a quantity key ("readout.adc_energy"
// → Energy); ok is false for keys that are not quantities.
func KeyDim(key string) (dim Dim, ok bool) {
	l := leafOf(key)
	if l == nil || (l.kind != kindQuantity && l.kind != kindNumber) {
		return 0, false
	}
	return l.dim, true
}

// figure reports whether a leaf is a numeric figure that needs a source.
func (l *leaf) figure() bool {
	return l.kind == kindQuantity || l.kind == kindNumber || l.kind == kindLevels || l.kind == kindCount
}

// present reports whether an optional figure is part of d (nonzero), and
// readout.adc_energy whether it is given rather than derived from
// array.adc_fom. Every other key is always present.
func (l *leaf) present(d *Design) bool {
	switch {
	case l.key == "readout.adc_energy":
		return d.Readout.ADCEnergy != Range{} || d.Array.ADCFOM == Range{}
	case !l.absent:
		return true
	case l.cnt != nil:
		return *l.cnt(d) != 0
	}
	return *l.rng(d) != Range{}
}

// applies reports whether the leaf may appear in a design with mapping m.
func (l *leaf) applies(m Mapping) bool { return int(m) < 3 && l.use[m] != forbidden }

// Figures lists the dotted keys of the numeric figures that apply to the
// design's mapping, in schema order. Each needs a source in a preset.
func (d *Design) Figures() []string {
	var keys []string
	for i := range schema {
		if l := &schema[i]; l.figure() && l.applies(d.Synapse.Mapping) && l.present(d) {
			keys = append(keys, l.key)
		}
	}
	return keys
}

// Ranged lists the dotted keys of the figures that are ranges, in schema order.
func (d *Design) Ranged() []string {
	var keys []string
	for i := range schema {
		l := &schema[i]
		if l.rng != nil && l.applies(d.Synapse.Mapping) && !l.rng(d).IsPoint() {
			keys = append(keys, l.key)
		}
	}
	return keys
}

// MaxLevels bounds synapse.levels (16 bits per cell is far beyond any device).
const MaxLevels = 1 << 16

// MaxName and MaxSource bound the lengths of names and source texts.
const (
	MaxName   = 64
	MaxSource = 1024
)

// Validate checks every figure of the design and their consistency. A design
// from Parse has passed it; designs built in code should call it.
func (d *Design) Validate() error {
	if d == nil {
		return &Error{File: "design", Msg: "nil design"}
	}
	e := func(key, format string, args ...any) error {
		return &Error{File: d.fileName(), Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	if err := checkName(d.Name); err != nil {
		return e("name", "%v", err)
	}
	if err := checkText(d.Source); err != nil {
		return e("source", "%v", err)
	}
	s, m := &d.Synapse, d.Synapse.Mapping
	if int(m) >= len(mappingNames) {
		return e("synapse.mapping", "%v is not a mapping; supported: %s", m, list(mappingNames[:]))
	}
	if int(d.Input.Encoding) >= len(encodingNames) {
		return e("input.encoding", "%v is not an encoding; supported: %s", d.Input.Encoding, list(encodingNames[:]))
	}
	if int(d.Plasticity.Element) >= len(elementNames) {
		return e("plasticity.element", "%v is not an element; supported: %s", d.Plasticity.Element, list(elementNames[:]))
	}
	if int(d.Scope) >= len(scopeNames) {
		return e("scope", "%v is not a scope; supported: %s", d.Scope, list(scopeNames[:]))
	}
	if int(d.Plasticity.LambdaOutside) >= len(policyNames) {
		return e("plasticity.lambda_outside", "%v is not a policy; supported: %s",
			d.Plasticity.LambdaOutside, list(policyNames[:]))
	}
	// Every range: finite, ordered, non-negative; zero where the mapping has no use for it.
	for i := range schema {
		l := &schema[i]
		if l.rng == nil {
			continue
		}
		r := *l.rng(d)
		if !l.applies(m) {
			if r != (Range{}) {
				return e(l.key, "is set, but mapping %v has no %s", m, l.doc)
			}
			continue
		}
		if err := checkRange(r, l.dim); err != nil {
			return e(l.key, "%v", err)
		}
	}
	if !m.Analog() {
		if s.GPerUnitAuto {
			return e("synapse.g_per_unit", "is auto, but mapping %v has no conductances", m)
		}
		if s.Levels != 0 {
			return e("synapse.levels", "is %d, but mapping %v has no conductance levels", s.Levels, m)
		}
		if d.Input.Encoding != Amplitude {
			return e("input.encoding", "is %v, but mapping %v drives no read voltage", d.Input.Encoding, m)
		}
	} else {
		if err := d.checkAnalog(); err != nil {
			return err
		}
	}
	if d.StepPeriod.Lo <= 0 {
		return e("step_period", "must be positive, found %s", formatRange(d.StepPeriod, Time))
	}
	if err := d.checkChip(); err != nil {
		return err
	}
	return d.checkSources()
}

// checkAnalog checks the conductance window, levels and read of the ideal and
// differential mappings.
func (d *Design) checkAnalog() error {
	s, m := &d.Synapse, d.Synapse.Mapping
	e := func(key, format string, args ...any) error {
		return &Error{File: d.fileName(), Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case s.GPerUnitAuto && s.GPerUnit != Range{}:
		return e("synapse.g_per_unit", "is auto and %s at once", formatRange(s.GPerUnit, Conductance))
	case !s.GPerUnitAuto && s.GPerUnit.Lo <= 0:
		return e("synapse.g_per_unit", "must be positive (or auto), found %s", formatRange(s.GPerUnit, Conductance))
	}
	if !s.Bounded() {
		switch {
		case m == Differential:
			return e("synapse.g_max", "must be positive for mapping %v, found 0S", m)
		case s.GPerUnitAuto:
			return e("synapse.g_per_unit", "auto maps the largest |efficacy| to g_max − g_min, but g_max is not given")
		case s.Levels != 0:
			return e("synapse.levels", "%d levels need a finite g_max to lie between", s.Levels)
		}
	} else {
		if s.GMax.Lo <= 0 {
			return e("synapse.g_max", "must be positive, found %s", formatRange(s.GMax, Conductance))
		}
		if s.GMin.Hi > s.GMax.Lo {
			return e("synapse.g_min", "%s exceeds g_max %s", describeHigh(s.GMin), describeLow(s.GMax))
		}
		if s.GPerUnitAuto && s.GMin.Hi == s.GMax.Lo {
			return e("synapse.g_per_unit", "auto needs g_max > g_min, found both %s", formatQuantity(s.GMax.Lo, Conductance))
		}
	}
	if s.Levels < 0 || s.Levels == 1 || s.Levels > MaxLevels {
		return e("synapse.levels", "%s", levelsProblem(int64(s.Levels)))
	}
	if d.Input.VRead.Lo <= 0 {
		return e("input.v_read", "must be positive, found %s", formatRange(d.Input.VRead, Voltage))
	}
	if d.Input.TRead.Lo <= 0 {
		return e("input.t_read", "must be positive, found %s", formatRange(d.Input.TRead, Time))
	}
	if d.StepPeriod.Lo > 0 && d.Input.TRead.Hi > d.StepPeriod.Lo {
		return e("input.t_read", "a read of %s does not fit in step_period %s",
			formatQuantity(d.Input.TRead.Hi, Time), formatQuantity(d.StepPeriod.Lo, Time))
	}
	return nil
}

func describeHigh(r Range) string {
	if r.IsPoint() {
		return formatQuantity(r.Hi, Conductance)
	}
	return "(up to " + formatQuantity(r.Hi, Conductance) + ")"
}

func describeLow(r Range) string {
	if r.IsPoint() {
		return formatQuantity(r.Lo, Conductance)
	}
	return "(from " + formatQuantity(r.Lo, Conductance) + ")"
}

// levelsProblem explains an invalid number of levels.
func levelsProblem(n int64) string {
	switch {
	case n < 0:
		return fmt.Sprintf("%d is negative; want 0 (continuous) or 2 to %d", n, MaxLevels)
	case n == 1:
		return fmt.Sprintf("1 level stores nothing; want 0 (continuous) or 2 to %d", MaxLevels)
	default:
		return fmt.Sprintf("%d exceeds the limit of %d", n, MaxLevels)
	}
}

// checkRange checks one figure: finite, low ≤ high, non-negative.
func checkRange(r Range, dim Dim) error {
	for _, v := range []float64{r.Lo, r.Hi} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%v is not a finite number", v)
		}
	}
	if r.Lo > r.Hi {
		return fmt.Errorf("range low %s is above high %s", formatRange(Point(r.Lo), dim), formatRange(Point(r.Hi), dim))
	}
	if r.Lo < 0 {
		return fmt.Errorf("%s is negative", formatRange(r, dim))
	}
	return nil
}

// checkSources checks that every source names a figure of this design and
// says something.
func (d *Design) checkSources() error {
	for _, k := range sortedKeys(d.Sources) {
		l := leafOf(k)
		if l == nil || l.key == "name" || l.key == "source" {
			return &Error{File: d.fileName(), Key: sourcesKey + "." + k,
				Msg: "is not a figure of the design; supported: " + strings.Join(sourceKeys(d.Synapse.Mapping), ", ")}
		}
		if !l.applies(d.Synapse.Mapping) {
			return &Error{File: d.fileName(), Key: sourcesKey + "." + k,
				Msg: fmt.Sprintf("mapping %v has no %s", d.Synapse.Mapping, l.doc)}
		}
		if strings.TrimSpace(d.Sources[k]) == "" {
			return &Error{File: d.fileName(), Key: sourcesKey + "." + k, Msg: "is empty"}
		}
		if err := checkText(d.Sources[k]); err != nil {
			return &Error{File: d.fileName(), Key: sourcesKey + "." + k, Msg: err.Error()}
		}
	}
	return nil
}

// sourceKeys lists the keys that may carry a source under mapping m.
func sourceKeys(m Mapping) []string {
	var keys []string
	for i := range schema {
		if l := &schema[i]; l.key != "name" && l.key != "source" && l.applies(m) {
			keys = append(keys, l.key)
		}
	}
	return keys
}

// sortedKeys returns the keys of m in schema order, unknown keys last (sorted),
// so that checks and output never depend on map order.
func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for i := range schema {
		if _, ok := m[schema[i].key]; ok {
			keys = append(keys, schema[i].key)
		}
	}
	var rest []string
	for k := range m {
		if leafOf(k) == nil {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(keys, rest...)
}

// checkName accepts short names of letters, digits and . _ + -, starting with
// a letter or digit: names appear in tables, file names and CSV columns.
func checkName(s string) error {
	if s == "" {
		return fmt.Errorf("is empty")
	}
	if len(s) > MaxName {
		return fmt.Errorf("is %d bytes long, the limit is %d", len(s), MaxName)
	}
	for i, r := range s {
		ok := r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) ||
			(i > 0 && strings.ContainsRune("._+-", r)))
		if !ok {
			return fmt.Errorf("%q: want letters, digits and . _ + - (starting with a letter or digit)", s)
		}
	}
	return nil
}

// checkText accepts one line of printable UTF-8 of bounded length.
func checkText(s string) error {
	if len(s) > MaxSource {
		return fmt.Errorf("is %d bytes long, the limit is %d", len(s), MaxSource)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("is not valid UTF-8")
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("must be one line of printable text, found %q", r)
		}
	}
	return nil
}

func list(names []string) string { return strings.Join(names, ", ") }

func (d *Design) fileName() string {
	if d.File == "" {
		return "design"
	}
	return d.File
}
