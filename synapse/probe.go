package synapse

import (
	"math"

	"github.com/neurosim/neurosim/energy"
)

// ArrayInfo describes one synaptic array of a cell: a crossbar of Rows
// postsynaptic neurons by Cols presynaptic inputs.
type ArrayInfo struct {
	Name       string
	Rows, Cols int
	// Plastic is the number of synapses of the array that carry short-term
	// state (0 for a static array).
	Plastic int
}

// Device is the hardware an array's efficacies are read through. A Device
// is used by one Runner (one goroutine) at a time.
type Device interface {
	// Row presents row r of array a: it replaces the efficacies e in place
	// by those the hardware applies (quantised, varied, noisy, saturated)
	// and returns Σ_f z_f²·G_f and Σ_f |z_f|·G_f, where G_f is the total
	// conductance, in siemens, of the cells of synapse (r, f).
	Row(a, r int, e, z []float64) (cellZ2, cellZ1 float64)
	// Store rounds the short-term state f of array a to what the element
	// can hold, in place, after each update; u says what efficacy one unit
	// of each f[i] contributes to the array as read.
	Store(a int, f []float64, u Unit)
}

// Unit is the efficacy that one unit of a stored short-term state
// contributes to its array as read: 1 for a plain F (the zero Unit), a
// factor per row for a row-normalised STPN (1/‖row‖), or one per element
// for MODPLAST's Hebbian trace (α).
type Unit struct {
	Row  []float64 // per row of Cols elements, when set
	Cols int
	Elem []float64 // per element, when set
}

// At is the unit of element i.
func (u Unit) At(i int) float64 {
	switch {
	case u.Row != nil:
		return u.Row[i/u.Cols]
	case u.Elem != nil:
		return u.Elem[i]
	}
	return 1
}

// probe carries what a step needs beyond the state: the device the arrays
// are read through (nil for the paper's ideal arrays), and the counts being
// metered (nil when not metering).
type probe struct {
	dev   Device
	c     *energy.Counts
	meter energy.Meter
	conv  Converter // dev, when it converts partial sums itself (tiles.go)
	tiles []int     // presynaptic inputs per row tile, per array (nil: untiled)
	// offBooks marks reads outside the paper's energy and outside the
	// design's scope (a front-end or head under the core's scope): ideal,
	// uncounted, only their sums wanted.
	offBooks bool
	// nz lists the columns of the current read whose presynaptic value is
	// nonzero (scratch of the fused kernels); sums holds their rows' sums.
	nz   []int32
	sums []float64
}

// fusedRows reads every row r of an array without materialising its
// efficacies for anyone else: it sets acc[r] = Σ_f e_rf z_f and
// paper[r] = Σ_f z_f² |e_rf| exactly as mac would on the row, using nz (the
// columns with z_f ≠ 0) where zero columns cannot matter. Rows may be taken
// together (independent sums run side by side), each in mac's order.
type fusedRows func(z []float64, nz []int32, acc, paper []float64)

// read is the one read loop of every synaptic array: for each postsynaptic
// row r it takes the row of efficacies row(r) returns (built in a scratch
// row the device may rewrite, when there is a device), reads it against the
// presynaptic vector z, adds Σ_f e_f z_f to out[r], and returns the paper
// energy Σ_r Σ_f z_f² |e_rf| of the read, metering it as array a.
//
// fused, when not nil, computes the same two sums for a row in fewer passes
// (the cell's own kernel); it is used when the read is ideal — no device
// rewrites the efficacies and no count needs them one by one — and gives
// the same bits as row followed by mac.
func (p *probe) read(a int, z, out []float64, rows int, row func(r int) []float64, fused fusedRows) float64 {
	if p.offBooks {
		for r := range rows {
			out[r] += dot(row(r), z)
		}
		return 0
	}
	p.begin(a, z, rows)
	var e float64
	if fused != nil && p.dev == nil && !p.meter.Abs && !p.meter.Peak {
		if len(p.sums) < 2*rows {
			p.sums = make([]float64, 2*rows)
		}
		acc, paper := p.sums[:rows], p.sums[rows:2*rows]
		fused(z, p.nonzero(z), acc, paper)
		for r, v := range acc {
			out[r] += v
			e += paper[r]
		}
	} else {
		for r := range rows {
			acc, er := p.row(a, r, row(r), z)
			out[r] += acc
			e += er
		}
	}
	if p.c != nil {
		p.c.Arrays[a].Paper += e
	}
	return e
}

