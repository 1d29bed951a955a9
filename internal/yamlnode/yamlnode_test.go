package yamlnode

import (
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

func TestKind(t *testing.T) {
	for _, tt := range []struct {
		src, want string
	}{
		{"{a: 1}", "a mapping"},
		{"[1, 2]", "a list"},
		{"~", "nothing"},
		{"4 pJ", `"4 pJ"`},
		{"a: &x 1\nb: *x", "an alias"},
	} {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(tt.src), &doc); err != nil {
			t.Fatal(err)
		}
		n := doc.Content[0]
		if tt.want == "an alias" {
			n = n.Content[3]
		}
		if got := Kind(n); got != tt.want {
			t.Errorf("%q: %s, want %s", tt.src, got, tt.want)
		}
	}
	if got := Kind(&yaml.Node{Kind: yaml.DocumentNode}); got != "a document" {
		t.Errorf("document: %s", got)
	}
}
