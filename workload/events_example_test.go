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
	for n, q := range s.Seqs {
		for _, st := range q.Steps {
			st.Dense(x)
			fmt.Printf("sequence %d t=%g s: %v\n", n, workload.Seconds(st.T), x)
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

func ExamplePoisson() {
	s, err := workload.Poisson(workload.PoissonConfig{N: 2, Channels: 4, Rate: 50, Duration: 0.1, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Name)
	for n := range s.N {
		fmt.Printf("sequence %d: %d steps, span %.6f s\n", n, len(s.Seqs[n].Steps), workload.Seconds(s.Span(n)))
	}
}
