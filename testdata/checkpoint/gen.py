#!/usr/bin/env python3
"""Writes the checkpoint fixtures of neurosim/checkpoint, without torch or numpy.

Run from anywhere:  python3 testdata/checkpoint/gen.py
It rewrites the generated files in this directory (deterministically: fixed zip
timestamps, no randomness). The three real checkpoints ART_*.pth are copied from
/work/shared/reference/art/<model>/model.pth (written by torch 1.13), with
their entries of that directory's manifest.json in reference_manifest.json.

torch.save is imitated, not imported: stand-in functions and classes carry the
__module__/__qualname__ of torch._utils._rebuild_tensor_v2 and torch.FloatStorage
… and are registered in sys.modules, so pickle writes the same GLOBAL opcodes
torch does; a Pickler subclass returns torch's persistent ids for storages. The
tensor values are small known sequences (arange, hand-picked specials), so the
Go tests state expected numbers without running the decoder under test.
"""

import collections
import io
import json
import os
import pickle
import struct
import sys
import types
import zipfile

OUT = os.path.dirname(os.path.abspath(__file__))
REFERENCE = "/work/shared/reference/art"
REAL_MODELS = ["ART_STPN_h11", "ART_HebbFF_h26", "ART_MODPLAST_h17"]
REAL = os.path.join(REFERENCE, "ART_STPN_h11", "model.pth")
DATE = (1980, 1, 1, 0, 0, 0)

# ---------------------------------------------------------------- fake torch

torch = types.ModuleType("torch")
torch_utils = types.ModuleType("torch._utils")
torch._utils = torch_utils
sys.modules["torch"] = torch
sys.modules["torch._utils"] = torch_utils


def fake_function(module, name):
    def f(*args):
        raise RuntimeError("stand-in for %s.%s, never called" % (module, name))

    f.__module__, f.__qualname__, f.__name__ = module, name, name
    setattr(sys.modules[module], name, f)
    return f


rebuild_tensor_v2 = fake_function("torch._utils", "_rebuild_tensor_v2")
rebuild_parameter = fake_function("torch._utils", "_rebuild_parameter")


def bf16(v, order):
    b = struct.pack(">f", v)
    assert b[2:] == b"\0\0", "%r is not exact in bfloat16" % v
    return b[:2] if order == ">" else b[:2][::-1]


def packer(fmt):
    return lambda v, order: struct.pack(order + fmt, v)


# dtype -> (storage class name, item size, encoder, safetensors name, npy descr)
DTYPES = {
    "float32": ("FloatStorage", 4, packer("f"), "F32", "<f4"),
    "float64": ("DoubleStorage", 8, packer("d"), "F64", "<f8"),
    "float16": ("HalfStorage", 2, packer("e"), "F16", "<f2"),
    "bfloat16": ("BFloat16Storage", 2, bf16, "BF16", None),
    "int64": ("LongStorage", 8, packer("q"), "I64", "<i8"),
    "int32": ("IntStorage", 4, packer("i"), "I32", "<i4"),
    "int16": ("ShortStorage", 2, packer("h"), "I16", "<i2"),
    "int8": ("CharStorage", 1, packer("b"), "I8", "|i1"),
    "uint8": ("ByteStorage", 1, packer("B"), "U8", "|u1"),
    "bool": ("BoolStorage", 1, packer("?"), "BOOL", "|b1"),
}
STORAGE_CLASS = {}
for _dt, (_name, *_rest) in DTYPES.items():
    _cls = type(_name, (), {})
    _cls.__module__, _cls.__qualname__ = "torch", _name
    setattr(torch, _name, _cls)
    STORAGE_CLASS[_dt] = _cls


def encode(dtype, values, order="<"):
    enc = DTYPES[dtype][2]
    return b"".join(enc(v, order) for v in values)


class Storage:
    def __init__(self, dtype, values, numel=None):
        self.dtype, self.values = dtype, list(values)
        self.numel = len(self.values) if numel is None else numel  # numel may lie (hostile fixtures)

    def data(self, order="<"):
        return encode(self.dtype, self.values, order)


