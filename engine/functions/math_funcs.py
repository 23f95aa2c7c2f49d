"""Math functions (Spark's math_funcs): abs, rounding (round/bround/ceil/floor), powers and
logarithms, trigonometry, mod/pmod, sign, greatest/least, base conversion, try_ arithmetic.

Result types and column names follow Spark: unary math functions take doubles and show
upper-case names (`SQRT(16)`) unless called through an alias (`ln`, `pow`, `sign`);
logarithms of non-positive numbers are NULL; rounding of decimals changes the type as
Spark's RoundBase does.
"""
from __future__ import annotations

import decimal
import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions import Literal, RuntimeReplaceable
from ember.optimizer.expressions.arithmetic import (Add, Divide, Multiply, Pmod, Remainder,
                                                    Subtract, UnaryMinus, UnaryPositive)
from ember.optimizer.expressions.functions import TypeCollection
from ember.optimizer.analyzer.type_coercion import cast, coerce, wider_common_type
from ember.engine.arrow_util import from_numpy, null_mask, to_numpy_filled
from ember.engine.functions.scalar_base import DOUBLE, INT, LONG, Fn, arity, called, constant_value

_INTERVALS = (T.DayTimeIntervalType, T.YearMonthIntervalType)


# ---------------------------------------------------------------------------- unary doubles
class UnaryMath(Fn):
    input_types = (T.DoubleType(),)
    result_type = DOUBLE
    fn = None            # numpy ufunc-like
    asymptote = None     # results for inputs <= asymptote are NULL (logarithms)

    @property
    def nullable(self):
        return self.asymptote is not None or self.children[0].nullable

    def evaluate(self, args, n):
        a = args[0]
        v = to_numpy_filled(a, np.float64)
        valid = null_mask(a)
        if self.asymptote is not None:
            ok = v > self.asymptote
            valid = ok if valid is None else valid & ok
            v = np.where(ok, v, 1.0)
        with np.errstate(all="ignore"):
            r = type(self).fn(v)
        return from_numpy(np.asarray(r, dtype=np.float64), valid, pa.float64())


def _cot(v):
    return 1.0 / np.tan(v)


def _sec(v):
    return 1.0 / np.cos(v)


def _csc(v):
    return 1.0 / np.sin(v)


def _rint(v):
    return np.rint(v)


_UNARY = {
    # name: (display, fn, asymptote)
    "acos": ("ACOS", np.arccos, None), "asin": ("ASIN", np.arcsin, None),
    "atan": ("ATAN", np.arctan, None), "acosh": ("ACOSH", np.arccosh, None),
    "asinh": ("ASINH", np.arcsinh, None), "atanh": ("ATANH", np.arctanh, None),
    "cos": ("COS", np.cos, None), "sin": ("SIN", np.sin, None), "tan": ("TAN", np.tan, None),
    "cosh": ("COSH", np.cosh, None), "sinh": ("SINH", np.sinh, None),
    "tanh": ("TANH", np.tanh, None), "cot": ("COT", _cot, None), "sec": ("SEC", _sec, None),
    "csc": ("CSC", _csc, None), "cbrt": ("CBRT", np.cbrt, None), "exp": ("EXP", np.exp, None),
    "expm1": ("EXPM1", np.expm1, None), "sqrt": ("SQRT", np.sqrt, None),
    "degrees": ("DEGREES", np.degrees, None), "radians": ("RADIANS", np.radians, None),
    "rint": ("rint", _rint, None),
    "ln": ("ln", np.log, 0.0), "log10": ("LOG10", np.log10, 0.0),
    "log2": ("LOG2", np.log2, 0.0), "log1p": ("LOG1P", np.log1p, -1.0),
}


def _unary_builder(name, display, fn, asymptote):
    cls = type("Math_" + name, (UnaryMath,), {"name": display, "fn": staticmethod(fn),
                                               "asymptote": asymptote})

    def build(args, call):
        arity(name, args, 1)
        return coerce(cls(*args))
    return build


