package main

import (
	"errors"
	"io/fs"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/export"
)

// Flags shared by several commands: their registration (with shell
// completion) and their validation, whose failures are usage errors (exit
// status 2) with a suggestion where one helps.

// formatFlag registers --format with the given formats (all when none).
func formatFlag(cmd *cobra.Command, p *string, formats ...export.Format) {
	if len(formats) == 0 {
		formats = export.Formats()
	}
	names := make([]string, len(formats))
	for i, f := range formats {
		names[i] = f.String()
	}
	cmd.Flags().StringVar(p, "format", "table", "output format: "+strings.Join(names, ", "))
	cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions(names, cobra.ShellCompDirectiveNoFileComp))
}

// parseFormat checks a --format value against the formats a command offers.
func parseFormat(s string, formats ...export.Format) (export.Format, error) {
	if len(formats) == 0 {
		formats = export.Formats()
	}
	var names []string
	for _, f := range formats {
		if f.String() == s {
			return f, nil
		}
		names = append(names, f.String())
	}
	return 0, usagef("--format %q: want %s%s", s, or(names), didYouMean(s, names))
}

// designFlag registers --design, completed with the preset names or a YAML file.
func designFlag(cmd *cobra.Command, p *string, def string) {
	cmd.Flags().StringVar(p, "design", def, "hardware design: a preset ("+strings.Join(design.PresetNames(), ", ")+") or a design YAML file")
	cmd.RegisterFlagCompletionFunc("design", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return design.PresetNames(), cobra.ShellCompDirectiveDefault
	})
}

// checkDesign refuses a --design that is neither a preset nor an existing
// path, suggesting the presets it resembles. A file that exists but does not
// parse is bad input (exit 1), reported when it is read.
func checkDesign(what, name string) error {
	presets := design.PresetNames()
	if slices.Contains(presets, name) {
		return nil
	}
	if _, err := os.Stat(name); name == "" || errors.Is(err, fs.ErrNotExist) {
		return usagef("%s %q: no preset of that name and no such file%s (presets: %s; a design file is YAML, see neurosim designs show)",
			what, name, didYouMean(name, presets), strings.Join(presets, ", "))
	}
	return nil
}

// designFile is the design's path when it names a file (an input of the run).
func designFile(name string) string {
	if slices.Contains(design.PresetNames(), name) {
		return ""
	}
	return name
}

// workersFlag registers --workers.
func workersFlag(cmd *cobra.Command, p *int) {
	cmd.Flags().IntVar(p, "workers", 0, "sequences evaluated in parallel, ≥ 0 (0: all CPUs; results do not depend on it)")
	cmd.RegisterFlagCompletionFunc("workers", cobra.NoFileCompletions)
}

func checkWorkers(n int) error {
	if n < 0 {
		return usagef("--workers %d: want 0 (all CPUs) or a positive number of goroutines", n)
	}
	return nil
}

// outputFlag registers -o/--output, the file the report goes to.
func outputFlag(cmd *cobra.Command, p *string, exts ...string) {
	cmd.Flags().StringVarP(p, "output", "o", "", "write the report to this file instead of stdout (with the other outputs, all or none)")
	cmd.MarkFlagFilename("output", exts...)
}

// folderFlag registers a string flag naming an output folder (--plot-out),
// completed with directories; newJob checks it before the run.
func folderFlag(cmd *cobra.Command, p *string, name, usage string) {
	cmd.Flags().StringVar(p, name, "", usage)
	cmd.MarkFlagDirname(name)
	cmd.Flags().SetAnnotation(name, folderAnnotation, []string{"true"})
}

// folderAnnotation marks the flags of folderFlag.
const folderAnnotation = "neurosim_output_folder"

// fileFlag registers a string flag naming a file, completed with extensions.
func fileFlag(cmd *cobra.Command, p *string, name, usage string, exts ...string) {
	cmd.Flags().StringVar(p, name, "", usage)
	cmd.MarkFlagFilename(name, exts...)
}

// didYouMean is "; did you mean X?" (or "X or Y") for the candidates close
// to s, or "".
func didYouMean(s string, candidates []string) string {
	close := suggest(s, candidates)
	if len(close) == 0 {
		return ""
	}
	return "; did you mean " + or(close) + "?"
}

// or joins names as "a", "a or b", "a, b or c".
func or(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// suggest returns the candidates s abbreviates (a prefix or part of the
// name, ignoring case) or misspells (edit distance at most a third of its
// length, at least 1), in the candidates' order.
func suggest(s string, candidates []string) []string {
	ls := strings.ToLower(s)
	var out []string
	if ls == "" {
		return nil
	}
	for _, c := range candidates {
		lc := strings.ToLower(c)
		if strings.Contains(lc, ls) || distance(ls, lc) <= max(1, len(ls)/3) {
			out = append(out, c)
		}
	}
	return out
}

// distance is the edit distance between a and b in bytes, counting a
// transposition of two neighbours as one edit ("jsno" is 1 from "json").
func distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// required is the error for a missing flag.
func required(flag, what string) error {
	return usagef("%s is required (%s)", flag, what)
}
