#!/usr/bin/env python3
"""Write the fixtures of neurosim/workload's event streams (Python standard
library only, no NumPy).

Run from anywhere:  python3 testdata/events/gen.py
It rewrites every .csv and .npz next to this script. The files are:

- good.csv, good.npz, good_deflate.npz: the same 11 events (3 sequences,
  rows interleaved, ties, an explicit zero, scientific notation), as CSV, as a
  stored .npz of int64/float64 arrays and as a deflated .npz of
  int32/float32/uint8/float32 arrays (times exact in float32);
  good_crlf.csv is good.csv with CRLF line ends.
- poisson_seed7.csv, bursts_seed9.csv: the output of an independent port of
  workload.Poisson and workload.Bursts (Go's PCG-DXSM, the documented draw
  order, the FreeBSD log with every operation rounded), for
    PoissonConfig{N: 3, Channels: 5, Rate: 20, Duration: 0.5, Seed: 7}
    BurstConfig{N: 2, Channels: 4, Rate: 200, Burst: 0.01, Silence: 0.02, Bursts: 3, Seed: 9}
  (value 1), times written exactly as whole nanoseconds.
- bad_*.csv, bad_*.npz: one problem each, for the error tests and fuzz seeds.

.npy format (version 1.0): b"\\x93NUMPY", 0x01 0x00, uint16 LE header length,
an ASCII dict padded with spaces and ending in "\\n", then the elements in C
order. https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html
The zip archives are written by hand (not zipfile) so that sizes and CRCs can
be forged: https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
"""

import math
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))

FMT = {"<f2": "e", "<f4": "f", "<f8": "d", "<i8": "q", "<i4": "i", "|u1": "B", "|b1": "?"}


def npy(descr, shape, values):
    shp = "(" + ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shp)
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    n = 1
    for d in shape:
        n *= d
    assert len(values) == n, (shape, len(values))
    body = struct.pack("<%d%s" % (n, FMT[descr]), *values)
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("ascii") + body


def zipbytes(members):
    """A zip archive of members (name, data, deflate, declared_size, crc);
    declared_size and crc default to the true ones."""
    out, central = b"", b""
    for name, data, deflate, declared, crc in members:
        if deflate:
            c = zlib.compressobj(9, zlib.DEFLATED, -15)
            comp = c.compress(data) + c.flush()
            method = 8
        else:
            comp, method = data, 0
        size = len(data) if declared is None else declared
        crc = zlib.crc32(data) & 0xFFFFFFFF if crc is None else crc
        nm = name.encode()
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(comp), size, len(nm), 0)
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(comp), size,
                               len(nm), 0, 0, 0, 0, 0, len(out)) + nm
        out += local + nm + comp
    eocd = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0)
    return out + central + eocd


def member(name, data, deflate=False, declared=None, crc=None):
    return (name, data, deflate, declared, crc)


def write(name, data):
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# --- the good events ----------------------------------------------------------
# (sequence, t as written in CSV, t as a float, channel, value). Sequence 1 has
# two events at 0.25 s (one step); sequence 0 has an explicit 0 at 0.5 s and
# ties at 1.5 s given with channels out of order; times 2.5e-1 and 0.25 are the
# same. Every time is exact in float32 (multiples of 2^-10).
GOOD = [
    (0, "0.125", 0.125, 2, 1.0),
    (1, "0.25", 0.25, 0, -0.5),
    (0, "0.5", 0.5, 1, 0.0),
    (1, "2.5e-1", 0.25, 3, 2.0),
    (2, "0", 0.0, 3, 1.0),
    (0, "1.5", 1.5, 3, 0.75),
    (0, "1.5", 1.5, 0, 1.0),
    (2, "0.0009765625", 0.0009765625, 0, 4.0),
    (1, "1", 1.0, 1, 1.0),
    (0, "1.5", 1.5, 2, -1.0),
    (2, "3e0", 3.0, 2, 0.5),
]
HEADER = "sequence,t,channel,value\n"


def csv(rows):
    return HEADER + "".join("%s,%s,%s,%s\n" % r for r in rows)


