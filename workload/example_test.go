package workload_test

import (
	"fmt"
	"log"

	"github.com/neurosim/neurosim/workload"
)

func ExampleART() {
	s, err := workload.ART(workload.ARTConfig{N: 4, Seed: 1})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Name, s.N, s.T, s.I)
	for n := range s.N {
		text, err := s.Symbols(n)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s -> %c (label %d)\n", text, workload.ARTSymbols[s.Labels[n]], s.Labels[n])
	}
	// Output:
	// art(n=4, seed=1) 4 9 37
	// i8t8x7??x -> 7 (label 33)
	// j6m1o2??j -> 6 (label 32)
	// g1z7m4??m -> 4 (label 30)
	// z6x6k9??z -> 6 (label 32)
}

func ExampleLoadInputs() {
	s, err := workload.LoadInputs("../testdata/workload/art_inputs.npy")
	if err != nil {
		log.Fatal(err)
	}
	if err := s.LoadLabels("../testdata/workload/art_labels.npy"); err != nil {
		log.Fatal(err)
	}
	if err := s.CheckWidth(37); err != nil {
		log.Fatal(err)
	}
	text, _ := s.Symbols(0)
	fmt.Println(s.N, s.T, s.I, text, s.Labels[0])
	// Output:
	// 128 9 37 y4t7k0??t 33
}
