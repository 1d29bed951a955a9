package export

import (
	"bytes"
	"strings"
	"testing"

	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/internal/testutil"
)

// inspect's tables go through the same layout (width, ASCII) as the rest.
func TestWriteInspectLayout(t *testing.T) {
	sd, err := checkpoint.Inspect(testutil.Testdata("art", "ART_STPN_h11", "model.pth"), checkpoint.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := WriteInspect(&Terminal{W: &b, Style: Style{Width: 100, ASCII: true}}, sd, Table); err != nil {
		t.Fatal(err)
	}
	var table []string
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.HasPrefix(l, "+") || strings.HasPrefix(l, "|") {
			table = append(table, l)
		}
	}
	if len(table) == 0 || maxLine(strings.Join(table, "\n")) > 100 || !strings.Contains(b.String(), "62 of 528 decay factors lambda") {
		t.Errorf("inspect table:\n%s", &b)
	}
	b.Reset()
	if err := WriteInspect(&b, sd, JSON); err != nil {
		t.Fatal(err)
	}
	j := decode(t, b.Bytes())
	if j["format"] != "torch-zip" || len(j["tensors"].([]any)) == 0 {
		t.Errorf("inspect json %v", j)
	}
}
