package workload_test

import (
	"fmt"
	"log"

	"github.com/neurosim/neurosim/workload"
)

func ExampleDecodeEventsCSV() {
	data := []byte(`sequence,t,channel,value
0,0.001,2,1
1,0,0,0.5
0,1e-3,0,-1
0,0.0025,1,0
`)
	s, err := workload.DecodeEventsCSV("in.csv", data, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.N, "sequences,", s.Events(), "events")
	x := make([]float64, s.I)
	for n := range s.N {
		for k := range s.SeqLen(n) {
			s.Input(n, k, x)
			fmt.Printf("sequence %d t=%g s: %v\n", n, workload.Seconds(s.Time(n, k)), x)
		}
	}

	_, err = workload.DecodeEventsCSV("in.csv", []byte("sequence,t,channel,value\n0,0.5,3,1\n"), 3)
	fmt.Println(err)
	// Output:
	// 2 sequences, 4 events
	// sequence 0 t=0.001 s: [-1 0 1]
	// sequence 0 t=0.0025 s: [0 0 0]
	// sequence 1 t=0 s: [0.5 0 0]
	// events in.csv: line 2: channel 3 is out of range: the model's input size is 3 (channels 0..2)
}

// The seed-7 stream of testdata/events/poisson_seed7.csv, which an
// independent Python port of the algorithm wrote: its rows per sequence are
// the counts shown (every event at its own tick, so one step each).
func ExamplePoisson() {
	s, err := workload.Poisson(workload.PoissonConfig{N: 3, Channels: 5, Rate: 20, Duration: 0.5, Seed: 7})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Name)
	for n := range s.N {
		fmt.Printf("sequence %d: %d steps\n", n, s.SeqLen(n))
	}
	// Output:
	// poisson(n=3, channels=5, rate=20 Hz, duration=0.5 s, value=1, seed=7)
	// sequence 0: 46 steps
	// sequence 1: 46 steps
	// sequence 2: 50 steps
}
