package synapse_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/internal/fixture"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// FuzzBuildDescribed builds fuzzed network descriptions against a real
// agent's checkpoint (PEND_STPN): no description panics, and a network
// that builds runs a step on an observation of its shape.
func FuzzBuildDescribed(f *testing.F) {
	seeds, _ := filepath.Glob(testutil.Testdata("networks", "*.yaml"))
	for _, p := range seeds {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(describedYAML))
	sd, _ := fixture.AgentModel(f, "PEND_STPN")
	f.Fuzz(func(t *testing.T, data []byte) {
		desc, err := arch.ParseNetwork("fuzz.yaml", data)
		if err != nil {
			return
		}
		net, err := synapse.Build(desc, sd)
		if err != nil {
			return
		}
		r := net.WholeNetwork().NewRunner()
		r.Step(make([]float64, net.InputSize()))
		_ = r.Logits()
	})
}
