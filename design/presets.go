package design

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// Sources of the presets: the publications and model libraries their figures come from.
const (
	srcPaper     = "Rodriguez, Guo & Moraitis, ICML 2022"
	srcNeuroSim  = "DNN+NeuroSim V1.4 Param.cpp"
	srcISAAC     = "Accelergy library isaac.py (ISAAC)"
	srcNeuRRAMpy = "Accelergy library neurram.py"
	srcCiMLoop   = "CiMLoop rram_wan_nature_2022.cell.yaml (NeuRRAM, Wan et al., Nature 2022)"
	srcAIHWKit   = "IBM aihwkit"
	srcNVMExpl   = "Accelergy library nvmexplorer_PCM.cell (NVMExplorer)"
	srcTIMELY    = "Accelergy library timely.py (TIMELY)"
	srcDavies    = "Davies et al., IEEE Micro 2018, Table 2"
	srcKeras     = "nengo/keras-spiking model_energy.py"
	srcAttwell   = "Attwell & Laughlin, J Cereb Blood Flow Metab 2001"

	assumeStep = "[assumption] a 1 kHz network step, a round rate at which to ask the chip-budget questions"

	srcNeuroSimArea = "DNN+NeuroSim V1.4 Param.cpp"
	srcCiMNeuRRAM   = "CiMLoop wan_nature_2022 macro (variables_free.yaml, arch.yaml)"
	srcDaviesText   = "Davies et al., IEEE Micro 2018"
	srcWalden       = "Walden, IEEE JSAC 17(4) 1999: energy per conversion = FOM·2^ENOB"
	srcWangDiff     = "Wang et al., Nature Materials 16, 101 (2017), Ag:SiOxNy diffusive memristor"
	srcRicci        = "Ricci et al., Neuromorph. Comput. Eng. 3, 044004 (2023), Ag-based volatile memristor with electrically tunable retention"
	assumeStatic    = "[assumption] leakage not modelled: no published static figure was collected for this design"
)

// Presets returns the built-in designs, in a stable order. Each call builds
// new values, so callers may change what they get.
func Presets() []*Design {
	return []*Design{paper(), rramNeuroSim(), rramNeuRRAM(), pcm(), loihi(), biology(), stpDiffusive()}
}

// PresetNames lists the names of the built-in designs, in Presets order.
func PresetNames() []string {
	var names []string
	for _, d := range Presets() {
		names = append(names, d.Name)
	}
	return names
}

// Lookup returns the preset called nameOrPath, or else the design file at
// that path (write "./paper" for a file that shares a preset's name).
// Anything else is an error that lists the presets.
func Lookup(nameOrPath string) (*Design, error) {
	for _, d := range Presets() {
		if d.Name == nameOrPath {
			return d, nil
		}
	}
	if _, err := os.Stat(nameOrPath); errors.Is(err, fs.ErrNotExist) || nameOrPath == "" {
		return nil, &Error{File: nameOrPath, Msg: fmt.Sprintf(
			"no preset of that name and no such file; presets: %s", strings.Join(PresetNames(), ", "))}
	}
	return Load(nameOrPath)
}

func preset(d *Design) *Design {
	d.File = "preset"
	d.Seed = 1
	return d
}

