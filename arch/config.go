package arch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// Unit is the recurrent unit of a network (`model.recurrent_unit`).
type Unit uint8

const (
	STPNr       Unit = iota + 1 // recurrent STP Neuron (the paper's STPN)
	STPNf                       // feed-forward STP layer
	HebbFF                      // Tyulmankov et al. HebbFF, scalar λ, γ
	RNN                         // Elman RNN, CustomRNNCell
	LSTM                        // CustomLSTMCell
	FastWeights                 // Ba et al. 2016
	MODPLAST                    // Miconi et al. differentiable (neuromodulated) plasticity
	GRU                         // torch.nn.GRU (an extension: the paper has no GRU)
	MLP                         // memoryless dense layer h = act(W x + b), the agents' "mlp" core
)

var unitNames = [...]string{
	STPNr: "STPNr", STPNf: "STPNf", HebbFF: "HebbFF", RNN: "RNN", LSTM: "LSTM",
	FastWeights: "FastWeights", MODPLAST: "MODPLAST", GRU: "GRU", MLP: "MLP",
}

func (u Unit) String() string {
	if u > 0 && int(u) < len(unitNames) {
		return unitNames[u]
	}
	return fmt.Sprintf("Unit(%d)", uint8(u))
}

// Units lists every supported core unit.
func Units() []Unit { return []Unit{STPNr, STPNf, HebbFF, RNN, LSTM, FastWeights, MODPLAST, GRU, MLP} }

// ARTUnits lists the units the paper's ART network (and so its config JSON)
// can hold.
func ARTUnits() []Unit { return []Unit{STPNr, STPNf, HebbFF, RNN, LSTM, FastWeights, MODPLAST} }

// Activation is an elementwise nonlinearity.
type Activation uint8

const (
	Identity Activation = iota // no activation (config null)
	Tanh
	Sigmoid
	ReLU
)

func (a Activation) String() string {
	switch a {
	case Identity:
		return "none"
	case Tanh:
		return "tanh"
	case Sigmoid:
		return "sigmoid"
	case ReLU:
		return "relu"
	}
	return fmt.Sprintf("Activation(%d)", uint8(a))
}

// Apply evaluates the activation.
func (a Activation) Apply(x float64) float64 {
	switch a {
	case Tanh:
		return math.Tanh(x)
	case Sigmoid:
		return Logistic(x)
	case ReLU:
		return math.Max(x, 0)
	}
	return x
}

// Logistic is σ(x) = 1/(1+e^−x), written as torch.sigmoid evaluates it.
func Logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

// Connections says which presynaptic columns of an STPNr layer carry plastic state.
type Connections uint8

const (
	AllConnections    Connections = iota // input and recurrent columns
	InputConnections                     // columns 0..I−1
	HiddenConnections                    // columns I..I+H−1
)

func (c Connections) String() string {
	return [...]string{"all", "input", "hidden"}[c]
}

// PlasticityType is how decay and the Hebbian increment combine.
type PlasticityType uint8

const (
	DecayThenAdd PlasticityType = iota // "stp": F ← λ⊙F + γ⊙ΔF
	PromptDecay                        // "stp_prompt_decay": F ← λ⊙(F + γ⊙ΔF)
)

// Rule is the Hebbian rule that gives ΔF.
type Rule uint8

const (
	Hebb Rule = iota // ΔF = post ⊗ pre
	Oja              // ΔF = post ⊗ (pre − Fᵀ post)
)

// NormTime says when the plastic state is divided by a norm.
type NormTime uint8

const (
	NormNever NormTime = iota
	NormPre            // before the update, by the norm of the total efficacy (needs weight_norm)
	NormPost           // after the update
)

// NormKind is what the "post" norm is taken of.
type NormKind uint8

const (
	NormOfTotal   NormKind = iota // "G": the row norm of W + F
	NormOfPlastic                 // "F": the row norm of F alone
)

// STP configures the short-term plasticity of STPNr, STPNf, HebbFF and FastWeights.
type STP struct {
	Connections Connections
	// Learned is true when λ and γ are tensors of the checkpoint; otherwise
	// they are the fixed values Lambda and Gamma from the config.
	Learned       bool
	Dims          []int // learn_plastic_weight_params_dims; empty means scalar λ, γ
	Lambda, Gamma float64
	Clamp         float64 // |F| bound; +Inf when the config says null
	Type          PlasticityType
	Rule          Rule
	// WeightNorm divides each row of the total efficacy W+F by its L2 norm
	// (plasticity_type_kwargs.weight_norm).
	WeightNorm       bool
	LearnNorm        bool // a trained gain g_weight_norm multiplies the norm
	PlasticNormTime  NormTime
	PlasticNorm      NormKind
	LearnPlasticNorm bool // a trained gain g_plastic_weight_norm multiplies the F norm
}

