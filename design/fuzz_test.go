package design

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurosim/neurosim/internal/testutil"
)

// FuzzParse feeds Parse arbitrary bytes, seeded with every design in
// testdata/designs (good and bad, all under 1 KB). Parse must never panic;
// it returns either a valid design that survives WriteYAML → Parse
// unchanged, or one *Error on one line naming the file. The presets as
// WriteYAML writes them (3–6 KB with their sources) are not seeds: the
// fuzzer spent its time minimising inputs grown from them (41k executions
// in 90 s); their round trip is tested in presets_test.go.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob(testutil.Testdata("designs", "*.yaml"))
	bad, _ := filepath.Glob(testutil.Testdata("designs", "bad", "*.yaml"))
	for _, file := range append(files, bad...) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse("fuzz.yaml", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %T is not *Error: %v", err, err)
			}
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "design fuzz.yaml") {
				t.Fatalf("error is not one line naming the file: %q", msg)
			}
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("Parse accepted a design Validate rejects: %v", err)
		}
		var b bytes.Buffer
		if err := d.WriteYAML(&b); err != nil {
			t.Fatalf("WriteYAML: %v", err)
		}
		back, err := Parse("fuzz.yaml", b.Bytes())
		if err != nil {
			t.Fatalf("Parse of WriteYAML output: %v\n%s", err, b.String())
		}
		if diff := cmp.Diff(d, back); diff != "" {
			t.Fatalf("round trip (-first +second):\n%s", diff)
		}
	})
}
