package arch

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"strings"

	yaml "go.yaml.in/yaml/v3"
)

// LoadNetwork reads the network description at path, whatever form it has
// (see ParseNetwork).
func LoadNetwork(path string) (*Network, error) {
	data, err := readFile(path)
	if err != nil {
		return nil, err
	}
	return ParseNetwork(path, data)
}

// ParseNetwork reads a network description as users have it; the form is
// recognised from the content (a .yaml or .yml file is read as YAML first):
//
//   - the paper's ART config JSON (a "model" section with recurrent_unit):
//     NoEmbed_AssociativeNet around the cell (Config.Network);
//   - an RLlib run's params.json (a "model" section with
//     custom_model_config), for the paper's agents;
//   - the reference fixtures' spec.json, which holds that model config under
//     constructor.model_config with the observation space and num_outputs;
//   - neurosim's own network description (a "core" section, see
//     ParseDescription).
//
// file names the description in errors.
func ParseNetwork(file string, data []byte) (*Network, error) {
	// A UTF-8 byte-order mark (Windows editors write one) is not JSON; the
	// YAML decoder skips it, and so does this reader.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if ext := strings.ToLower(filepath.Ext(file)); ext == ".yaml" || ext == ".yml" {
		var err error
		if data, err = yamlToJSON(file, data); err != nil {
			return nil, err
		}
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, &Error{File: file, Msg: "not valid JSON: " + jsonMsg(err)}
	}
	root := object{file: file, m: top}
	switch {
	case root.has("constructor"):
		return parseSpec(root)
	case root.has("core"):
		return parseDescription(root)
	case root.has("model"):
		model, err := root.sub("model")
		if err != nil {
			return nil, err
		}
		if model.has("custom_model_config") || model.has("custom_model") {
			return parseParams(root, model)
		}
		cfg, err := Parse(file, data)
		if err != nil {
			return nil, err
		}
		return cfg.Network(), nil
	}
	return nil, &Error{File: file, Msg: `not a network description: want the paper's config JSON ("model" with recurrent_unit), ` +
		`an RLlib params.json ("model" with custom_model_config), a reference spec.json ("constructor") ` +
		`or a neurosim network description ("core")`}
}

// yamlToJSON re-encodes a YAML document as JSON, so that one reader checks
// every form; duplicate keys are refused by the YAML decoder, and so is a
// second document (a description is one document, as a design file is).
func yamlToJSON(file string, data []byte) ([]byte, error) {
	var v any
	bad := func(err error) error {
		return &Error{File: file, Msg: "not valid YAML: " + oneLine(strings.TrimPrefix(err.Error(), "yaml: "))}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&v); err != nil && err != io.EOF {
		return nil, bad(err)
	}
	var more any
	switch err := dec.Decode(&more); {
	case err == io.EOF:
	case err != nil:
		return nil, bad(err)
	default:
		return nil, &Error{File: file, Msg: "more than one YAML document (---); want one network description per file"}
	}
	out, err := json.Marshal(v)
	if err != nil {
		return nil, &Error{File: file, Msg: "holds a value JSON cannot hold (keys must be strings): " + jsonMsg(err)}
	}
	return out, nil
}