// Miconi configures the MODPLAST unit (CustomMiconiNetwork).
type Miconi struct {
	NetType string // "modplast" or "rnn"
	DA      string // neuromodulator transform: "tanh", "sig" or "lin"
	AddPW   int    // 0..3, how the Hebbian trace is accumulated
}

// Config is the architecture of a trained network.
type Config struct {
	File      string
	Unit      Unit
	InputSize int // data.dict_size; 0 when absent (then taken from the checkpoint's readout)
	Hidden    int
	// Activation is model.activation, applied by the network wrapper to the
	// cell's output and to the first state tensor of an STP cell.
	Activation     Activation
	Bias           bool
	LayerNorm      bool
	CellActivation Activation // FastWeights `activation`, RNN `nonlinearity`
	S              int        // FastWeights inner steps
	STP            STP
	Miconi         Miconi
	// Naming is how the tensors of an RNN, LSTM or GRU core are named.
	Naming Naming
}

// Naming is how the tensors of an RNN, LSTM or GRU core are named.
type Naming uint8

const (
	// PaperNaming is the paper's cells: CustomRNNCell's weight [I+H, H]
	// (presynaptic first) and CustomLSTMCell's weight [4H, I+H], one bias.
	PaperNaming Naming = iota
	// TorchNaming is torch.nn.RNN, LSTM and GRU with one layer:
	// weight_ih_l0 [G·H, I], weight_hh_l0 [G·H, H], bias_ih_l0 and
	// bias_hh_l0 [G·H], with G = 1, 4 and 3 gate blocks.
	TorchNaming
)

func (n Naming) String() string {
	if n == TorchNaming {
		return "torch"
	}
	return "paper"
}

// MaxHidden bounds hidden_size so that a hostile config cannot ask for
// absurd allocations before shapes are checked against the checkpoint.
const MaxHidden = 1 << 16

// Load reads and parses the config file at path (a regular file, a pipe
// or a device), refusing more than MaxFileBytes.
func Load(path string) (*Config, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses a config JSON; file names it in errors.
func Parse(file string, data []byte) (*Config, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a byte-order mark, as ParseNetwork
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, &Error{File: file, Msg: "not valid JSON: " + jsonMsg(err)}
	}
	root := object{file: file, m: top}
	if !root.has("model") {
		return nil, &Error{File: file, Msg: `no "model" section (is this the paper's config JSON?)`}
	}
	c := &Config{File: file}
	dataSec, err := root.sub("data")
	if err != nil {
		return nil, err
	}
	if n, ok, err := dataSec.integer("dict_size"); err != nil {
		return nil, err
	} else if ok {
		if n <= 0 || n > MaxHidden {
			return nil, dataSec.errf("dict_size", "must be between 1 and %d, found %d", MaxHidden, n)
		}
		c.InputSize = n
	}
	model, err := root.sub("model")
	if err != nil {
		return nil, err
	}
	if err := model.allow("recurrent_unit", "hidden_size", "activation", "rnn_args"); err != nil {
		return nil, err
	}
	if err := c.parseModel(model); err != nil {
		return nil, err
	}
	return c, c.Validate()
}

func supported[T fmt.Stringer](all []T) string {
	s := make([]string, len(all))
	for i, v := range all {
		s[i] = v.String()
	}
	return strings.Join(s, ", ")
}

