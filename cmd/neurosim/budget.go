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

// parseRate reads steps per second: a plain number, or a frequency in Hz
// with an SI prefix ("1kHz").
func parseRate(s string) (float64, error) {
	t := strings.TrimSpace(s)
	var v float64
	var err error
	if h, ok := strings.CutSuffix(t, "Hz"); ok {
		// A frequency is an inverse time: read "1k" as the number 1e3.
		v, err = design.ParseQuantity(h+"s", design.Time)
	} else {
		v, err = design.ParseQuantity(t, design.Dimensionless)
	}
	if err != nil {
		return 0, err
	}
	if !(v > 0) || v > 1e18 {
		return 0, fmt.Errorf("want a rate above 0 and at most 1e18 steps/s")
	}
	return v, nil
}

// parseBattery reads an energy in J or Wh (1 Wh = 3600 J), with a prefix.
func parseBattery(s string) (float64, error) {
	t := strings.TrimSpace(s)
	scale := 1.0
	if h, ok := strings.CutSuffix(t, "Wh"); ok {
		t, scale = h+"J", 3600
	}
	v, err := design.ParseQuantity(t, design.Energy)
	if err != nil {
		return 0, fmt.Errorf("%v (or watt-hours, Wh)", err)
	}
	if !(v > 0) || v > 1e300 {
		return 0, fmt.Errorf("want a positive energy")
	}
	return v * scale, nil
}
