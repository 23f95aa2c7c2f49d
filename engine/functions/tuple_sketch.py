"""Tuple sketches (Apache DataSketches, as Spark's tuple_sketch_* functions use them): a set of
hashed keys each carrying an integer or double summary.

The value is the DataSketches compact tuple sketch in its serialized form (serial version 3,
family TUPLE, seed 9001): keys hashed by MurmurHash3_x64_128 (>>> 1) and kept in hash-table
order. Ember implements the exact mode (theta = 1.0, at most 2^lgK distinct keys); beyond it
the sketch would have to sample, which is not implemented and is reported as unsupported.
"""
from __future__ import annotations

import math
import struct
from typing import Dict, List, Optional, Tuple

import numpy as np
import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException, not_supported
from ember.optimizer.expressions import Literal
from ember.engine.functions.aggregates_more import _agg, _arity, _constant, _q, _type_error, kind
from ember.engine.functions.scalar_base import Fn, rowwise

SEED = 9001
_M = (1 << 64) - 1
_C1, _C2 = 0x87c37b91114253d5, 0x4cf5ad432745937f
MODES = {"sum": 0, "min": 1, "max": 2, "alwaysone": 3}


# ---------------------------------------------------------------------------- hashing
def _rotl(x, r):
    return ((x << r) | (x >> (64 - r))) & _M


def _fmix(k):
    k ^= k >> 33
    k = (k * 0xff51afd7ed558ccd) & _M
    k ^= k >> 33
    k = (k * 0xc4ceb9fe1a85ec53) & _M
    return k ^ (k >> 33)


def _mix_k1(k):
    return (_rotl((k * _C1) & _M, 31) * _C2) & _M


def _mix_k2(k):
    return (_rotl((k * _C2) & _M, 33) * _C1) & _M


def murmur3_128(data: bytes, seed: int) -> int:
    """DataSketches' MurmurHash3_x64_128; returns h1 (the half the sketches use)."""
    h1 = h2 = seed & _M
    n = len(data)
    nblocks = n // 16
    for i in range(nblocks):
        k1, k2 = struct.unpack_from("<QQ", data, i * 16)
        h1 ^= _mix_k1(k1)
        h1 = (((_rotl(h1, 27) + h2) & _M) * 5 + 0x52dce729) & _M
        h2 ^= _mix_k2(k2)
        h2 = (((_rotl(h2, 31) + h1) & _M) * 5 + 0x38495ab5) & _M
    tail = data[nblocks * 16:]
    k1 = int.from_bytes(tail[:8], "little") if tail else 0
    k2 = int.from_bytes(tail[8:16], "little") if len(tail) > 8 else 0
    h1 ^= _mix_k1(k1)
    h2 ^= _mix_k2(k2)
    h1 ^= n
    h2 ^= n
    h1 = (h1 + h2) & _M
    h2 = (h2 + h1) & _M
    h1, h2 = _fmix(h1), _fmix(h2)
    return (h1 + h2) & _M


SEED_HASH = murmur3_128(struct.pack("<q", SEED), 0) & 0xFFFF


def key_hash(v, dt) -> Optional[int]:
    """The 63-bit hash DataSketches keeps for a key (None: the key is skipped)."""
    if isinstance(dt, (T.StringType,)):
        if v == "":
            return None
        data = v.encode("utf-8")
    elif isinstance(dt, T.BinaryType):
        if len(v) == 0:
            return None
        data = bytes(v)
    elif isinstance(dt, (T.FloatType, T.DoubleType)):
        d = 0.0 if v == 0.0 else float(v)
        if d != d:
            data = struct.pack("<q", 0x7ff8000000000000)
        else:
            data = struct.pack("<d", d)
    else:
        data = struct.pack("<q", int(v))
    return murmur3_128(data, SEED) >> 1


# ---------------------------------------------------------------------------- the sketch
def _combine(a, b, mode, is_int):
    if mode == 0:
        r = a + b
        if is_int:
            r = (r + 2**31) % 2**32 - 2**31
        return r
    if mode == 1:
        return min(a, b)
    if mode == 2:
        return max(a, b)
    return 1 if is_int else 1.0


