package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/neurosim/neurosim/design"
	"github.com/neurosim/neurosim/report"
)

// budgetFlags are the chip-budget flags: a step rate and a battery.
type budgetFlags struct{ rate, battery string }

func (b *budgetFlags) register(fl *pflag.FlagSet) {
	fl.StringVar(&b.rate, "rate", "", "network steps per second the chip runs at, e.g. 1000 or 1kHz "+
		"(default: the event stream's own timing, or one step per step_period)")
	fl.StringVar(&b.battery, "battery", "", "battery energy, e.g. 1Wh, 500mWh or 3.6kJ: reports the battery life at the rate")
}

// options parses the flags; errors are usage errors.
func (b *budgetFlags) options() (report.BudgetOptions, error) {
	var o report.BudgetOptions
	if b.rate != "" {
		r, err := parseRate(b.rate)
		if err != nil {
			return o, fmt.Errorf("--rate %s: %v", b.rate, err)
		}
		o.Rate = r
	}
	if b.battery != "" {
		e, err := parseBattery(b.battery)
		if err != nil {
			return o, fmt.Errorf("--battery %s: %v", b.battery, err)
		}
		o.Battery = e
	}
	return o, nil
}

// Rates and batteries outside these bounds make the budget's products
// underflow to 0 W or overflow (a rate of 1e-320 steps/s drew "0 W").
const (
	minRate, maxRate       = 1e-18, 1e18  // steps/s
	minBattery, maxBattery = 1e-18, 1e300 // J
)

// parseRate reads steps per second: a plain number, or a frequency in Hz
// with an SI prefix ("1kHz"). Errors quote what was given.
func parseRate(s string) (float64, error) {
	t := strings.TrimSpace(s)
	var v float64
	var err error
	if strings.HasPrefix(t, "-") {
		return 0, fmt.Errorf("want a rate from %g to %g steps/s", minRate, maxRate)
	}
	if h, ok := strings.CutSuffix(t, "Hz"); ok {
		// A frequency is an inverse time: read "1k" as the number 1e3.
		if v, err = design.ParseQuantity(h+"s", design.Time); err != nil {
			return 0, fmt.Errorf("%q is not a frequency: want a number with an optional prefix (f p n u m k M G) before Hz, e.g. 1kHz", s)
		}
	} else if v, err = design.ParseQuantity(t, design.Dimensionless); err != nil {
		return 0, fmt.Errorf("%q is not a rate: want steps per second, a plain number (1000) or a frequency (1kHz)", s)
	}
	if !(v >= minRate) || v > maxRate {
		return 0, fmt.Errorf("want a rate from %g to %g steps/s", minRate, maxRate)
	}
	return v, nil
}

// parseBattery reads an energy in J or Wh (1 Wh = 3600 J), with a prefix.
// Errors quote what was given.
func parseBattery(s string) (float64, error) {
	t := strings.TrimSpace(s)
	if strings.HasPrefix(t, "-") {
		return 0, fmt.Errorf("want an energy from %g to %g J", minBattery, maxBattery)
	}
	scale := 1.0
	if h, ok := strings.CutSuffix(t, "Wh"); ok {
		t, scale = h+"J", 3600
	}
	v, err := design.ParseQuantity(t, design.Energy)
	if err != nil {
		return 0, fmt.Errorf("%q is not an energy: want a number with an optional prefix (f p n u m k M G) before J or Wh, e.g. 3.6kJ or 1Wh", s)
	}
	if v *= scale; !(v >= minBattery) || v > maxBattery {
		return 0, fmt.Errorf("want an energy from %g to %g J", minBattery, maxBattery)
	}
	return v, nil
}
