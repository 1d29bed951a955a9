package sim_test

import (
	"context"
	"fmt"

	"github.com/neurosim/neurosim/report"
	"github.com/neurosim/neurosim/sim"
	"github.com/neurosim/neurosim/workload"
)

// Two events 2.5 steps apart: the second step decays the short-term state as
// λ^2.5 and the hidden state holds in between.
func ExampleRun() {
	stream, err := workload.DecodeEventsCSV("e.csv", []byte("sequence,t,channel,value\n0,0,24,1\n0,0.0025,30,1\n"), 37)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, err := report.LoadModel("../testdata/art/ART_STPN_h11/model.pth", "", "")
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := sim.Run(context.Background(), m.Net, stream, sim.Options{Period: 1e6, KeepSteps: true}) // 1 ms in ns ticks
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Steps(0), res.Deltas)
	// Output: 2 [1 2.5]
}