// paper is the paper's dimensionless model made physical: G = 1 S per unit of
// |efficacy|, V = z volts for 1 s, so a synapse read costs G·V²·t = |w|·z²
// joules, numerically the paper's energy. Nothing else is charged.
func paper() *Design {
	const none = "the paper counts synaptic reads only"
	return preset(&Design{
		Name:       "paper",
		Source:     srcPaper + ": energy per step = Σ z_f²·|efficacy_hf|",
		Synapse:    Synapse{Mapping: Ideal, GPerUnit: Point(1)},
		Input:      Input{Encoding: Amplitude, VRead: Point(1), TRead: Point(1)},
		Plasticity: Plasticity{Element: Volatile},
		StepPeriod: Point(1),
		Sources: map[string]string{
			"synapse.mapping":    srcPaper + ": a synapse is a conductance |efficacy|",
			"synapse.g_per_unit": srcPaper + ": conductance = |efficacy|, so 1 S per unit",
			"synapse.g_min":      srcPaper + ": no conductance offset",
			"synapse.g_max":      srcPaper + ": no ceiling on |efficacy|",
			"synapse.levels":     srcPaper + ": continuous (floating-point) efficacies",
			"synapse.variation":  srcPaper + ": ideal devices",
			"synapse.read_noise": srcPaper + ": ideal devices",
			"input.encoding":     srcPaper + ": the voltage equals the presynaptic value",
			"input.v_read":       srcPaper + ": the voltage equals the presynaptic value, 1 V per unit",
			"input.t_read":       "1 s, so that G·V²·t equals the paper's z²·|w| [derived]",
			"input.dac_energy":   none,
			"readout.adc_energy": none, "readout.neuron_energy": none,
			"plasticity.element":                none + "; passive decay is free",
			"plasticity.write_energy_per_event": none, "plasticity.write_energy_per_unit": none,
			"static_power": none,
			"step_period":  "1 s: one read of t_read per network step",
		},
	})
}

// rramNeuroSim is a 22 nm RRAM crossbar with DNN+NeuroSim V1.4's default cell.
func rramNeuroSim() *Design {
	return preset(&Design{
		Name:   "rram-neurosim",
		Source: "22 nm RRAM: " + srcNeuroSim + "; converters from the Accelergy library",
		Synapse: Synapse{
			Mapping: Differential, GPerUnitAuto: true,
			GMin: Point(1 / 1.7e6), GMax: Point(1 / 100e3), Levels: 32,
		},
		Input: Input{Encoding: Amplitude, VRead: Point(0.55), TRead: Point(10e-9), DACEnergy: Point(0.417e-12)},
		Readout: Readout{
			ADCEnergy:    Range{Lo: 47e-15, Hi: 0.99e-12},
			NeuronEnergy: Point(0.25e-12),
		},
		Plasticity: Plasticity{
			Element:             Rewrite,
			WriteEnergyPerEvent: Range{Lo: 0.6e-12, Hi: 16.0 / 240e3 * 50e-9},
		},
		Array:      neuroSimArray(),
		Area:       neuroSimArea(),
		StepPeriod: Point(1e-3),
		Sources: withNeuroSimChip(map[string]string{
			"synapse.mapping": "[assumption] signed weights as a differential pair G+ − G− " +
				"(NeuroSim V1.4 itself slices weights over 1-bit cells, cellBit = 1)",
			"synapse.g_per_unit": "[assumption] auto: the largest |efficacy| uses the whole window g_max − g_min",
			"synapse.g_min":      "[derived] 1/R_off = 1/1.7 MΩ; " + srcNeuroSim + " resistanceOff = 100e3*17",
			"synapse.g_max":      "[derived] 1/R_on = 1/100 kΩ; " + srcNeuroSim + " resistanceOn = 100e3",
			"synapse.levels": "[assumption] 32 levels (5 bits) per cell, matching NeuroSim V1.4's 5-bit ADC " +
				"(levelOutput = 32); its default cell is binary (cellBit = 1)",
			"synapse.variation":  "[assumption] not modelled: no published variation figure was collected for this cell",
			"synapse.read_noise": "[assumption] not modelled: no published read-noise figure was collected for this cell",
			"input.encoding": "[assumption] one analog read per input; NeuroSim and ISAAC stream input bits " +
				"serially, which this model does not represent",
			"input.v_read":     srcNeuroSim + " readVoltage = 0.55 at technode 22",
			"input.t_read":     srcNeuroSim + " readPulseWidth = 10e-9",
			"input.dac_energy": "1-bit DAC, " + srcISAAC + "; [assumption] one conversion per nonzero input",
			"readout.adc_energy": "5-bit ADC: low 47 fJ, DNN+NeuroSim V1.4 SarADC.cpp 5-bit SAR + column at 22 nm " +
				"[derived] (published NeuroSim figures: 47–119 fJ); high 0.99 pJ, ISAAC ADC scaled to 5 bit at 32 nm, " + srcISAAC,
			"readout.neuron_energy": "[assumption] the NeuRRAM analog integrator (0.25 pJ, " + srcNeuRRAMpy +
				") stands in for the activation circuit; no published NeuroSim figure was collected",
			"plasticity.element": "[assumption] RRAM is non-volatile: the decayed state is rewritten every step",
			"plasticity.write_energy_per_event": "low 0.6 pJ: SET/RESET pulse 2 V × 10 ns, Accelergy library " +
				"nvsim_RRAM.cell (NVSim); high 3.33 pJ [derived]: DNN+NeuroSim V2.1 write pulse 4 V × 50 ns " +
				"at R_on 240 kΩ, V²/R·t = 16/240e3 × 50e-9 J",
			"plasticity.write_energy_per_unit": "[assumption] one fixed pulse per write, whatever the increment",
			"static_power":                     assumeStatic,
			"step_period":                      assumeStep,
		}),
	})
}

