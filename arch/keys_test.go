package arch

import (
	"fmt"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// edit applies old → new replacements to a reference file, failing the test
// when one does not apply (so that a case cannot silently test the
// unchanged file).
func edit(t *testing.T, base string, oldNew ...string) string {
	t.Helper()
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(base, oldNew[i]) {
			t.Fatalf("%q is not in the reference file", oldNew[i])
		}
		base = strings.Replace(base, oldNew[i], oldNew[i+1], 1)
	}
	return base
}

// checkKeyError checks that err is one line naming the file and the dotted
// key, with the problem.
func checkKeyError(t *testing.T, err error, file, key, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %s: %s", key, want)
	}
	msg := err.Error()
	prefix := "config " + file + ": " + key + ": "
	if key == "" {
		prefix = "config " + file + ": "
	}
	if !strings.HasPrefix(msg, prefix) || !strings.Contains(msg, want) || strings.Contains(msg, "\n") {
		t.Errorf("error\n  %s\nwant one line starting %q and containing %q", msg, prefix, want)
	}
}

// Every rule of the reference constructors a config can break, and every
// value of the wrong type, is refused with the key that holds it.
func TestParseConfigKeyErrors(t *testing.T) {
	stpn := reference(t, "ART_STPN_h11")
	hebb := reference(t, "ART_HebbFF_h26")
	fw := reference(t, "ART_FW_S1_h20")
	rnn := reference(t, "ART_RNN_h20")
	lstm := reference(t, "ART_LSTM_h9")
	mod := reference(t, "ART_MODPLAST_h17")
	const args = "model.rnn_args."
	const stp = args + "stp."
	stpnArgs := `"rnn_args": {`
	// minimal is the smallest STPNr config, with more keys in its stp section.
	minimal := func(more string) string {
		return `{"model": {"recurrent_unit": "STPNr", "hidden_size": 2, "activation": "functional_tanh",
			"rnn_args": {"stp": {"plastic_weight_connections": "all", ` + more + `}}}}`
	}
	tests := []struct {
		name, json, key, want string
	}{
		// Sections and types of the model section.
		{"data not an object", edit(t, stpn, `"data": {`, `"data": 3, "x": {`), "data", "not a JSON object"},
		{"dict_size text", edit(t, stpn, `"dict_size": 37`, `"dict_size": "37"`), "data.dict_size", `want an integer, found "37"`},
		{"unit not a string", edit(t, stpn, `"recurrent_unit": "STPNr"`, `"recurrent_unit": 7`), "model.recurrent_unit", "want a string, found 7"},
		{"no hidden size", edit(t, rnn, `"hidden_size": 20,`, ``), "model.hidden_size", "missing"},
		{"activation not a string", edit(t, stpn, `"activation": "functional_tanh"`, `"activation": true`), "model.activation", "want a string"},
		{"rnn_args not an object", edit(t, rnn, `"rnn_args": {}`, `"rnn_args": [1]`), "model.rnn_args", "not a JSON object"},
		{"long values are shortened", edit(t, stpn, `"hidden_size": 11`, `"hidden_size": "`+strings.Repeat("eleven ", 20)+`"`),
			"model.hidden_size", `eleven ...`}, // cut to 60 characters

		// STP cells (STPNr, STPNf, HebbFF).
		{"STP key in a cell", edit(t, stpn, stpnArgs, stpnArgs+`"S": 1,`), args + "S", "unknown option (supported here: bias, layer_norm, stp)"},
		{"bias not boolean", edit(t, stpn, `"bias": true`, `"bias": "yes"`), args + "bias", `want true or false, found "yes"`},
		{"layer_norm not boolean", edit(t, stpn, `"layer_norm": false`, `"layer_norm": 0`), args + "layer_norm", "want true or false, found 0"},
		{"STPNf without stp", edit(t, rnn, `"RNN"`, `"STPNf"`, `"activation": null`, `"activation": "functional_tanh"`),
			args + "stp", "missing: STPNf needs its STP configuration"},
		{"HebbFF without bias", edit(t, hebb, `"rnn_args": {`, `"rnn_args": {"bias": false,`), args + "bias", "HebbFF requires a bias"},
		{"HebbFF layer norm", edit(t, hebb, `"rnn_args": {`, `"rnn_args": {"layer_norm": true,`), args + "layer_norm", "HebbFF does not support layer norm"},
		{"HebbFF vector λ", edit(t, hebb, `"learn_plastic_weight_params_dims": []`, `"learn_plastic_weight_params_dims": [0]`),
			stp + "learn_plastic_weight_params_dims", "HebbFF has scalar λ and γ"},
		{"HebbFF clamp", edit(t, hebb, `"plastic_weight_clamp_val": null`, `"plastic_weight_clamp_val": 1`),
			stp + "plastic_weight_clamp_val", "HebbFF requires null"},
		{"HebbFF weight norm", edit(t, hebb, `"plasticity_type_kwargs": {`, `"plasticity_type_kwargs": {"weight_norm": {},`),
			stp + "plasticity_type_kwargs", "HebbFF has no weight normalisation"},

		// FastWeights.
		{"FW inner steps", edit(t, fw, `"S": 1`, `"S": 2000`), args + "S", "must be between 0 and 1000, found 2000"},
		{"FW inner steps text", edit(t, fw, `"S": 1`, `"S": "one"`), args + "S", "want an integer"},
		{"FW activation", edit(t, fw, `"activation": "tanh"`, `"activation": "gelu"`), args + "activation",
			`"gelu" is not supported (supported: tanh, Tanh, sigmoid, relu, ReLU)`},
		{"FW activation type", edit(t, fw, `"activation": "tanh"`, `"activation": 1`), args + "activation", "want a string"},
		{"FW unknown key", edit(t, fw, `"S": 1,`, `"S": 1, "T": 2,`), args + "T", "unknown option"},
		{"FW layer norm", edit(t, fw, `"S": 1,`, `"S": 1, "layer_norm": "on",`), args + "layer_norm", "want true or false"},
		{"FW without stp", `{"model": {"recurrent_unit": "FastWeights", "hidden_size": 4, "rnn_args": {"S": 1}}}`,
			args + "stp", "missing: FastWeights needs fixed λ and γ"},
		{"FW weight norm", edit(t, fw, `"plastic_bias": false,`, `"plastic_bias": false, "plasticity_type_kwargs": {"weight_norm": {}},`),
			stp + "plasticity_type_kwargs", "weight normalisation is not supported for FastWeights"},
		{"FW λ missing", edit(t, fw, `{
              "fixed_parameter_value": 0.9
            }`, `{}`), stp + "learn_plastic_weight_params_kwargs.weight_lambda.fixed_parameter_value",
			"missing: λ and γ are not learned"},
		{"FW λ text", edit(t, fw, `"fixed_parameter_value": 0.9`, `"fixed_parameter_value": "0.9"`),
			stp + "learn_plastic_weight_params_kwargs.weight_lambda.fixed_parameter_value", `want a number, found "0.9"`},
		{"FW λ key", edit(t, fw, `"fixed_parameter_value": 0.9`, `"value": 0.9`),
			stp + "learn_plastic_weight_params_kwargs.weight_lambda.value", "unknown option"},
		{"FW kwargs not an object", edit(t, fw, `"weight_gamma": {`, `"weight_gamma": 5, "x": {`),
			stp + "learn_plastic_weight_params_kwargs.weight_gamma", "not a JSON object"},

		// RNN and LSTM.
		{"RNN nonlinearity", edit(t, rnn, `"rnn_args": {}`, `"rnn_args": {"nonlinearity": "elu"}`), args + "nonlinearity",
			`"elu" is not supported`},
		{"RNN nonlinearity type", edit(t, rnn, `"rnn_args": {}`, `"rnn_args": {"nonlinearity": 1}`), args + "nonlinearity", "want a string"},
		{"RNN unknown key", edit(t, rnn, `"rnn_args": {}`, `"rnn_args": {"dropout": 0.1}`), args + "dropout", "unknown option"},
		{"RNN bias", edit(t, rnn, `"rnn_args": {}`, `"rnn_args": {"bias": 1}`), args + "bias", "want true or false"},
		{"LSTM weight norm", edit(t, lstm, `"rnn_args": {}`, `"rnn_args": {"weight_norm": true}`), args + "weight_norm",
			"only null is supported"},
		{"LSTM unknown key", edit(t, lstm, `"rnn_args": {}`, `"rnn_args": {"S": 1}`), args + "S", "unknown option"},
		{"LSTM layer norm", edit(t, lstm, `"rnn_args": {}`, `"rnn_args": {"layer_norm": "no"}`), args + "layer_norm", "want true or false"},

		// MODPLAST.
		{"MODPLAST plastic", edit(t, mod, `"net_type": "modplast"`, `"net_type": "plastic"`), args + "net_type",
			"has no energy accounting in the reference"},
		{"MODPLAST net type", edit(t, mod, `"net_type": "modplast"`, `"net_type": "cnn"`), args + "net_type",
			`"cnn" is not supported (supported: modplast, rnn)`},
		{"MODPLAST net type type", edit(t, mod, `"net_type": "modplast"`, `"net_type": 2`), args + "net_type", "want a string"},
		{"MODPLAST da", edit(t, mod, `"da": "tanh"`, `"da": "relu"`), args + "da", `"relu" is not supported (supported: tanh, sig, lin)`},
		{"MODPLAST da type", edit(t, mod, `"da": "tanh"`, `"da": 0`), args + "da", "want a string"},
		{"MODPLAST addpw type", edit(t, mod, `"addpw": 3`, `"addpw": "3"`), args + "addpw", "want an integer"},
		{"MODPLAST NBDA type", edit(t, mod, `"NBDA": 1`, `"NBDA": 1.5`), args + "NBDA", "want an integer, found 1.5"},
		{"MODPLAST clamp type", edit(t, mod, `"clamp_val": 1.0`, `"clamp_val": "one"`), args + "clamp_val", "want a number"},
		{"MODPLAST unknown key", edit(t, mod, `"NBDA": 1`, `"NBDA": 1, "eta": 0.1`), args + "eta", "unknown option"},

		// The STP section.
		{"connections missing", edit(t, stpn, `"plastic_weight_connections": "all"`, `"plastic_weight_connections": null`),
			stp + "plastic_weight_connections", "missing (supported: all, input, hidden)"},
		{"connections type", edit(t, stpn, `"plastic_weight_connections": "all"`, `"plastic_weight_connections": 1`),
			stp + "plastic_weight_connections", "want a string"},
		{"learned type", edit(t, stpn, `"learn_plastic_weight_params": true`, `"learn_plastic_weight_params": "yes"`),
			stp + "learn_plastic_weight_params", "want true or false"},
		{"dims outside 0, 1", edit(t, stpn, `"learn_plastic_weight_params_dims": [0,1]`, `"learn_plastic_weight_params_dims": [0,2]`),
			stp + "learn_plastic_weight_params_dims", "dimensions must be 0 (postsynaptic) or 1 (presynaptic), found [0 2]"},
		{"dims fractional", edit(t, stpn, `"learn_plastic_weight_params_dims": [0,1]`, `"learn_plastic_weight_params_dims": [0.5]`),
			stp + "learn_plastic_weight_params_dims", "want a list of integers, found [0.5]"},
		{"dims not a list", edit(t, stpn, `"learn_plastic_weight_params_dims": [0,1]`, `"learn_plastic_weight_params_dims": "01"`),
			stp + "learn_plastic_weight_params_dims", "want a list of integers"},
		{"clamp type", edit(t, stpn, `"plastic_weight_clamp_val": null`, `"plastic_weight_clamp_val": "big"`),
			stp + "plastic_weight_clamp_val", "want a number"},
		{"plastic bias type", edit(t, stpn, `"plastic_bias": false`, `"plastic_bias": "no"`), stp + "plastic_bias", "want true or false"},
		{"init_stp false", edit(t, stpn, `"plastic_bias": false`, `"plastic_bias": false, "init_stp": false`),
			stp + "init_stp", "only true is supported"},
		{"init_stp type", edit(t, stpn, `"plastic_bias": false`, `"plastic_bias": false, "init_stp": 1`), stp + "init_stp", "want true or false"},
		{"update within forward", edit(t, stpn, `"plastic_bias": false`,
			`"plastic_bias": false, "plastic_weights_update_kwargs": {"stp_update_within_forward": true}`),
			stp + "plastic_weights_update_kwargs", "only the default update timing"},
		{"update before", edit(t, stpn, `"plastic_bias": false`,
			`"plastic_bias": false, "plastic_weights_update_kwargs": {"stp_update_before_transformation": true}`),
			stp + "plastic_weights_update_kwargs", "only the default update timing"},
		{"update type", edit(t, stpn, `"plastic_bias": false`,
			`"plastic_bias": false, "plastic_weights_update_kwargs": {"stp_update_within_forward": "x"}`),
			stp + "plastic_weights_update_kwargs.stp_update_within_forward", "want true or false"},
		{"update before type", edit(t, stpn, `"plastic_bias": false`,
			`"plastic_bias": false, "plastic_weights_update_kwargs": {"stp_update_before_transformation": 2}`),
			stp + "plastic_weights_update_kwargs.stp_update_before_transformation", "want true or false"},
		{"update key", edit(t, stpn, `"plastic_bias": false`,
			`"plastic_bias": false, "plastic_weights_update_kwargs": {"now": true}`),
			stp + "plastic_weights_update_kwargs.now", "unknown option"},
		{"update not an object", edit(t, stpn, `"plastic_bias": false`,
			`"plastic_bias": false, "plastic_weights_update_kwargs": 1`),
			stp + "plastic_weights_update_kwargs", "not a JSON object"},
		{"type without weight", edit(t, stpn, `"weight": "stp",`, ``), stp + "plasticity_type.weight", "missing"},
		{"type key", edit(t, stpn, `"weight": "stp",`, `"weight": "stp", "gain": 1,`), stp + "plasticity_type.gain", "unknown option"},
		{"type weight type", edit(t, stpn, `"weight": "stp",`, `"weight": 1,`), stp + "plasticity_type.weight", "want a string"},
		{"type neither string nor object", minimal(`"plasticity_type": 5`),
			stp + "plasticity_type", "not a JSON object"},
		{"rule", edit(t, stpn, `"plastic_bias": false`, `"plastic_bias": false, "plasticity_rule": "bcm"`),
			stp + "plasticity_rule", `"bcm" is not supported (supported: hebb, oja)`},
		{"rule type", edit(t, stpn, `"plastic_bias": false`, `"plastic_bias": false, "plasticity_rule": 1`),
			stp + "plasticity_rule", "want a string"},

		// Normalisation (plasticity_type_kwargs).
		{"kwargs key", edit(t, stpn, `"weight_norm": {`, `"gain": 1, "weight_norm": {`), stp + "plasticity_type_kwargs.gain", "unknown option"},
		{"kwargs not an object", minimal(`"plasticity_type_kwargs": 1`),
			stp + "plasticity_type_kwargs", "not a JSON object"},
		{"norm dim", edit(t, stpn, `"dim": 2`, `"dim": 1`), stp + "plasticity_type_kwargs.weight_norm.dim",
			"only 2 (normalise each postsynaptic row) is supported, found 1"},
		{"norm dim type", edit(t, stpn, `"dim": 2`, `"dim": "rows"`), stp + "plasticity_type_kwargs.weight_norm.dim",
			"want an integer, found \"rows\" (only 2 is supported)"},
		{"norm key", edit(t, stpn, `"dim": 2`, `"dim": 2, "eps": 0`), stp + "plasticity_type_kwargs.weight_norm.eps", "unknown option"},
		{"norm learn type", edit(t, stpn, `"dim": 2,
            "learn": false`, `"dim": 2,
            "learn": 0`), stp + "plasticity_type_kwargs.weight_norm.learn", "want true or false"},
		{"norm not an object", minimal(`"plasticity_type_kwargs": {"weight_norm": 2}`),
			stp + "plasticity_type_kwargs.weight_norm", "not a JSON object"},
		{"F norm time", edit(t, stpn, `"time": "pre"`, `"time": "mid"`), stp + "plasticity_type_kwargs.plastic_weight_norm.time",
			`"mid" is not supported (supported: pre, post, null)`},
		{"F norm time type", edit(t, stpn, `"time": "pre"`, `"time": 0`), stp + "plasticity_type_kwargs.plastic_weight_norm.time", "want a string"},
		{"F norm post without norm", edit(t, stpn, `"norm": "G",
            "time": "pre"`, `"time": "post"`), stp + "plasticity_type_kwargs.plastic_weight_norm.norm",
			`missing: "post" normalisation needs G or F`},
		{"F norm kind", edit(t, stpn, `"norm": "G"`, `"norm": "H"`), stp + "plasticity_type_kwargs.plastic_weight_norm.norm",
			`"H" is not supported (supported: G, F)`},
		{"F norm kind type", edit(t, stpn, `"norm": "G"`, `"norm": 7`), stp + "plasticity_type_kwargs.plastic_weight_norm.norm", "want a string"},
		{"F norm learn", edit(t, stpn, `"time": "pre",
            "learn": false`, `"time": "pre",
            "learn": "no"`), stp + "plasticity_type_kwargs.plastic_weight_norm.learn", "want true or false"},
		{"F norm key", edit(t, stpn, `"time": "pre"`, `"time": "pre", "eps": 0`), stp + "plasticity_type_kwargs.plastic_weight_norm.eps", "unknown option"},
		{"F norm not an object", minimal(`"plasticity_type_kwargs": {"plastic_weight_norm": []}`),
			stp + "plasticity_type_kwargs.plastic_weight_norm", "not a JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.json", []byte(tt.json))
			checkKeyError(t, err, "c.json", tt.key, tt.want)
		})
	}
}

