"""Fused expression kernels: a numeric expression tree compiled to one Numba loop.

Tiered like a JIT (DESIGN.md): small inputs use the interpreted evaluator; an input large
enough to repay a compile runs a generated kernel that computes the whole tree per row with
no intermediate arrays. Generated source is keyed by a hash of the canonical expression
(literals are kernel arguments, so `a + 1` and `a + 2` share a kernel), written as a module
under the cache directory and imported, so Numba caches the machine code on disk.

A kernel returns (values, valid, error, error_row). Errors are Spark's: 1 overflow,
2 division by zero, 3 decimal out of range, 4 "needs exact arithmetic" (a decimal that left
int64: the caller reruns the batch on the interpreted path, which is exact).
"""
from __future__ import annotations

import hashlib
import importlib
import os
import sys
import threading
from typing import Dict, List, Optional, Tuple

import numpy as np
import pyarrow as pa

from ember import types as T
from ember._cache import cache_dir
from ember.optimizer.expressions import (
    Add, And, Cast, Divide, EqualTo, Expression, GreaterThan, GreaterThanOrEqual, IsNotNull,
    IsNull, LessThan, LessThanOrEqual, Literal, Multiply, Not, Or, Subtract, UnaryMinus)

ERR_OVERFLOW, ERR_DIV_ZERO, ERR_DECIMAL_RANGE, ERR_EXACT = 1, 2, 3, 4

_NUMERIC = (T.ByteType, T.ShortType, T.IntegerType, T.LongType, T.FloatType, T.DoubleType,
            T.DateType, T.BooleanType)
_LOCK = threading.Lock()
_LOADED: Dict[str, object] = {}


def _leaf_ok(dt) -> bool:
    if isinstance(dt, T.DecimalType):
        return dt.precision <= 18
    return isinstance(dt, _NUMERIC)


def _out_ok(dt) -> bool:
    return isinstance(dt, T.DecimalType) or isinstance(dt, _NUMERIC)


def supported(e: Expression) -> bool:
    from ember.engine.evaluator import BoundReference
    if isinstance(e, BoundReference):
        return _leaf_ok(e.data_type)
    if isinstance(e, Literal):
        return _leaf_ok(e.data_type) or isinstance(e.data_type, T.NullType) and False
    if isinstance(e, (Add, Subtract, Multiply)):
        return e.eval_mode == "ANSI" and _out_ok(e.data_type) and \
            not isinstance(e.data_type, (T.DateType, T.BooleanType)) and all(
                supported(c) for c in e.children)
    if isinstance(e, Divide):
        return e.eval_mode == "ANSI" and isinstance(e.data_type, T.DoubleType) and all(
            supported(c) for c in e.children)
    if isinstance(e, UnaryMinus):
        return e.eval_mode == "ANSI" and isinstance(e.data_type, (T.IntegralType, T.FractionalType)) \
            and supported(e.child)
    if isinstance(e, (EqualTo, LessThan, LessThanOrEqual, GreaterThan, GreaterThanOrEqual)):
        lt = e.left.data_type
        return (isinstance(lt, (T.IntegralType, T.DateType, T.DecimalType, T.FloatType,
                                T.DoubleType, T.BooleanType))
                and all(supported(c) for c in e.children))
    if isinstance(e, (And, Or, Not, IsNull, IsNotNull)):
        return all(supported(c) for c in e.children)
    if isinstance(e, Cast):
        src, to = e.child.data_type, e.to
        if not supported(e.child) or e.eval_mode != "ANSI":
            return False
        if isinstance(src, T.IntegralType) and isinstance(to, (T.LongType, T.DoubleType)):
            return to != src or True
        if isinstance(src, T.IntegralType) and isinstance(to, T.DecimalType):
            return to.precision <= 18
        if isinstance(src, T.DecimalType) and isinstance(to, T.DecimalType):
            return to.scale >= src.scale and to.precision <= 18
        if isinstance(src, T.DecimalType) and isinstance(to, T.DoubleType):
            return True
        if isinstance(src, (T.FloatType,)) and isinstance(to, T.DoubleType):
            return True
        return False
    return False


def worth_fusing(e: Expression) -> bool:
    from ember.engine.evaluator import BoundReference
    return supported(e) and not isinstance(e, (BoundReference, Literal))


# ---------------------------------------------------------------------------- code generation
class _Gen:
    def __init__(self):
        self.lines: List[str] = []
        self.inputs: List[int] = []          # bound ordinals, in argument order
        self.literals: List[Tuple] = []      # (value, dtype)
        self.tmp = 0
        self.key_parts: List[str] = []

    def var(self) -> str:
        self.tmp += 1
        return f"t{self.tmp}"

    def emit(self, line: str, indent: int = 2):
        self.lines.append("    " * indent + line)