for _name, (_disp, _f, _asym) in _UNARY.items():
    builtin(_name, group="math_funcs")(_unary_builder(_name, _disp, _f, _asym))


class Constant(Fn):
    result_type = DOUBLE
    value = 0.0

    @property
    def nullable(self):
        return False

    @property
    def foldable(self):
        return True

    def evaluate(self, args, n):
        return pa.array(np.full(n, self.value), pa.float64())


class EulerNumber(Constant):
    name = "E"
    value = math.e


class Pi(Constant):
    name = "PI"
    value = math.pi


@builtin("e", group="math_funcs")
def _e(args, call):
    arity("e", args, 0)
    return EulerNumber()


@builtin("pi", group="math_funcs")
def _pi(args, call):
    arity("pi", args, 0)
    return Pi()


# ---------------------------------------------------------------------------- binary doubles
class BinaryMath(Fn):
    input_types = (T.DoubleType(), T.DoubleType())
    result_type = DOUBLE
    fn = None

    def evaluate(self, args, n):
        a, b = args
        x, y = to_numpy_filled(a, np.float64), to_numpy_filled(b, np.float64)
        with np.errstate(all="ignore"):
            r = type(self).fn(x, y)
        return from_numpy(np.asarray(r, dtype=np.float64), null_mask(a, b), pa.float64())


class Pow(BinaryMath):
    name = "POWER"
    fn = staticmethod(np.power)


class Atan2(BinaryMath):
    name = "ATAN2"
    fn = staticmethod(np.arctan2)


class Hypot(BinaryMath):
    name = "HYPOT"
    fn = staticmethod(np.hypot)


@builtin("pow", "power", group="math_funcs")
def _pow(args, call):
    name = called(call, "power")
    arity(name, args, 2)
    return coerce(Pow(*args, display="pow" if name == "pow" else None))


@builtin("atan2", group="math_funcs")
def _atan2(args, call):
    arity("atan2", args, 2)
    return coerce(Atan2(*args))


@builtin("hypot", group="math_funcs")
def _hypot(args, call):
    arity("hypot", args, 2)
    return coerce(Hypot(*args))


class Logarithm(BinaryMath):
    name = "LOG"

    @property
    def nullable(self):
        return True

    def evaluate(self, args, n):
        a, b = args
        base, x = to_numpy_filled(a, np.float64, 1.0), to_numpy_filled(b, np.float64, 1.0)
        ok = (base > 0) & (x > 0)
        valid = null_mask(a, b)
        valid = ok if valid is None else valid & ok
        with np.errstate(all="ignore"):
            r = np.log(np.where(ok, x, 1.0)) / np.log(np.where(ok, base, 2.0))
        return from_numpy(r, valid, pa.float64())


@builtin("log", group="math_funcs")
def _log(args, call):
    arity("log", args, 1, 2)
    if len(args) == 1:
        args = [EulerNumber()] + list(args)
    return coerce(Logarithm(*args))


# ---------------------------------------------------------------------------- abs / sign
class Abs(Fn):
    name = "abs"

    @property
    def data_type(self):
        return self.children[0].data_type

    def expected_types(self):
        return [TypeCollection(T.NumericType, T.DayTimeIntervalType, T.YearMonthIntervalType,
                               text='("NUMERIC" or "INTERVAL DAY TO SECOND" or '
                                    '"INTERVAL YEAR TO MONTH")')]

    def evaluate(self, args, n):
        from ember.engine.evaluator import overflow_error
        from ember.engine import decimals as D
        a = args[0]
        dt = self.data_type
        if isinstance(dt, T.DecimalType):
            u = D.unscaled(a)
            r = np.abs(u) if u.dtype != object else np.array([abs(x) for x in u], dtype=object)
            return D.from_unscaled(r, null_mask(a), dt.precision, dt.scale)
        if isinstance(dt, (T.IntegralType,) + _INTERVALS):
            storage = a
            if isinstance(dt, T.DayTimeIntervalType):
                storage = a.cast(pa.int64())
            v = to_numpy_filled(storage)
            valid = null_mask(a)
            bad = v == np.iinfo(v.dtype).min
            if valid is not None:
                bad &= valid
            if bad.any():
                raise overflow_error("overflow")
            r = from_numpy(np.abs(v), valid, storage.type)
            return r.cast(a.type) if r.type != a.type else r
        return pc.abs(a)


