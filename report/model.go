package report

import (
	"os"
	"path/filepath"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/synapse"
)

// Model describes a loaded network.
type Model struct {
	Name       string // folder name (compare) or checkpoint path
	Checkpoint string
	Config     string
	Format     checkpoint.Format
	StateKey   string      // wrapper key the state_dict was found under, "" when bare
	Source     arch.Source // the kind of config: the paper's ART config, RLlib, a description
	Unit       arch.Unit   // the core's unit
	Hidden     int
	Input      int   // values of one step's observation
	Obs        []int // the shape of one step's observation
	Classes    int   // outputs of the first head (logits)
	Synapses   int   // synapses charged per step and sequence (the core's)
	Net        *synapse.Network
}

// ConfigNames are the files looked for beside a checkpoint, in order, when
// no config is given: the paper's ART config, a reference agent's spec, an
// RLlib run's params.
var ConfigNames = []string{"config.json", "spec.json", "params.json"}

// ConfigBeside is where a checkpoint's config is looked for when none is
// given: the first of ConfigNames beside it that exists (config.json when
// none does).
func ConfigBeside(checkpointPath string) string {
	dir := filepath.Dir(checkpointPath)
	for _, n := range ConfigNames {
		if p := filepath.Join(dir, n); fileExists(p) {
			return p
		}
	}
	return filepath.Join(dir, ConfigNames[0])
}

func fileExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// LoadModel reads a checkpoint and its network description from files and
// builds the network. configPath "" means the config beside the checkpoint
// (ConfigBeside); its form is recognised from its content
// (arch.ParseNetwork).
func LoadModel(checkpointPath, configPath, stateKey string) (*Model, error) {
	if configPath == "" {
		configPath = ConfigBeside(checkpointPath)
	}
	sd, err := checkpoint.Load(checkpointPath, checkpoint.Options{StateKey: stateKey})
	if err != nil {
		return nil, err
	}
	desc, err := arch.LoadNetwork(configPath)
	if err != nil {
		return nil, err
	}
	return newModel(checkpointPath, configPath, sd, desc)
}

func newModel(ckptName, cfgName string, sd *checkpoint.StateDict, desc *arch.Network) (*Model, error) {
	net, err := synapse.Build(desc, sd)
	if err != nil {
		return nil, err
	}
	return &Model{
		Name: ckptName, Checkpoint: ckptName, Config: cfgName,
		Format: sd.Format, StateKey: sd.Key, Source: desc.Source,
		Unit: net.Config.Unit, Hidden: net.Cell.HiddenSize(), Input: net.InputSize(), Obs: net.Obs(),
		Classes: net.Classes, Synapses: net.Cell.Synapses(), Net: net,
	}, nil
}

// DecodeModel builds a network from checkpoint and config bytes a caller
// has read through the readers' caps (a sweep, which hashes them); the
// names are used in messages.
func DecodeModel(checkpointName string, ckpt []byte, configName string, cfgData []byte, stateKey string) (*Model, error) {
	sd, err := checkpoint.Decode(checkpointName, ckpt, checkpoint.Options{StateKey: stateKey})
	if err != nil {
		return nil, err
	}
	desc, err := arch.ParseNetwork(configName, cfgData)
	if err != nil {
		return nil, err
	}
	return newModel(checkpointName, configName, sd, desc)
}
