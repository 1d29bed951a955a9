package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// build describes the running binary, from the information the Go toolchain
// records in it.
type build struct {
	Module, Version string // main module path and version ("(devel)" for a source build without VCS data)
	Revision, Time  string // VCS revision and commit time, when recorded
	Modified        bool   // the work tree had uncommitted changes
	Go              string // toolchain
	CGO             string // "0" for a statically linked binary, "" when not recorded
}

func readBuild() build {
	b := build{Module: "github.com/neurosim/neurosim", Version: "(devel)", Go: runtime.Version()}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return b
	}
	if info.Main.Path != "" {
		b.Module = info.Main.Path
	}
	if info.Main.Version != "" {
		b.Version = info.Main.Version
	}
	b.Go = info.GoVersion
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			b.Revision = s.Value
		case "vcs.time":
			b.Time = s.Value
		case "vcs.modified":
			b.Modified = s.Value == "true"
		case "CGO_ENABLED":
			b.CGO = s.Value
		}
	}
	return b
}

// versionString is the version recorded in outputs (neurosim_version).
func versionString() string { return readBuild().String() }

// String is the module version; for a source build without one ("(devel)"),
// followed by the VCS revision when the build recorded it. A pseudo-version
// (v0.0.0-date-revision, what go build stamps from git) already names the
// revision, and "+dirty" when the work tree had changes.
func (b build) String() string {
	v := b.Version
	if v == "(devel)" && b.Revision != "" {
		rev := b.Revision
		if len(rev) > 12 {
			rev = rev[:12]
		}
		v += " " + rev
		if b.Modified {
			v += "+dirty"
		}
	}
	return v
}

func (c *cli) newVersion() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print neurosim's version, VCS revision and Go version",
		Long: `version prints the module version of this binary, the version control revision it
was built from (when the build recorded it), and the Go toolchain. JSON and CSV
outputs record the same version under neurosim_version.`,
		Args: args(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			return c.print(false, func(w io.Writer) error {
				b := readBuild()
				fmt.Fprintf(w, "neurosim %s\n", b.Version)
				fmt.Fprintf(w, "module   %s\n", b.Module)
				if b.Revision != "" {
					mod := ""
					if b.Modified {
						mod = " (with uncommitted changes)"
					}
					fmt.Fprintf(w, "revision %s %s%s\n", b.Revision, b.Time, mod)
				}
				fmt.Fprintf(w, "go       %s %s/%s", b.Go, runtime.GOOS, runtime.GOARCH)
				if b.CGO == "0" {
					fmt.Fprint(w, ", CGO_ENABLED=0 (static)")
				}
				_, err := fmt.Fprintln(w)
				return err
			})
		},
	}
}