@builtin("abs", group="math_funcs")
def _abs(args, call):
    arity("abs", args, 1)
    a = args[0]
    if isinstance(a.data_type, (T.StringType, T.NullType)):
        a = cast(a, DOUBLE)
    return Abs(a)


class Signum(Fn):
    name = "SIGNUM"
    result_type = DOUBLE

    def expected_types(self):
        return [TypeCollection(T.DoubleType(), T.DayTimeIntervalType, T.YearMonthIntervalType)]

    def evaluate(self, args, n):
        a = args[0]
        if not pa.types.is_floating(a.type):
            a = a.cast(pa.int64()).cast(pa.float64())
        v = to_numpy_filled(a, np.float64)
        return from_numpy(np.where(v == 0, v, np.sign(v)), null_mask(a), pa.float64())


@builtin("sign", "signum", group="math_funcs")
def _signum(args, call):
    name = called(call, "signum")
    arity(name, args, 1)
    return coerce(Signum(*args, display="sign" if name == "sign" else None))


class Negative(UnaryMinus):
    def sql(self) -> str:
        return f"negative({self.child.sql()})"


@builtin("negative", group="math_funcs")
def _negative(args, call):
    arity("negative", args, 1)
    a = args[0]
    if isinstance(a.data_type, T.StringType):
        a = cast(a, DOUBLE)
    return Negative(a)


@builtin("positive", group="math_funcs")
def _positive(args, call):
    arity("positive", args, 1)
    return UnaryPositive(args[0])


# ---------------------------------------------------------------------------- mod / pmod
class Mod(Remainder):
    def sql(self) -> str:
        if self.eval_mode == "TRY":
            return super().sql()
        return f"mod({self.left.sql()}, {self.right.sql()})"


@builtin("mod", group="math_funcs")
def _mod(args, call):
    arity("mod", args, 2)
    return coerce(Mod(*args))


@builtin("pmod", group="math_funcs")
def _pmod(args, call):
    arity("pmod", args, 2)
    return coerce(Pmod(*args))


def _try_builder(name, cls):
    def build(args, call):
        arity(name, args, 2)
        from ember.optimizer.analyzer.datetime_arithmetic import rewrite_datetime_arithmetic
        e = rewrite_datetime_arithmetic(cls(args[0], args[1], "TRY"))
        if isinstance(e, cls):
            return coerce(e)
        return RuntimeReplaceable(name, args, coerce(e))
    return build


for _name, _cls in (("try_add", Add), ("try_subtract", Subtract),
                    ("try_multiply", Multiply), ("try_divide", Divide),
                    ("try_mod", Remainder)):
    builtin(_name, group="math_funcs")(_try_builder(_name, _cls))


# ---------------------------------------------------------------------------- rounding
_MODES = {"HALF_UP": decimal.ROUND_HALF_UP, "HALF_EVEN": decimal.ROUND_HALF_EVEN,
          "CEILING": decimal.ROUND_CEILING, "FLOOR": decimal.ROUND_FLOOR}