// neuroSimArray is DNN+NeuroSim V1.4's default subarray with ISAAC's
// converter timing and shift-and-add.
func neuroSimArray() Array {
	return Array{
		Rows: 128, Cols: 128, ColsPerADC: 8,
		TConversion: Point(1 / 1.2e9),
		AddEnergy:   Point(0.021e-12), TAdd: Point(1 / 1.2e9),
	}
}

// neuroSimArea is the NeuroSim V1.4 1T1R cell at 22 nm with ISAAC's
// converters and shift-and-add and NeuRRAM's integrator as the neuron.
func neuroSimArea() Footprint {
	return Footprint{
		FeatureSize: Point(40e-9), CellF2: Point(48),
		ADC: Point(476.91e-12), DAC: Point(0.166015625e-12),
		Neuron: Point(350e-12), Adder: Point(60e-12),
	}
}

// withNeuroSimChip adds the sources of neuroSimArray and neuroSimArea.
func withNeuroSimChip(m map[string]string) map[string]string {
	m["array.rows"] = srcNeuroSimArea + " numRowSubArray = 128 (crossbar rows per subarray)"
	m["array.cols"] = srcNeuroSimArea + " numColSubArray = 128"
	m["array.cols_per_adc"] = srcNeuroSimArea + " numColMuxed = 8 (columns that share one ADC)"
	m["array.t_conversion"] = "[derived] 1/1.2 GS/s = 0.833 ns, the ISAAC 8-bit SAR ADC of " + srcISAAC +
		" (Kull et al., ISSCC 2013); [assumption] the same rate for the 5-bit ADC"
	m["array.add_energy"] = "shift-and-add 0.021 pJ, " + srcISAAC
	m["array.t_add"] = "[derived] 1/1.2 GHz = 0.833 ns, the shift-and-add latency of " + srcISAAC
	m["area.feature_size"] = srcNeuroSimArea + " technode 22: featuresize = wireWidth 40 nm"
	m["area.cell_f2"] = "[derived] 1T1R cell 4 F × 12 F = 48 F², " + srcNeuroSimArea + " heightInFeatureSize1T1R, widthInFeatureSize1T1R"
	m["area.adc"] = "5-bit SAR ADC 476.91 µm² at 32 nm (ISAAC ADC scaled), " + srcISAAC + "; [assumption] not scaled to 22 nm"
	m["area.dac"] = "1-bit DAC 0.166 µm² (170 µm² / 128 / 8), " + srcISAAC
	m["area.neuron"] = "[assumption] the NeuRRAM analog integrator (350 µm² at 130 nm, " + srcNeuRRAMpy + ") stands in, as for its energy"
	m["area.adder"] = "shift-and-add 60 µm² at 32 nm, " + srcISAAC
	return m
}