def _np_type(dt) -> str:
    if isinstance(dt, T.DecimalType):
        return "np.int64"
    return {T.ByteType: "np.int8", T.ShortType: "np.int16", T.IntegerType: "np.int32",
            T.LongType: "np.int64", T.FloatType: "np.float32", T.DoubleType: "np.float64",
            T.DateType: "np.int32", T.BooleanType: "np.bool_"}[type(dt)]


def _is_float(dt) -> bool:
    return isinstance(dt, (T.FloatType, T.DoubleType))


def _gen(e: Expression, g: _Gen) -> Tuple[str, str]:
    """Emit code computing `e` for row i; returns (value variable, null variable)."""
    from ember.engine.evaluator import BoundReference
    if isinstance(e, BoundReference):
        if e.ordinal not in g.inputs:
            g.inputs.append(e.ordinal)
        k = g.inputs.index(e.ordinal)
        g.key_parts.append(f"col{k}:{e.data_type.simpleString()}")
        v, nl = g.var(), g.var()
        g.emit(f"{v} = c{k}[i]")
        g.emit(f"{nl} = not m{k}[i]")
        return v, nl
    if isinstance(e, Literal):
        k = len(g.literals)
        g.literals.append((e.value, e.data_type))
        g.key_parts.append(f"lit{k}:{e.data_type.simpleString()}:{e.value is None}")
        v, nl = g.var(), g.var()
        g.emit(f"{v} = lit{k}")
        g.emit(f"{nl} = {'True' if e.value is None else 'False'}")
        return v, nl
    g.key_parts.append(type(e).__name__ + ":" + e.data_type.simpleString())
    if isinstance(e, (And, Or)):
        (a, an), (b, bn) = _gen(e.left, g), _gen(e.right, g)
        v, nl = g.var(), g.var()
        if isinstance(e, And):
            g.emit(f"{v} = (not {an} and {a}) and (not {bn} and {b})")
            g.emit(f"{nl} = not ((not {an} and not {a}) or (not {bn} and not {b})) and ({an} or {bn})")
        else:
            g.emit(f"{v} = (not {an} and {a}) or (not {bn} and {b})")
            g.emit(f"{nl} = (not {v}) and ({an} or {bn})")
        return v, nl
    if isinstance(e, Not):
        a, an = _gen(e.child, g)
        v = g.var()
        g.emit(f"{v} = not {a}")
        return v, an
    if isinstance(e, (IsNull, IsNotNull)):
        a, an = _gen(e.child, g)
        v = g.var()
        g.emit(f"{v} = {an}" if isinstance(e, IsNull) else f"{v} = not {an}")
        return v, "False"
    if isinstance(e, (EqualTo, LessThan, LessThanOrEqual, GreaterThan, GreaterThanOrEqual)):
        (a, an), (b, bn) = _gen(e.left, g), _gen(e.right, g)
        lt, rt = e.left.data_type, e.right.data_type
        if isinstance(lt, T.DecimalType):
            s = max(lt.scale, rt.scale)
            a, b = _rescale_up(g, a, lt.scale, s), _rescale_up(g, b, rt.scale, s)
        op = {EqualTo: "==", LessThan: "<", LessThanOrEqual: "<=", GreaterThan: ">",
              GreaterThanOrEqual: ">="}[type(e)]
        v = g.var()
        if _is_float(lt):
            # Spark: NaN equals NaN and sorts above every number
            g.emit(f"{v} = _fcmp({a}, {b}) {op} 0")
        else:
            g.emit(f"{v} = {a} {op} {b}")
        nl = g.var()
        g.emit(f"{nl} = {an} or {bn}")
        return v, nl
    if isinstance(e, Cast):
        a, an = _gen(e.child, g)
        src, to = e.child.data_type, e.to
        v = g.var()
        if isinstance(src, T.DecimalType) and isinstance(to, T.DecimalType):
            g.emit(f"{v} = {_rescale_up(g, a, src.scale, to.scale)}")
            _check_range(g, v, an, to)
        elif isinstance(to, T.DecimalType):
            g.emit(f"{v} = {_rescale_up(g, f'np.int64({a})', 0, to.scale)}")
            _check_range(g, v, an, to)
        elif isinstance(src, T.DecimalType):
            g.emit(f"{v} = np.float64({a}) / {10.0 ** src.scale!r}")
        elif isinstance(to, T.DoubleType):
            g.emit(f"{v} = np.float64({a})")
        else:
            g.emit(f"{v} = np.int64({a})")
        return v, an
    if isinstance(e, UnaryMinus):
        a, an = _gen(e.child, g)
        v = g.var()
        if isinstance(e.data_type, T.IntegralType):
            mn = np.iinfo(_np_type(e.data_type).replace("np.", "")).min
            g.emit(f"if not {an} and {a} == {mn}:")
            g.emit("    return out, valid, 1, i")
        g.emit(f"{v} = -{a}")
        return v, an
    if isinstance(e, Divide):
        (a, an), (b, bn) = _gen(e.left, g), _gen(e.right, g)
        v, nl = g.var(), g.var()
        g.emit(f"{nl} = {an} or {bn}")
        g.emit(f"{v} = 0.0")
        g.emit(f"if not {nl}:")
        g.emit(f"    if {b} == 0.0:")
        g.emit("        return out, valid, 2, i")
        g.emit(f"    {v} = {a} / {b}")
        return v, nl
    # Add / Subtract / Multiply
    (a, an), (b, bn) = _gen(e.left, g), _gen(e.right, g)
    dt = e.data_type
    nl = g.var()
    g.emit(f"{nl} = {an} or {bn}")
    v = g.var()
    sym = {Add: "+", Subtract: "-", Multiply: "*"}[type(e)]
    if _is_float(dt):
        g.emit(f"{v} = {a} {sym} {b}")
        return v, nl
    if isinstance(dt, T.DecimalType):
        lt, rt = e.left.data_type, e.right.data_type
        if isinstance(e, Multiply):
            g.emit(f"{v} = _mul({a}, {b})")
            g.emit(f"if {v}[1] and not {nl}:")
            g.emit("    return out, valid, 4, i")
            v2 = g.var()
            g.emit(f"{v2} = {v}[0]")
            raw_scale = lt.scale + rt.scale
            v3 = _rescale(g, v2, raw_scale, dt.scale, nl)
        else:
            s = max(lt.scale, rt.scale)
            a2, b2 = _rescale_up(g, a, lt.scale, s), _rescale_up(g, b, rt.scale, s)
            fn = "_add" if isinstance(e, Add) else "_sub"
            g.emit(f"{v} = {fn}({a2}, {b2})")
            g.emit(f"if {v}[1] and not {nl}:")
            g.emit("    return out, valid, 4, i")
            v2 = g.var()
            g.emit(f"{v2} = {v}[0]")
            v3 = _rescale(g, v2, s, dt.scale, nl)
        _check_range(g, v3, nl, dt)
        return v3, nl
    # integral, ANSI overflow checks at the result width
    bits = {T.ByteType: 8, T.ShortType: 16, T.IntegerType: 32, T.LongType: 64}[type(dt)]
    fn = {Add: "_add", Subtract: "_sub", Multiply: "_mul"}[type(e)]
    g.emit(f"{v} = {fn}(np.int64({a}), np.int64({b}))")
    r = g.var()
    g.emit(f"{r} = {v}[0]")
    if bits == 64:
        g.emit(f"if {v}[1] and not {nl}:")
    else:
        lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
        g.emit(f"if not {nl} and ({r} < {lo} or {r} > {hi}):")
    g.emit("    return out, valid, 1, i")
    return r, nl