class RoundBase(Fn):
    """round / bround / ceil(x, s) / floor(x, s): children (value, scale literal)."""
    name = "round"
    mode = "HALF_UP"

    @property
    def scale(self) -> int:
        v = constant_value(self.children[1])
        return 0 if v is None else int(v)

    @property
    def data_type(self):
        dt = self.children[0].data_type
        if isinstance(dt, T.DecimalType):
            p, s = dt.precision, dt.scale
            integral = p - s + 1
            sc = self.scale
            if sc < 0:
                return T.DecimalType(min(max(integral, -sc + 1), 38), 0)
            ns = min(s, sc)
            return T.DecimalType(min(integral + ns, 38), ns)
        return dt

    def type_check(self):
        sc = self.children[1]
        if not sc.foldable or not isinstance(sc.data_type, (T.IntegerType, T.ShortType,
                                                            T.ByteType)):
            return AnalysisException(
                "DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", sqlExpr='"' + self.pretty_sql() + '"',
                inputName="`scale`", inputType='"INT"', inputExpr='"' + sc.pretty_sql() + '"')
        dt = self.children[0].data_type
        if not isinstance(dt, T.NumericType):
            return AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr='"' + self.pretty_sql() + '"',
                paramIndex="first", inputSql='"' + self.children[0].pretty_sql() + '"',
                inputType='"' + dt.sql() + '"', requiredType='"NUMERIC"')
        return None

    def evaluate(self, args, n):
        from ember.engine import decimals as D
        a = args[0]
        dt = self.children[0].data_type
        out_t = self.data_type
        sc = self.scale
        rounding = _MODES[self.mode]
        if isinstance(dt, T.DecimalType):
            fast = _round_decimal_fast(a, dt, out_t, sc, self.mode)
            if fast is not None:
                return fast
            vals = a.to_pylist()
            out = []
            with decimal.localcontext() as ctx:
                ctx.prec = 80
                for v in vals:
                    if v is None:
                        out.append(None)
                        continue
                    r = v.scaleb(sc).quantize(decimal.Decimal(1), rounding=rounding).scaleb(-sc)
                    out.append(r.quantize(decimal.Decimal(1).scaleb(-out_t.scale)))
            return pa.array(out, T.to_arrow(out_t))
        if isinstance(dt, T.IntegralType):
            if sc >= 0:
                return a
            vals = a.to_pylist()
            out = []
            with decimal.localcontext() as ctx:
                ctx.prec = 80
                for v in vals:
                    if v is None:
                        out.append(None)
                        continue
                    r = int(decimal.Decimal(v).scaleb(sc).quantize(
                        decimal.Decimal(1), rounding=rounding).scaleb(-sc))
                    bits = {T.ByteType: 8, T.ShortType: 16, T.IntegerType: 32,
                            T.LongType: 64}[type(dt)]
                    if not -(1 << (bits - 1)) <= r < (1 << (bits - 1)):
                        from ember.engine.evaluator import overflow_error
                        raise overflow_error("Overflow")
                    out.append(r)
            return pa.array(out, a.type)
        if isinstance(dt, T.DoubleType):
            return _round_double(a, sc, self.mode)
        vals = a.to_pylist()
        out = []
        with decimal.localcontext() as ctx:
            ctx.prec = 80
            for v in vals:
                if v is None or math.isnan(v) or math.isinf(v):
                    out.append(v)
                    continue
                d = decimal.Decimal(repr(float(v)) if isinstance(dt, T.DoubleType)
                                    else str(np.float32(v)))
                r = d.scaleb(sc).quantize(decimal.Decimal(1), rounding=rounding).scaleb(-sc)
                out.append(float(r) + 0.0)
        return pa.array(out, a.type)


def _round_int(mag: np.ndarray, rem_twice_cmp: np.ndarray, q: np.ndarray, neg: np.ndarray,
               mode: str, exact: np.ndarray) -> np.ndarray:
    """Round magnitudes: q is the truncated magnitude, rem_twice_cmp the sign of
    (2 * remainder - divisor), exact where the remainder is zero."""
    if mode == "HALF_UP":
        return q + (rem_twice_cmp >= 0)
    if mode == "HALF_EVEN":
        return q + ((rem_twice_cmp > 0) | ((rem_twice_cmp == 0) & (q % 2 == 1)))
    up = ~neg if mode == "CEILING" else neg      # away from zero for these signs
    return q + (up & ~exact)