def good_csv():
    return csv([(s, ts, c, repr(v)) for s, ts, t, c, v in GOOD])


def events_npz(seq, t, ch, val, descr=("<i8", "<f8", "<i8", "<f8"), deflate=False, extra=()):
    arrays = [("sequence.npy", descr[0], seq), ("t.npy", descr[1], t), ("channel.npy", descr[2], ch), ("value.npy", descr[3], val)]
    ms = [member(n, npy(d, [len(v)], v), deflate) for n, d, v in arrays] + list(extra)
    return zipbytes(ms)


def cols(rows):
    return [r[0] for r in rows], [r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows]


# --- independent port of workload.Poisson / workload.Bursts -------------------

M64 = (1 << 64) - 1
MUL = (2549297995355413924 << 64) | 4865540595714422341
INC = (6364136223846793005 << 64) | 1442695040888963407
CHEAP = 0xDA942042E4DD58B5


class PCG:
    """Go's math/rand/v2 PCG (pcg.go): 128-bit LCG, DXSM output."""

    def __init__(self, seed1, seed2):
        self.state = (seed1 << 64) | seed2

    def uint64(self):
        self.state = (self.state * MUL + INC) & ((1 << 128) - 1)
        hi, lo = self.state >> 64, self.state & M64
        hi ^= hi >> 32
        hi = (hi * CHEAP) & M64
        hi ^= hi >> 48
        hi = (hi * (lo | 1)) & M64
        return hi


