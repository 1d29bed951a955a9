// Package yamlnode says what a YAML node is, in the words the readers of
// neurosim's YAML files (designs, sweep specs) use in their errors.
package yamlnode

import (
	"fmt"

	yaml "go.yaml.in/yaml/v3"
)

// Kind describes n for an error message: "a mapping", "a list", "an
// alias", "nothing" (null) or the quoted scalar.
func Kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "nothing"
		}
		return fmt.Sprintf("%q", n.Value)
	}
	return "a document"
}