// rramNeuRRAM is an RRAM crossbar with the NeuRRAM chip's cell and periphery.
func rramNeuRRAM() *Design {
	const setV, setT = 1.75, 8.52e-6 // set pulse, CiMLoop cell file
	return preset(&Design{
		Name:   "rram-neurram",
		Source: "NeuRRAM (Wan et al., Nature 2022) as modelled by CiMLoop and the Accelergy library",
		Synapse: Synapse{
			Mapping: Differential, GPerUnitAuto: true,
			GMin: Point(1 / 1e6), GMax: Point(1 / 250e3), Levels: 16,
		},
		Input: Input{Encoding: PulseWidth, VRead: Point(0.5), TRead: Point(2e-9), DACEnergy: Point(0.0375e-12)},
		Readout: Readout{
			ADCEnergy:    Point(1.5e-12),
			NeuronEnergy: Point(0.25e-12),
			TNeuron:      Point(0.27e-6),
		},
		Array: Array{
			Rows: 256, Cols: 256, ColsPerADC: 1,
			TConversion: Range{Lo: 0.3e-6, Hi: 8 * 0.3e-6},
			AddEnergy:   Point(0.1e-12),
		},
		Area: Footprint{
			FeatureSize: Point(130e-9), CellF2: Point(125.73964497),
			ADC: Point(400e-12), Neuron: Point(350e-12), Adder: Point(170e-12),
		},
		Plasticity: Plasticity{
			Element:             Rewrite,
			WriteEnergyPerEvent: Range{Lo: setV * setV / 1e6 * setT, Hi: setV * setV / 250e3 * setT},
		},
		StepPeriod: Point(1e-3),
		Sources: map[string]string{
			"synapse.mapping": "CiMLoop wan_nature_2022 macro: signed weights in two cells " +
				"(two_part_magnitude_encode_if_signed)",
			"synapse.g_per_unit": "[assumption] auto: the largest |efficacy| uses the whole window g_max − g_min",
			"synapse.g_min":      "[derived] 1/R_off = 1/1 MΩ; " + srcCiMLoop,
			"synapse.g_max":      "[derived] 1/R_on = 1/250 kΩ; " + srcCiMLoop,
			"synapse.levels": "CiMLoop wan_nature_2022 variables: 4-bit weights (WEIGHT_BITS 4), " +
				"one weight per cell (BITS_PER_CELL = WEIGHT_BITS)",
			"synapse.variation":  "[assumption] not modelled: no published variation figure was collected for this cell",
			"synapse.read_noise": "[assumption] not modelled: no published read-noise figure was collected for this cell",
			"input.encoding": "[assumption] NeuRRAM drives inputs as trains of read pulses (CiMLoop: 1-bit " +
				"voltage and temporal DACs), so energy grows with |z| as with pulse-width",
			"input.v_read":     srcCiMLoop + " ReadVoltage 0.5 V",
			"input.t_read":     srcCiMLoop + " ReadPulse 2 ns",
			"input.dac_energy": "[assumption] the TIMELY 8-bit time-domain DAC (0.0375 pJ, " + srcTIMELY + ") stands in for NeuRRAM's pulse driver",
			"readout.adc_energy": "[derived] sample 1.2 pJ + readout ADC 0.3 pJ = 1.5 pJ, NeuRRAM figures of the " +
				srcNeuRRAMpy,
			"readout.neuron_energy": "NeuRRAM analog integrator 0.25 pJ, " + srcNeuRRAMpy +
				"; [assumption] the integrating neuron evaluates the activation",
			"readout.t_neuron": srcCiMNeuRRAM + " LATENCY_INTEGRATE = 0.27 µs",
			"array.rows":       srcCiMNeuRRAM + " ARRAY_ROWS = 256",
			"array.cols":       srcCiMNeuRRAM + " ARRAY_COLS = 256",
			"array.cols_per_adc": srcCiMNeuRRAM + ": each column gets one ADC and shift-and-add " +
				"(the neuron is the column's converter)",
			"array.t_conversion": "low 0.3 µs: one ADC step, " + srcCiMNeuRRAM + " LATENCY_ADC_STEP; " +
				"high 2.4 µs [derived]: 8 steps for its 8-bit output, [assumption] one step per bit",
			"array.add_energy":   "shift-and-add 0.1 pJ at 130 nm, " + srcNeuRRAMpy,
			"area.feature_size":  "[assumption] F = the 130 nm node of " + srcCiMNeuRRAM + " (TECHNOLOGY: 130)",
			"area.cell_f2":       "CellArea 125.74 F², " + srcCiMLoop,
			"area.adc":           "variable-precision ADC 400 µm² at 130 nm, " + srcNeuRRAMpy,
			"area.neuron":        "analog integrator 350 µm² at 130 nm, " + srcNeuRRAMpy,
			"area.adder":         "shift-and-add 170 µm² at 130 nm, " + srcNeuRRAMpy,
			"plasticity.element": "[assumption] RRAM is non-volatile: the decayed state is rewritten every step",
			"plasticity.write_energy_per_event": "[derived] set pulse 1.75 V × 8.52 µs, V²/R·t: 26.1 pJ at " +
				"R_off 1 MΩ, 104.4 pJ at R_on 250 kΩ; " + srcCiMLoop,
			"plasticity.write_energy_per_unit": "[assumption] one fixed pulse per write, whatever the increment",
			"static_power":                     assumeStatic,
			"step_period":                      assumeStep,
		},
	})
}