def flog(x):
    """FreeBSD e_log.c for x in (0, 1]; Python rounds every operation, as the
    Go code does with its explicit float64 conversions."""
    ln2_hi, ln2_lo = 6.93147180369123816490e-01, 1.90821492927058770002e-10
    L = [None, 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
         2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
         1.479819860511658591e-01]
    f1, ki = math.frexp(x)
    if f1 < math.sqrt(2) / 2:
        f1 *= 2
        ki -= 1
    f = f1 - 1
    k = float(ki)
    s = f / (2 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (L[1] + s4 * (L[3] + s4 * (L[5] + s4 * L[7])))
    t2 = s4 * (L[2] + s4 * (L[4] + s4 * L[6]))
    r = t1 + t2
    hfsq = 0.5 * f * f
    return k * ln2_hi - ((hfsq - (s * (hfsq + r) + k * ln2_lo)) - f)


def round_half_away(t):
    fl = math.floor(t)
    return int(fl) + (1 if t - fl >= 0.5 else 0)


def ticks(sec):
    return round_half_away(sec * 1e9)


def trains(pcg, n, channels, rate, windows):
    """{sequence: sorted [(tick, channel)]} in the documented draw order."""
    gap = 1e9 / rate
    out = {}
    for q in range(n):
        evs = []
        for c in range(channels):
            last = -1
            for start, end in windows:
                t = float(start)
                while True:
                    u = float((pcg.uint64() >> 11) + 1) * 2.0 ** -53
                    t += -flog(u) * gap
                    k = round_half_away(t)
                    if k >= end:
                        break
                    if k != last:
                        evs.append((k, c))
                        last = k
        out[q] = sorted(evs)
    return out


def trains_csv(tr, value=1.0):
    lines = [HEADER]
    for q in sorted(tr):
        assert tr[q], "a sequence without events cannot be written"
        for k, c in tr[q]:
            lines.append("%d,%d.%09d,%d,%r\n" % (q, k // 10 ** 9, k % 10 ** 9, c, value))
    return "".join(lines)


def main():
    # Go's own test vector for NewPCG(1, 2): the port must agree before it is trusted.
    p = PCG(1, 2)
    assert [p.uint64() for _ in range(3)] == [0xC4F5A58656EEF510, 0x9DCEC3AD077DEC6C, 0xC8D04605312F8088]
    for x in [1.0, 0.5, 0.1, 1e-300, 2.0 ** -53, 0.75]:
        assert abs(flog(x) - math.log(x)) <= 2 * math.ulp(math.log(x)), x

    write("poisson_seed7.csv", trains_csv(trains(PCG(7, 0x504F4953), 3, 5, 20.0, [(0, ticks(0.5))])))
    b, s = ticks(0.01), ticks(0.02)
    write("bursts_seed9.csv", trains_csv(trains(PCG(9, 0x42525354), 2, 4, 200.0,
                                                [(k * (b + s), k * (b + s) + b) for k in range(3)])))

    write("good.csv", good_csv())
    write("good_crlf.csv", good_csv().replace("\n", "\r\n"))
    write("good.npz", events_npz(*cols(GOOD)))
    write("good_deflate.npz", events_npz(*cols(GOOD), descr=("<i4", "<f4", "|u1", "<f4"), deflate=True))

    # --- bad CSV: the model has 4 channels in the tests ---
    ok = "0,0.5,1,1\n"
    write("bad_empty.csv", "")
    write("bad_header_only.csv", HEADER)
    write("bad_header.csv", "seq,t,ch,v\n" + ok)
    write("bad_no_header.csv", ok + ok)
    write("bad_header_bom.csv", "\ufeff" + HEADER + ok)
    write("bad_columns.csv", HEADER + ok + "0,0.75,1\n")
    write("bad_columns_extra.csv", HEADER + "0,0.75,1,1,\n")
    write("bad_blank_line.csv", HEADER + ok + "\n" + "0,0.75,1,1\n")
    write("bad_unsorted.csv", HEADER + "0,0.5,1,1\n1,0.1,1,1\n0,0.25,2,1\n")
    write("bad_negative_time.csv", HEADER + ok + "0,-0.5,1,1\n")
    write("bad_nan_time.csv", HEADER + "0,NaN,1,1\n")
    write("bad_inf_time.csv", HEADER + "0,inf,1,1\n")
    write("bad_late_time.csv", HEADER + "0,1e10,1,1\n")
    write("bad_text_time.csv", HEADER + "0,half,1,1\n")
    write("bad_hex_time.csv", HEADER + "0,0x1p-1,1,1\n")
    write("bad_nan_value.csv", HEADER + ok + "0,0.75,2,nan\n")
    write("bad_inf_value.csv", HEADER + "0,0.75,2,-Inf\n")
    write("bad_big_value.csv", HEADER + "0,0.75,2,1e999\n")
    write("bad_channel_high.csv", HEADER + ok + "0,0.75,4,1\n")
    write("bad_channel_negative.csv", HEADER + "0,0.75,-1,1\n")
    write("bad_channel_float.csv", HEADER + "0,0.75,2.0,1\n")
    write("bad_sequence_negative.csv", HEADER + "-1,0.75,2,1\n")
    write("bad_sequence_float.csv", HEADER + "1.5,0.75,2,1\n")
    write("bad_sequence_huge.csv", HEADER + "99999999999,0.75,2,1\n")
    write("bad_sequence_range.csv", HEADER + "99999999999999999999,0.75,2,1\n")
    # 0.5 and 0.5000000001 s are the same tick.
    write("bad_duplicate.csv", HEADER + "0,0.5,1,1\n0,0.5,2,1\n1,0.5,1,1\n0,0.5000000001,1,3\n")
    write("bad_gap.csv", HEADER + "0,0.5,1,1\n2,0.5,1,1\n2,0.75,1,1\n")
    write("bad_sequence_beyond.csv", HEADER + "0,0.5,1,1\n5,0.5,1,1\n")
    write("bad_one_based.csv", HEADER + "1,0.5,1,1\n1,0.75,1,1\n2,0.5,1,1\n")
    write("bad_spaces.csv", HEADER + "0, 0.5, 1, 1\n")

    # --- bad npz ---
    seq, t, ch, val = cols(GOOD)
    arr = {"sequence.npy": npy("<i8", [len(seq)], seq), "t.npy": npy("<f8", [len(t)], t),
           "channel.npy": npy("<i8", [len(ch)], ch), "value.npy": npy("<f8", [len(val)], val)}

    def with_members(**repl):
        ms = []
        for name in ["sequence.npy", "t.npy", "channel.npy", "value.npy"]:
            key = name[:-4]
            if key in repl:
                if repl[key] is not None:
                    ms.append(repl[key] if isinstance(repl[key], tuple) else member(name, repl[key]))
            else:
                ms.append(member(name, arr[name]))
        return zipbytes(ms)

    write("bad_empty.npz", b"")
    write("bad_not_zip.npz", b"sequence,t,channel,value\n0,0.5,1,1\n")
    write("bad_missing_value.npz", with_members(value=None))
    write("bad_extra_member.npz", events_npz(seq, t, ch, val, extra=[member("labels.npy", npy("<i8", [1], [3]))]))
    write("bad_twice.npz", events_npz(seq, t, ch, val, extra=[member("t.npy", arr["t.npy"])]))
    write("bad_unequal.npz", with_members(channel=npy("<i8", [len(ch) - 1], ch[:-1])))
    write("bad_t_int.npz", with_members(t=npy("<i8", [len(t)], [int(x * 1e9) for x in t])))
    write("bad_sequence_float.npz", with_members(sequence=npy("<f8", [len(seq)], [float(x) for x in seq])))
    write("bad_channel_bool.npz", with_members(channel=npy("|b1", [len(ch)], [x != 0 for x in ch])))
    write("bad_value_int.npz", with_members(value=npy("<i8", [len(val)], [int(x) for x in val])))
    write("bad_rank2.npz", with_members(value=npy("<f8", [len(val), 1], val)))
    write("bad_not_npy.npz", with_members(t=b"not a .npy array\n"))
    write("bad_arrays_empty.npz", events_npz([], [], [], []))
    write("bad_unsorted.npz", events_npz([0, 0, 0], [0.5, 0.75, 0.25], [1, 1, 1], [1.0, 1.0, 1.0]))
    write("bad_channel_high.npz", events_npz([0, 0], [0.5, 0.75], [1, 7], [1.0, 1.0]))
    write("bad_nan_time.npz", events_npz([0, 0], [0.5, math.nan], [1, 1], [1.0, 1.0]))
    write("bad_inf_value.npz", events_npz([0, 0], [0.5, 0.75], [1, 1], [1.0, math.inf]))
    write("bad_negative_sequence.npz", events_npz([0, -3], [0.5, 0.75], [1, 1], [1.0, 1.0]))
    write("bad_duplicate.npz", events_npz([0, 1, 0], [0.5, 0.5, 0.5], [1, 1, 1], [1.0, 1.0, 1.0]))
    write("bad_gap.npz", events_npz([0, 3, 3, 2], [0.5, 0.5, 0.75, 1.0], [1, 1, 1, 1], [1.0] * 4))
    # value.npy inflates to more than it declares (a zip bomb's lie).
    write("bad_inflates.npz", with_members(value=member("value.npy", arr["value.npy"], deflate=True,
                                                        declared=len(arr["value.npy"]) - 8)))
    write("bad_stored_long.npz", with_members(value=member("value.npy", arr["value.npy"],
                                                           declared=len(arr["value.npy"]) - 8)))
    write("bad_short.npz", with_members(value=member("value.npy", arr["value.npy"], deflate=True,
                                                     declared=len(arr["value.npy"]) + 8)))
    # Declares 4 GiB: refused before anything is read or allocated.
    write("bad_declared_huge.npz", with_members(value=member("value.npy", arr["value.npy"], deflate=True,
                                                             declared=0xFFFFFFF0)))
    write("bad_crc.npz", with_members(t=member("t.npy", arr["t.npy"], crc=0x12345678)))
    # 2^24 + 1 uint8 channels (16 MiB of zeros, deflated to ~16 KiB): more
    # events than workload.MaxEvents, refused before npyfile allocates them.
    n = (1 << 24) + 1
    write("too_many.npz", with_members(channel=member("channel.npy", npy("|u1", [n], bytes(n)), deflate=True)))


if __name__ == "__main__":
    main()
