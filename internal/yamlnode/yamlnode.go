// Package yamlnode holds what the readers of neurosim's YAML files (designs,
// sweep specs) share for their errors: what a node is, in words, and the
// line of a syntax error.
package yamlnode

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

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

var yamlLine = regexp.MustCompile(`^line (\d+): (.*)$`)

// Syntax turns a yaml.v3 syntax error of data into its line (0 when
// unknown) and message. yaml.v3 reports the line of the enclosing block
// for parser errors (a mis-indented key deep in a file is reported at the
// top), so the line is found again as the first line at which the file
// stops being valid YAML.
func Syntax(data []byte, err error) (line int, msg string) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if l := firstBadLine(data); l > 0 {
		line = l
	}
	return line, msg
}

// maxBisectLines bounds the files whose bad line is searched for; a design
// file or a sweep spec has a few dozen lines.
const maxBisectLines = 4096

// firstBadLine returns a line k such that the first k−1 lines are valid YAML
// and the first k are not, by bisection; 0 if none is found.
func firstBadLine(data []byte) int {
	ends := []int{0} // ends[k] is the byte length of the first k lines
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	if len(ends) > maxBisectLines || !yamlFails(data) {
		return 0
	}
	lo, hi := 0, len(ends)-1 // the first lo lines parse, the first hi do not
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if yamlFails(data[:ends[mid]]) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}

// yamlFails reports whether some document of data is not valid YAML.
func yamlFails(data []byte) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			return !errors.Is(err, io.EOF)
		}
	}
}