def _round_decimal_fast(a, dt, out_t, sc, mode):
    """Decimal rounding on int64 unscaled values (None when they do not fit)."""
    from ember.engine import decimals as D
    u = D.unscaled(a)
    if u.dtype == object:
        return None
    valid = null_mask(a)
    if sc >= dt.scale:
        r = u * (10 ** (out_t.scale - dt.scale))
    else:
        k = dt.scale - sc
        if k > 18:
            return None
        div = np.int64(10 ** k)
        neg = u < 0
        mag = np.abs(u)
        q, rem = np.divmod(mag, div)
        q = _round_int(mag, np.sign(2 * rem - div), q, neg, mode, rem == 0)
        r = np.where(neg, -q, q)
        if sc < 0:
            if -sc > 18:
                return None
            r = r * np.int64(10 ** (-sc))
    ok = D.fits(r, out_t.precision)
    if valid is not None:
        ok |= ~valid
    if not ok.all():
        return None
    return D.from_unscaled(r.astype(np.int64), valid, out_t.precision, out_t.scale)


def _round_double(a, sc: int, mode: str) -> pa.Array:
    """Spark rounds doubles through BigDecimal(Double.toString(x)); vectorised on the
    scaled value, with the exact decimal path for values at a rounding boundary."""
    v = to_numpy_filled(a, np.float64)
    valid = null_mask(a)
    with np.errstate(all="ignore"):
        p = 10.0 ** abs(sc)
        y = v * p if sc >= 0 else v / p
        mag = np.abs(y)
        q = np.floor(mag)
        frac = mag - q
        neg = y < 0
        if mode == "HALF_UP":
            r = q + (frac >= 0.5)
        elif mode == "HALF_EVEN":
            r = q + ((frac > 0.5) | ((frac == 0.5) & (np.fmod(q, 2) == 1)))
        else:
            up = ~neg if mode == "CEILING" else neg
            r = q + (up & (frac > 0))
        r = np.where(neg, -r, r)
        out = r / p if sc >= 0 else r * p
        out = out + 0.0           # BigDecimal has no negative zero
        special = ~np.isfinite(v)
        out = np.where(special, v, out)
        edge = (np.abs(frac - 0.5) < 1e-6) | (mag >= 2.0 ** 52) | (frac < 1e-6) | \
            (frac > 1 - 1e-6)
        edge &= ~special
        if valid is not None:
            edge &= valid
    if edge.any() or abs(sc) > 22:
        idx = np.nonzero(edge)[0] if abs(sc) <= 22 else np.arange(len(v))
        rounding = _MODES[mode]
        with decimal.localcontext() as ctx:
            ctx.prec = 800
            for i in idx:
                x = float(v[i])
                if not math.isfinite(x) or (sc >= 0 and abs(x) >= 2.0 ** 53):
                    out[i] = x
                    continue
                d = decimal.Decimal(repr(x))
                out[i] = float(d.scaleb(sc).quantize(decimal.Decimal(1),
                                                     rounding=rounding).scaleb(-sc)) + 0.0
    return from_numpy(out, valid, pa.float64())


def _round_builder(name, mode):
    def build(args, call):
        arity(name, args, 1, 2)
        if len(args) == 1:
            args = list(args) + [Literal(0, INT)]
        x = args[0]
        if isinstance(x.data_type, (T.StringType, T.NullType)):
            x = cast(x, DOUBLE)
        e = RoundBase(x, args[1], display=name)
        e.mode = mode
        return e
    return build


builtin("round", group="math_funcs")(_round_builder("round", "HALF_UP"))
builtin("bround", group="math_funcs")(_round_builder("bround", "HALF_EVEN"))