// pcm is a phase-change-memory crossbar with IBM aihwkit's inference model
// and the NVMExplorer PCM cell.
func pcm() *Design {
	return preset(&Design{
		Name:   "pcm",
		Source: "PCM: " + srcAIHWKit + " (conductance converter, PCM noise model) and the NVMExplorer cell of the Accelergy library",
		Synapse: Synapse{
			Mapping: Differential, GPerUnitAuto: true,
			GMin: Range{Lo: 0, Hi: 1 / 1e6}, GMax: Point(25e-6),
			Variation: Range{Lo: 0.0422, Hi: 0.109},
			ReadNoise: Range{Lo: 0.0368, Hi: 0.0907},
		},
		Input: Input{Encoding: PulseWidth, VRead: Point(0.2), TRead: Point(250e-9), DACEnergy: Point(0.0375e-12)},
		Readout: Readout{
			ADCEnergy:    Range{Lo: 1.67e-12, Hi: 15.6e-12},
			NeuronEnergy: Point(0.25e-12),
		},
		Plasticity: Plasticity{
			Element: Rewrite,
			// I²·R_on·t of the NVMExplorer cell: SET 150 µA × 150 ns, RESET 300 µA × 40 ns, R_on = 1 kΩ.
			WriteEnergyPerEvent: Range{Lo: 3.375e-12, Hi: 3.6e-12},
		},
		StepPeriod: Point(1e-3),
		Sources: map[string]string{
			"synapse.mapping": srcAIHWKit + " SinglePairConductanceConverter: a pair of devices per weight, one per sign",
			"synapse.g_per_unit": srcAIHWKit + " SinglePairConductanceConverter: scale = (g_max − g_min)/max|w|, " +
				"the auto mapping",
			"synapse.g_min": "low 0 S: " + srcAIHWKit + " SinglePairConductanceConverter default g_min; high 1 µS " +
				"[derived]: 1/R_off = 1/1 MΩ, " + srcNVMExpl,
			"synapse.g_max": srcAIHWKit + " g_max = 25 µS (conductance converters, inference/noise/pcm.py); " +
				"NVMExplorer's binary memory cell (R_on 1 kΩ) is not an analog synapse and is not used here",
			"synapse.levels": srcAIHWKit + " models PCM conductances as continuous with programming noise",
			"synapse.variation": "[derived] " + srcAIHWKit + " inference/noise/pcm.py programming noise " +
				"σ = 0.26348 + 1.9650ĝ − 1.1731ĝ² µS at g_max 25 µS, relative σ/g = 0.0422 at ĝ = 1 and 0.109 at " +
				"ĝ = 0.25; [assumption] a lognormal σ ≈ this relative σ",
			"synapse.read_noise": "[derived] " + srcAIHWKit + " inference/noise/pcm.py 1/f read noise " +
				"Q_s·sqrt(ln((t + t_read)/(2 t_read))), Q_s = 0.0088/ĝ^0.65, t = t_0 = 20 s, t_read = 250 ns: " +
				"0.0368 at ĝ = 1, 0.0907 at ĝ = 0.25; [assumption] drawn independently per read, " +
				"although 1/f noise is correlated in time",
			"input.encoding": "[assumption] duration-coded (pulse-width) inputs, paired with the time-domain DAC below",
			"input.v_read":   "[assumption] 0.2 V, a read well below PCM threshold switching; no published figure was collected",
			"input.t_read": srcAIHWKit + " PCMLikeNoiseModel t_read = 250 ns (the read duration of its 1/f fit), " +
				"here the full-scale pulse",
			"input.dac_energy": "TIMELY 8-bit time-domain DAC 0.0375 pJ, " + srcTIMELY +
				"; [assumption] it stands in for the PCM chip's pulse generator",
			"readout.adc_energy": "[assumption] 8-bit ADC; low 1.67 pJ, ISAAC 8-bit SAR at 32 nm, " + srcISAAC +
				"; high 15.6 pJ, MNSIM 2.0 INI defaults, 8 bit [derived]; the Accelergy ADC plug-in survey " +
				"regression gives 1.71 pJ at 32 nm",
			"readout.neuron_energy": "[assumption] the NeuRRAM analog integrator (0.25 pJ, " + srcNeuRRAMpy +
				") stands in for the activation circuit; no published PCM neuron figure was collected",
			"plasticity.element": "[assumption] PCM is non-volatile (it drifts, but does not decay on a " +
				"network's time scale): the decayed state is rewritten every step",
			"plasticity.write_energy_per_event": "[derived] I²·R_on·t at R_on = 1 kΩ, cell only (access device " +
				"excluded): SET 150 µA × 150 ns = 3.375 pJ, RESET 300 µA × 40 ns = 3.6 pJ; " + srcNVMExpl,
			"plasticity.write_energy_per_unit": "[assumption] one fixed pulse per write, whatever the increment",
			"static_power":                     assumeStatic,
			"step_period":                      assumeStep,
		},
	})
}

