// Command neurosim estimates the energy of trained recurrent networks — the STP
// Neuron of "Short-Term Plasticity Neurons Learning to Learn and Forget" (ICML
// 2022) and its baselines — from PyTorch, safetensors or .npz checkpoints.
//
// Usage:
//
//	neurosim compare                      # the paper's models on the embedded ART set
//	neurosim energy --checkpoint M/model.pth [--inputs X.npy --labels Y.npy]
//	neurosim inspect M/model.pth
//	neurosim sweep examples/levels-noise.yaml --plot-out out/
//	neurosim report -o report.html [--sweep DIR]
//	neurosim version
//
// Run `neurosim help COMMAND` for the flags of each command. Exit status: 0
// success, 1 bad input or failed run, 2 wrong command line (including flag
// values out of range), 130 interrupted (SIGINT; 143 for SIGTERM).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/export"
)

func main() {
	// Most of what neurosim holds is pointer-free arrays (inputs, per-step
	// energies), which a collection marks at almost no cost, and garbage is
	// little beside them: collecting when the heap has grown by half rather
	// than doubled costs no measurable time and keeps the peak within 1.5×
	// of what is live (51,200 ART sequences: 141 → 113 MB; README,
	// Performance). GOGC, when set, still decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	// A closed pipe on stdout (neurosim compare | head -1) is a write error
	// like any other (exit 1, one line on stderr), not death by SIGPIPE
	// (exit 141, which is not a documented status).
	signal.Ignore(syscall.SIGPIPE)
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		cancel(signalError{s})
		// A second signal while the run winds down stops it at once, still
		// without leaving temporary files behind; so does the first if the
		// run has not wound down after windDown — it may be blocked where
		// no context reaches, opening a FIFO that no process writes.
		select {
		case <-sigs:
		case <-time.After(windDown):
		}
		if o := active.Load(); o != nil {
			o.Abort()
		}
		fmt.Fprintln(os.Stderr, "neurosim: interrupted; no output was written")
		os.Exit(signalError{s}.code())
	}()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// windDown is how long a run may take to stop after SIGINT or SIGTERM
// before it is stopped as by a second signal. Cancelled work returns within
// milliseconds; an open(2) of a FIFO without a writer never does.
const windDown = 2 * time.Second

// active is the output transaction of the running command, for a second
// interrupt to clean up.
var active atomic.Pointer[export.Outputs]

// Exit statuses (README, "Errors").
const (
	exitOK        = 0
	exitFailed    = 1 // bad input, failed run, unwritable output
	exitUsage     = 2 // wrong command line, flag value out of range
	exitInterrupt = 130
)

// signalError is the cause of a run's cancellation by a signal.
type signalError struct{ sig os.Signal }

func (e signalError) Error() string { return "interrupted by " + e.sig.String() }

// code is the shell's convention, 128 + the signal number.
func (e signalError) code() int {
	if s, ok := e.sig.(syscall.Signal); ok {
		return 128 + int(s)
	}
	return exitInterrupt
}

// usageError marks errors in how the command was called (exit status 2).
type usageError struct{ error }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// args wraps a cobra positional-argument check so that its failure is a
// usage error (exit status 2).
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// run executes the command line args and returns the exit status: 0 on
// success, 1 when the work failed, 2 when the command line is wrong, 130
// (128 + the signal) when ctx was cancelled. Errors are printed as one line
// on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	c := &cli{stdout: stdout, stderr: stderr, args: args, getenv: os.Getenv}
	root := c.newRoot()
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil {
		msg := "neurosim: interrupted; no output was written"
		if c.kept != "" {
			msg += "; " + c.kept
		}
		fmt.Fprintln(stderr, msg)
		var se signalError
		if errors.As(context.Cause(ctx), &se) {
			return se.code()
		}
		return exitInterrupt
	}
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
	fmt.Fprintf(stderr, "neurosim: %s\n", msg)
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") ||
		strings.HasPrefix(err.Error(), "unknown flag") || strings.HasPrefix(err.Error(), "unknown shorthand flag") ||
		strings.Contains(err.Error(), "flag needs an argument") {
		return exitUsage
	}
	return exitFailed
}

// cli is one invocation: where it writes, its command line and the global
// flags.
type cli struct {
	stdout, stderr io.Writer
	args           []string
	getenv         func(string) string
	quiet, wide    bool
	// kept says what an interrupted run keeps, for the message of an
	// interrupt: a sweep's finished rows.
	kept string
}

const exitHelp = `
Exit status: 0 success; 1 bad input, failed run or unwritable output (one line
on stderr naming the file and the problem, no output file written or changed);
2 wrong command line, including flag values out of range; 130 interrupted by
Ctrl-C (143 by SIGTERM), no output written.`

func (c *cli) newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:   "neurosim",
		Short: "Energy of trained recurrent networks (STPN and baselines) on neuromorphic hardware",
		Long: `neurosim imports checkpoints trained with the reference code of "Short-Term
Plasticity Neurons Learning to Learn and Forget" (ICML 2022) — PyTorch state_dicts,
safetensors or .npz, with the paper's config JSON — and reproduces the paper's
energy accounting exactly: every synapse is a conductance |efficacy| driven by a
voltage equal to its presynaptic activity, costing z²·|efficacy| per step.
Hardware designs turn that into joules per event.
` + exitHelp,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(c.stdout)
	root.SetErr(c.stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	addLimitFlags(root)
	pf := root.PersistentFlags()
	pf.BoolVarP(&c.quiet, "quiet", "q", false, "no progress display on stderr")
	pf.BoolVar(&c.wide, "wide", false, "tables at their full width (default: fit 100 columns)")
	root.AddCommand(c.newEnergy(), c.newInspect(), c.newCompare(), c.newDesigns(), c.newBreakeven(), c.newFeasibility(),
		c.newSweep(), c.newReport(), c.newVersion())
	return root
}
