// Command neurosim estimates the energy of trained recurrent networks — the STP
// Neuron of "Short-Term Plasticity Neurons Learning to Learn and Forget" (ICML
// 2022) and its baselines — from PyTorch, safetensors or .npz checkpoints.
//
// Usage:
//
//	neurosim compare                      # the paper's models on the embedded ART set
//	neurosim energy --checkpoint M/model.pth [--inputs X.npy --labels Y.npy]
//	neurosim inspect M/model.pth
//
// Run `neurosim help COMMAND` for the flags of each command.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// usageError marks errors in how the command was called (exit status 2).
type usageError struct{ error }

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
// success, 1 when the work failed, 2 when the command line is wrong. Errors are
// printed as one line on stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return 0
	}
	msg := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", " ")), " ")
	fmt.Fprintf(stderr, "neurosim: %s\n", msg)
	var ue usageError
	if errors.As(err, &ue) || strings.HasPrefix(err.Error(), "unknown command") ||
		strings.HasPrefix(err.Error(), "unknown flag") || strings.Contains(err.Error(), "flag needs an argument") {
		return 2
	}
	return 1
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "github.com/neurosim/neurosim",
		Short: "Energy of trained recurrent networks (STPN and baselines) on neuromorphic hardware",
		Long: `neurosim imports checkpoints trained with the reference code of "Short-Term
Plasticity Neurons Learning to Learn and Forget" (ICML 2022) — PyTorch state_dicts,
safetensors or .npz, with the paper's config JSON — and reproduces the paper's
energy accounting exactly: every synapse is a conductance |efficacy| driven by a
voltage equal to its presynaptic activity, costing z²·|efficacy| per step.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newEnergy(stdout, stderr), newInspect(stdout), newCompare(stdout, stderr),
		newDesigns(stdout), newBreakeven(stdout, stderr), newFeasibility(stdout, stderr), newSweep(stdout, stderr), newReport(stdout, stderr))
	return root
}

// progress returns a progress callback drawing a bar on stderr when it is a
// terminal, and nil otherwise (so pipes and CI logs stay clean).
func progress(stderr io.Writer, what string, total int) (func(done, total int), func()) {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil, func() {}
	}
	bar := progressbar.NewOptions(total,
		progressbar.OptionSetWriter(stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionThrottle(100_000_000),
	)
	return func(done, _ int) { bar.Set(done) }, func() { bar.Finish() }
}