func (c *Config) parseModel(model object) error {
	name, ok, err := model.str("recurrent_unit")
	if err != nil {
		return err
	}
	if !ok {
		return model.errf("recurrent_unit", "missing (supported: %s)", supported(ARTUnits()))
	}
	for _, u := range ARTUnits() {
		if u.String() == name {
			c.Unit = u
		}
	}
	if c.Unit == 0 {
		return model.errf("recurrent_unit", "%q is not supported (supported: %s)", name, supported(ARTUnits()))
	}
	h, ok, err := model.integer("hidden_size")
	if err != nil {
		return err
	}
	if !ok {
		return model.errf("hidden_size", "missing")
	}
	if h <= 0 || h > MaxHidden {
		return model.errf("hidden_size", "must be between 1 and %d, found %d", MaxHidden, h)
	}
	c.Hidden = h

	act, ok, err := model.str("activation")
	if err != nil {
		return err
	}
	if ok {
		switch act {
		case "functional_tanh":
			c.Activation = Tanh
		case "functional_sigmoid":
			c.Activation = Sigmoid
		default:
			return model.errf("activation", "%q is not supported (supported: functional_tanh, functional_sigmoid, null)", act)
		}
	}
	args, err := model.sub("rnn_args")
	if err != nil {
		return err
	}
	switch c.Unit {
	case STPNr, STPNf, HebbFF:
		return c.parseSTPCell(args)
	case FastWeights:
		return c.parseFastWeights(args)
	case RNN:
		return c.parseRNN(args)
	case LSTM:
		return c.parseLSTM(args)
	case MODPLAST:
		return c.parseMiconi(args)
	}
	return nil
}

// parseBiasNorm reads rnn_args.bias (default true) and layer_norm.
func (c *Config) parseBiasNorm(args object, layerNorm bool) error {
	var err error
	if c.Bias, err = args.boolean("bias", true); err != nil {
		return err
	}
	c.LayerNorm, err = args.boolean("layer_norm", layerNorm)
	return err
}

func (c *Config) parseSTPCell(args object) error {
	if err := args.allow("stp", "bias", "layer_norm"); err != nil {
		return err
	}
	if err := c.parseBiasNorm(args, false); err != nil {
		return err
	}
	if !args.has("stp") || args.null("stp") {
		return args.errf("stp", "missing: %s needs its STP configuration", c.Unit)
	}
	stp, err := args.sub("stp")
	if err != nil {
		return err
	}
	if c.STP, err = parseSTP(stp, c.Unit); err != nil {
		return err
	}
	if c.Unit == HebbFF {
		// The reference HebbFF constructor asserts all of these.
		switch {
		case !c.Bias:
			return args.errf("bias", "HebbFF requires a bias")
		case c.LayerNorm:
			return args.errf("layer_norm", "HebbFF does not support layer norm")
		case len(c.STP.Dims) != 0:
			return stp.errf("learn_plastic_weight_params_dims", "HebbFF has scalar λ and γ: must be [] or null")
		case !math.IsInf(c.STP.Clamp, 1):
			return stp.errf("plastic_weight_clamp_val", "HebbFF requires null")
		case c.STP.WeightNorm || c.STP.PlasticNormTime != NormNever:
			return stp.errf("plasticity_type_kwargs", "HebbFF has no weight normalisation")
		}
		// λ = σ(_weight_lambda) and γ = −exp(_weight_gamma) always come from the checkpoint.
		c.STP.Learned = true
	}
	return nil
}

func (c *Config) parseFastWeights(args object) error {
	if err := args.allow("stp", "S", "bias", "layer_norm", "activation"); err != nil {
		return err
	}
	if err := c.parseBiasNorm(args, true); err != nil {
		return err
	}
	c.S = 1
	if s, ok, err := args.integer("S"); err != nil {
		return err
	} else if ok {
		if s < 0 || s > 1000 {
			return args.errf("S", "must be between 0 and 1000, found %d", s)
		}
		c.S = s
	}
	c.CellActivation = Tanh
	if a, ok, err := args.str("activation"); err != nil {
		return err
	} else if ok {
		if c.CellActivation, err = cellActivation(args, "activation", a); err != nil {
			return err
		}
	}
	if !args.has("stp") || args.null("stp") {
		// The reference's default when stp is None: fixed λ, γ are then required but
		// the default dict gives none, so the constructor fails; we do the same.
		return args.errf("stp", "missing: FastWeights needs fixed λ and γ (learn_plastic_weight_params_kwargs)")
	}
	stp, err := args.sub("stp")
	if err != nil {
		return err
	}
	if c.STP, err = parseSTP(stp, FastWeights); err != nil {
		return err
	}
	if c.STP.Connections != HiddenConnections {
		return stp.errf("plastic_weight_connections", "FastWeights needs \"hidden\" (its fast weights A are H×H), found %q", c.STP.Connections)
	}
	if c.STP.WeightNorm || c.STP.PlasticNormTime != NormNever {
		return stp.errf("plasticity_type_kwargs", "weight normalisation is not supported for FastWeights")
	}
	return nil
}

