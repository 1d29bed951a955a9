package export_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/neurosim/neurosim/export"
)

// A range and an exact value have the same JSON shape.
func ExampleValue() {
	exact, _ := json.Marshal(export.Value{Lo: 2.5e-12, Hi: 2.5e-12})
	ranged, _ := json.Marshal(export.Value{Lo: 1e-12, Hi: 3e-12})
	fmt.Println(string(exact))
	fmt.Println(string(ranged))
	// Output:
	// {"low":2.5e-12,"high":2.5e-12}
	// {"low":1e-12,"high":3e-12}
}

// Outputs checks paths before the work, and shows nothing until Commit.
func ExampleOutputs() {
	dir, _ := os.MkdirTemp("", "example")
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "report.csv")

	var o export.Outputs
	defer o.Abort() // removes temporaries after a failure; nothing after Commit
	if err := o.Plan("-o", out); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o.Plan("--logits-out", filepath.Join(dir, "missing", "L.npy")) != nil)

	// … the run …
	ctx := context.Background()
	o.Stage(ctx, "-o", func(w io.Writer) error { _, err := io.WriteString(w, "a,b\n1,2\n"); return err })
	_, err := os.Stat(out)
	fmt.Println(os.IsNotExist(err))
	if err := o.Commit(ctx); err != nil {
		fmt.Println(err)
	}
	b, _ := os.ReadFile(out)
	fmt.Print(string(b))
	// Output:
	// true
	// true
	// a,b
	// 1,2
}