class _Table:
    """QuickSelectSketch's hash table (exact mode): open addressing with DataSketches'
    stride, 2^7 slots to start, growing x8 up to 2^(lgK+1)."""

    def __init__(self, lg_k: int):
        self.lg_k = lg_k
        target = lg_k + 1
        self.lg = target if target <= 5 else (target - 5) % 3 + 5
        self.slots: Dict[int, Tuple[int, object]] = {}

    def _find(self, h):
        mask = (1 << self.lg) - 1
        stride = 2 * ((h >> self.lg) & 127) + 1
        pos = h & mask
        while pos in self.slots and self.slots[pos][0] != h:
            pos = (pos + stride) & mask
        return pos

    def update(self, h, value, mode, is_int):
        pos = self._find(h)
        if pos in self.slots:
            self.slots[pos] = (h, _combine(self.slots[pos][1], value, mode, is_int))
            return
        self.slots[pos] = (h, value)
        if len(self.slots) > (15 << (self.lg_k + 1)) // 16:
            raise not_supported("tuple sketches past their exact mode (sampling keys)")
        threshold = (1 << self.lg) // 2 if self.lg <= self.lg_k else (15 << self.lg) // 16
        if len(self.slots) > threshold and self.lg <= self.lg_k:
            old = [self.slots[p] for p in sorted(self.slots)]
            self.lg = min(self.lg + 3, self.lg_k + 1)
            self.slots = {}
            for oh, ov in old:
                self.slots[self._find(oh)] = (oh, ov)

    def entries(self):
        return [self.slots[p] for p in sorted(self.slots)]


def build(entries, lg_k, mode, is_int) -> List[Tuple[int, object]]:
    """Entries as a fresh sketch (a union's gadget) would hold them, in table order."""
    t = _Table(lg_k)
    for h, v in entries:
        t.update(h, v, mode, is_int)
    return t.entries()


def serialize(entries, mode: int, is_int: bool) -> bytes:
    count = len(entries)
    flags = 0x0A | (0x04 if count == 0 else 0)      # READ_ONLY | COMPACT (| EMPTY)
    pre = 2 if count > 1 else 1
    out = [struct.pack("<BBBBBBH", pre, 3, 9, 1, 0, flags, SEED_HASH)]
    if pre == 2:
        out.append(struct.pack("<ii", count, 0))
    for h, v in entries:
        out.append(struct.pack("<q", h))
        out.append(struct.pack("<i" if is_int else "<d", v) + bytes([mode]))
    return b"".join(out)


def _bad_buffer():
    from ember.errors import SparkRuntimeException
    return SparkRuntimeException("TUPLE_INVALID_INPUT_SKETCH_BUFFER", function="`tuple sketch`")


def deserialize(b: bytes, is_int: bool):
    """(entries, theta) of a serialized compact tuple sketch."""
    try:
        return _deserialize(b, is_int)
    except struct.error:
        raise _bad_buffer() from None


def _deserialize(b: bytes, is_int: bool):
    if len(b) < 8 or b[2] != 9:
        raise _bad_buffer()
    pre, flags = b[0], b[5]
    if flags & 0x04:
        return [], 1.0
    if pre == 1:
        count, off, theta = 1, 8, 1.0
    else:
        count = struct.unpack_from("<i", b, 8)[0]
        theta = struct.unpack_from("<q", b, 16)[0] / float(2**63 - 1) if pre >= 3 else 1.0
        off = 8 * pre
    size = 5 if is_int else 9
    entries = []
    for _ in range(count):
        h = struct.unpack_from("<q", b, off)[0]
        v = struct.unpack_from("<i" if is_int else "<d", b, off + 8)[0]
        entries.append((h, v))
        off += 8 + size
    return entries, theta


# ---------------------------------------------------------------------------- helpers
def _check_failure(name, args, hint):
    return AnalysisException("DATATYPE_MISMATCH.TYPE_CHECK_FAILURE_WITH_HINT",
                             sqlExpr=_q(f"{name}({', '.join(a.pretty_sql() for a in args)})"),
                             msg=hint, hint="")


def _mode_arg(e, name, args=()):
    m = _constant(e, "mode")
    if m is None or str(m).lower() not in MODES:
        raise _check_failure(name, args, f"[TUPLE_INVALID_SKETCH_MODE] Invalid call to `{name}`: "
                             f"mode '{m}' is not supported. Valid modes are: sum, min, max, "
                             "alwaysone")
    return MODES[str(m).lower()]