class View:
    """A legacy-format storage view: elements [offset, offset+size) of root."""

    def __init__(self, root, key, offset, size):
        self.root, self.key, self.offset, self.size = root, key, offset, size


class Tensor:
    def __init__(self, storage, offset, size, stride, parameter=False):
        self.storage, self.offset, self.size, self.stride = storage, offset, tuple(size), tuple(stride)
        self.parameter = parameter

    def __reduce_ex__(self, protocol):
        if self.parameter:
            plain = Tensor(self.storage, self.offset, self.size, self.stride)
            return rebuild_parameter, (plain, False, collections.OrderedDict())
        return rebuild_tensor_v2, (self.storage, self.offset, self.size, self.stride, False, collections.OrderedDict())


def c_strides(shape):
    strides, n = [], 1
    for d in reversed(shape):
        strides.insert(0, n)
        n *= d
    return strides


def tensor(dtype, values, shape, parameter=False):
    return Tensor(Storage(dtype, values), 0, shape, c_strides(shape), parameter)


def state_dict(items):
    sd = collections.OrderedDict(items)
    sd._metadata = collections.OrderedDict([("", {"version": 1})])  # as nn.Module.state_dict does
    return sd


class TorchPickler(pickle.Pickler):
    """Returns torch's persistent ids; collects the storages in first-use order."""

    def __init__(self, f, protocol, legacy=False):
        super().__init__(f, protocol)
        self.legacy, self.storages = legacy, collections.OrderedDict()

    def key(self, s):
        for k, v in self.storages.items():
            if v is s:
                return k
        k = str(len(self.storages) + (1000 if self.legacy else 0))
        self.storages[k] = s
        return k

    def persistent_id(self, obj):
        if isinstance(obj, View):
            k = self.key(obj.root)
            cls = STORAGE_CLASS[obj.root.dtype]
            return ("storage", cls, k, "cpu", obj.root.numel, (obj.key, obj.offset, obj.size))
        if isinstance(obj, Storage):
            k = self.key(obj)
            cls = STORAGE_CLASS[obj.dtype]
            if self.legacy:
                return ("storage", cls, k, "cpu", obj.numel, None)
            return ("storage", cls, k, "cpu", obj.numel)
        return None


def dump(obj, protocol=2, legacy=False):
    f = io.BytesIO()
    p = TorchPickler(f, protocol, legacy)
    p.dump(obj)
    return f.getvalue(), p.storages


# ---------------------------------------------------------------- writers


def write_zip(path, members, compress=()):
    """members: list of (name, bytes); names in compress are deflated."""
    with zipfile.ZipFile(os.path.join(OUT, path), "w") as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=DATE)
            info.compress_type = zipfile.ZIP_DEFLATED if name in compress else zipfile.ZIP_STORED
            z.writestr(info, data)


def torch_zip(path, obj, prefix=None, protocol=2, byteorder=None):
    """The layout torch.save (torch >= 1.6) writes."""
    prefix = prefix or os.path.splitext(path)[0]
    pkl, storages = dump(obj, protocol)
    order = ">" if byteorder == "big" else "<"
    members = [(prefix + "/data.pkl", pkl)]
    if byteorder:
        members.append((prefix + "/byteorder", byteorder.encode()))
    members += [(prefix + "/data/" + k, s.data(order)) for k, s in storages.items()]
    members.append((prefix + "/version", b"3\n"))
    write_zip(path, members)


def torch_raw(path, pkl, storages=(), prefix="archive", compress=()):
    """A torch zip around a hand-made data.pkl."""
    members = [(prefix + "/data.pkl", pkl)] + [(prefix + "/data/" + k, b) for k, b in storages]
    members.append((prefix + "/version", b"3\n"))
    write_zip(path, members, compress)


MAGIC = 0x1950A86A20F9469CFC6C
SYS_INFO = dict(protocol_version=1001, little_endian=True, type_sizes=dict(short=2, int=4, long=4))


