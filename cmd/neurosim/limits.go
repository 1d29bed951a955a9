package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/neurosim/neurosim/arch"
	"github.com/neurosim/neurosim/checkpoint"
	"github.com/neurosim/neurosim/workload"
)

// addLimitFlags adds the readers' caps to root as persistent flags (sizes
// are whole bytes, optionally with KiB, MiB, GiB, TiB or KB, MB, GB, TB;
// README, "Limits"). Each
// flag writes its reader package's limit variable, and registering it
// resets that variable to its default, so that every run of the command
// line (and every in-process test of run) starts from the defaults.
func addLimitFlags(root *cobra.Command) {
	f := root.PersistentFlags()
	f.Var(newBytes(&checkpoint.MaxBytes, checkpoint.DefaultMaxBytes), "max-checkpoint-bytes",
		"largest checkpoint file or stream")
	f.Var(newCount(&checkpoint.MaxElements, checkpoint.DefaultMaxElements, math.MaxInt64), "max-checkpoint-elements",
		"most tensor elements (views in full)")
	f.Var(newBytes(&workload.MaxFileBytes, workload.DefaultMaxFileBytes), "max-input-bytes",
		"largest --inputs or --labels file or stream")
	f.Var(newBytes(&workload.MaxEventsFileBytes, workload.DefaultMaxEventsFileBytes), "max-events-bytes",
		"largest --events file or stream")
	f.Var(newCount(&workload.MaxEvents, workload.DefaultMaxEvents, workload.MaxStreamEvents), "max-events",
		"most events in a file or generated stream")
	f.Var(newBytes(&arch.MaxFileBytes, arch.DefaultMaxFileBytes), "max-config-bytes",
		"largest --config file or stream")
}

// byteSize is a flag holding a positive number of bytes.
type byteSize struct{ p *int64 }

func newBytes(p *int64, def int64) byteSize {
	*p = def
	return byteSize{p}
}

func (b byteSize) Type() string   { return "size" }
func (b byteSize) String() string { return formatBytes(*b.p) }

var units = []struct {
	suffix string
	mult   int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12}, {"B", 1},
}

// Set parses a size: a positive integer, optionally followed by B, KB, MB,
// GB, TB (powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024).
func (b byteSize) Set(s string) error {
	num, mult := strings.TrimSpace(s), int64(1)
	for _, u := range units {
		if strings.HasSuffix(num, u.suffix) {
			num, mult = strings.TrimSpace(strings.TrimSuffix(num, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 1 || n > math.MaxInt64/mult {
		return fmt.Errorf("%q is not a size: want a positive whole number of bytes, optionally with KiB, MiB, GiB, TiB, KB, MB, GB or TB", s)
	}
	*b.p = n * mult
	return nil
}

// formatBytes shows n in the largest binary unit that divides it.
func formatBytes(n int64) string {
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TiB", 1 << 40}, {"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.mult && n%u.mult == 0 {
			return strconv.FormatInt(n/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(n, 10)
}

// count is a flag holding a positive integer up to max.
type count[T int | int64] struct {
	p   *T
	max T
}

func newCount[T int | int64](p *T, def, max T) count[T] {
	*p = def
	return count[T]{p, max}
}

func (c count[T]) Type() string   { return "int" }
func (c count[T]) String() string { return strconv.FormatInt(int64(*c.p), 10) }

func (c count[T]) Set(s string) error {
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 1 || n > int64(c.max) {
		return fmt.Errorf("%q: want a whole number from 1 to %d", s, c.max)
	}
	*c.p = T(n)
	return nil
}