// nonzero lists the columns of z whose value is not zero, in order.
func (p *probe) nonzero(z []float64) []int32 {
	nz := p.nz[:0]
	for c, v := range z {
		if v != 0 {
			nz = append(nz, int32(c))
		}
	}
	p.nz = nz
	return nz
}

// begin counts one read of array a driven by z over rows rows (nothing when
// every z_f is zero: the read does not happen).
func (p *probe) begin(a int, z []float64, rows int) {
	if p.c == nil {
		return
	}
	var nnz int64
	var z2, z1 float64
	for _, v := range z {
		if v != 0 {
			nnz++
			z2 += v * v
			z1 += math.Abs(v)
		}
	}
	if nnz == 0 {
		return
	}
	p.charge(a, rows, nnz, z2, z1, p.activeTiles(a, z))
}

// charge counts one read of array a over rows rows driven by a presynaptic
// vector with nnz > 0 nonzero values, Σ z² = z2 and Σ |z| = z1, reaching
// active row tiles.
func (p *probe) charge(a, rows int, nnz int64, z2, z1 float64, active int64) {
	m := &p.c.Arrays[a]
	m.Reads++
	if active > 1 {
		m.Rows += int64(rows) * active
		m.Adds += int64(rows) * (active - 1)
	} else {
		m.Rows += int64(rows)
	}
	m.Drives += nnz
	m.SynOps += nnz * int64(rows)
	m.Z2 += z2 * float64(rows)
	m.Z1 += z1 * float64(rows)
}

// row reads one row of efficacies e against z and returns Σ e_f z_f (as
// the device's converters give it, when they quantise) and Σ z_f² |e_f|,
// metering as asked.
func (p *probe) row(a, r int, e, z []float64) (acc, paper float64) {
	if p.dev != nil {
		c2, c1 := p.dev.Row(a, r, e, z)
		if p.c != nil {
			p.c.Arrays[a].CellZ2 += c2
			p.c.Arrays[a].CellZ1 += c1
		}
	}
	if p.c == nil || !(p.meter.Abs || p.meter.Peak) {
		acc, paper = mac(e, z)
	} else {
		m := &p.c.Arrays[a]
		var pa, peak float64
		for c, v := range e {
			zc := z[c]
			acc += v * zc
			paper += zc * zc * math.Abs(v)
			pa += math.Abs(zc) * math.Abs(v)
			peak = math.Max(peak, math.Abs(v))
		}
		m.PaperAbs += pa
		m.Peak = math.Max(m.Peak, peak)
	}
	if p.conv != nil {
		acc = p.conv.Convert(a, r, e, z)
	}
	return acc, paper
}

// dot returns Σ e_f z_f, summed in the order mac sums it, so that a
// layer's output does not depend on whether its read is metered.
func dot(e, z []float64) float64 {
	z = z[:len(e)]
	var acc float64
	for c, v := range e {
		acc += v * z[c]
	}
	return acc
}

// macSparse is mac over the columns nz (those with z_f ≠ 0) of a row of
// finite efficacies: a zero column adds ±0 to each sum, which changes
// neither (a sum that starts at +0 never becomes −0), so the result is
// mac's to the bit. A dense z is read contiguously.
func macSparse(e, z []float64, nz []int32) (acc, paper float64) {
	if 4*len(nz) > 3*len(e) {
		return mac(e, z)
	}
	e = e[:len(z)]
	for _, c := range nz {
		v, zc := e[c], z[c]
		acc += v * zc
		paper += zc * zc * math.Abs(v)
	}
	return acc, paper
}