def _rescale_up(g: _Gen, v: str, from_scale: int, to_scale: int) -> str:
    if to_scale == from_scale:
        return v
    out = g.var()
    g.emit(f"{out} = _mul({v}, np.int64({10 ** (to_scale - from_scale)}))")
    g.emit(f"if {out}[1]:")
    g.emit("    return out, valid, 4, i")
    return out + "[0]"


def _rescale(g: _Gen, v: str, from_scale: int, to_scale: int, nl: str) -> str:
    if to_scale >= from_scale:
        return _rescale_up(g, v, from_scale, to_scale)
    out = g.var()
    g.emit(f"{out} = _div_half_up({v}, np.int64({10 ** (from_scale - to_scale)}))")
    return out


def _check_range(g: _Gen, v: str, nl: str, dt: T.DecimalType):
    if dt.precision <= 18:
        bound = 10 ** dt.precision
        g.emit(f"if not {nl} and ({v} >= {bound} or {v} <= -{bound}):")
        g.emit("    return out, valid, 3, i")


_PRELUDE = '''
import numpy as np
from numba import njit


@njit(cache=True, nogil=True, inline="always")
def _add(a, b):
    r = a + b
    return r, ((a ^ r) & (b ^ r)) < 0


@njit(cache=True, nogil=True, inline="always")
def _sub(a, b):
    r = a - b
    return r, ((a ^ b) & (a ^ r)) < 0


@njit(cache=True, nogil=True, inline="always")
def _mul(a, b):
    # LLVM folds the textbook (a * b) / a != b check away (signed overflow is undefined for
    # it), so judge by magnitude: near the int64 limit, report overflow and let the exact
    # path decide
    r = a * b
    return r, abs(np.float64(a) * np.float64(b)) >= 9.2e18


@njit(cache=True, nogil=True, inline="always")
def _div_half_up(a, d):
    q = abs(a) // d
    rem = abs(a) - q * d
    if 2 * rem >= d:
        q += 1
    return -q if a < 0 else q


@njit(cache=True, nogil=True, inline="always")
def _fcmp(a, b):
    an = np.isnan(a)
    bn = np.isnan(b)
    if an and bn:
        return 0
    if an:
        return 1
    if bn:
        return -1
    if a < b:
        return -1
    if a > b:
        return 1
    return 0
'''