// loihi is Intel's Loihi: event-driven digital, priced per synaptic operation.
func loihi() *Design {
	return preset(&Design{
		Name:   "loihi",
		Source: "Intel Loihi (14 nm): " + srcDavies + "; " + srcKeras,
		Synapse: Synapse{
			Mapping:     Digital,
			SynopEnergy: Range{Lo: 23.6e-12, Hi: 27.1e-12},
			TSynop:      Point(3.5e-9),
		},
		Readout: Readout{NeuronEnergy: Point(81e-12), TNeuron: Point(8.4e-9)},
		Array:   Array{Rows: 4096, Cols: 1024},
		Area:    Footprint{Tile: Point(60e-6 / 128)},
		Plasticity: Plasticity{
			Element:             Rewrite,
			WriteEnergyPerEvent: Point(120e-12),
		},
		StepPeriod: Point(1e-3),
		Sources: map[string]string{
			"synapse.mapping": "Loihi is an event-driven digital chip, " + srcDavies,
			"synapse.synop_energy": "low 23.6 pJ: " + srcDavies + " (minimum synaptic op, pre-silicon); " +
				"high 27.1 pJ: the figure " + srcKeras + " uses",
			"input.dac_energy":      "[assumption] inputs arrive as spike events; encoding them is not charged",
			"readout.neuron_energy": "81 pJ per active neuron update (52 pJ inactive), " + srcDavies + "; also " + srcKeras,
			"synapse.t_synop":       "time per synaptic spike op (max) 3.5 ns, " + srcDavies,
			"readout.t_neuron":      "time per neuron update (active) 8.4 ns (5.3 ns inactive), " + srcDavies,
			"array.rows": "a core's fan-in: at most 4,096 input axons (N_axin), " + srcDaviesText +
				", p. 89; [assumption] one input per axon",
			"array.cols": "1,024 neurons (compartments) per core, " + srcDaviesText + ", p. 86",
			"area.tile":  "[derived] 60 mm² die / 128 neuromorphic cores = 0.469 mm² per core, " + srcDaviesText + ", p. 95 (x86 cores and I/O included)",
			"plasticity.element": "[assumption] Loihi keeps synaptic state in digital SRAM, which does not decay: " +
				"every plastic synapse's new value is written each step",
			"plasticity.write_energy_per_event": "synaptic update (learning) 120 pJ, " + srcDavies,
			"plasticity.write_energy_per_unit":  "[assumption] one synaptic update per write, whatever its size",
			"static_power":                      "[assumption] no published figure of Loihi's static power was collected; not modelled",
			"step_period":                       assumeStep,
		},
	})
}