func cellActivation(o object, key, name string) (Activation, error) {
	switch name {
	case "tanh", "Tanh":
		return Tanh, nil
	case "sigmoid":
		return Sigmoid, nil
	case "relu", "ReLU":
		return ReLU, nil
	}
	return 0, o.errf(key, "%q is not supported (supported: tanh, Tanh, sigmoid, relu, ReLU)", name)
}

func (c *Config) parseRNN(args object) error {
	if err := args.allow("bias", "nonlinearity", "layer_norm", "weight_norm"); err != nil {
		return err
	}
	if err := c.parseBiasNorm(args, false); err != nil {
		return err
	}
	c.CellActivation = Tanh
	if args.null("nonlinearity") {
		c.CellActivation = Identity
	} else if a, ok, err := args.str("nonlinearity"); err != nil {
		return err
	} else if ok {
		if c.CellActivation, err = cellActivation(args, "nonlinearity", a); err != nil {
			return err
		}
	}
	if args.has("weight_norm") {
		// CustomRNNCell normalises its forward pass when weight_norm != 0 but its
		// energy only when weight_norm is True (and then with ord=True): the two
		// disagree, so only the plain cell is reproduced.
		raw := show(args.m["weight_norm"])
		if raw != "false" && raw != "0" {
			return args.errf("weight_norm", "only false is supported (the reference normalises forward pass and energy inconsistently), found %s", raw)
		}
	}
	return nil
}

func (c *Config) parseLSTM(args object) error {
	if err := args.allow("bias", "layer_norm", "weight_norm"); err != nil {
		return err
	}
	if err := c.parseBiasNorm(args, false); err != nil {
		return err
	}
	if args.has("weight_norm") && !args.null("weight_norm") {
		return args.errf("weight_norm", "only null is supported (CustomLSTMCell raises NotImplementedError otherwise)")
	}
	return nil
}

func (c *Config) parseMiconi(args object) error {
	if err := args.allow("net_type", "da", "addpw", "clamp_val", "NBDA", "eval_energy"); err != nil {
		return err
	}
	c.Miconi = Miconi{NetType: "modplast", DA: "tanh", AddPW: 3}
	if s, ok, err := args.str("net_type"); err != nil {
		return err
	} else if ok {
		switch s {
		case "modplast", "rnn":
			c.Miconi.NetType = s
		case "plastic", "modul", "modul2":
			return args.errf("net_type", "%q has no energy accounting in the reference (NotImplementedError); supported: modplast, rnn", s)
		case "lstm":
			// CustomMiconiNetwork returns [h, c] as its output for "lstm", which the
			// ART readout cannot take: the reference cannot evaluate it either.
			return args.errf("net_type", "\"lstm\" cannot be evaluated by the reference ART network (its output is [h, c]); use recurrent_unit LSTM; supported: modplast, rnn")
		default:
			return args.errf("net_type", "%q is not supported (supported: modplast, rnn)", s)
		}
	}
	if s, ok, err := args.str("da"); err != nil {
		return err
	} else if ok {
		if s != "tanh" && s != "sig" && s != "lin" {
			return args.errf("da", "%q is not supported (supported: tanh, sig, lin)", s)
		}
		c.Miconi.DA = s
	}
	if n, ok, err := args.integer("addpw"); err != nil {
		return err
	} else if ok {
		if n < 0 || n > 3 {
			return args.errf("addpw", "must be 0, 1, 2 or 3, found %d", n)
		}
		c.Miconi.AddPW = n
	}
	if n, ok, err := args.integer("NBDA"); err != nil {
		return err
	} else if ok && n != 1 {
		return args.errf("NBDA", "only 1 neuromodulator is supported (the reference reshapes DAout to one value per sequence), found %d", n)
	}
	// clamp_val only acts in the "plastic" net type, which has no energy accounting.
	if _, _, err := args.number("clamp_val"); err != nil {
		return err
	}
	c.Bias = true
	c.Activation = Identity // the Miconi network applies tanh itself
	return nil
}

