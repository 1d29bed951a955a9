package workload

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
)

// ART symbol layout (see the package documentation).
const (
	// ARTSymbols lists the symbol of every one-hot index: a–z (keys),
	// 0–9 (values), '?' (separator).
	ARTSymbols = "abcdefghijklmnopqrstuvwxyz0123456789?"
	ARTWidth   = len(ARTSymbols) // values per step, I
	ARTSteps   = 9               // steps per sequence, T
)

const (
	artKeys      = 26
	artValues    = 10
	artSeparator = 36
)

// DefaultARTN is the number of sequences ART generates when ARTConfig.N is 0:
// the size of the reference test set.
const DefaultARTN = 128

// MaxARTN bounds ARTConfig.N (at 8 bytes per value, 1<<17 sequences take
// 350 MB; the reference training set has 100000).
const MaxARTN = 1 << 17

// artStream is the second PCG seed word, fixed so that ART's stream differs
// from other uses of the same Seed ("ART" in ASCII).
const artStream = 0x415254

// ARTConfig sets up the ART generator. The zero value is valid: 128 sequences
// from seed 0.
//
// The sequences depend only on N and Seed, identically on every platform:
// a math/rand/v2 PCG is seeded with NewPCG(Seed, 0x415254) and only its
// Uint64 method is used, through draw(k) = the high word of the 128-bit
// product Uint64()·k, drawn again while the low word is below 2⁶⁴ mod k
// (Lemire's unbiased multiply-shift). For each sequence in turn: three keys
// draw(26), each drawn again until it differs from the keys before it; then
// three values draw(10); then the query position draw(3).
type ARTConfig struct {
	N    int    // number of sequences; 0 means DefaultARTN
	Seed uint64 // every value, 0 included, is a distinct seed
}

// Validate reports whether c can be generated.
func (c ARTConfig) Validate() error {
	if c.N < 0 || c.N > MaxARTN {
		return errorf("art", "", "N = %d, want 1..%d (0 means the default %d)", c.N, MaxARTN, DefaultARTN)
	}
	return nil
}

// ART generates c.N one-hot ART sequences with labels; the Set is named
// "art(n=N, seed=Seed)".
func ART(c ARTConfig) (*Set, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if c.N == 0 {
		c.N = DefaultARTN
	}
	name := fmt.Sprintf("art(n=%d, seed=%d)", c.N, c.Seed)
	s := &Set{
		Name: name, N: c.N, T: ARTSteps, I: ARTWidth,
		x32:    make([]float32, c.N*ARTSteps*ARTWidth), // one-hot: exact in float32
		Labels: make([]int, c.N), LabelsName: name,
	}
	src := rand.NewPCG(c.Seed, artStream)
	for n := range c.N {
		var keys, vals [3]uint64
		for k := range keys {
			keys[k] = draw(src, artKeys)
			for slices.Contains(keys[:k], keys[k]) {
				keys[k] = draw(src, artKeys)
			}
		}
		for k := range vals {
			vals[k] = draw(src, artValues)
		}
		q := draw(src, 3)

		var sym [ARTSteps]int
		for k := range keys {
			sym[2*k] = int(keys[k])
			sym[2*k+1] = artKeys + int(vals[k])
		}
		sym[6], sym[7], sym[8] = artSeparator, artSeparator, int(keys[q])
		seq := s.x32[n*ARTSteps*ARTWidth : (n+1)*ARTSteps*ARTWidth]
		for t, j := range sym {
			seq[t*ARTWidth+j] = 1
		}
		s.Labels[n] = artKeys + int(vals[q])
	}
	return s, nil
}

// draw returns a uniform integer in [0, k) from src, k > 0, by Lemire's
// multiply-shift with rejection. It is written out here rather than taken
// from rand.Rand, whose bounded methods take a different path on 32-bit
// platforms and whose algorithms are not promised to stay the same.
func draw(src *rand.PCG, k uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), k)
	if lo < k {
		thresh := -k % k
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), k)
		}
	}
	return hi
}

// Symbols renders sequence n of an ART-shaped set (I = ARTWidth) as text, one
// ARTSymbols character per step, such as "y4t7k0??t". Every step must be
// one-hot: one value exactly 1, the others exactly 0.
func (s *Set) Symbols(n int) (string, error) {
	if s.I != ARTWidth {
		return "", errorf("inputs", s.Name, "%d values per step, ART symbols need %d", s.I, ARTWidth)
	}
	if n < 0 || n >= s.N {
		return "", errorf("inputs", s.Name, "sequence %d out of range [0, %d)", n, s.N)
	}
	seq := s.Sequence(n, nil)
	var b strings.Builder
	for t := range s.T {
		hot := oneHot(seq[t*ARTWidth : (t+1)*ARTWidth])
		if hot < 0 {
			return "", errorf("inputs", s.Name, "sequence %d step %d is not one-hot (want one value 1, the rest 0)", n, t)
		}
		b.WriteByte(ARTSymbols[hot])
	}
	return b.String(), nil
}

// oneHot returns the index of the single 1 in v when all other values are 0,
// else -1.
func oneHot(v []float64) int {
	hot := -1
	for i, x := range v {
		switch {
		case x == 0:
		case x == 1 && hot < 0:
			hot = i
		default:
			return -1
		}
	}
	return hot
}
