"""hash (Murmur3 x86_32, seed 42) and xxhash64 (XXH64, seed 42) exactly as Spark computes
them: values are hashed one after another, each result seeding the next; NULLs are skipped;
strings hash their UTF-8 bytes (Murmur3 with Spark's legacy byte-wise tail)."""
from __future__ import annotations

import decimal
import struct

import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.engine.functions.scalar_base import INT, LONG, Fn

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF


# ---------------------------------------------------------------------------- murmur3
def _rotl32(x, r):
    return ((x << r) | (x >> (32 - r))) & M32


def _mix_k1(k1):
    k1 = (k1 * 0xcc9e2d51) & M32
    k1 = _rotl32(k1, 15)
    return (k1 * 0x1b873593) & M32


def _mix_h1(h1, k1):
    h1 ^= k1
    h1 = _rotl32(h1, 13)
    return (h1 * 5 + 0xe6546b64) & M32


def _fmix32(h1, length):
    h1 ^= length
    h1 ^= h1 >> 16
    h1 = (h1 * 0x85ebca6b) & M32
    h1 ^= h1 >> 13
    h1 = (h1 * 0xc2b2ae35) & M32
    h1 ^= h1 >> 16
    return h1


def murmur3_int(v: int, seed: int) -> int:
    return _fmix32(_mix_h1(seed, _mix_k1(v & M32)), 4)


def murmur3_long(v: int, seed: int) -> int:
    v &= M64
    h1 = _mix_h1(seed, _mix_k1(v & M32))
    h1 = _mix_h1(h1, _mix_k1(v >> 32))
    return _fmix32(h1, 8)


def murmur3_bytes(b: bytes, seed: int) -> int:
    n = len(b)
    aligned = n - n % 4
    h1 = seed
    for i in range(0, aligned, 4):
        h1 = _mix_h1(h1, _mix_k1(int.from_bytes(b[i:i + 4], "little")))
    for i in range(aligned, n):
        byte = b[i] - 256 if b[i] > 127 else b[i]
        h1 = _mix_h1(h1, _mix_k1(byte & M32))
    return _fmix32(h1, n)


# ---------------------------------------------------------------------------- xxhash64
P1, P2, P3, P4, P5 = (0x9E3779B185EBCA87, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                      0x85EBCA77C2B2AE63, 0x27D4EB2F165667C5)


def _rotl64(x, r):
    return ((x << r) | (x >> (64 - r))) & M64


def _fmix64(h):
    h ^= h >> 33
    h = (h * P2) & M64
    h ^= h >> 29
    h = (h * P3) & M64
    h ^= h >> 32
    return h


def _round64(acc, v):
    acc = (acc + v * P2) & M64
    acc = _rotl64(acc, 31)
    return (acc * P1) & M64


def xxh64_int(v: int, seed: int) -> int:
    h = (seed + P5 + 4) & M64
    h ^= ((v & M32) * P1) & M64
    h = (_rotl64(h, 23) * P2 + P3) & M64
    return _fmix64(h)


def xxh64_long(v: int, seed: int) -> int:
    h = (seed + P5 + 8) & M64
    h ^= (_rotl64(((v & M64) * P2) & M64, 31) * P1) & M64
    h = (_rotl64(h, 27) * P1 + P4) & M64
    return _fmix64(h)


def xxh64_bytes(b: bytes, seed: int) -> int:
    n = len(b)
    i = 0
    if n >= 32:
        v1, v2, v3, v4 = (seed + P1 + P2) & M64, (seed + P2) & M64, seed, (seed - P1) & M64
        while i <= n - 32:
            v1 = _round64(v1, int.from_bytes(b[i:i + 8], "little"))
            v2 = _round64(v2, int.from_bytes(b[i + 8:i + 16], "little"))
            v3 = _round64(v3, int.from_bytes(b[i + 16:i + 24], "little"))
            v4 = _round64(v4, int.from_bytes(b[i + 24:i + 32], "little"))
            i += 32
        h = (_rotl64(v1, 1) + _rotl64(v2, 7) + _rotl64(v3, 12) + _rotl64(v4, 18)) & M64
        for v in (v1, v2, v3, v4):
            h ^= _round64(0, v)
            h = (h * P1 + P4) & M64
    else:
        h = (seed + P5) & M64
    h = (h + n) & M64
    while i <= n - 8:
        h ^= _round64(0, int.from_bytes(b[i:i + 8], "little"))
        h = (_rotl64(h, 27) * P1 + P4) & M64
        i += 8
    if i <= n - 4:
        h ^= (int.from_bytes(b[i:i + 4], "little") * P1) & M64
        h = (_rotl64(h, 23) * P2 + P3) & M64
        i += 4
    while i < n:
        h ^= (b[i] * P5) & M64
        h = (_rotl64(h, 11) * P1) & M64
        i += 1
    return _fmix64(h)