class CeilFloor(Fn):
    """ceil(x) / floor(x): bigint, or decimal(p - s + 1, 0) for decimals."""
    name = "CEIL"
    ceil = True

    def expected_types(self):
        return [TypeCollection(T.DoubleType(), T.DecimalType, T.LongType())]

    @property
    def data_type(self):
        dt = self.children[0].data_type
        if isinstance(dt, T.DecimalType):
            if dt.scale == 0:
                return dt
            return T.DecimalType.bounded(dt.precision - dt.scale + 1, 0)
        return LONG

    def evaluate(self, args, n):
        a = args[0]
        dt = self.children[0].data_type
        if isinstance(dt, T.DecimalType):
            if dt.scale == 0:
                return a
            rounding = decimal.ROUND_CEILING if self.ceil else decimal.ROUND_FLOOR
            out = [None if v is None else v.quantize(decimal.Decimal(1), rounding=rounding)
                   for v in a.to_pylist()]
            return pa.array(out, T.to_arrow(self.data_type))
        if pa.types.is_integer(a.type):
            return a.cast(pa.int64())
        v = to_numpy_filled(a, np.float64)
        r = np.ceil(v) if self.ceil else np.floor(v)
        r = np.where(np.isnan(r), 0.0, r)
        r = np.clip(r, -9.223372036854775808e18, 9.223372036854775807e18)
        out = np.where(r >= 9.223372036854775807e18, np.iinfo(np.int64).max,
                       np.where(np.abs(r) < 9.2e18, r, 0).astype(np.int64))
        out = np.where(r <= -9.223372036854775808e18, np.iinfo(np.int64).min, out)
        return from_numpy(out.astype(np.int64), null_mask(a), pa.int64())


def _ceil_floor_builder(name, ceil):
    def build(args, call):
        arity(name, args, 1, 2)
        display = {"ceil": "CEIL", "floor": "FLOOR"}.get(name, name)
        if len(args) == 1:
            e = CeilFloor(args[0], display=display)
            e.ceil = ceil
            return coerce(e)
        x, scale = args
        if not (scale.foldable and isinstance(scale.data_type, T.IntegerType)):
            raise AnalysisException("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                                    sqlExpr=f'"{name}({x.pretty_sql()}, {scale.pretty_sql()})"',
                                    inputName="`scale`", inputType='"INT"',
                                    inputExpr='"' + scale.pretty_sql() + '"')
        dt = x.data_type
        if isinstance(dt, T.IntegralType):
            x = cast(x, T.DecimalType.for_integral(dt))
        elif isinstance(dt, (T.DoubleType, T.StringType, T.NullType)):
            x = cast(x, T.DecimalType(30, 15))
        elif isinstance(dt, T.FloatType):
            x = cast(x, T.DecimalType(14, 7))
        e = RoundBase(x, scale, display=name)
        e.mode = "CEILING" if ceil else "FLOOR"
        return e
    return build


builtin("ceil", group="math_funcs")(_ceil_floor_builder("ceil", True))
builtin("ceiling", group="math_funcs")(_ceil_floor_builder("ceiling", True))
builtin("floor", group="math_funcs")(_ceil_floor_builder("floor", False))


# ---------------------------------------------------------------------------- greatest / least
class Greatest(Fn):
    name = "greatest"
    greatest = True

    @property
    def data_type(self):
        return self.children[0].data_type

    @property
    def nullable(self):
        return all(c.nullable for c in self.children)

    def type_check(self):
        types = [c.data_type for c in self.children]
        if any(t != types[0] for t in types):
            return AnalysisException(
                "DATATYPE_MISMATCH.DATA_DIFF_TYPES", sqlExpr='"' + self.pretty_sql() + '"',
                functionName="`" + self.name + "`",
                dataType="[" + ", ".join('"' + t.sql() + '"' for t in types) + "]")
        return None

    def evaluate(self, args, n):
        from ember.engine.evaluator import compare
        dt = self.data_type
        result = args[0]
        op = ">" if self.greatest else "<"
        for b in args[1:]:
            better = pc.fill_null(compare(op, b, result, dt), False)
            take_b = pc.or_(better, pc.is_null(result))
            result = pc.if_else(take_b, b, result)
        return result