// stpDiffusive is the rram-neurosim crossbar with the short-term state held
// by a volatile element — a diffusive memristor whose conductance decays by
// itself in milliseconds — and its ADC priced by a Walden figure of merit.
func stpDiffusive() *Design {
	d := rramNeuroSim()
	d.Name = "stp-diffusive"
	d.Source = "rram-neurosim's 22 nm crossbar (" + srcNeuroSim + ") with a volatile diffusive-memristor STP element (" +
		srcWangDiff + "; " + srcRicci + ")"
	d.Plasticity = Plasticity{
		Element:             Volatile,
		WriteEnergyPerEvent: Point(0.6e-12),
		Retention:           Range{Lo: 1e-3, Hi: 10e-3},
		RetentionVariation:  Point(0.5),
		Endurance:           Point(1e6),
	}
	d.Readout.ADCEnergy = Range{}
	d.Array.ADCBits = 8
	d.Array.ADCFOM = Point(1.67e-12 / 256)
	src := d.Sources
	delete(src, "readout.adc_energy")
	src["plasticity.element"] = "the diffusive memristor's conductance relaxes by itself (Ag diffusion), " + srcWangDiff +
		": the decay is free and only Hebbian increments are written"
	src["plasticity.write_energy_per_event"] = "[assumption] one threshold-switching pulse costs as the NVSim RRAM " +
		"SET pulse (2 V × 10 ns, 0.6 pJ; Accelergy library nvsim_RRAM.cell): no published diffusive-memristor write energy was collected"
	src["plasticity.retention"] = "[assumption] τ of 1 … 10 ms, within the millisecond-to-second range that " +
		srcRicci + " tune by the programming current, and the millisecond relaxation of " + srcWangDiff
	src["plasticity.retention_variation"] = "[assumption] lognormal σ 0.5 from cell to cell: both sources report broad " +
		"cycle-to-cycle and device-to-device retention spreads, not this value"
	src["plasticity.endurance"] = "[assumption] 10⁶ switching cycles; no published endurance figure for diffusive memristors was collected"
	src["array.adc_bits"] = "8-bit ADC, as ISAAC's (" + srcISAAC + "): column partial sums are quantised to 256 levels"
	src["array.adc_fom"] = "[derived] 1.67 pJ / 2^8 = 6.52 fJ per conversion step, the ISAAC 8-bit SAR ADC of " + srcISAAC +
		" taken at ENOB = 8 [assumption]; " + srcWalden
	return d
}

// biology prices a cortical network by its ATP use.
func biology() *Design {
	const atp = "× 5–10×10⁻²⁰ J per ATP (standard biochemistry range)"
	return preset(&Design{
		Name:   "biology",
		Source: "Cortex: " + srcAttwell + " (ATP counts), at ≈5–10×10⁻²⁰ J per ATP",
		Synapse: Synapse{
			Mapping:     Digital,
			SynopEnergy: Range{Lo: 8.2e-15, Hi: 16.4e-15},
		},
		Readout: Readout{NeuronEnergy: Range{Lo: 19.2e-12, Hi: 38.4e-12}},
		Plasticity: Plasticity{
			Element: Volatile,
		},
		StepPeriod: Point(1e-3),
		Sources: map[string]string{
			"synapse.mapping": "[assumption] a synapse costs energy per release event (vesicle), " +
				"not as a conductance read",
			"synapse.synop_energy": "[derived] 1.64×10⁵ ATP per vesicle released, " + srcAttwell + ", " + atp,
			"input.dac_energy":     "[assumption] sensory transduction is not counted",
			"readout.neuron_energy": "[derived] 3.84×10⁸ ATP per action potential, " + srcAttwell + ", " + atp +
				"; [assumption] one action potential per activation evaluated",
			"plasticity.element": "[assumption] short-term facilitation and depression decay by themselves " +
				"(residual calcium, vesicle replenishment)",
			"plasticity.write_energy_per_event": "[assumption] the short-term change is a by-product of the " +
				"synaptic event already charged in synop_energy",
			"plasticity.write_energy_per_unit": "[assumption] as write_energy_per_event",
			"static_power":                     "[assumption] resting (housekeeping) costs are not counted; no published figure was collected",
			"step_period":                      "[assumption] 1 ms, about the duration of an action potential",
		},
	})
}
