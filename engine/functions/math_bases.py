"""Integer math functions: factorial, bin, hex/unhex, conv (base conversion) and
width_bucket."""
from __future__ import annotations

import math

import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.optimizer.expressions.functions import TypeCollection
from ember.optimizer.analyzer.type_coercion import coerce
from ember.engine.functions.scalar_base import LONG, STRING, Fn, arity, rowwise


# ---------------------------------------------------------------------------- integers
class Factorial(Fn):
    name = "factorial"
    input_types = (T.IntegerType(),)
    result_type = LONG

    @property
    def nullable(self):
        return True

    def evaluate(self, args, n):
        return rowwise(lambda k: math.factorial(k) if 0 <= k <= 20 else None, args, pa.int64())


@builtin("factorial", group="math_funcs")
def _factorial(args, call):
    arity("factorial", args, 1)
    return coerce(Factorial(*args))


class Bin(Fn):
    name = "bin"
    input_types = (T.LongType(),)
    result_type = STRING

    def evaluate(self, args, n):
        return rowwise(lambda v: format(v & 0xFFFFFFFFFFFFFFFF, "b"), args, pa.string())


@builtin("bin", group="math_funcs")
def _bin(args, call):
    arity("bin", args, 1)
    return coerce(Bin(*args))


class Hex(Fn):
    name = "hex"
    result_type = STRING

    def expected_types(self):
        return [TypeCollection(T.LongType(), T.BinaryType(), T.StringType())]

    def evaluate(self, args, n):
        def f(v):
            if isinstance(v, int):
                return format(v & 0xFFFFFFFFFFFFFFFF, "X")
            if isinstance(v, str):
                v = v.encode()
            return v.hex().upper()
        return rowwise(f, args, pa.string())


@builtin("hex", group="math_funcs")
def _hex(args, call):
    arity("hex", args, 1)
    return coerce(Hex(*args))


class Unhex(Fn):
    name = "unhex"
    input_types = (T.StringType(),)
    result_type = T.BinaryType()

    @property
    def nullable(self):
        return True

    def evaluate(self, args, n):
        def f(s):
            if len(s) % 2:
                s = "0" + s
            try:
                return bytes.fromhex(s)
            except ValueError:
                return None
        return rowwise(f, args, pa.binary())


@builtin("unhex", group="math_funcs")
def _unhex(args, call):
    arity("unhex", args, 1)
    return coerce(Unhex(*args))


_DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Conv(Fn):
    name = "conv"
    input_types = (T.StringType(), T.IntegerType(), T.IntegerType())
    result_type = STRING

    @property
    def nullable(self):
        return True

    def evaluate(self, args, n):
        def f(s, from_base, to_base):
            if not (2 <= from_base <= 36) or not (2 <= abs(to_base) <= 36):
                return None
            s = s.strip()
            neg = s.startswith("-")
            if neg:
                s = s[1:]
            value = 0
            any_digit = False
            for ch in s.upper():
                d = _DIGITS.find(ch)
                if d < 0 or d >= from_base:
                    break
                any_digit = True
                value = value * from_base + d
                if value >= 1 << 64:
                    value = (1 << 64) - 1
                    break
            if not any_digit:
                return "0"
            if neg:
                value = (-value) & 0xFFFFFFFFFFFFFFFF
            if to_base < 0 and value >= 1 << 63:
                value -= 1 << 64
            base = abs(to_base)
            sign = "-" if value < 0 else ""
            value = abs(value)
            digits = ""
            while True:
                digits = _DIGITS[value % base] + digits
                value //= base
                if value == 0:
                    break
            return sign + digits
        return rowwise(f, args, pa.string())


@builtin("conv", group="math_funcs")
def _conv(args, call):
    arity("conv", args, 3)
    return coerce(Conv(*args))


class WidthBucket(Fn):
    name = "width_bucket"
    result_type = LONG

    @property
    def nullable(self):
        return True

    def expected_types(self):
        kinds = TypeCollection(T.DoubleType(), T.DayTimeIntervalType, T.YearMonthIntervalType)
        return [kinds, kinds, kinds, T.LongType()]

    def evaluate(self, args, n):
        def num(a):
            if pa.types.is_duration(a.type):
                a = a.cast(pa.int64())
            return a.to_pylist()

        cols = [num(a) for a in args]
        out = []
        for v, lo, hi, k in zip(*cols):
            if v is None or lo is None or hi is None or k is None or k <= 0 or lo == hi or \
                    any(isinstance(x, float) and (math.isnan(x) or math.isinf(x))
                        for x in (v, lo, hi)):
                out.append(None)
                continue
            if lo < hi:
                if v < lo:
                    out.append(0)
                elif v >= hi:
                    out.append(k + 1)
                else:
                    out.append(int(k * (v - lo) / (hi - lo)) + 1)
            else:
                if v > lo:
                    out.append(0)
                elif v <= hi:
                    out.append(k + 1)
                else:
                    out.append(int(k * (lo - v) / (lo - hi)) + 1)
        return pa.array(out, pa.int64())


@builtin("width_bucket", group="math_funcs")
def _width_bucket(args, call):
    arity("width_bucket", args, 4)
    return coerce(WidthBucket(*args))
