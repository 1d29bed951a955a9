package arch

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The reference configs, as the paper's repository ships them.
func TestParseReferenceConfigs(t *testing.T) {
	tests := []struct {
		dir  string
		want Config
	}{
		{"ART_STPN_h11", Config{Unit: STPNr, InputSize: 37, Hidden: 11, Activation: Tanh, Bias: true,
			STP: STP{Connections: AllConnections, Learned: true, Dims: []int{0, 1}, Clamp: math.Inf(1),
				WeightNorm: true, PlasticNormTime: NormPre}}},
		{"ART_STPN_scalarSTP_h20", Config{Unit: STPNr, InputSize: 37, Hidden: 20, Activation: Tanh, Bias: true,
			STP: STP{Connections: AllConnections, Learned: true, Dims: []int{}, Clamp: math.Inf(1),
				WeightNorm: true, PlasticNormTime: NormPre}}},
		{"ART_STPNf_h13", Config{Unit: STPNf, InputSize: 37, Hidden: 13, Activation: Tanh, Bias: true,
			STP: STP{Connections: AllConnections, Learned: true, Dims: []int{0, 1}, Clamp: math.Inf(1),
				WeightNorm: true, PlasticNormTime: NormPre}}},
		{"ART_HebbFF_h26", Config{Unit: HebbFF, InputSize: 37, Hidden: 26, Activation: Sigmoid, Bias: true,
			STP: STP{Connections: AllConnections, Learned: true, Dims: []int{}, Clamp: math.Inf(1)}}},
		// FastWeights: no clamp key in the config, so the reference default 1000 applies.
		{"ART_FW_S1_h20", Config{Unit: FastWeights, InputSize: 37, Hidden: 20, Bias: true, LayerNorm: true,
			CellActivation: Tanh, S: 1,
			STP: STP{Connections: HiddenConnections, Lambda: 0.9, Gamma: 0.5, Clamp: 1000}}},
		{"ART_LSTM_h9", Config{Unit: LSTM, InputSize: 37, Hidden: 9, Bias: true}},
		{"ART_RNN_h20", Config{Unit: RNN, InputSize: 37, Hidden: 20, Bias: true, CellActivation: Tanh}},
		{"ART_MODPLAST_h17", Config{Unit: MODPLAST, InputSize: 37, Hidden: 17, Bias: true,
			Miconi: Miconi{NetType: "modplast", DA: "tanh", AddPW: 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			file := filepath.Join("..", "testdata", "art", tt.dir, "config.json")
			got, err := Load(file)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.File = file
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("config (-want +got):\n%s", diff)
			}
		})
	}
}