// A description's or an RLlib config's key of the wrong type or value is
// refused with the key that holds it.
func TestParseNetworkKeyErrors(t *testing.T) {
	const core = "core: {unit: nn.LSTM, hidden_size: 4}\n"
	const head = "heads: [{name: logits, tensor: out}]\n"
	layer := func(l string) string { return core + head + "front_end: [" + l + "]\n" }
	withCore := func(c string) string { return "core: {" + c + "}\n" + head }
	params := func(model, kw string) string {
		return `{"framework": "torch", "model": {"custom_model": "m", ` + model + `"custom_model_config": {` + kw + `}}}`
	}
	spec := func(con string) string { return `{"constructor": {` + con + `}}` }
	tests := []struct {
		name, file, doc, key, want string
	}{
		// The top of a description.
		{"prefix type", "n.yaml", core + head + "prefix: [1]", "prefix", "want a string"},
		{"input not an object", "n.yaml", core + head + "input: 3", "input", "not a JSON object"},
		{"input key", "n.yaml", core + head + "input: {shape: [4], dtype: f32}", "input.dtype", "unknown option (supported here: shape)"},
		{"input shape type", "n.yaml", core + head + "input: {shape: four}", "input.shape", "want a list of integers"},
		{"input too large", "n.yaml", core + head + "input: {shape: [4096, 4096]}", "input.shape", "has more than 4194304 values"},
		{"front_end not a list", "n.yaml", core + head + "front_end: {type: relu}", "front_end", "want a list"},
		{"layer not an object", "n.yaml", layer("3"), "front_end[0]", "not a JSON object"},
		{"too many layers", "n.yaml", layer(strings.Repeat("{type: relu}, ", 64) + "{type: relu}"), "front_end", "65 layers, at most 64"},
		{"outputs type", "n.yaml", core + head + "outputs: 1", "outputs", "want a string"},
		{"model not an object", "c.json", `{"model": 3}`, "model", "not a JSON object"},
		{"keys not strings", "n.yaml", "core: {1: 2}", "", "holds a value JSON cannot hold (keys must be strings)"},

		// Front-end layers.
		{"type type", "n.yaml", layer("{type: 1}"), "front_end[0].type", "want a string"},
		{"linear key", "n.yaml", layer("{type: linear, name: a, kernel_size: 3}"), "front_end[0].kernel_size", "unknown option"},
		{"linear size type", "n.yaml", layer("{type: linear, name: a, out_features: many}"), "front_end[0].out_features", "want an integer"},
		{"linear too wide", "n.yaml", layer("{type: linear, name: a, out_features: 5000000}"), "front_end[0].out_features",
			"must be between 1 and 4194304, found 5000000"},
		{"layer name type", "n.yaml", layer("{type: linear, name: 5}"), "front_end[0].name", "want a string"},
		{"layer bias type", "n.yaml", layer("{type: linear, name: a, bias: 2}"), "front_end[0].bias", "want true or false"},
		{"conv key", "n.yaml", layer("{type: conv2d, name: c, kernel_size: 3, dilation: 2}"), "front_end[0].dilation", "unknown option"},
		{"conv size type", "n.yaml", layer("{type: conv2d, name: c, kernel_size: 3, out_channels: x}"), "front_end[0].out_channels", "want an integer"},
		{"conv too many channels", "n.yaml", layer("{type: conv2d, name: c, kernel_size: 3, out_channels: 5000000}"),
			"front_end[0].out_channels", "must be between 1 and 4194304"},
		{"conv kernel too large", "n.yaml", layer("{type: conv2d, name: c, kernel_size: 2000}"), "front_end[0].kernel_size",
			"[2000 2000]: want 1 to 1024"},
		{"conv stride type", "n.yaml", layer("{type: conv2d, name: c, kernel_size: 3, stride: [a, b]}"), "front_end[0].stride",
			"want an integer or a pair [height, width]"},
		{"conv padding type", "n.yaml", layer("{type: conv2d, name: c, kernel_size: 3, padding: x}"), "front_end[0].padding",
			"want an integer or a pair [height, width]"},
		{"conv padding too large", "n.yaml", layer("{type: conv2d, name: c, kernel_size: 3, padding: [0, 2000]}"),
			"front_end[0].padding", "[0 2000]: want 0 to 1024"},
		{"permute key", "n.yaml", layer("{type: permute, dims: [0], name: p}"), "front_end[0].name", "unknown option (supported here: dims, type)"},
		{"permute dims type", "n.yaml", layer("{type: permute, dims: x}"), "front_end[0].dims", "want a list of integers"},
		{"permute rank", "n.yaml", layer("{type: permute, dims: [0, 1, 2, 3, 4]}"), "front_end[0].dims", "at most 4 dimensions"},
		{"permute without dims", "n.yaml", layer("{type: permute}"), "front_end[0].dims", "missing"},
		{"activation key", "n.yaml", layer("{type: relu, inplace: true}"), "front_end[0].inplace", "unknown option (supported here: type)"},

		// The core of a description.
		{"core not an object", "n.yaml", "core: 3\n" + head, "core", "not a JSON object"},
		{"core key", "n.yaml", withCore("unit: nn.LSTM, hidden_size: 4, dropout: 0.1"), "core.dropout", "unknown option"},
		{"unit type", "n.yaml", withCore("unit: 3, hidden_size: 4"), "core.unit", "want a string"},
		{"unit missing", "n.yaml", withCore("hidden_size: 4"), "core.unit", "missing (supported: STPNr"},
		{"naming type", "n.yaml", withCore("unit: RNN, hidden_size: 4, naming: 1"), "core.naming", "want a string"},
		{"paper naming of nn.LSTM", "n.yaml", withCore("unit: nn.LSTM, hidden_size: 4, naming: paper"), "core.naming",
			`"paper" is not supported for nn.LSTM`},
		{"naming word", "n.yaml", withCore("unit: RNN, hidden_size: 4, naming: keras"), "core.naming", `"keras" is not supported for RNN`},
		{"core prefix type", "n.yaml", withCore("unit: RNN, hidden_size: 4, prefix: 1"), "core.prefix", "want a string"},
		{"core prefix dot", "n.yaml", withCore(`unit: RNN, hidden_size: 4, prefix: "."`), "core.prefix", `"." is not a tensor-name prefix`},
		{"hidden type", "n.yaml", withCore("unit: RNN, hidden_size: four"), "core.hidden_size", "want an integer"},
		{"input_size type", "n.yaml", withCore("unit: RNN, hidden_size: 4, input_size: x"), "core.input_size", "want an integer"},
		{"input_size zero", "n.yaml", withCore("unit: RNN, hidden_size: 4, input_size: 0"), "core.input_size",
			"must be between 1 and 4194304, found 0"},
		{"activation type", "n.yaml", withCore("unit: RNN, hidden_size: 4, activation: 1"), "core.activation", "want a string"},
		{"activation word", "n.yaml", withCore("unit: RNN, hidden_size: 4, activation: relu"), "core.activation",
			`"relu" is not supported (supported: tanh, sigmoid, none)`},
		{"hebbian type", "n.yaml", withCore("unit: RNN, hidden_size: 4, hebbian_presynaptic: 1"), "core.hebbian_presynaptic", "want a string"},
		{"activation_on_f type", "n.yaml", withCore("unit: RNN, hidden_size: 4, activation_on_f: 3"), "core.activation_on_f", "want true or false"},
		{"rnn_args not an object", "n.yaml", withCore("unit: RNN, hidden_size: 4, rnn_args: 3"), "core.rnn_args", "not a JSON object"},
		{"GRU args", "n.yaml", withCore("unit: nn.GRU, hidden_size: 4, rnn_args: {layer_norm: true}"), "core.rnn_args.layer_norm",
			"unknown option (supported here: bias)"},
		{"MLP bias", "n.yaml", withCore("unit: mlp, hidden_size: 4, rnn_args: {bias: 2}"), "core.rnn_args.bias", "want true or false"},
		{"FastWeights args", "n.yaml", withCore("unit: FastWeights, hidden_size: 4, rnn_args: {S: -1}"), "core.rnn_args.S",
			"must be between 0 and 1000, found -1"},
		{"RNN args", "n.yaml", withCore("unit: RNN, hidden_size: 4, rnn_args: {nonlinearity: elu}"), "core.rnn_args.nonlinearity", "not supported"},
		{"MODPLAST args", "n.yaml", withCore("unit: MODPLAST, hidden_size: 4, rnn_args: {da: relu}"), "core.rnn_args.da", "not supported"},

		// Heads.
		{"heads not a list", "n.yaml", core + "heads: {name: a}", "heads", "want a list"},
		{"too many heads", "n.yaml", core + "heads: [" + strings.Repeat("{name: a, tensor: t}, ", 16) + "{name: b, tensor: t}]",
			"heads", "17 heads, at most 16"},
		{"head key", "n.yaml", core + "heads: [{name: a, tensor: t, bias: false}]", "heads[0].bias", "unknown option"},
		{"head name type", "n.yaml", core + "heads: [{name: 1, tensor: t}]", "heads[0].name", "want a string"},
		{"head tensor type", "n.yaml", core + "heads: [{name: a, tensor: [t]}]", "heads[0].tensor", "want a string"},
		{"head tensor missing", "n.yaml", core + "heads: [{name: a}]", "heads[0].tensor", "missing"},
		{"head size type", "n.yaml", core + "heads: [{name: a, tensor: t, size: x}]", "heads[0].size", "want an integer"},
		{"head too wide", "n.yaml", core + "heads: [{name: a, tensor: t, size: 5000000}]", "heads[0].size", "must be between 1 and 4194304"},

		// RLlib params.json and spec.json.
		{"framework type", "params.json", `{"framework": 1, "model": {"custom_model_config": {}}}`, "framework", "want a string"},
		{"use_lstm type", "params.json", params(`"use_lstm": "yes", `, ""), "model.use_lstm", "want true or false"},
		{"attention", "params.json", params(`"use_attention": true, `, ""), "model.use_attention", "RLlib would wrap the custom model"},
		{"kwargs not an object", "params.json", `{"model": {"custom_model_config": 1}}`, "model.custom_model_config", "not a JSON object"},
		{"fc_size type", "params.json", params("", `"fc_size": "big"`), "model.custom_model_config.fc_size", "want an integer"},
		{"fc_size zero", "params.json", params("", `"fc_size": 0`), "model.custom_model_config.fc_size", "must be between 1 and 4194304, found 0"},
		{"lstm_state_size type", "params.json", params("", `"lstm_state_size": []`), "model.custom_model_config.lstm_state_size", "want an integer"},
		{"use_mlp type", "params.json", params("", `"use_mlp": 1`), "model.custom_model_config.use_mlp", "want true or false"},
		{"use_cnn type", "params.json", params("", `"use_cnn": 1`), "model.custom_model_config.use_cnn", "want true or false"},
		{"dim type", "params.json", params(`"dim": "84", `, `"use_mlp": false, "use_cnn": true`), "model.dim", "want an integer"},
		{"dim too large", "params.json", params(`"dim": 5000, `, `"use_mlp": false, "use_cnn": true`), "model.dim",
			"must be between 1 and 4096, found 5000"},
		{"grayscale type", "params.json", params(`"grayscale": "no", `, `"use_mlp": false, "use_cnn": true`), "model.grayscale", "want true or false"},
		{"rnn_type type", "params.json", params("", `"rnn_type": 1`), "model.custom_model_config.rnn_type", "want a string"},
		{"stp not an object", "params.json", params("", `"rnn_type": "stpn", "stp": 3`), "model.custom_model_config.stp", "not a JSON object"},
		{"constructor not an object", "spec.json", `{"constructor": 1}`, "constructor", "not a JSON object"},
		{"obs_space not an object", "spec.json", spec(`"obs_space": 1`), "constructor.obs_space", "not a JSON object"},
		{"shape type", "spec.json", spec(`"obs_space": {"shape": "4"}`), "constructor.obs_space.shape", "want a list of integers"},
		{"num_outputs type", "spec.json", spec(`"obs_space": {"shape": [4]}, "num_outputs": "2"`), "constructor.num_outputs", "want an integer"},
		{"model_config not an object", "spec.json", spec(`"obs_space": {"shape": [4]}, "num_outputs": 2, "model_config": 1`),
			"constructor.model_config", "not a JSON object"},
		{"spec model", "spec.json", spec(`"obs_space": {"shape": [4]}, "num_outputs": 2, "model_config": {"custom_model_config": {"rnn_type": "gru"}}`),
			"constructor.model_config.custom_model_config.rnn_type", `"gru" is not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseNetwork(tt.file, []byte(tt.doc))
			checkKeyError(t, err, tt.file, tt.key, tt.want)
		})
	}
}

// A file that cannot be read is one error naming it.
func TestLoadMissing(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.json")
	for _, load := range []func(string) error{
		func(p string) error { _, err := Load(p); return err },
		func(p string) error { _, err := LoadNetwork(p); return err },
	} {
		err := load(missing)
		if err == nil || !strings.HasPrefix(err.Error(), "config "+missing+": ") || !strings.Contains(err.Error(), "no such file") {
			t.Errorf("error %v, want one naming %s and saying it does not exist", err, missing)
		}
	}
}

// Every option of a description's front-end and core, read as its doc
// says.
func TestDescriptionOptions(t *testing.T) {
	const file = "n.yaml"
	n, err := ParseNetwork(file, []byte(`
prefix: model.
input: {shape: [3, 8, 8]}
front_end:
  - {type: conv2d, name: c1, out_channels: 4, kernel_size: [3, 2], stride: [2, 1], padding: 1, bias: false}
  - {type: Sigmoid}
  - {type: flatten}
  - {type: linear, name: fc, out_features: 10, bias: false}
  - {type: tanh}
core:
  unit: HebbFF
  prefix: cell.
  hidden_size: 6
  input_size: 10
  activation: sigmoid
  activation_on_f: true
  hebbian_presynaptic: new
  rnn_args: {stp: {learn_plastic_weight_params_dims: [], plastic_weight_clamp_val: null}}
heads: [{name: logits, tensor: out, size: 3}]
outputs: last_step
`))
	if err != nil {
		t.Fatal(err)
	}
	want := &Network{
		File: file, Source: DescribedSource, Prefix: "model.", Obs: []int{3, 8, 8},
		Front: []Layer{
			{Kind: Conv2d, Name: "c1", Out: 4, Kernel: [2]int{3, 2}, Stride: [2]int{2, 1}, Padding: [2]int{1, 1}},
			{Kind: Act, Activation: Sigmoid}, // layer types are not case-sensitive
			{Kind: Flatten},
			{Kind: Linear, Name: "fc", Out: 10},
			{Kind: Act, Activation: Tanh},
		},
		CorePrefix: "cell.",
		// HebbFF: a bias always, λ and γ from the checkpoint, no clamp (null).
		Core: Config{File: file, Unit: HebbFF, Hidden: 6, InputSize: 10, Activation: Sigmoid, Bias: true,
			STP: STP{Connections: AllConnections, Learned: true, Clamp: math.Inf(1)}},
		Wrapper: Wrapper{HebbianPre: NewHidden, ActivationOnF: true},
		Heads:   []Head{{Name: "logits", Tensor: "out", Out: 3}},
	}
	if diff := cmp.Diff(want, n, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("network (-want +got):\n%s", diff)
	}
}

// Each kind of core, as a description gives it, with the defaults its doc
// states (naming torch; activation tanh for STP cells and MLP, none
// otherwise; FastWeights layer norm and S = 1; MODPLAST applies its own
// tanh; a feed-forward STP layer's columns are all plastic).
func TestDescriptionCores(t *testing.T) {
	fixed := `learn_plastic_weight_params: false,
		learn_plastic_weight_params_kwargs: {weight_lambda: {fixed_parameter_value: 0.8}, weight_gamma: {fixed_parameter_value: 0.1}}`
	tests := []struct {
		name, core string
		want       Config
	}{
		{"paper RNN", "unit: RNN, hidden_size: 5, naming: paper, rnn_args: {nonlinearity: relu}",
			Config{Unit: RNN, Hidden: 5, Naming: PaperNaming, CellActivation: ReLU, Bias: true}},
		{"RNN without nonlinearity", "unit: RNN, hidden_size: 5, rnn_args: {nonlinearity: null}",
			Config{Unit: RNN, Hidden: 5, Naming: TorchNaming, CellActivation: Identity, Bias: true}},
		{"torch RNN", "unit: nn.RNN, hidden_size: 5, naming: torch",
			Config{Unit: RNN, Hidden: 5, Naming: TorchNaming, CellActivation: Tanh, Bias: true}},
		{"paper LSTM", "unit: LSTM, hidden_size: 5, naming: paper",
			Config{Unit: LSTM, Hidden: 5, Naming: PaperNaming, Bias: true}},
		{"GRU without bias", "unit: nn.GRU, hidden_size: 5, rnn_args: {bias: false}",
			Config{Unit: GRU, Hidden: 5, Naming: TorchNaming}},
		{"MLP", "unit: MLP, hidden_size: 5", Config{Unit: MLP, Hidden: 5, Activation: Tanh, Bias: true}},
		{"linear mlp", "unit: mlp, hidden_size: 5, activation: none", Config{Unit: MLP, Hidden: 5, Bias: true}},
		{"FastWeights", "unit: FastWeights, hidden_size: 5, rnn_args: {S: 3, activation: ReLU, stp: {plastic_weight_connections: hidden, " + fixed + "}}",
			Config{Unit: FastWeights, Hidden: 5, Bias: true, LayerNorm: true, CellActivation: ReLU, S: 3,
				STP: STP{Connections: HiddenConnections, Lambda: 0.8, Gamma: 0.1, Clamp: 1000}}},
		{"FastWeights defaults", "unit: FastWeights, hidden_size: 5, rnn_args: {stp: {plastic_weight_connections: hidden, " + fixed + "}}",
			Config{Unit: FastWeights, Hidden: 5, Bias: true, LayerNorm: true, CellActivation: Tanh, S: 1,
				STP: STP{Connections: HiddenConnections, Lambda: 0.8, Gamma: 0.1, Clamp: 1000}}},
		{"MODPLAST", "unit: MODPLAST, hidden_size: 5, activation: tanh, rnn_args: {net_type: rnn, da: lin, addpw: 0}",
			Config{Unit: MODPLAST, Hidden: 5, Bias: true, Miconi: Miconi{NetType: "rnn", DA: "lin", AddPW: 0}}},
		{"stpmlp", "unit: stpmlp, hidden_size: 5, rnn_args: {stp: {plastic_weight_connections: input}}",
			Config{Unit: STPNf, Hidden: 5, Activation: Tanh, Bias: true, STP: STP{Connections: AllConnections, Learned: true, Clamp: 1000}}},
		{"STPN options", "unit: STPNr, hidden_size: 5, rnn_args: {stp: {plastic_weight_connections: input, plasticity_type: stp_prompt_decay, " +
			"plasticity_type_kwargs: {weight_norm: {learn: true}, plastic_weight_norm: {time: post, norm: F, learn: true}}}}",
			Config{Unit: STPNr, Hidden: 5, Activation: Tanh, Bias: true, STP: STP{Connections: InputConnections, Learned: true,
				Clamp: 1000, Type: PromptDecay, WeightNorm: true, LearnNorm: true, PlasticNormTime: NormPost,
				PlasticNorm: NormOfPlastic, LearnPlasticNorm: true}}},
		{"STPN without F norm time", "unit: STPNr, hidden_size: 5, rnn_args: {stp: {plastic_weight_connections: all, " +
			"plasticity_type_kwargs: {plastic_weight_norm: {}}}}",
			Config{Unit: STPNr, Hidden: 5, Activation: Tanh, Bias: true, STP: STP{Learned: true, Clamp: 1000}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParseNetwork("n.yaml", []byte("core: {"+tt.core+"}\nheads: [{name: logits, tensor: out}]"))
			if err != nil {
				t.Fatal(err)
			}
			tt.want.File = "n.yaml"
			if diff := cmp.Diff(tt.want, n.Core, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("core (-want +got):\n%s", diff)
			}
		})
	}
}

// An RLlib model with the convolutional front-end and no spec takes its
// observation from model.dim and grayscale (RLlib's defaults: 84, colour).
func TestRLlibCNNObservation(t *testing.T) {
	for _, tt := range []struct {
		model string
		want  []int
	}{
		{``, []int{84, 84, 3}},
		{`"dim": 42, "grayscale": true, `, []int{42, 42, 1}},
	} {
		n, err := ParseNetwork("params.json", []byte(`{"model": {`+tt.model+
			`"custom_model_config": {"use_mlp": false, "use_cnn": true, "rnn_type": "rnn"}}}`))
		if err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(n.Obs, tt.want) || len(n.Front) != 6 || n.Front[1].Name != "conv1" || n.Front[3].Name != "conv2" {
			t.Errorf("%s: observation %v, front-end %v; want %v and the two convolutions", tt.model, n.Obs, n.Front, tt.want)
		}
	}
}

// The names the types print are the names files use: every unit's is
// accepted as a description's core unit, every activation layer's as its
// type; out-of-range values say what they are.
func TestNames(t *testing.T) {
	for _, u := range Units() {
		c, err := parseUnitOnly(u.String())
		if err != nil && !strings.Contains(err.Error(), "rnn_args") {
			t.Errorf("unit %s: %v", u, err)
		}
		if err == nil && c != u {
			t.Errorf("unit %q parsed as %v", u.String(), c)
		}
	}
	for _, a := range []Activation{Tanh, Sigmoid, ReLU} {
		n, err := ParseNetwork("n.yaml", []byte("core: {unit: nn.LSTM, hidden_size: 4}\nheads: [{name: l, tensor: o}]\nfront_end: [{type: "+a.String()+"}]"))
		if err != nil || n.Front[0].Activation != a {
			t.Errorf("layer type %q: %v, %v", a, n, err)
		}
	}
	for _, k := range []LayerKind{Linear, Conv2d, Flatten, Permute} {
		if _, known := layerTypes[k.String()]; !known || layerTypes[k.String()].Kind != k {
			t.Errorf("layer kind %v is not a type name", k)
		}
	}
	for _, tt := range []struct {
		got, want string
	}{
		{Unit(0).String(), "Unit(0)"}, {Unit(99).String(), "Unit(99)"},
		{Activation(9).String(), "Activation(9)"}, {Identity.String(), "none"},
		{LayerKind(0).String(), "LayerKind(0)"}, {Act.String(), "activation"},
		{Source(7).String(), "Source(7)"}, {DescribedSource.String(), "description"},
		{PaperNaming.String(), "paper"}, {TorchNaming.String(), "torch"},
		{NewHidden.String(), "new"}, {PrevHidden.String(), "previous"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}

// parseUnitOnly parses a description whose core is only a unit name.
func parseUnitOnly(unit string) (Unit, error) {
	n, err := ParseNetwork("n.yaml", []byte("core: {unit: "+unit+", hidden_size: 2}\nheads: [{name: l, tensor: o}]"))
	if err != nil {
		return 0, err
	}
	return n.Core.Unit, nil
}

// The activations are the functions their names say.
func TestActivationApply(t *testing.T) {
	for _, x := range []float64{-3, -0.5, 0, 0.25, 2} {
		if got := Identity.Apply(x); got != x {
			t.Errorf("none(%v) = %v", x, got)
		}
		if got, want := ReLU.Apply(x), math.Max(x, 0); got != want {
			t.Errorf("relu(%v) = %v, want %v", x, got, want)
		}
		if got, want := Tanh.Apply(x), math.Tanh(x); got != want {
			t.Errorf("tanh(%v) = %v, want %v", x, got, want)
		}
		// σ(x) = (1 + tanh(x/2))/2, and σ(x) + σ(−x) = 1; a few ulps apart.
		s := Sigmoid.Apply(x)
		if math.Abs(s-(1+math.Tanh(x/2))/2) > 1e-15 || math.Abs(s+Logistic(-x)-1) > 1e-15 {
			t.Errorf("sigmoid(%v) = %v", x, s)
		}
	}
	if Logistic(0) != 0.5 {
		t.Errorf("σ(0) = %v, want 0.5", Logistic(0))
	}
}

// Validate refuses the descriptions a program could build by hand but no
// file can hold.
func TestValidateByHand(t *testing.T) {
	core := Config{Unit: LSTM, Hidden: 4, Naming: TorchNaming}
	heads := []Head{{Name: "l", Tensor: "o"}}
	tests := []struct {
		name string
		n    Network
		key  string
		want string
	}{
		{"unnamed linear", Network{Front: []Layer{{Kind: Linear}}, Core: core, Heads: heads}, "front_end[0]", "needs a name"},
		{"activation without function", Network{Front: []Layer{{Kind: Act}}, Core: core, Heads: heads}, "front_end[0]",
			"an activation layer needs relu, tanh or sigmoid"},
		{"unknown kind", Network{Front: []Layer{{Kind: 42}}, Core: core, Heads: heads}, "front_end[0]", "unknown layer kind LayerKind(42)"},
		{"too many layers", Network{Front: make([]Layer, 65), Core: core, Heads: heads}, "front_end", "65 layers, at most 64"},
		{"too many heads", Network{Core: core, Heads: make([]Head, 17)}, "heads", "17 heads, at most 16"},
		{"unknown unit", Network{Core: Config{Unit: 99, Hidden: 1}, Heads: heads}, "model.recurrent_unit", "unknown unit Unit(99)"},
		{"negative S", Network{Core: Config{Unit: FastWeights, Hidden: 1, S: -1}, Heads: heads}, "model.rnn_args.S", "must be ≥ 0"},
		{"paper GRU", Network{Core: Config{Unit: GRU, Hidden: 1}, Heads: heads}, "core.naming", "GRU exists only as torch.nn.GRU"},
		{"negative input size", Network{Core: Config{Unit: RNN, Hidden: 1, InputSize: -1}, Heads: heads}, "data.dict_size", "must be between 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.n.File = "hand"
			tt.n.Core.File = "hand"
			checkKeyError(t, tt.n.Validate(), "hand", tt.key, tt.want)
		})
	}
}

// A core may take up to MaxElements inputs (a large flattened frame): its
// input size is bounded like every layer output, not like hidden_size or
// the ART vocabulary (data.dict_size).
func TestLargeCoreInput(t *testing.T) {
	for _, in := range []int{MaxHidden + 1, MaxElements} {
		n, err := ParseNetwork("n.yaml", []byte(fmt.Sprintf(
			"core: {unit: nn.LSTM, hidden_size: 4, input_size: %d}\nheads: [{name: l, tensor: o}]", in)))
		if err != nil {
			t.Errorf("input_size %d: %v", in, err)
			continue
		}
		if n.Core.InputSize != in {
			t.Errorf("input_size %d read as %d", in, n.Core.InputSize)
		}
	}
	// The ART config's vocabulary keeps its own bound.
	_, err := Parse("c.json", []byte(`{"data": {"dict_size": 70000}, "model": {"recurrent_unit": "LSTM", "hidden_size": 4}}`))
	checkKeyError(t, err, "c.json", "data.dict_size", "must be between 1 and 65536, found 70000")
}
