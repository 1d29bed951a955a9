#!/usr/bin/env python3
"""Write the fixtures of neurosim/workload (Python standard library only, no NumPy).

Run from anywhere:  python3 testdata/workload/gen.py
It rewrites every file listed below next to this script; art_inputs.npy and
art_labels.npy are byte-for-byte copies of /work/shared/reference/art/
{inputs,labels}.npy and are not written here (see README.md).

.npy format (version 1.0): b"\\x93NUMPY", 0x01 0x00, uint16 LE header length,
an ASCII dict padded with spaces and ending in "\\n" so that the data starts at a
multiple of 64 bytes, then the elements in C order.
https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html

art_seed1.txt is an independent port of the workload.ART generator (Go's
math/rand/v2 PCG-DXSM plus the documented bounded draw), checked against the
PCG test vector in the Go source (src/math/rand/v2/pcg_test.go).
"""

import math
import os
import struct

HERE = os.path.dirname(os.path.abspath(__file__))

SYMBOLS = "abcdefghijklmnopqrstuvwxyz0123456789?"
FMT = {"<f4": "f", "<f8": "d", "<i8": "q", "<i4": "i", "|u1": "B"}


def npy(descr, shape, values, claim_shape=None):
    """Bytes of a .npy file; claim_shape (if given) is written in the header
    instead of shape, to forge a header that does not match the data."""
    hs = claim_shape if claim_shape is not None else shape
    shp = "(" + ", ".join(str(d) for d in hs) + ("," if len(hs) == 1 else "") + ")"
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (descr, shp)
    pad = 64 - (10 + len(header) + 1) % 64
    header = header + " " * (pad % 64) + "\n"
    n = 1
    for d in shape:
        n *= d
    assert len(values) == n, (shape, len(values))
    body = struct.pack("<%d%s" % (n, FMT[descr]), *values)
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode("ascii") + body


def onehot(texts):
    """Flattened [len(texts), 9, 37] one-hot encoding of ART strings."""
    out = []
    for text in texts:
        for ch in text:
            row = [0.0] * len(SYMBOLS)
            row[SYMBOLS.index(ch)] = 1.0
            out += row
    return out


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


# --- PCG-DXSM exactly as Go's math/rand/v2 (pcg.go) ---------------------------

M64 = (1 << 64) - 1
MUL = (2549297995355413924 << 64) | 4865540595714422341
INC = (6364136223846793005 << 64) | 1442695040888963407
CHEAP = 0xDA942042E4DD58B5


class PCG:
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


def draw(pcg, n):
    """Uniform in [0, n): Lemire's multiply-shift with rejection (workload.draw)."""
    while True:
        m = pcg.uint64() * n
        hi, lo = m >> 64, m & M64
        if lo >= ((1 << 64) - n) % n:
            return hi


ART_STREAM = 0x415254  # "ART", workload.artStream


def art(n, seed):
    """(text, label) pairs in the documented draw order of workload.ART."""
    pcg = PCG(seed, ART_STREAM)
    out = []
    for _ in range(n):
        keys = []
        while len(keys) < 3:
            k = draw(pcg, 26)
            if k not in keys:
                keys.append(k)
        vals = [draw(pcg, 10) for _ in range(3)]
        q = draw(pcg, 3)
        text = "".join(SYMBOLS[k] + SYMBOLS[26 + v] for k, v in zip(keys, vals)) + "??" + SYMBOLS[keys[q]]
        out.append((text, 26 + vals[q]))
    return out


def main():
    # Go's own test vector for NewPCG(1, 2): the port must agree before it is trusted.
    p = PCG(1, 2)
    assert [p.uint64() for _ in range(3)] == [0xC4F5A58656EEF510, 0x9DCEC3AD077DEC6C, 0xC8D04605312F8088]

    with open(os.path.join(HERE, "art_seed1.txt"), "w") as f:
        f.write("# workload.ART(ARTConfig{N: 32, Seed: 1}) by gen.py's independent port: text label\n")
        for text, label in art(32, 1):
            f.write("%s %d\n" % (text, label))

    good = ["y4t7k0??t", "a0b1c2??b"]  # labels 33 ('7') and 27 ('1')
    write("good_inputs_f64.npy", npy("<f8", [2, 9, 37], onehot(good)))
    write("good_labels.npy", npy("<i8", [2], [33, 27]))
    write("good_labels_i4.npy", npy("<i4", [2], [33, 27]))

    x = onehot(good)
    write("rank2.npy", npy("<f4", [18, 37], x))
    write("rank0.npy", npy("<f8", [], [1.0]))
    write("zero_dim.npy", npy("<f4", [0, 9, 37], []))
    write("int_inputs.npy", npy("<i8", [2, 9, 37], [int(v) for v in x]))
    nan = list(x)
    nan[(1 * 9 + 4) * 37 + 7] = math.nan  # sequence 1, step 4, channel 7
    write("nan.npy", npy("<f4", [2, 9, 37], nan))
    inf = list(x)
    inf[(0 * 9 + 8) * 37 + 36] = -math.inf  # sequence 0, step 8, channel 36
    write("inf.npy", npy("<f8", [2, 9, 37], inf))
    # Header claims [128 9 37] float32 (170496 bytes) but only two sequences follow.
    write("truncated.npy", npy("<f4", [2, 9, 37], x, claim_shape=[128, 9, 37]))
    write("width40.npy", npy("<f4", [1, 9, 40], [0.0] * (9 * 40)))
    write("not_npy.npy", b"this is not a .npy file\n")

    write("labels_short.npy", npy("<i8", [1], [33]))
    write("labels_float.npy", npy("<f4", [2], [33.0, 27.0]))
    write("labels_negative.npy", npy("<i8", [2], [33, -1]))
    write("labels_rank2.npy", npy("<i8", [2, 1], [33, 27]))
    write("labels_bool.npy", npy("|u1", [2], [1, 0]).replace(b"'|u1'", b"'|b1'"))
    write("labels_big.npy", npy("<i8", [2], [33, 37]))


if __name__ == "__main__":
    main()