class Least(Greatest):
    name = "least"
    greatest = False


def _greatest_builder(cls):
    def build(args, call):
        if len(args) < 2:
            raise AnalysisException(
                "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=f"`{cls.name}`",
                expectedNum="> 1", actualNum=str(len(args)),
                docroot="https://spark.apache.org/docs/latest")
        types = [a.data_type for a in args]
        strings = [isinstance(t, T.StringType) for t in types]
        others = [not isinstance(t, (T.StringType, T.NullType)) for t in types]
        # no string promotion here (Spark's findWiderTypeWithoutStringPromotion)
        t = None if any(strings) and any(others) else wider_common_type(types)
        if t is not None:
            args = [cast(a, t) for a in args]
        return cls(*args)
    return build


builtin("greatest", group="comparison_funcs")(_greatest_builder(Greatest))
builtin("least", group="comparison_funcs")(_greatest_builder(Least))


# ---------------------------------------------------------------------------- NaN
class IsNaN(Fn):
    name = "isnan"
    input_types = (T.DoubleType(),)
    result_type = T.BooleanType()

    @property
    def nullable(self):
        return False

    def evaluate(self, args, n):
        a = args[0]
        v = to_numpy_filled(a, np.float64)
        r = np.isnan(v)
        valid = null_mask(a)
        if valid is not None:
            r &= valid
        return pa.array(r, pa.bool_())


@builtin("isnan", group="predicate_funcs")
def _isnan(args, call):
    arity("isnan", args, 1)
    return coerce(IsNaN(*args))


class NaNvl(Fn):
    name = "nanvl"
    input_types = (T.DoubleType(), T.DoubleType())
    result_type = DOUBLE
    null_intolerant = False

    @property
    def data_type(self):
        return self.children[0].data_type

    def expected_types(self):
        dt = self.children[0].data_type
        t = dt if isinstance(dt, T.FloatType) and isinstance(
            self.children[1].data_type, T.FloatType) else T.DoubleType()
        return [t, t]

    def evaluate(self, args, n):
        a, b = args
        nan = pc.fill_null(pc.is_nan(a), False)
        return pc.if_else(nan, b, a)


@builtin("nanvl", group="conditional_funcs")
def _nanvl(args, call):
    arity("nanvl", args, 2)
    return coerce(NaNvl(*args))

# ---------------------------------------------------------------------------- null predicates
@builtin("isnull", group="predicate_funcs")
def _isnull(args, call):
    from ember.optimizer.expressions import IsNull
    arity("isnull", args, 1)
    return IsNull(args[0])


@builtin("isnotnull", group="predicate_funcs")
def _isnotnull(args, call):
    from ember.optimizer.expressions import IsNotNull
    arity("isnotnull", args, 1)
    return IsNotNull(args[0])


@builtin("equal_null", group="predicate_funcs")
def _equal_null(args, call):
    from ember.optimizer.expressions import EqualNullSafe
    arity("equal_null", args, 2)
    return RuntimeReplaceable("equal_null", args, coerce(EqualNullSafe(args[0], args[1])))


from ember.engine.functions import bitwise  # noqa: F401,E402  (bitwise_funcs)
from ember.engine.functions import cast_funcs  # noqa: F401,E402  (int(x), float(x), ...)
from ember.engine.functions import math_bases  # noqa: F401,E402  (conv, hex, factorial, ...)
from ember.engine.functions import vector_funcs  # noqa: F401,E402  (vector_*)