def _lg_arg(e, name, args=()):
    lg = _constant(e, "lgNomEntries")
    if lg is None or not 4 <= int(lg) <= 26:
        raise _check_failure(name, args, f"[SKETCH_INVALID_LG_NOM_ENTRIES] Invalid call to "
                             f"`{name}`; the `lgNomEntries` value must be between 4 and 26, "
                             f"inclusive: {lg}")
    return int(lg)


def _defaults(args, want, defaults):
    out = list(args)
    for d in defaults[len(out) - (want - len(defaults)):]:
        out.append(d)
    return out


_LG = Literal(12, T.IntegerType())
_SUM = Literal("sum", T.StringType())


# ---------------------------------------------------------------------------- aggregates
for _suffix, _is_int in (("double", False), ("integer", True)):
    def _sketch_agg_builder(args, call, _suffix=_suffix, _is_int=_is_int):
        name = f"tuple_sketch_agg_{_suffix}"
        _arity(name, args, (2, 3, 4))
        args = _defaults(args, 4, [_LG, _SUM])
        s = args[1]
        if _is_int and not isinstance(s.data_type, (T.IntegralType, T.NullType)):
            raise _type_error(name, args, 1, '"INT"')
        if not _is_int and not isinstance(s.data_type, (T.NumericType, T.NullType)):
            raise _type_error(name, args, 1, '"DOUBLE"')
        return _agg("tuple_sketch_agg", call, name, args, T.BinaryType(), nullable=False,
                    options=(_lg_arg(args[2], name, args), _mode_arg(args[3], name, args),
                             _is_int),
                    name=name)

    def _union_agg_builder(args, call, _suffix=_suffix, _is_int=_is_int):
        name = f"tuple_union_agg_{_suffix}"
        _arity(name, args, (1, 2, 3))
        args = _defaults(args, 3, [_LG, _SUM])
        return _agg("tuple_union_agg", call, name, args, T.BinaryType(), nullable=False,
                    options=(_lg_arg(args[1], name, args), _mode_arg(args[2], name, args),
                             _is_int),
                    name=name)

    def _intersection_agg_builder(args, call, _suffix=_suffix, _is_int=_is_int):
        name = f"tuple_intersection_agg_{_suffix}"
        _arity(name, args, (1, 2))
        args = _defaults(args, 2, [_SUM])
        return _agg("tuple_intersection_agg", call, name, args, T.BinaryType(),
                    nullable=False, options=(12, _mode_arg(args[1], name, args), _is_int),
                    name=name)

    builtin(f"tuple_sketch_agg_{_suffix}", kind="aggregate", group="agg_funcs")(
        _sketch_agg_builder)
    builtin(f"tuple_union_agg_{_suffix}", kind="aggregate", group="agg_funcs")(
        _union_agg_builder)
    builtin(f"tuple_intersection_agg_{_suffix}", kind="aggregate", group="agg_funcs")(
        _intersection_agg_builder)


def _python_values(arr, dt):
    if isinstance(dt, (T.TimestampType, T.TimestampNTZType, T.DayTimeIntervalType)):
        return arr.cast(pa.int64()).to_pylist()
    if isinstance(dt, T.DateType):
        return arr.cast(pa.int32()).to_pylist()
    return arr.to_pylist()


@kind("tuple_sketch_agg")
def _tuple_sketch_agg_impl(f, args, ids, n_groups, mask, ctx):
    lg_k, mode, is_int = f.options
    kdt = f.children[0].data_type
    keys = _python_values(args[0], kdt)
    vals = args[1].to_pylist()
    tables = [_Table(lg_k) for _ in range(n_groups)]
    for r in np.nonzero(mask)[0]:
        h = key_hash(keys[r], kdt)
        if h is None:
            continue
        v = int(vals[r]) if is_int else float(vals[r])
        if is_int:
            v = (v + 2**31) % 2**32 - 2**31
        tables[ids[r]].update(h, v, mode, is_int)
    # the final aggregation merges the partial sketch into a fresh union
    return pa.array([serialize(build(t.entries(), lg_k, mode, is_int), mode, is_int)
                     for t in tables], pa.binary())


