#!/usr/bin/env python3
"""Copy the subset of ../shared/reference/rl that neurosim's tests use into this folder.

Standard library only. Usage, from the repository root:
    python3 testdata/rl/subset.py ../shared/reference/rl testdata/rl

Every PEND_* and PENDRAW_* agent is copied whole (model.pth, spec.json and the float64
reference outputs; observations_PEND.npy is 4 KB). The five Pong agents (STPN, STPMLP,
LSTM, RNN, MLP: 8 MB of checkpoints, for the README's compare of the paper's Pong agents)
are kept with only the first N_PONG sequences and T_PONG steps of their observations and
reference outputs: each sequence starts from the initial state and a step depends on
earlier steps only, so the leading block of the reference outputs is the reference
output of the leading block of observations.
"""
import json
import os
import shutil
import struct
import sys
from array import array

N_PONG, T_PONG = 2, 8
CODES = {"<f8": "d", "<f4": "f"}


def read(path):
    import ast
    with open(path, "rb") as f:
        assert f.read(6) == b"\x93NUMPY"
        major = f.read(2)[0]
        hlen = struct.unpack("<H" if major == 1 else "<I", f.read(2 if major == 1 else 4))[0]
        header = ast.literal_eval(f.read(hlen).decode("latin1"))
        assert not header["fortran_order"]
        data = array(CODES[header["descr"]])
        data.frombytes(f.read())
        return header["descr"], list(header["shape"]), data


def write(path, descr, shape, data):
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    text = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    text += " " * ((64 - (10 + len(text) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode("latin1"))
        f.write(data.tobytes())


def head(src, dst, n, t):
    """The leading [n, t, ...] block of an array [N, T, ...]."""
    descr, shape, data = read(src)
    inner = 1
    for d in shape[2:]:
        inner *= d
    out = array(data.typecode)
    for i in range(n):
        base = i * shape[1] * inner
        out.extend(data[base:base + t * inner])
    write(dst, descr, [n, t] + shape[2:], out)


def main(src, dst):
    files = ["model.pth", "spec.json", "energy_f64.npy", "logits_f64.npy", "value_f64.npy"]
    for name in sorted(os.listdir(src)):
        if not (name.startswith("PEND") or name.startswith("PONG_")):
            continue
        os.makedirs(os.path.join(dst, name), exist_ok=True)
        for f in files:
            s, d = os.path.join(src, name, f), os.path.join(dst, name, f)
            if name.startswith("PEND") or f in ("model.pth",):
                shutil.copyfile(s, d)
            elif f == "spec.json":
                spec = json.load(open(s))
                spec["observations"]["shape"][:2] = [N_PONG, T_PONG]
                spec["observations"]["subset"] = "first %d sequences, first %d steps (testdata/rl/subset.py)" % (N_PONG, T_PONG)
                json.dump(spec, open(d, "w"), indent=1)
            else:
                head(s, d, N_PONG, T_PONG)
    shutil.copyfile(os.path.join(src, "observations_PEND.npy"), os.path.join(dst, "observations_PEND.npy"))
    head(os.path.join(src, "observations_PONG.npy"), os.path.join(dst, "observations_PONG.npy"), N_PONG, T_PONG)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
