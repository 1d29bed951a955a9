package synapse_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/energy"
	"github.com/neurosim/neurosim/internal/testutil"
	"github.com/neurosim/neurosim/synapse"
)

// passThrough is a device that presents every efficacy as it is and reports
// the ideal cell currents of G = |e| siemens.
type passThrough struct{ rows []int }

func (d *passThrough) Row(a, r int, e, z []float64) (c2, c1 float64) {
	if len(e) > len(z) {
		panic("row longer than its drive")
	}
	for f, v := range e {
		c2 += z[f] * z[f] * math.Abs(v)
		c1 += math.Abs(z[f]) * math.Abs(v)
	}
	return c2, c1
}
func (d *passThrough) Store(int, []float64, synapse.Unit) {}

// A device that changes nothing changes no bit, for every unit and every
// array shape (MODPLAST with more hidden units than inputs included), and its
// cell currents are the metered paper energy.
func TestPassThroughDevice(t *testing.T) {
	nets := map[string]*synapse.Network{}
	for _, name := range testutil.ReferenceModels(t) {
		nets[name] = load(t, testutil.Testdata("art", name))
	}
	nets["MODPLAST I=3 H=5"] = wideMiconi(t)
	for name, net := range nets {
		I := net.Cell.InputSize()
		rng := rand.New(rand.NewPCG(1, 2))
		plain, dev := net.NewRunner(), net.NewRunner()
		dev.SetDevice(&passThrough{})
		dev.Meter(energy.Meter{})
		x := make([]float64, I)
		for k := range 12 {
			clear(x)
			x[rng.IntN(I)] = 1
			a, b := plain.StepFor(x, 1+float64(k%3)), dev.StepFor(x, 1+float64(k%3))
			if a != b {
				t.Fatalf("%s step %d: %v through the device, %v without", name, k, b, a)
			}
			var paper, cells float64
			for _, m := range dev.Counts().Arrays {
				paper += m.Paper
				cells += m.CellZ2
			}
			testutil.Close(t, name+" cell currents", []float64{cells}, []float64{paper}, 1e-15, 1e-300)
		}
	}
}

func wideMiconi(t *testing.T) *synapse.Network {
	const I, H = 3, 5
	rng := rand.New(rand.NewPCG(3, 3))
	ten := func(name string, shape ...int) *checkpoint.Tensor {
		n := 1
		for _, d := range shape {
			n *= d
		}
		d := make([]float64, n)
		for i := range d {
			d[i] = rng.Float64() - 0.5
		}
		return checkpoint.NewTensor(name, shape, d)
	}
	sd := &checkpoint.StateDict{File: "wide.pth", Tensors: []*checkpoint.Tensor{
		ten("rnn.i2h.weight", H, I), ten("rnn.i2h.bias", H), ten("rnn.w", H, H), ten("rnn.alpha", H, H),
		ten("rnn.h2DA.weight", 1, H), ten("rnn.h2DA.bias", 1), ten("hidden2tag.weight", I, H), ten("hidden2tag.bias", I),
	}}
	cfg := &arch.Config{File: "wide.json", Unit: arch.MODPLAST, InputSize: I, Hidden: H, Bias: true,
		Miconi: arch.Miconi{NetType: "modplast", DA: "tanh", AddPW: 3}}
	net, err := synapse.Build(cfg.Network(), sd)
	if err != nil {
		t.Fatal(err)
	}
	return net
}
