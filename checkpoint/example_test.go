package checkpoint_test

import (
	"fmt"
	"log"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/internal/testutil"
)

func ExampleLoad() {
	sd, err := checkpoint.Load(testutil.Testdata("checkpoint", "ART_STPN_h11.pth"), checkpoint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sd.Format, len(sd.Tensors), "tensors")
	for _, t := range sd.Tensors {
		fmt.Printf("%-18s %-8s %v\n", t.Name, t.DType, t.Shape)
	}
	// Output:
	// torch-zip 6 tensors
	// rnn.weight_lambda  float32  [11 48]
	// rnn.weight_gamma   float32  [11 48]
	// rnn.weight         float32  [11 48]
	// rnn.bias           float32  [11]
	// hidden2tag.weight  float32  [37 11]
	// hidden2tag.bias    float32  [37]
}

// A training checkpoint wraps the state_dict with other entries; the one dict
// of tensors is found, and its key recorded.
func ExampleLoad_wrapped() {
	sd, err := checkpoint.Load(testutil.Testdata("checkpoint", "wrapped.pth"), checkpoint.Options{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("state_dict under %q: %v\n", sd.Key, sd.Names())
	// Output:
	// state_dict under "model_state_dict": [w b]
}
