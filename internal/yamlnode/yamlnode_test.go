package yamlnode

import (
	"strings"
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

// A syntax error is placed on the first line at which the text stops being
// YAML, not on the line of its enclosing block as yaml.v3 says.
func TestSyntax(t *testing.T) {
	for _, tt := range []struct {
		src  string
		line int
	}{
		{"a: [", 1},
		{"a:\n  b: 1\n  c: [1, 2\nd: 3\n", 3}, // the unclosed list, not the top
		{"a: 1\n\tb: 2\n", 2},
	} {
		var n yaml.Node
		err := yaml.Unmarshal([]byte(tt.src), &n)
		if err == nil {
			t.Fatalf("%q parsed", tt.src)
		}
		line, msg := Syntax([]byte(tt.src), err)
		if line != tt.line || msg == "" || strings.HasPrefix(msg, "yaml:") || strings.HasPrefix(msg, "line ") {
			t.Errorf("%q: line %d %q, want line %d", tt.src, line, msg, tt.line)
		}
	}
}