// macRows sets acc[r], paper[r] = macSparse(row r of w, z, nz) for every
// row of w (cols wide, len(acc) rows): four rows at a time, their eight
// sums independent chains, each in macSparse's order.
func macRows(w []float64, cols int, z []float64, nz []int32, acc, paper []float64) {
	all := 4*len(nz) > 3*cols // macSparse's choice: then every column, as mac
	z = z[:cols]
	r := 0
	for ; r+4 <= len(acc); r += 4 {
		e := w[r*cols : (r+4)*cols]
		e0, e1, e2, e3 := e[:cols], e[cols:2*cols], e[2*cols:3*cols], e[3*cols:4*cols]
		var a0, a1, a2, a3, p0, p1, p2, p3 float64
		if all {
			e0, e1, e2, e3 = e0[:len(z)], e1[:len(z)], e2[:len(z)], e3[:len(z)]
			for c, zc := range z {
				z2 := zc * zc
				v0, v1, v2, v3 := e0[c], e1[c], e2[c], e3[c]
				a0 += v0 * zc
				p0 += z2 * math.Abs(v0)
				a1 += v1 * zc
				p1 += z2 * math.Abs(v1)
				a2 += v2 * zc
				p2 += z2 * math.Abs(v2)
				a3 += v3 * zc
				p3 += z2 * math.Abs(v3)
			}
		} else {
			for _, c := range nz {
				zc := z[c]
				z2 := zc * zc
				v0, v1, v2, v3 := e0[c], e1[c], e2[c], e3[c]
				a0 += v0 * zc
				p0 += z2 * math.Abs(v0)
				a1 += v1 * zc
				p1 += z2 * math.Abs(v1)
				a2 += v2 * zc
				p2 += z2 * math.Abs(v2)
				a3 += v3 * zc
				p3 += z2 * math.Abs(v3)
			}
		}
		acc[r], acc[r+1], acc[r+2], acc[r+3] = a0, a1, a2, a3
		paper[r], paper[r+1], paper[r+2], paper[r+3] = p0, p1, p2, p3
	}
	for ; r < len(acc); r++ {
		acc[r], paper[r] = macSparse(w[r*cols:(r+1)*cols], z, nz)
	}
}

// mac returns Σ e_f z_f and Σ z_f² |e_f|.
func mac(e, z []float64) (acc, paper float64) {
	z = z[:len(e)]
	for c, v := range e {
		zc := z[c]
		acc += v * zc
		paper += zc * zc * math.Abs(v)
	}
	return acc, paper
}

// neurons counts n nonlinearity evaluations.
func (p *probe) neurons(n int) {
	if p.c != nil {
		p.c.Neurons += int64(n)
	}
}

// store lets the device, if any, round a short-term state after its update.
func (p *probe) store(a int, f []float64, u Unit) {
	if p.dev != nil {
		p.dev.Store(a, f, u)
	}
}

// writes returns the counts the writes of array a's short-term state go
// to, or nil when writes are not metered.
func (p *probe) writes(a int) *energy.ArrayCounts {
	if p.c == nil || !p.meter.Writes {
		return nil
	}
	return &p.c.Arrays[a]
}

// meterChanges counts the writes of a short-term state that went from old
// to new in one step, for cells whose update is not a plain Hebbian
// increment on a decaying state (Fast Weights' two-stage update, MODPLAST's
// modulated trace): the increment is new − passive(i)·old, where passive(i)
// is the factor a passive element would have multiplied old[i] by in that
// step, and lambda(i) the synapse's trained decay factor, which decides
// whether it can be passive at all (in [0, 1]).
func (p *probe) meterChanges(a int, old, new []float64, passive, lambda func(i int) float64) {
	m := p.writes(a)
	if m == nil {
		return
	}
	for i, v := range new {
		l := lambda(i)
		m.Write(i, v-passive(i)*old[i], v, l >= 0 && l <= 1)
	}
}
