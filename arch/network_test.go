package arch

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func testdata(elem ...string) string {
	return filepath.Join(append([]string{"..", "testdata"}, elem...)...)
}

var (
	pongFront = []Layer{
		{Kind: Permute, Dims: []int{2, 0, 1}},
		{Kind: Conv2d, Name: "conv1", Out: 16, Kernel: [2]int{8, 8}, Stride: [2]int{4, 4}, Bias: true},
		{Kind: Act, Activation: ReLU},
		{Kind: Conv2d, Name: "conv2", Out: 32, Kernel: [2]int{4, 4}, Stride: [2]int{2, 2}, Bias: true},
		{Kind: Act, Activation: ReLU},
		{Kind: Flatten},
	}
	pendFront = []Layer{{Kind: Linear, Name: "fc1", Out: 256, Bias: true}, {Kind: Act, Activation: Tanh}}
	// The stpn dict of run-pong.py, and the stpmlp dict of run-invertedpendulum-ppo.py.
	pongSTP = STP{Connections: AllConnections, Learned: true, Dims: []int{0, 1}, Clamp: math.Inf(1),
		WeightNorm: true, PlasticNormTime: NormPre}
	pendSTP = STP{Connections: AllConnections, Learned: true, Dims: []int{0, 1}, Clamp: 0.1}
)

func agentHeads(actions int) []Head {
	return []Head{{Name: "logits", Tensor: "action_branch", Out: actions}, {Name: "value", Tensor: "value_branch", Out: 1}}
}

// The agents' spec.json, as the reference fixtures hold them: the network
// rllib_nets.py builds from each (front-end, core, conventions, heads).
func TestParseAgentSpecs(t *testing.T) {
	agent := Wrapper{HebbianPre: PrevHidden}
	tests := []struct {
		name string
		want Network
	}{
		{"PONG_RNN", Network{Obs: []int{84, 84, 1}, Front: pongFront, CorePrefix: "rnn.",
			Core: Config{Unit: RNN, Hidden: 48, Bias: true, CellActivation: Tanh, Naming: TorchNaming}}},
		{"PEND_STPN", Network{Obs: []int{4}, Front: pendFront, CorePrefix: "rnn.rnn.",
			Core: Config{Unit: STPNr, Hidden: 64, Bias: true, Activation: Tanh, STP: pongSTP}}},
		{"PEND_STPMLP", Network{Obs: []int{4}, Front: pendFront, CorePrefix: "rnn.rnn.",
			Core: Config{Unit: STPNf, Hidden: 64, Bias: true, Activation: Tanh, STP: pendSTP}}},
		{"PENDRAW_LSTM", Network{Obs: []int{4}, CorePrefix: "rnn.",
			Core: Config{Unit: LSTM, Hidden: 64, Bias: true, Naming: TorchNaming}}},
		{"PENDRAW_MLP", Network{Obs: []int{4}, CorePrefix: "rnn.",
			Core: Config{Unit: MLP, Hidden: 64, Bias: true, Activation: Tanh}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := testdata("rl", tt.name, "spec.json")
			got, err := LoadNetwork(file)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.File, want.Source, want.Wrapper, want.EveryStep = file, RLlibSource, agent, true
			want.Core.File = file
			want.Heads = agentHeads(map[bool]int{true: 6, false: 2}[strings.HasPrefix(tt.name, "PONG")])
			if diff := cmp.Diff(&want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("network (-want +got):\n%s", diff)
			}
		})
	}
}

// An RLlib run's params.json (run-invertedpendulum-ppo.py's STP experiment,
// as Tune writes it): the observation shape and the number of actions are
// the environment's, so they are left to the checkpoint.
func TestParseRLlibParams(t *testing.T) {
	file := testdata("networks", "params_pendulum_stpmlp.json")
	got, err := LoadNetwork(file)
	if err != nil {
		t.Fatal(err)
	}
	want := &Network{File: file, Source: RLlibSource, CorePrefix: "rnn.rnn.", Wrapper: Wrapper{HebbianPre: PrevHidden},
		Core:      Config{File: file, Unit: STPNf, Hidden: 64, Bias: true, Activation: Tanh, STP: pendSTP},
		Heads:     agentHeads(0),
		EveryStep: true}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("network (-want +got):\n%s", diff)
	}
}

