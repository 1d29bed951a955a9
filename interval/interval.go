// Package interval holds the one type neurosim uses for a quantity known
// only to lie between two ends: a design figure published as a range, the
// joules that depend on it, an accuracy measured over device corners.
//
// Range is generic over the quantity's float type, so the unit stays in the
// type: interval.Range[unit.Energy] is an energy in joules (energy.Joules),
// interval.Range[float64] a dimensionless or SI figure whose unit its field
// names. A point value has Lo == Hi.
//
// Arithmetic follows interval rules for non-negative factors, which is all
// neurosim needs: a price times a count, a sum of prices times counts. Every
// such energy is monotone in each price, so the low ends give the low end of
// the result exactly.
package interval

// Range is a quantity known to lie in [Lo, Hi].
type Range[T ~float64] struct{ Lo, Hi T }

// Point is the exact value v.
func Point[T ~float64](v T) Range[T] { return Range[T]{v, v} }

// IsPoint reports whether r is exact.
func (r Range[T]) IsPoint() bool { return r.Lo == r.Hi }

// Plus returns r + o, end by end.
func (r Range[T]) Plus(o Range[T]) Range[T] { return Range[T]{r.Lo + o.Lo, r.Hi + o.Hi} }

// Times returns r scaled by a non-negative factor k (a count, a duration).
func (r Range[T]) Times(k float64) Range[T] { return Range[T]{r.Lo * T(k), r.Hi * T(k)} }

// Hull returns the smallest range holding r and o.
func (r Range[T]) Hull(o Range[T]) Range[T] { return Range[T]{min(r.Lo, o.Lo), max(r.Hi, o.Hi)} }

// With returns the smallest range holding r and the value v.
func (r Range[T]) With(v T) Range[T] { return Range[T]{min(r.Lo, v), max(r.Hi, v)} }

// Scale returns r with both ends multiplied by the corresponding ends of a
// non-negative range k: [Lo·k.Lo, Hi·k.Hi].
func Scale[T, K ~float64](r Range[T], k Range[K]) Range[T] {
	return Range[T]{r.Lo * T(k.Lo), r.Hi * T(k.Hi)}
}

// Product returns the product of non-negative ranges, end by end, as a
// range of T: the price of an event that costs a·b·c… at each end.
func Product[T ~float64](rs ...Range[float64]) Range[T] {
	lo, hi := 1.0, 1.0
	for _, r := range rs {
		lo *= r.Lo
		hi *= r.Hi
	}
	return Range[T]{T(lo), T(hi)}
}

// Finite reports whether both ends are finite numbers.
func (r Range[T]) Finite() bool {
	return isFinite(float64(r.Lo)) && isFinite(float64(r.Hi))
}

func isFinite(v float64) bool { return v-v == 0 }
