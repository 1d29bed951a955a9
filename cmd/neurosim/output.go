package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/export"
	"github.com/neurosim/neurosim/plot"
)

// job is the outputs of one command — the report, on stdout or in the file
// named by -o, the files named by output flags, and the figures written to
// the folder of --plot-out — written as one transaction (export.Outputs):
// every path is checked before the run, everything is rendered and
// validated before anything is written, and the files appear together at
// the end or not at all.
type job struct {
	c       *cli
	outs    *export.Outputs
	report  string // -o; "" = stdout
	files   []file
	folders []folder
}

type file struct {
	flag  string // the output's name in messages: a flag, or a flag and a file name
	write func(io.Writer) error
}

// folder is an output folder (--plot-out) and the figures to write in it.
type folder struct {
	flag, dir string
	figs      []*plot.Figure
}

// afterStage, when set (by tests), is called after each output is staged.
var afterStage func(flag string)

// newJob plans the outputs named by the given flags of cmd (those set) and
// -o, refusing any that names one of inputs or another output. A flag
// registered with folderFlag names a folder: it is checked to be one that
// can be written or created. newJob runs before any work.
func (c *cli) newJob(cmd *cobra.Command, inputs []string, flags ...string) (*job, error) {
	j := &job{c: c, outs: &export.Outputs{}}
	j.outs.Protect(inputs...)
	if f := cmd.Flags().Lookup("output"); f != nil && f.Value.String() != "" && f.Value.String() != "-" {
		j.report = f.Value.String()
		if err := j.outs.Plan("-o", j.report); err != nil {
			return nil, err
		}
	}
	for _, name := range flags {
		fl := cmd.Flags().Lookup(name)
		p := fl.Value.String()
		switch {
		case p == "":
		case fl.Annotations[folderAnnotation] != nil:
			if err := export.CheckDir("--"+name, p); err != nil {
				return nil, err
			}
		default:
			if err := j.outs.Plan("--"+name, p); err != nil {
				return nil, err
			}
		}
	}
	active.Store(j.outs)
	return j, nil
}

// file adds the output of a flag, written by write at finish time (nothing
// when the flag is not set).
func (j *job) file(cmd *cobra.Command, flag string, write func(io.Writer) error) {
	if cmd.Flags().Lookup(flag).Value.String() != "" {
		j.files = append(j.files, file{"--" + flag, write})
	}
}

// add plans one more output file, at a path known only once the run is done
// (the merged table in a sweep's results folder), written by write at
// finish time.
func (j *job) add(name, path string, write func(io.Writer) error) error {
	if err := j.outs.Plan(name, path); err != nil {
		return err
	}
	j.files = append(j.files, file{name, write})
	return nil
}

// figures adds the figures that draw returns, written to the folder named by
// flag as NAME.svg and NAME.png; draw is not called when the flag is not set.
func (j *job) figures(cmd *cobra.Command, flag string, draw func() ([]*plot.Figure, error)) error {
	dir := cmd.Flags().Lookup(flag).Value.String()
	if dir == "" {
		return nil
	}
	figs, err := draw()
	if err != nil {
		return err
	}
	j.folders = append(j.folders, folder{"--" + flag, dir, figs})
	return nil
}

// abort removes whatever was staged; it is deferred by every command.
func (j *job) abort() {
	if j != nil {
		j.outs.Abort()
		active.CompareAndSwap(j.outs, nil)
	}
}

// finish renders the report (into memory, so that a value that cannot be
// written fails before anything is), stages every file, commits them, and
// then writes the report to stdout when there is no -o. A Table report is
// laid out for the terminal's style (--wide, locale); any other format is
// written as it is rendered.
func (j *job) finish(ctx context.Context, report func(io.Writer) error, f export.Format) error {
	var buf bytes.Buffer
	var w io.Writer = &buf
	if f == export.Table {
		w = &export.Terminal{W: &buf, Style: j.c.style()}
	}
	if err := report(w); err != nil {
		return err
	}
	for _, fo := range j.folders {
		// The figures' names are known now: the folder is made (and
		// removed again if the outputs are abandoned) and each file planned.
		if err := j.outs.MkdirAll(fo.flag, fo.dir); err != nil {
			return err
		}
		for _, fig := range fo.figs {
			for _, format := range plot.Formats {
				name := fig.Name + "." + format
				if err := j.add(fo.flag+" "+name, filepath.Join(fo.dir, name), func(w io.Writer) error {
					return fig.Render(w, format)
				}); err != nil {
					return err
				}
			}
		}
	}
	for _, fl := range j.files {
		if err := j.outs.Stage(ctx, fl.flag, fl.write); err != nil {
			return err
		}
		if afterStage != nil {
			afterStage(fl.flag)
		}
	}
	if j.report != "" {
		if err := j.outs.Stage(ctx, "-o", func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
			return err
		}
		if afterStage != nil {
			afterStage("-o")
		}
	}
	if err := j.outs.Commit(ctx); err != nil {
		return err
	}
	if j.report == "" {
		if _, err := j.c.stdout.Write(buf.Bytes()); err != nil {
			return fmt.Errorf("writing the report to stdout: %w", unwrapWrite(err))
		}
	}
	return nil
}

// print writes a result that has no output files (designs, version) to
// stdout, laid out as a table when styled, reporting write errors.
func (c *cli) print(styled bool, render func(io.Writer) error) error {
	var buf bytes.Buffer
	var w io.Writer = &buf
	if styled {
		w = &export.Terminal{W: &buf, Style: c.style()}
	}
	if err := render(w); err != nil {
		return err
	}
	if _, err := c.stdout.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("writing to stdout: %w", unwrapWrite(err))
	}
	return nil
}

// unwrapWrite drops the "write /dev/stdout" an *fs.PathError adds.
func unwrapWrite(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// style is the layout of human tables: 100 columns unless --wide, ASCII
// unless the locale (LC_ALL, else LC_CTYPE, else LANG) is UTF-8.
func (c *cli) style() export.Style {
	s := export.Style{Width: export.DefaultWidth, ASCII: !utf8Locale(c.getenv)}
	if c.wide {
		s.Width = 0
	}
	return s
}

func utf8Locale(getenv func(string) string) bool {
	for _, k := range []string{"LC_ALL", "LC_CTYPE", "LANG"} {
		if v := getenv(k); v != "" {
			v = strings.ToLower(v)
			return strings.Contains(v, "utf-8") || strings.Contains(v, "utf8")
		}
	}
	return false
}

// provenance is what every output records about how it was made.
func (c *cli) provenance(inputsNote string) export.Provenance {
	return export.Provenance{Version: versionString(), Command: commandLine(c.args), InputsNote: inputsNote}
}

// commandLine quotes args for a POSIX shell after the program name.
func commandLine(args []string) string {
	q := []string{"neurosim"}
	for _, a := range args {
		if a != "" && strings.IndexFunc(a, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./=:,+@%", r))
		}) < 0 {
			q = append(q, a)
			continue
		}
		q = append(q, "'"+strings.ReplaceAll(a, "'", `'\''`)+"'")
	}
	return strings.Join(q, " ")
}