# ---------------------------------------------------------------------------- values
def hash_value(v, dt, seed: int, fns) -> int:
    h_int, h_long, h_bytes = fns
    if v is None:
        return seed
    if isinstance(dt, T.BooleanType):
        return h_int(1 if v else 0, seed)
    if isinstance(dt, (T.ByteType, T.ShortType, T.IntegerType, T.DateType,
                       T.YearMonthIntervalType)):
        return h_int(int(v), seed)
    if isinstance(dt, (T.LongType, T.TimestampType, T.TimestampNTZType,
                       T.DayTimeIntervalType)):
        return h_long(int(v), seed)
    if isinstance(dt, T.FloatType):
        f = 0.0 if v == 0 else v
        bits = 0x7fc00000 if f != f else struct.unpack("<i", struct.pack("<f", f))[0]
        return h_int(bits, seed)
    if isinstance(dt, T.DoubleType):
        f = 0.0 if v == 0 else v
        bits = 0x7ff8000000000000 if f != f else struct.unpack("<q", struct.pack("<d", f))[0]
        return h_long(bits, seed)
    if isinstance(dt, T.DecimalType):
        unscaled = int(decimal.Decimal(v).scaleb(dt.scale))
        if dt.precision <= 18:
            return h_long(unscaled, seed)
        length = (unscaled.bit_length() + 8) // 8
        return h_bytes(unscaled.to_bytes(length, "big", signed=True), seed)
    if isinstance(dt, T.StringType):
        return h_bytes(v.encode("utf-8"), seed)
    if isinstance(dt, T.BinaryType):
        return h_bytes(bytes(v), seed)
    if isinstance(dt, T.ArrayType):
        for x in v:
            seed = hash_value(x, dt.elementType, seed, fns)
        return seed
    if isinstance(dt, T.MapType):
        for k, x in (v.items() if isinstance(v, dict) else v):
            seed = hash_value(k, dt.keyType, seed, fns)
            seed = hash_value(x, dt.valueType, seed, fns)
        return seed
    if isinstance(dt, T.StructType):
        vals = [v.get(f.name) for f in dt.fields] if isinstance(v, dict) else list(v)
        for f, x in zip(dt.fields, vals):
            seed = hash_value(x, f.dataType, seed, fns)
        return seed
    raise AnalysisException("DATATYPE_MISMATCH.HASH_MAP_TYPE", sqlExpr='"hash"',
                            functionName="`hash`")


class HashExpression(Fn):
    name = "hash"
    result_type = INT
    seed = 42

    @property
    def nullable(self):
        return False

    def _fns(self):
        return murmur3_int, murmur3_long, murmur3_bytes

    def evaluate(self, args, n):
        fns = self._fns()
        types = [c.data_type for c in self.children]
        cols = [_plain(a).to_pylist() for a in args]
        out = []
        for i in range(n):
            h = self.seed
            for col, dt in zip(cols, types):
                h = hash_value(col[i], dt, h, fns)
            out.append(self._signed(h))
        return pa.array(out, T.to_arrow(self.result_type))

    @staticmethod
    def _signed(h):
        return h - (1 << 32) if h >= 1 << 31 else h

    def type_check(self):
        for c in self.children:
            if _has_map(c.data_type):
                return AnalysisException("DATATYPE_MISMATCH.HASH_MAP_TYPE",
                                         sqlExpr='"' + self.pretty_sql() + '"',
                                         functionName="`" + self.name + "`")
        return None


def _has_map(dt) -> bool:
    if isinstance(dt, T.MapType):
        return True
    if isinstance(dt, T.ArrayType):
        return _has_map(dt.elementType)
    if isinstance(dt, T.StructType):
        return any(_has_map(f.dataType) for f in dt.fields)
    return False


def _plain(a: pa.Array) -> pa.Array:
    """Dates, timestamps and durations as their integer storage."""
    if pa.types.is_date32(a.type):
        return a.cast(pa.int32())
    if pa.types.is_timestamp(a.type) or pa.types.is_duration(a.type):
        return a.cast(pa.int64())
    return a


class XxHash64(HashExpression):
    name = "xxhash64"
    result_type = LONG

    def _fns(self):
        return xxh64_int, xxh64_long, xxh64_bytes

    @staticmethod
    def _signed(h):
        return h - (1 << 64) if h >= 1 << 63 else h


def _check_args(name, args):
    if not args:
        raise AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=f"`{name}`",
                                expectedNum="> 0", actualNum="0",
                                docroot="https://spark.apache.org/docs/latest")


@builtin("hash", group="hash_funcs")
def _hash(args, call):
    _check_args("hash", args)
    return HashExpression(*args)


@builtin("xxhash64", group="hash_funcs")
def _xxhash64(args, call):
    _check_args("xxhash64", args)
    return XxHash64(*args)
