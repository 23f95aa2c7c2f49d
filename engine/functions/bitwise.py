"""Bitwise functions (Spark's bitwise_funcs): `&`, `|`, `^`, `~`, shifts, bit_count, bit_get.
Integers wrap as Java's do; shift distances are taken modulo the width of the left type."""
from __future__ import annotations

import numpy as np
import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException, SparkRuntimeException
from ember.optimizer.expressions.functions import TypeCollection
from ember.optimizer.analyzer.type_coercion import cast, coerce, wider_type
from ember.engine.arrow_util import from_numpy, null_mask, to_numpy_filled
from ember.engine.functions.scalar_base import INT, Fn, arity, called

_NP = {T.ByteType: np.int8, T.ShortType: np.int16, T.IntegerType: np.int32,
       T.LongType: np.int64}
_BITS = {T.ByteType: 8, T.ShortType: 16, T.IntegerType: 32, T.LongType: 64}


class BitwiseBinary(Fn):
    name = "&"

    @property
    def data_type(self):
        return self.children[0].data_type

    def sql(self):
        return f"({self.children[0].sql()} {self.name} {self.children[1].sql()})"

    def type_check(self):
        lt, rt = self.children[0].data_type, self.children[1].data_type
        if lt != rt:
            return AnalysisException(
                "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES", sqlExpr='"' + self.pretty_sql() + '"',
                left='"' + lt.sql() + '"', right='"' + rt.sql() + '"')
        if not isinstance(lt, T.IntegralType):
            return AnalysisException(
                "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE", sqlExpr='"' + self.pretty_sql() + '"',
                inputType='"' + lt.sql() + '"', requiredType='"INTEGRAL"')
        return None

    def evaluate(self, args, n):
        a, b = args
        np_t = _NP[type(self.data_type)]
        x, y = to_numpy_filled(a, np_t), to_numpy_filled(b, np_t)
        r = {"&": np.bitwise_and, "|": np.bitwise_or, "^": np.bitwise_xor}[self.name](x, y)
        return from_numpy(r.astype(np_t), null_mask(a, b), a.type)


def _binary_builder(op):
    cls = type("Bitwise" + op, (BitwiseBinary,), {"name": op})

    def build(args, call):
        arity(op, args, 2)
        a, b = args
        t = wider_type(a.data_type, b.data_type)
        if t is not None and isinstance(t, T.IntegralType):
            a, b = cast(a, t), cast(b, t)
        elif isinstance(a.data_type, T.NullType) and isinstance(b.data_type, T.NullType):
            a, b = cast(a, T.LongType()), cast(b, T.LongType())
        return cls(a, b)
    return build


for _op in ("&", "|", "^"):
    builtin(_op, group="bitwise_funcs")(_binary_builder(_op))


class BitwiseNot(Fn):
    name = "~"

    @property
    def data_type(self):
        return self.children[0].data_type

    def expected_types(self):
        return [T.IntegralType]

    def sql(self):
        return f"~{self.children[0].sql()}"

    def evaluate(self, args, n):
        a = args[0]
        np_t = _NP[type(self.data_type)]
        return from_numpy(np.invert(to_numpy_filled(a, np_t)), null_mask(a), a.type)


@builtin("~", group="bitwise_funcs")
def _not(args, call):
    arity("~", args, 1)
    return coerce(BitwiseNot(*args))


class Shift(Fn):
    name = "<<"
    func = "shiftleft"

    @property
    def data_type(self):
        return self.children[0].data_type

    def expected_types(self):
        return [TypeCollection(T.IntegerType(), T.LongType()), T.IntegerType()]

    def sql(self):
        if self.__dict__.get("display"):
            return super().sql()
        return f"({self.children[0].sql()} {self.name} {self.children[1].sql()})"

    def evaluate(self, args, n):
        a, b = args
        dt = self.data_type
        np_t = _NP[type(dt)]
        bits = _BITS[type(dt)]
        x = to_numpy_filled(a, np_t)
        s = (to_numpy_filled(b, np.int64) & (bits - 1)).astype(np_t)
        if self.name == "<<":
            r = np.left_shift(x, s)
        elif self.name == ">>":
            r = np.right_shift(x, s)
        else:
            u = np.uint32 if bits == 32 else np.uint64
            r = np.right_shift(x.view(u) if x.dtype.itemsize * 8 == bits else x.astype(u),
                               s.astype(u)).view(np_t)
        return from_numpy(r.astype(np_t), null_mask(a, b), a.type)


def _shift_builder(op, func):
    cls = type("Shift" + func, (Shift,), {"name": op, "func": func})

    def build(args, call):
        name = called(call, op)
        arity(name, args, 2)
        e = cls(*args, display=name if name == func else None)
        return coerce(e)
    return build


for _op, _func in (("<<", "shiftleft"), (">>", "shiftright"), (">>>", "shiftrightunsigned")):
    builtin(_op, _func, group="bitwise_funcs")(_shift_builder(_op, _func))


class BitCount(Fn):
    name = "bit_count"
    result_type = INT

    def expected_types(self):
        return [TypeCollection(T.IntegralType, T.BooleanType())]

    def evaluate(self, args, n):
        a = args[0]
        if pa.types.is_boolean(a.type):
            return a.cast(pa.int32())
        v = to_numpy_filled(a, np.int64).view(np.uint64)
        counts = np.zeros(len(v), dtype=np.int32)
        for shift in range(64):
            counts += ((v >> np.uint64(shift)) & np.uint64(1)).astype(np.int32)
        return from_numpy(counts, null_mask(a), pa.int32())


@builtin("bit_count", group="bitwise_funcs")
def _bit_count(args, call):
    arity("bit_count", args, 1)
    return coerce(BitCount(*args))


class BitGet(Fn):
    name = "bit_get"
    result_type = T.ByteType()

    def expected_types(self):
        return [T.IntegralType, T.IntegerType()]

    def evaluate(self, args, n):
        a, p = args
        bits = _BITS[type(self.children[0].data_type)]
        x = to_numpy_filled(a, np.int64)
        pos = to_numpy_filled(p, np.int64)
        valid = null_mask(a, p)
        bad = (pos < 0) | (pos >= bits)
        if valid is not None:
            bad &= valid
        if bad.any():
            raise SparkRuntimeException(
                "INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE", parameter="`pos`",
                functionName=f"`{self.pretty_name}`", upper=str(bits),
                invalidValue=str(int(pos[np.argmax(bad)])))
        r = (x >> np.clip(pos, 0, 63)) & 1
        return from_numpy(r.astype(np.int8), valid, pa.int8())


@builtin("bit_get", "getbit", group="bitwise_funcs")
def _bit_get(args, call):
    name = called(call, "bit_get")
    arity(name, args, 2)
    return coerce(BitGet(*args, display=name))