def _generate(e: Expression, out_type: T.DataType):
    g = _Gen()
    v, nl = _gen(e, g)
    args = []
    for k in range(len(g.inputs)):
        args += [f"c{k}", f"m{k}"]
    args += [f"lit{k}" for k in range(len(g.literals))]
    body = [
        f"@njit(cache=True, nogil=True)",
        f"def kernel(n, {', '.join(args)}):" if args else "def kernel(n):",
        f"    out = np.empty(n, dtype={_np_type(out_type)})",
        "    valid = np.empty(n, dtype=np.bool_)",
        "    for i in range(n):",
    ]
    body += g.lines
    body += [f"        out[i] = {v}", f"        valid[i] = not {nl}",
             "    return out, valid, 0, -1"]
    key = "|".join(g.key_parts) + "->" + out_type.simpleString()
    return _PRELUDE + "\n\n" + "\n".join(body) + "\n", key, g


def compile_kernel(e: Expression):
    """(kernel function, input ordinals, literal list) for a supported expression."""
    source, key, g = _generate(e, e.data_type)
    digest = hashlib.sha1(source.encode()).hexdigest()[:20]
    name = f"ember_k_{digest}"
    with _LOCK:
        module = _LOADED.get(name)
        if module is None:
            folder = cache_dir("kernels")
            path = os.path.join(folder, name + ".py")
            if not os.path.exists(path):
                tmp = f"{path}.{os.getpid()}.tmp"
                with open(tmp, "w") as f:
                    f.write(source)
                os.replace(tmp, path)
            if folder not in sys.path:
                sys.path.append(folder)
            module = importlib.import_module(name)
            _LOADED[name] = module
    return module.kernel, g.inputs, g.literals


def run_fused(e: Expression, batch: pa.RecordBatch, ctx) -> Optional[pa.Array]:
    """Evaluate `e` over `batch` with its fused kernel; None asks for the interpreted path."""
    from ember.engine.arrow_util import from_numpy, to_numpy_filled
    from ember.engine.evaluator import divide_by_zero, overflow_error
    kernel, inputs, literals = compile_kernel(e)
    args = []
    n = batch.num_rows
    for ordinal in inputs:
        col = batch.column(ordinal)
        dt = None
        vals = to_numpy_filled(col)
        if vals.dtype == object:
            return None
        valid = np.ones(n, dtype=bool) if col.null_count == 0 else np.asarray(
            col.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        args += [vals, valid]
    for value, dt in literals:
        if isinstance(dt, T.DecimalType):
            args.append(np.int64(int(value.scaleb(dt.scale))) if value is not None else np.int64(0))
        elif isinstance(dt, (T.FloatType, T.DoubleType)):
            args.append(np.float64(value if value is not None else 0.0))
        elif isinstance(dt, T.BooleanType):
            args.append(bool(value))
        else:
            args.append(np.int64(value if value is not None else 0))
    out, valid, err, row = kernel(n, *args)
    if err == ERR_OVERFLOW:
        raise overflow_error()
    if err == ERR_DIV_ZERO:
        raise divide_by_zero()
    if err in (ERR_DECIMAL_RANGE, ERR_EXACT):
        return None          # the interpreted path computes exactly and raises precisely
    dt = e.data_type
    if isinstance(dt, T.DecimalType):
        from ember.engine.decimals import from_unscaled
        return from_unscaled(out, None if valid.all() else valid, dt.precision, dt.scale)
    return from_numpy(out, None if valid.all() else valid, T.to_arrow(dt))