@kind("tuple_union_agg", "tuple_intersection_agg")
def _tuple_set_agg_impl(f, args, ids, n_groups, mask, ctx):
    lg_k, mode, is_int = f.options
    sketches = args[0].to_pylist()
    per_group: List[Optional[list]] = [None] * n_groups
    for r in np.nonzero(mask)[0]:
        entries, _ = deserialize(sketches[r], is_int)
        g = ids[r]
        if per_group[g] is None:
            per_group[g] = entries
        elif f.kind == "tuple_union_agg":
            per_group[g] = _union(per_group[g], entries, lg_k, mode, is_int)
        else:
            per_group[g] = _intersect(per_group[g], entries, mode, is_int)
    out = []
    for e in per_group:
        e = e or []
        out.append(serialize(build(e, lg_k, mode, is_int), mode, is_int))
    return pa.array(out, pa.binary())


def _union(a, b, lg_k, mode, is_int):
    t = _Table(lg_k)
    for h, v in list(a) + list(b):
        t.update(h, v, mode, is_int)
    return t.entries()


def _intersect(a, b, mode, is_int):
    other = dict(b)
    return [(h, _combine(v, other[h], mode, is_int)) for h, v in a if h in other]


# ---------------------------------------------------------------------------- scalar functions
class TupleSketchFn(Fn):
    """A scalar over serialized tuple sketches; `op` picks the computation."""
    null_intolerant = True

    def __init__(self, op, name, children, result_type, options):
        super().__init__(*children)
        self.op = op
        self.name = name
        self.result_type = result_type
        self.options = tuple(options)

    def _fields(self):
        return (self.op, self.name, self.options)

    def evaluate(self, args, num_rows):
        is_int, lg_k, mode = self.options
        op = self.op

        def one(*vals):
            a, theta = deserialize(vals[0], is_int)
            if op == "estimate":
                return len(a) / theta
            if op == "theta":
                return theta
            if op == "summary":
                if not a:
                    return 0 if is_int else 0.0
                acc = a[0][1]
                for _, v in a[1:]:
                    acc = _combine(acc, v, mode, is_int) if mode != 0 else acc + v
                return acc
            b, _ = deserialize(vals[1], is_int)
            if op == "union":
                res = _union(a, b, lg_k, mode, is_int)
            elif op == "intersection":
                res = _intersect(a, b, mode, is_int)
            else:
                keep = {h for h, _ in b}
                res = [(h, v) for h, v in a if h not in keep]
            return serialize(build(res, lg_k, mode, is_int), mode, is_int)

        return rowwise(one, args, T.to_arrow(self.result_type))


def _register_scalars():
    for suffix, is_int in (("double", False), ("integer", True)):
        def make(op, fixed, result, suffix=suffix, is_int=is_int):
            name = f"tuple_{op}_{suffix}" if op in ("union", "intersection", "difference") \
                else f"tuple_sketch_{op}_{suffix}"

            def builder(args, call):
                n_sk = 2 if op in ("union", "intersection", "difference") else 1
                extra = {"union": [_LG, _SUM], "intersection": [_SUM],
                         "summary": [_SUM]}.get(op, [])
                _arity(name, args, tuple(range(n_sk, n_sk + len(extra) + 1)))
                for i in range(n_sk):
                    if not isinstance(args[i].data_type, (T.BinaryType, T.NullType)):
                        raise _type_error(name, args, i, '"BINARY"')
                args = _defaults(args, n_sk + len(extra), extra)
                lg_k, mode = 12, 0
                if op == "union":
                    lg_k, mode = _lg_arg(args[2], name, args), _mode_arg(args[3], name, args)
                elif op in ("intersection", "summary"):
                    mode = _mode_arg(args[n_sk], name, args)
                rt = result
                if op == "summary":
                    rt = T.LongType() if is_int else T.DoubleType()
                return TupleSketchFn(op, name, args, rt, (is_int, lg_k, mode))
            builtin(name, group="sketch_funcs")(builder)

        make("estimate", 1, T.DoubleType())
        make("theta", 1, T.DoubleType())
        make("summary", 1, None)
        make("union", 2, T.BinaryType())
        make("intersection", 2, T.BinaryType())
        make("difference", 2, T.BinaryType())


_register_scalars()