func parseSTP(stp object, unit Unit) (STP, error) {
	s := STP{Clamp: 1000}
	err := stp.allow(
		"learn_plastic_weight_params", "learn_plastic_weight_params_dims", "learn_plastic_weight_params_kwargs",
		"plastic_weight_clamp_val", "plastic_bias", "plasticity_type", "plasticity_type_kwargs", "plasticity_rule",
		"plastic_weight_connections", "plastic_weights_update_kwargs",
		// initialisation and training only:
		"plastic_weights_init_config", "learn_plastic_bias_params", "learn_plastic_bias_params_dims",
		"learn_plastic_bias_params_kwargs", "plastic_bias_clamp_val", "init_stp",
		"which_relative_layer_input_use_postsynaptic", "relative_output_postsynaptic",
	)
	if err != nil {
		return s, err
	}
	conn, ok, err := stp.str("plastic_weight_connections")
	if err != nil {
		return s, err
	}
	switch {
	case !ok && (unit == STPNr || unit == FastWeights):
		return s, stp.errf("plastic_weight_connections", "missing (supported: all, input, hidden)")
	case !ok || conn == "all":
		s.Connections = AllConnections
	case conn == "input":
		s.Connections = InputConnections
	case conn == "hidden":
		s.Connections = HiddenConnections
	default:
		return s, stp.errf("plastic_weight_connections", "%q is not supported (supported: all, input, hidden)", conn)
	}
	if unit == STPNf || unit == HebbFF {
		s.Connections = AllConnections // a feed-forward layer has only input columns, all plastic
	}

	if s.Learned, err = stp.boolean("learn_plastic_weight_params", true); err != nil {
		return s, err
	}
	if dims, _, err := stp.ints("learn_plastic_weight_params_dims"); err != nil {
		return s, err
	} else {
		for _, d := range dims {
			if d != 0 && d != 1 {
				return s, stp.errf("learn_plastic_weight_params_dims", "dimensions must be 0 (postsynaptic) or 1 (presynaptic), found %v", dims)
			}
		}
		s.Dims = dims
	}
	if !s.Learned && unit != HebbFF {
		kw, err := stp.sub("learn_plastic_weight_params_kwargs")
		if err != nil {
			return s, err
		}
		for _, p := range []struct {
			key string
			dst *float64
		}{{"weight_lambda", &s.Lambda}, {"weight_gamma", &s.Gamma}} {
			sub, err := kw.sub(p.key)
			if err != nil {
				return s, err
			}
			if err := sub.allow("fixed_parameter_value"); err != nil {
				return s, err
			}
			v, ok, err := sub.number("fixed_parameter_value")
			if err != nil {
				return s, err
			}
			if !ok {
				return s, sub.errf("fixed_parameter_value", "missing: λ and γ are not learned, so the config must fix them")
			}
			*p.dst = v
		}
	}

	if stp.null("plastic_weight_clamp_val") {
		s.Clamp = math.Inf(1)
	} else if v, ok, err := stp.number("plastic_weight_clamp_val"); err != nil {
		return s, err
	} else if ok {
		if v < 0 || math.IsNaN(v) {
			return s, stp.errf("plastic_weight_clamp_val", "must be ≥ 0, found %v", v)
		}
		s.Clamp = v
	}
	if pb, err := stp.boolean("plastic_bias", false); err != nil {
		return s, err
	} else if pb {
		return s, stp.errf("plastic_bias", "plastic biases are not supported (supported: false)")
	}
	if init, err := stp.boolean("init_stp", true); err != nil {
		return s, err
	} else if !init {
		return s, stp.errf("init_stp", "only true is supported")
	}
	if upd, err := stp.sub("plastic_weights_update_kwargs"); err != nil {
		return s, err
	} else {
		if err := upd.allow("stp_update_within_forward", "stp_update_before_transformation", "stp_update_postsynaptic"); err != nil {
			return s, err
		}
		within, err := upd.boolean("stp_update_within_forward", false)
		if err != nil {
			return s, err
		}
		before, err := upd.boolean("stp_update_before_transformation", false)
		if err != nil {
			return s, err
		}
		if within || before {
			return s, upd.errf("", "only the default update timing (after the activation, outside forward) is supported")
		}
	}

	if err := parsePlasticityType(stp, &s); err != nil {
		return s, err
	}
	switch r, _, err := stp.str("plasticity_rule"); {
	case err != nil:
		return s, err
	case r == "" || r == "hebb":
		s.Rule = Hebb
	case r == "oja":
		s.Rule = Oja
	default:
		return s, stp.errf("plasticity_rule", "%q is not supported (supported: hebb, oja)", r)
	}
	return s, parseNorms(stp, &s)
}

func parsePlasticityType(stp object, s *STP) error {
	var name string
	if raw, ok := stp.m["plasticity_type"]; ok && !isNull(raw) {
		if err := json.Unmarshal(raw, &name); err != nil {
			pt, err := stp.sub("plasticity_type")
			if err != nil {
				return err
			}
			if err := pt.allow("weight", "bias"); err != nil {
				return err
			}
			w, ok, err := pt.str("weight")
			if err != nil {
				return err
			}
			if !ok {
				return pt.errf("weight", "missing")
			}
			name = w
			stp = pt
		}
	}
	switch name {
	case "", "stp":
		s.Type = DecayThenAdd
	case "stp_prompt_decay":
		s.Type = PromptDecay
	default:
		return stp.errf("plasticity_type", "%q is not supported (supported: stp, stp_prompt_decay)", name)
	}
	return nil
}