def torch_legacy(path, obj, count_fix=None):
    """torch.save(obj, f, _use_new_zipfile_serialization=False)."""
    f = io.BytesIO()
    for head in (MAGIC, 1001, SYS_INFO):
        pickle.dump(head, f, protocol=2)
    p = TorchPickler(f, 2, legacy=True)
    p.dump(obj)
    keys = sorted(p.storages)
    pickle.dump(keys, f, protocol=2)
    for k in keys:
        s = p.storages[k]
        count = s.numel if count_fix is None else count_fix(k, s.numel)
        f.write(struct.pack("<q", count))
        f.write(s.data())
    with open(os.path.join(OUT, path), "wb") as out:
        out.write(f.getvalue())


def safetensors(path, tensors):
    """tensors: list of (name, dtype, shape, values)."""
    header, data = {"__metadata__": {"format": "pt"}}, b""
    for name, dtype, shape, values in tensors:
        b = encode(dtype, values)
        header[name] = {"dtype": DTYPES[dtype][3], "shape": list(shape), "data_offsets": [len(data), len(data) + len(b)]}
        data += b
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(os.path.join(OUT, path), "wb") as out:
        out.write(struct.pack("<Q", len(h)) + h + data)


def npy(dtype, shape, values, claim_shape=None):
    """A version 1.0 .npy stream; claim_shape lets the header lie."""
    shape_txt = repr(tuple(claim_shape if claim_shape is not None else shape))
    header = "{'descr': '%s', 'fortran_order': False, 'shape': %s, }" % (DTYPES[dtype][4], shape_txt)
    header += " " * (-(10 + len(header) + 1) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + encode(dtype, values)


def npz(path, arrays, compress=False):
    """arrays: list of (name, dtype, shape, values) — what numpy.savez writes."""
    members = [(name + ".npy", npy(dt, shape, vals)) for name, dt, shape, vals in arrays]
    write_zip(path, members, compress=[m[0] for m in members] if compress else ())


def patch_sizes(path, member, size):
    """Rewrites a member's declared uncompressed size in the local header and
    the central directory (for the zip-bomb fixtures)."""
    p = os.path.join(OUT, path)
    with open(p, "rb") as f:
        b = bytearray(f.read())
    name = member.encode()
    with zipfile.ZipFile(p) as z:
        local = z.getinfo(member).header_offset
    assert b[local:local + 4] == b"PK\x03\x04"
    struct.pack_into("<I", b, local + 22, size)
    i = b.find(b"PK\x01\x02" )
    while i >= 0:
        n = struct.unpack_from("<H", b, i + 28)[0]
        if b[i + 46:i + 46 + n] == name:
            struct.pack_into("<I", b, i + 24, size)
        i = b.find(b"PK\x01\x02", i + 4)
    with open(p, "wb") as f:
        f.write(b)


# ---------------------------------------------------------------- hand-made pickles


def short_unicode(s):
    return b"\x8c" + bytes([len(s)]) + s.encode()


EVIL_OS_SYSTEM = b"\x80\x02cos\nsystem\nq\x00X\x0a\x00\x00\x00echo pwnedq\x01\x85q\x02Rq\x03."
EVIL_EVAL = b"\x80\x02cbuiltins\neval\nq\x00X\x03\x00\x00\x001+1q\x01\x85q\x02Rq\x03."
EVIL_LEGACY_POSIX = b"\x80\x02cposix\nsystem\nq\x00X\x02\x00\x00\x00idq\x01\x85q\x02Rq\x03."


class EvalCall:
    """Pickles as builtins.eval('1+1'); pickling does not run it."""

    def __reduce__(self):
        return eval, ("1+1",)


def copy_reference():
    manifest = json.load(open(os.path.join(REFERENCE, "manifest.json")))
    subset = {}
    for m in REAL_MODELS:
        with open(os.path.join(REFERENCE, m, "model.pth"), "rb") as f:
            data = f.read()
        with open(os.path.join(OUT, m + ".pth"), "wb") as f:
            f.write(data)
        # A list, to keep the state_dict order (json.load keeps it).
        subset[m] = [dict(name=k, **v) for k, v in manifest["models"][m]["state_dict"].items()]
    with open(os.path.join(OUT, "reference_manifest.json"), "w") as f:
        json.dump(subset, f)
        f.write("\n")


def main():
    copy_reference()

    # Common tensors, written in all four formats (float16 without subnormals:
    # internal/npyfile converts those inexactly).
    common = [
        ("f32", "float32", (2, 3), [0, 1, 2, 3, 4, 5]),
        ("f64", "float64", (3,), [0.1, -1e300, 2.5]),
        ("f16", "float16", (4,), [1.0, -2.5, 65504.0, float("inf")]),
        ("i64", "int64", (4,), [-3, 0, 2**40, 7]),
        ("u8", "uint8", (2,), [0, 255]),
        ("flag", "bool", (3,), [True, False, True]),
        ("scalar", "float64", (), [5.25]),
    ]
    sd = state_dict((n, tensor(dt, v, s)) for n, dt, s, v in common)
    torch_zip("common.pth", sd)
    torch_legacy("common_legacy.pth", sd)
    safetensors("common.safetensors", common)
    npz("common.npz", common)
    npz("common_compressed.npz", common, compress=True)

    # Every dtype torch storages have here, specials included, and a Parameter.
    torch_zip("dtypes.pth", state_dict([
        ("f16", tensor("float16", [1.0, -2.5, 65504.0, 2.0**-24, float("inf"), -0.0, 2.0**-14, 0.333251953125], (2, 4))),
        ("bf16", tensor("bfloat16", [1.0, -3.5, 0.15625, 2.0**100, float("-inf"), 3.140625], (6,))),
        ("i32", tensor("int32", [-5, 2**31 - 1], (2,))),
        ("i16", tensor("int16", [-300, 300], (2,))),
        ("i8", tensor("int8", [-128, 127], (2,))),
        ("param", tensor("float32", [1.5, -1.5], (2,), parameter=True)),
    ]))

    # Views: a transposed (non-contiguous) weight sharing its storage with the
    # original, several tensors at different offsets of one storage, a
    # broadcast (stride 0) view and an empty tensor.
    a = Storage("float32", range(6))
    b = Storage("float32", range(10, 18))
    c = Storage("float32", [7.0])
    torch_zip("views.pth", state_dict([
        ("w", Tensor(a, 0, (2, 3), (3, 1))),
        ("wT", Tensor(a, 0, (3, 2), (1, 3))),
        ("head", Tensor(b, 0, (3,), (1,))),
        ("tail", Tensor(b, 4, (2, 2), (2, 1))),
        ("every3", Tensor(b, 1, (2,), (3,))),
        ("bcast", Tensor(c, 0, (2, 3), (0, 0))),
        ("empty", Tensor(c, 0, (0, 3), (3, 1))),
    ]))

    # Legacy format with view_metadata: two views of one root storage.
    root = Storage("float32", range(10))
    torch_legacy("legacy_views.pth", state_dict([
        ("w", tensor("float32", range(6), (2, 3))),
        ("v", Tensor(View(root, "2000", 4, 3), 0, (3,), (1,))),
        ("v2", Tensor(View(root, "2000", 4, 3), 1, (2,), (1,))),
        ("n", tensor("int64", [42], ())),
    ]))

    # Protocol 4 (STACK_GLOBAL, MEMOIZE, FRAME) and a big-endian archive.
    torch_zip("proto4.pth", state_dict([("a", tensor("float32", [1, 2, 3], (3,))), ("b", tensor("int16", [-1, 1], (2,)))]), protocol=4)
    torch_zip("bigendian.pth", state_dict([("x", tensor("float32", [1.5, -2.0, 3.25], (3,))), ("y", tensor("int16", [-2, 513], (2,)))]), byteorder="big")

    # Wrappers.
    model = state_dict([("w", tensor("float32", [0, 1, 2, 3], (2, 2))), ("b", tensor("float32", [0.5], (1,)))])
    torch_zip("wrapped.pth", {
        "epoch": 3,
        "model_state_dict": model,
        "optimizer_state_dict": {
            "state": {0: {"step": 5, "exp_avg": tensor("float32", [0, 0, 0, 0], (2, 2))}},
            "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), "params": [0, 1]}],
        },
        "loss": 0.25,
        "name": "run-1",
        "digest": b"\x00\xffraw",  # protocol 2 writes bytes as _codecs.encode
    })
    ema = state_dict([("w", tensor("float32", [10, 11, 12, 13], (2, 2))), ("b", tensor("float32", [-0.5], (1,)))])
    torch_zip("ambiguous.pth", {"model": model, "ema": ema, "epoch": 3})

    # ---- hostile and broken files
    with open(os.path.join(OUT, "empty.pth"), "wb"):
        pass
    with open(REAL, "rb") as f:
        real = f.read()
    with open(os.path.join(OUT, "truncated.pth"), "wb") as f:
        f.write(real[: len(real) // 2])

    torch_raw("evil_os_system.pth", EVIL_OS_SYSTEM)
    torch_raw("evil_builtins_eval.pth", EVIL_EVAL)
    torch_raw("evil_stack_global.pth", pickle.dumps(EvalCall(), protocol=4))
    with open(os.path.join(OUT, "evil_legacy.pth"), "wb") as f:
        for head in (MAGIC, 1001, SYS_INFO):
            pickle.dump(head, f, protocol=2)
        f.write(EVIL_LEGACY_POSIX)

    # A storage member declared as the 44 bytes the storage needs that
    # inflates 1000× (deflated), and one that honestly declares 44000 bytes.
    eleven = state_dict([("b", tensor("float32", range(11), (11,)))])
    pkl, _ = dump(eleven)
    torch_raw("bomb_declared.pth", pkl, [("0", bytes(44000))], compress=["archive/data/0"])
    patch_sizes("bomb_declared.pth", "archive/data/0", 44)
    torch_raw("bomb_honest.pth", pkl, [("0", bytes(44000))], compress=["archive/data/0"])
    # An npz member whose deflate stream inflates 1000× past its declared size.
    write_zip("bomb.npz", [("x.npy", npy("float32", (11,), range(11)) + bytes(100000))], compress=["x.npy"])
    patch_sizes("bomb.npz", "x.npy", len(npy("float32", (11,), range(11))))

    # A storage that claims more elements than its bytes (as in the real
    # STPN file, where storage "3" holds rnn.bias: 11 float32).
    lying = state_dict([("rnn.bias", Tensor(Storage("float32", range(11), numel=528), 0, (11,), (1,)))])
    pkl, _ = dump(lying)
    torch_raw("short_storage.pth", pkl, [("0", encode("float32", range(11)))])
    huge = state_dict([("x", Tensor(Storage("float32", range(11), numel=2**40), 0, (2**20, 2**20), (2**20, 1)))])
    pkl, _ = dump(huge)
    torch_raw("claims_2_40.pth", pkl, [("0", encode("float32", range(11)))])
    # A tensor that reaches past its storage.
    oob = state_dict([("x", Tensor(Storage("float32", range(11)), 2, (10,), (1,)))])
    pkl, _ = dump(oob)
    torch_raw("oob_view.pth", pkl, [("0", encode("float32", range(11)))])

    # Lengths from the stream that exceed it.
    torch_raw("huge_binunicode8.pth", b"\x80\x04\x8d" + struct.pack("<Q", 2**62) + b"abc.")
    torch_raw("huge_frame.pth", b"\x80\x04\x95" + struct.pack("<Q", 2**63 - 1) + b"N.")

    # An .npy header claiming 1000 elements over data for 10.
    write_zip("lying_header.npz", [("x.npy", npy("float32", (10,), range(10), claim_shape=(1000,)))])

    # A TorchScript archive (torch.jit.save) and a state_dict with a nested
    # non-tensor value.
    write_zip("torchscript.pt", [("model/data.pkl", b"\x80\x02}q\x00."), ("model/constants.pkl", b"\x80\x02)."),
                                 ("model/code/__torch__.py", b"")])
    torch_zip("nested.pth", state_dict([("w", tensor("float32", [1], (1,))), ("cfg", {"hidden": 11})]))

    # Legacy file whose element count disagrees with the persistent id.
    torch_legacy("legacy_bad_count.pth", state_dict([("w", tensor("float32", range(6), (2, 3)))]),
                 count_fix=lambda k, n: n + 6)


if __name__ == "__main__":
    main()