func reference(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "art", dir, "config.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Every failure is one error naming the file, the key and the problem.
func TestParseErrors(t *testing.T) {
	stpn := reference(t, "ART_STPN_h11")
	fw := reference(t, "ART_FW_S1_h20")
	rnn := reference(t, "ART_RNN_h20")
	mod := reference(t, "ART_MODPLAST_h17")
	tests := []struct {
		name, json, want string
	}{
		{"empty", "", "config c.json: not valid JSON: unexpected end of JSON input"},
		{"truncated", stpn[:len(stpn)/2], "config c.json: not valid JSON: unexpected end of JSON input"},
		{"not an object", "[1,2]", "not valid JSON"},
		{"no model", `{"data": {}}`, `no "model" section`},
		{"unknown unit", strings.Replace(stpn, `"STPNr"`, `"GRU"`, 1),
			`model.recurrent_unit: "GRU" is not supported (supported: STPNr, STPNf, HebbFF, RNN, LSTM, FastWeights, MODPLAST)`},
		{"missing unit", `{"model": {"hidden_size": 3}}`, "model.recurrent_unit: missing (supported: STPNr"},
		{"negative hidden", strings.Replace(stpn, `"hidden_size": 11`, `"hidden_size": -4`, 1),
			"model.hidden_size: must be between 1 and 65536, found -4"},
		{"zero hidden", strings.Replace(stpn, `"hidden_size": 11`, `"hidden_size": 0`, 1), "found 0"},
		{"fractional hidden", strings.Replace(stpn, `"hidden_size": 11`, `"hidden_size": 1.5`, 1),
			"model.hidden_size: want an integer, found 1.5"},
		{"string hidden", strings.Replace(stpn, `"hidden_size": 11`, `"hidden_size": "11"`, 1), `want an integer, found "11"`},
		{"bad dict size", strings.Replace(stpn, `"dict_size": 37`, `"dict_size": -1`, 1), "data.dict_size: must be between 1"},
		{"unknown model key", strings.Replace(stpn, `"hidden_size": 11`, `"hidden_size": 11, "dropout": 0.1`, 1),
			"model.dropout: unknown option (supported here: activation, hidden_size, recurrent_unit, rnn_args)"},
		{"unknown stp key", strings.Replace(stpn, `"plastic_bias": false`, `"plastic_bias": false, "warp": 9`, 1),
			"model.rnn_args.stp.warp: unknown option"},
		{"plastic bias", strings.Replace(stpn, `"plastic_bias": false`, `"plastic_bias": true`, 1),
			"model.rnn_args.stp.plastic_bias: plastic biases are not supported"},
		{"bad connections", strings.Replace(stpn, `"plastic_weight_connections": "all"`, `"plastic_weight_connections": "some"`, 1),
			`model.rnn_args.stp.plastic_weight_connections: "some" is not supported (supported: all, input, hidden)`},
		{"bad activation", strings.Replace(stpn, `"functional_tanh"`, `"functional_gelu"`, 1),
			`model.activation: "functional_gelu" is not supported (supported: functional_tanh, functional_sigmoid, null)`},
		{"stp without activation", strings.Replace(stpn, `"functional_tanh"`, `null`, 1), "STPNr needs an activation"},
		{"weight-dependent", strings.Replace(stpn, `"weight": "stp",`, `"weight": "stp_weight_dependent",`, 1),
			`"stp_weight_dependent" is not supported (supported: stp, stp_prompt_decay)`},
		{"fw clamp negative", strings.Replace(fw, `"plastic_weight_connections": "hidden"`, `"plastic_weight_connections": "hidden", "plastic_weight_clamp_val": -1`, 1),
			"plastic_weight_clamp_val: must be ≥ 0"},
		{"fw on all", strings.Replace(fw, `"plastic_weight_connections": "hidden"`, `"plastic_weight_connections": "all"`, 1),
			`FastWeights needs "hidden"`},
		{"fw without fixed", strings.Replace(fw, `"fixed_parameter_value": 0.9`, `"value": 0.9`, 1),
			"weight_lambda.value: unknown option"},
		{"rnn weight norm", strings.Replace(rnn, `"rnn_args": {}`, `"rnn_args": {"weight_norm": true}`, 1),
			"model.rnn_args.weight_norm: only false is supported"},
		{"miconi lstm", strings.Replace(mod, `"net_type": "modplast"`, `"net_type": "lstm"`, 1), `"lstm" cannot be evaluated`},
		{"miconi addpw", strings.Replace(mod, `"addpw": 3`, `"addpw": 7`, 1), "addpw: must be 0, 1, 2 or 3, found 7"},
		{"miconi nbda", strings.Replace(mod, `"NBDA": 1`, `"NBDA": 2`, 1), "only 1 neuromodulator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.json", []byte(tt.json))
			if err == nil {
				t.Fatalf("Parse succeeded, want error %q", tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not contain %q", msg, tt.want)
			}
			if !strings.HasPrefix(msg, "config c.json: ") || strings.Contains(msg, "\n") {
				t.Errorf("error %q is not one line naming the file", msg)
			}
		})
	}
}

// Options the reference configs do not use but the reference code supports.
func TestParseOptions(t *testing.T) {
	stpn := reference(t, "ART_STPN_h11")
	c, err := Parse("c.json", []byte(strings.NewReplacer(
		`"plastic_weight_clamp_val": null`, `"plastic_weight_clamp_val": 2.5, "plasticity_rule": "oja"`,
		`"weight": "stp",`, `"weight": "stp_prompt_decay",`,
		`"time": "pre"`, `"time": "post"`,
		`"plastic_weight_connections": "all"`, `"plastic_weight_connections": "hidden"`,
		`"layer_norm": false`, `"layer_norm": true`,
	).Replace(stpn)))
	if err != nil {
		t.Fatal(err)
	}
	want := STP{Connections: HiddenConnections, Learned: true, Dims: []int{0, 1}, Clamp: 2.5,
		Type: PromptDecay, Rule: Oja, WeightNorm: true, PlasticNormTime: NormPost, PlasticNorm: NormOfTotal}
	if diff := cmp.Diff(want, c.STP); diff != "" {
		t.Errorf("STP (-want +got):\n%s", diff)
	}
	if !c.LayerNorm {
		t.Error("layer_norm true not read")
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "art", "*", "config.json"))
	for _, file := range files {
		b, _ := os.ReadFile(file)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("fuzz.json", data)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("multi-line error %q", err)
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Errorf("Parse returned a config that fails Validate: %v", err)
		}
	})
}