func parseNorms(stp object, s *STP) error {
	kw, err := stp.sub("plasticity_type_kwargs")
	if err != nil {
		return err
	}
	if err := kw.allow("weight", "bias", "weight_norm", "plastic_weight_norm"); err != nil {
		return err
	}
	if kw.has("weight_norm") {
		s.WeightNorm = true
		wn, err := kw.sub("weight_norm")
		if err != nil {
			return err
		}
		// "ord" is read by the reference but its norm is always L2 (ord=2 is
		// hard-coded); "time" is stored and never used.
		if err := wn.allow("ord", "dim", "learn", "time"); err != nil {
			return err
		}
		if d, ok, err := wn.integer("dim"); err != nil {
			return fmt.Errorf("%w (only 2 is supported)", err)
		} else if ok && d != 2 {
			return wn.errf("dim", "only 2 (normalise each postsynaptic row) is supported, found %d", d)
		}
		if s.LearnNorm, err = wn.boolean("learn", false); err != nil {
			return err
		}
	}
	if kw.has("plastic_weight_norm") {
		pn, err := kw.sub("plastic_weight_norm")
		if err != nil {
			return err
		}
		if err := pn.allow("ord", "norm", "time", "learn"); err != nil {
			return err
		}
		switch t, _, err := pn.str("time"); {
		case err != nil:
			return err
		case t == "":
			s.PlasticNormTime = NormNever
		case t == "pre":
			s.PlasticNormTime = NormPre
		case t == "post":
			s.PlasticNormTime = NormPost
		default:
			return pn.errf("time", "%q is not supported (supported: pre, post, null)", t)
		}
		switch n, _, err := pn.str("norm"); {
		case err != nil:
			return err
		case n == "" && s.PlasticNormTime == NormPost:
			return pn.errf("norm", "missing: \"post\" normalisation needs G or F")
		case n == "" || n == "G":
			s.PlasticNorm = NormOfTotal
		case n == "F":
			s.PlasticNorm = NormOfPlastic
		default:
			return pn.errf("norm", "%q is not supported (supported: G, F)", n)
		}
		if s.LearnPlasticNorm, err = pn.boolean("learn", false); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the invariants of a Config built by hand or parsed.
func (c *Config) Validate() error {
	e := func(key, format string, args ...any) error {
		return &Error{File: c.File, Key: key, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case c.Unit < STPNr || c.Unit > MLP:
		return e("model.recurrent_unit", "unknown unit %s (supported: %s)", c.Unit, supported(Units()))
	case c.Hidden <= 0 || c.Hidden > MaxHidden:
		return e("model.hidden_size", "must be between 1 and %d, found %d", MaxHidden, c.Hidden)
	case c.InputSize < 0 || c.InputSize > MaxElements:
		// The input of a core is bounded like any layer output (a described
		// network's flattened frame may exceed MaxHidden); the ART config's
		// data.dict_size has the tighter bound of Parse.
		return e("data.dict_size", "must be between 1 and %d, found %d", MaxElements, c.InputSize)
	case (c.Unit == STPNr || c.Unit == STPNf || c.Unit == HebbFF) && c.Activation == Identity:
		// NoEmbed_AssociativeNet asserts that an STP cell gets an activation from the wrapper.
		return e("model.activation", "%s needs an activation (functional_tanh or functional_sigmoid)", c.Unit)
	case c.Unit == FastWeights && c.S < 0:
		return e("model.rnn_args.S", "must be ≥ 0, found %d", c.S)
	case c.Unit == GRU && c.Naming != TorchNaming:
		return e("core.naming", "GRU exists only as torch.nn.GRU: its naming must be torch")
	case c.Naming == TorchNaming && c.Unit != RNN && c.Unit != LSTM && c.Unit != GRU:
		return e("core.naming", "torch naming applies to RNN, LSTM and GRU cores, not %s", c.Unit)
	case c.Naming == TorchNaming && c.LayerNorm:
		return e("core.rnn_args.layer_norm", "torch.nn.%s has no layer norm", c.Unit)
	}
	return nil
}
