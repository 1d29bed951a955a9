package report

import (
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
	StateKey   string // wrapper key the state_dict was found under, "" when bare
	Unit       arch.Unit
	Hidden     int
	Input      int
	Classes    int
	Synapses   int // synapses charged per step and sequence
	Net        *synapse.Network
}

// ConfigBeside is where a checkpoint's config is looked for when none is given.
func ConfigBeside(checkpointPath string) string {
	return filepath.Join(filepath.Dir(checkpointPath), "config.json")
}

// LoadModel reads a checkpoint and its config from files and builds the
// network. configPath "" means config.json beside the checkpoint.
func LoadModel(checkpointPath, configPath, stateKey string) (*Model, error) {
	if configPath == "" {
		configPath = ConfigBeside(checkpointPath)
	}
	sd, err := checkpoint.Load(checkpointPath, checkpoint.Options{StateKey: stateKey})
	if err != nil {
		return nil, err
	}
	cfg, err := arch.Load(configPath)
	if err != nil {
		return nil, err
	}
	return newModel(checkpointPath, configPath, sd, cfg)
}

// DecodeModel builds a network from checkpoint and config bytes (embedded
// files, fs.FS); the names are used in messages.
func DecodeModel(checkpointName string, ckpt []byte, configName string, cfgData []byte, stateKey string) (*Model, error) {
	sd, err := checkpoint.Decode(checkpointName, ckpt, checkpoint.Options{StateKey: stateKey})
	if err != nil {
		return nil, err
	}
	cfg, err := arch.Parse(configName, cfgData)
	if err != nil {
		return nil, err
	}
	return newModel(checkpointName, configName, sd, cfg)
}

func newModel(ckptName, cfgName string, sd *checkpoint.StateDict, cfg *arch.Config) (*Model, error) {
	net, err := synapse.Build(cfg, sd)
	if err != nil {
		return nil, err
	}
	return &Model{
		Name: ckptName, Checkpoint: ckptName, Config: cfgName,
		Format: sd.Format, StateKey: sd.Key,
		Unit: net.Config.Unit, Hidden: net.Cell.HiddenSize(), Input: net.Cell.InputSize(),
		Classes: net.Classes, Synapses: net.Cell.Synapses(), Net: net,
	}, nil
}