// A description written by hand describes the same network as the
// reference agent's spec.json.
func TestDescriptionMatchesSpec(t *testing.T) {
	desc, err := LoadNetwork(testdata("networks", "pend_stpn.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	spec, err := LoadNetwork(testdata("rl", "PEND_STPN", "spec.json"))
	if err != nil {
		t.Fatal(err)
	}
	if desc.Source != DescribedSource {
		t.Errorf("source %v, want %v", desc.Source, DescribedSource)
	}
	ignore := cmpopts.IgnoreFields(Network{}, "File", "Source")
	if diff := cmp.Diff(spec, desc, ignore, cmpopts.IgnoreFields(Config{}, "File"), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("description (-spec +description):\n%s", diff)
	}
}

// The paper's ART config is the ART network around its cell.
func TestARTConfigIsANetwork(t *testing.T) {
	file := testdata("art", "ART_STPN_h11", "config.json")
	n, err := LoadNetwork(file)
	if err != nil {
		t.Fatal(err)
	}
	if n.Source != ARTSource || n.CorePrefix != "rnn." || n.EveryStep || len(n.Front) != 0 ||
		n.Wrapper != (Wrapper{HebbianPre: NewHidden, ActivationOnF: true}) ||
		!cmp.Equal(n.Heads, []Head{{Name: "logits", Tensor: "hidden2tag", Out: 37}}) || !cmp.Equal(n.Obs, []int{37}) {
		t.Errorf("ART network %+v", n)
	}
}

func TestParseNetworkErrors(t *testing.T) {
	params := func(kw string) string {
		return `{"framework": "torch", "model": {"custom_model": "m", "custom_model_config": {` + kw + `}}}`
	}
	describe := func(body string) string {
		return "core: {unit: STPNr, hidden_size: 4, rnn_args: {stp: {plastic_weight_connections: all}}}\n" +
			"heads: [{name: logits, tensor: out}]\n" + body
	}
	tests := []struct {
		name, file, doc, want string
	}{
		{"not JSON", "c.json", `{`, "config c.json: not valid JSON"},
		{"not a network", "c.json", `{"training": {}}`, "not a network description"},
		{"ART GRU", "c.json", `{"model": {"recurrent_unit": "GRU", "hidden_size": 4}}`,
			`model.recurrent_unit: "GRU" is not supported (supported: STPNr, STPNf, HebbFF, RNN, LSTM, FastWeights, MODPLAST)`},
		{"spec without shape", "spec.json", `{"constructor": {"obs_space": {}, "num_outputs": 2, "model_config": {}}}`,
			"constructor.obs_space.shape: missing"},
		{"spec num_outputs", "spec.json", `{"constructor": {"obs_space": {"shape": [4]}, "num_outputs": 0, "model_config": {}}}`,
			"constructor.num_outputs: want an integer between 1"},
		{"spec disagrees", "spec.json", `{"constructor": {"obs_space": {"shape": [4]}, "num_outputs": 2, "lstm_state_size": 8,
			"model_config": {"custom_model_config": {"lstm_state_size": 16, "use_mlp": false}}}}`,
			"constructor.lstm_state_size: is 8, but model_config.custom_model_config.lstm_state_size is 16"},
		{"both front-ends", "params.json", params(`"use_mlp": true, "use_cnn": true`),
			"model.custom_model_config.use_mlp: use_mlp and use_cnn are both true"},
		{"rnn_type", "params.json", params(`"rnn_type": "gru"`),
			`model.custom_model_config.rnn_type: "gru" is not supported (supported: lstm, stpn, rnn, stpmlp, mlp)`},
		{"unknown kwarg", "params.json", params(`"action_processor": "softplus"`),
			"model.custom_model_config.action_processor: unknown option (supported here: energy_eval, fc_size"},
		{"use_lstm", "params.json", `{"model": {"custom_model": "m", "use_lstm": true, "custom_model_config": {}}}`,
			"model.use_lstm: RLlib would wrap the custom model"},
		{"framework", "params.json", `{"framework": "tf", "model": {"custom_model_config": {}}}`,
			`framework: "tf": only torch agents are supported`},
		{"stpn without stp", "params.json", params(`"rnn_type": "stpn"`),
			"model.custom_model_config.stp.plastic_weight_connections: missing"},
		{"lstm_state_size", "params.json", params(`"lstm_state_size": -3, "use_mlp": false`),
			"model.custom_model_config.lstm_state_size: must be between 1 and 65536, found -3"},
		{"layer type", "n.yaml", describe("front_end: [{type: maxpool}]"),
			`front_end[0].type: "maxpool" is not supported (supported: linear, conv2d`},
		{"permutation", "n.yaml", describe("input: {shape: [2, 3, 4]}\nfront_end: [{type: permute, dims: [0, 0, 1]}]"),
			"front_end[0].dims: [0 0 1] is not a permutation of 0…2"},
		{"kernel", "n.yaml", describe("front_end: [{type: conv2d, name: c, out_channels: 2}]"),
			"front_end[0].kernel_size: missing"},
		{"kernel pair", "n.yaml", describe("front_end: [{type: conv2d, name: c, kernel_size: [1, 2, 3]}]"),
			"front_end[0].kernel_size: want an integer or a pair [height, width]"},
		{"stride zero", "n.yaml", describe("front_end: [{type: conv2d, name: c, kernel_size: 3, stride: 0}]"),
			"front_end[0].stride: [0 0]: want 1 to 1024"},
		{"layer name", "n.yaml", describe("front_end: [{type: linear, out_features: 3}]"),
			"front_end[0].name: missing"},
		{"duplicate names", "n.yaml", describe("front_end: [{type: linear, name: out}]"),
			`heads[0]: name "out" is also used by front_end[0]`},
		{"overlaps the core", "n.yaml", describe("front_end: [{type: linear, name: rnn}]"),
			`front_end[0]: name "rnn" overlaps the core's tensor prefix "rnn."`},
		{"no heads", "n.yaml", "core: {unit: nn.LSTM, hidden_size: 4}", "heads: none: a network needs at least one head"},
		{"value size", "n.yaml", "core: {unit: nn.LSTM, hidden_size: 4}\nheads: [{name: value, tensor: v, size: 2}]",
			"heads[0].size: a value head has one output, found 2"},
		{"head name", "n.yaml", "core: {unit: nn.LSTM, hidden_size: 4}\nheads: [{tensor: a}, {tensor: b}]",
			`heads[0].name: "": every head needs a name of its own`},
		{"unit", "n.yaml", "core: {unit: Transformer, hidden_size: 4}", `core.unit: "Transformer" is not supported`},
		{"hidden", "n.yaml", "core: {unit: nn.GRU}", "core.hidden_size: want an integer between 1 and 65536"},
		{"GRU paper naming", "n.yaml", "core: {unit: GRU, hidden_size: 4, naming: paper}", `core.naming: "paper" is not supported for GRU`},
		{"naming of STPN", "n.yaml", "core: {unit: STPNr, hidden_size: 4, naming: torch}", "core.naming: applies to RNN, LSTM and GRU cores, not STPNr"},
		{"torch layer norm", "n.yaml", "core: {unit: nn.LSTM, hidden_size: 4, rnn_args: {layer_norm: true}}\nheads: [{name: l, tensor: o}]",
			"core.rnn_args.layer_norm: torch.nn.LSTM has no layer norm"},
		{"STP activation", "n.yaml", "core: {unit: STPNr, hidden_size: 4, activation: none, rnn_args: {stp: {plastic_weight_connections: all}}}",
			"core.activation: STPNr needs an activation (tanh or sigmoid)"},
		{"convention", "n.yaml", strings.Replace(describe(""), "hidden_size: 4", "hidden_size: 4, hebbian_presynaptic: old", 1),
			`core.hebbian_presynaptic: "old" is not supported (supported: previous, new)`},
		{"outputs", "n.yaml", describe("outputs: sometimes"), `outputs: "sometimes" is not supported (supported: every_step, last_step)`},
		{"observation rank", "n.yaml", describe("input: {shape: [1, 2, 3, 4, 5]}"), "input.shape: has 5 dimensions, want 1 to 4"},
		{"observation size", "n.yaml", describe("input: {shape: [0]}"), "input.shape: [0]: every dimension must be between 1"},
		{"unknown key", "n.yaml", describe("extra: 1"), "extra: unknown option (supported here: core, front_end, heads, input, outputs, prefix)"},
		{"YAML duplicate", "n.yaml", describe("outputs: last_step\noutputs: last_step"), "not valid YAML"},
		{"YAML garbage", "n.yaml", "core: [", "config n.yaml: not valid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNetwork(tt.file, []byte(tt.doc))
			if err == nil {
				t.Fatalf("no error, want %q", tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) || strings.Contains(msg, "\n") {
				t.Errorf("error\n  %s\nwant one line containing\n  %s", msg, tt.want)
			}
			if !strings.HasPrefix(msg, "config "+tt.file) {
				t.Errorf("error %q does not name the file %s", msg, tt.file)
			}
		})
	}
}

// FuzzParseNetwork: no input panics, and what parses validates.
func FuzzParseNetwork(f *testing.F) {
	seeds, _ := filepath.Glob(testdata("rl", "*", "spec.json"))
	more, _ := filepath.Glob(testdata("networks", "*"))
	for _, p := range append(seeds, more...) {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(filepath.Base(p), data)
		}
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if !strings.HasSuffix(name, ".yaml") && !strings.HasSuffix(name, ".json") {
			name += ".json"
		}
		n, err := ParseNetwork(name, data)
		if err == nil {
			if err := n.Validate(); err != nil {
				t.Fatalf("parsed, but does not validate: %v", err)
			}
		}
	})
}
