"""Window-only functions: ranking (row_number, rank, dense_rank, percent_rank, cume_dist,
ntile), offsets (lag, lead) and frame values (first_value, last_value, nth_value).

Each is declared once here: its SQL name and builder (argument checks, coercion), and its
implementation over the rows of a sorted window input. An implementation receives the
function, its evaluated argument arrays (in window order), the `layout` (partition and peer
boundaries of every row) and the frame bounds `start`/`end` (row index ranges); it returns
one Arrow array with a value per row.
"""
from __future__ import annotations

from typing import Callable, Dict

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.catalog.functions import BUILTINS, builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions import Literal
from ember.optimizer.expressions.windows import (CumeDist, DenseRank, FirstValue, Lag,
                                                 LastValue, Lead, NthValue, NTile, PercentRank,
                                                 Rank, RowNumber)

WINDOW_IMPLEMENTATIONS: Dict[type, Callable] = {}


def implements(*classes):
    def wrap(fn):
        for c in classes:
            WINDOW_IMPLEMENTATIONS[c] = fn
        return fn
    return wrap


def _q(text):
    return '"' + text + '"'


def _arity(name, args, allowed):
    if len(args) not in allowed:
        raise AnalysisException(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=f"`{name}`",
            expectedNum=" or ".join(map(str, allowed)), actualNum=str(len(args)),
            docroot="https://spark.apache.org/docs/latest")


def _foldable_int(name, sql, arg, param, index="first"):
    """The value of a constant integer argument (Spark's checks for ntile / lag offsets)."""
    if not arg.foldable:
        raise AnalysisException("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", sqlExpr=_q(sql),
                                inputName=f"`{param}`", inputType='"INT"',
                                inputExpr=_q(arg.pretty_sql()))
    if not isinstance(arg.data_type, (T.IntegerType, T.ShortType, T.ByteType)):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(sql),
                                paramIndex=index, requiredType='"INT"',
                                inputSql=_q(arg.pretty_sql()),
                                inputType=_q(arg.data_type.sql()))
    return _constant(arg)


def _constant(arg):
    if isinstance(arg, Literal):
        return arg.value
    from ember.engine.evaluator import eval_scalar
    return eval_scalar(arg)


# ---------------------------------------------------------------------------- builders
def _no_args(cls, name):
    def build(args, call):
        # rank-likes take any arguments: Spark replaces them by the window's order keys
        if not issubclass(cls, Rank):
            _arity(name, args, (0,))
        return cls()
    return build


for _cls, _name in ((RowNumber, "row_number"), (Rank, "rank"), (DenseRank, "dense_rank"),
                    (PercentRank, "percent_rank"), (CumeDist, "cume_dist")):
    BUILTINS.register([_name], _no_args(_cls, _name), kind="window", group="window_funcs")


@builtin("ntile", kind="window", group="window_funcs")
def _ntile(args, call):
    _arity("ntile", args, (0, 1))
    buckets = args[0] if args else Literal(1, T.IntegerType())
    sql = f"ntile({buckets.pretty_sql()})"
    n = _foldable_int("ntile", sql, buckets, "buckets")
    if n is None or n <= 0:
        raise AnalysisException("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", sqlExpr=_q(sql),
                                exprName="buckets", valueRange="(0, 2147483647]",
                                currentValue=str(n))
    return NTile(buckets)


def _offset_function(cls, name):
    def build(args, call):
        _arity(name, args, (1, 2, 3))
        from ember.optimizer.analyzer.type_coercion import cast
        value = args[0]
        offset = args[1] if len(args) > 1 else Literal(1, T.IntegerType())
        default = args[2] if len(args) > 2 else Literal(None, value.data_type)
        if isinstance(value.data_type, T.NullType) and not isinstance(default.data_type,
                                                                       T.NullType):
            value = cast(value, default.data_type)
        if default.data_type != value.data_type:
            default = cast(default, value.data_type)      # Spark's ImplicitCastInputTypes
        f = cls(value, offset, default, bool(getattr(call, "ignore_nulls", False)))
        _foldable_int(name, f.pretty_sql(), offset, "offset", "second")
        return f
    return build


BUILTINS.register(["lag"], _offset_function(Lag, "lag"), kind="window", group="window_funcs")
BUILTINS.register(["lead"], _offset_function(Lead, "lead"), kind="window", group="window_funcs")


@builtin("nth_value", kind="window", group="window_funcs")
def _nth_value(args, call):
    _arity("nth_value", args, (2, 3))
    ignore = bool(getattr(call, "ignore_nulls", False))
    if len(args) == 3:
        ignore = ignore or bool(_constant(args[2]))
    f = NthValue(args[:2], ignore, "nth_value")
    sql = f"nth_value({args[0].pretty_sql()}, {args[1].pretty_sql()})"
    if not args[1].foldable:
        raise AnalysisException("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", sqlExpr=_q(sql),
                                inputName="`offset`", inputType='"INT"',
                                inputExpr=_q(args[1].pretty_sql()))
    if not isinstance(args[1].data_type, T.IntegralType):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(sql),
                                paramIndex="second", requiredType='"INT"',
                                inputSql=_q(args[1].pretty_sql()),
                                inputType=_q(args[1].data_type.sql()))
    n = _constant(args[1])
    if n is None or n <= 0:
        raise AnalysisException("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE", sqlExpr=_q(sql),
                                exprName="offset", valueRange="(0, 9223372036854775807]",
                                currentValue=f"{n}L")
    return f


def _first_last(cls, name):
    def build(args, call):
        _arity(name, args, (1, 2))
        ignore = bool(getattr(call, "ignore_nulls", False))
        if len(args) == 2:
            ignore = ignore or bool(_constant(args[1]))
        return cls(args[:1], ignore, name)
    return build


for _cls, _name in ((FirstValue, "first_value"), (LastValue, "last_value")):
    if BUILTINS.lookup(_name) is None:       # an aggregate module may define them
        BUILTINS.register([_name], _first_last(_cls, _name), kind="window",
                          group="window_funcs")


# ---------------------------------------------------------------------------- implementations
def _int32(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype(np.int32), pa.int32())


@implements(RowNumber)
def _row_number(f, args, layout, start, end):
    return _int32(layout.index - layout.pstart + 1)


@implements(Rank)
def _rank(f, args, layout, start, end):
    return _int32(layout.peer_start - layout.pstart + 1)


@implements(DenseRank)
def _dense_rank(f, args, layout, start, end):
    return _int32(layout.peer_id - layout.peer_id[layout.pstart] + 1)


@implements(PercentRank)
def _percent_rank(f, args, layout, start, end):
    n = (layout.pend - layout.pstart).astype(np.float64)
    rank = (layout.peer_start - layout.pstart).astype(np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        out = np.where(n > 1, rank / np.maximum(n - 1, 1), 0.0)
    return pa.array(out, pa.float64())


@implements(CumeDist)
def _cume_dist(f, args, layout, start, end):
    n = (layout.pend - layout.pstart).astype(np.float64)
    return pa.array((layout.peer_end - layout.pstart) / n, pa.float64())


@implements(NTile)
def _ntile_impl(f, args, layout, start, end):
    buckets = int(_constant(f.children[0]))
    n = layout.pend - layout.pstart
    r = layout.index - layout.pstart
    size = n // buckets
    extra = n % buckets
    # the first `extra` buckets hold size + 1 rows (Spark's NTile)
    big = extra * (size + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        small_bucket = np.where(size > 0, (r - big) // np.maximum(size, 1), 0)
    out = np.where(r < big, r // (size + 1), extra + small_bucket) + 1
    return _int32(out)


def _valid(arr: pa.Array) -> np.ndarray:
    if arr.null_count == 0:
        return np.ones(len(arr), dtype=bool)
    return np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)


def _pick(values: pa.Array, index: np.ndarray, ok: np.ndarray, default=None) -> pa.Array:
    """values[index] where ok, else default (an array) or NULL."""
    safe = np.where(ok, index, 0)
    if len(values) == 0:
        return pa.nulls(len(index), values.type) if default is None else default
    taken = values.take(pa.array(safe, pa.int64()))
    fallback = default if default is not None else pa.nulls(len(index), values.type)
    return pc.if_else(pa.array(ok, pa.bool_()), taken, fallback)


@implements(Lag, Lead)
def _offset(f, args, layout, start, end):
    values, _, default = args
    off = f.row_offset()
    i = layout.index
    if not f.ignore_nulls or off == 0:
        target = i + off
        ok = (target >= layout.pstart) & (target < layout.pend)
        return _pick(values, target, ok, default)
    nn = np.nonzero(_valid(values))[0]
    k = abs(off)
    if off < 0:
        j = np.searchsorted(nn, i, "left") - k
        ok = j >= 0
        target = nn[np.where(ok, j, 0)] if len(nn) else np.zeros_like(i)
        ok &= target >= layout.pstart
    else:
        j = np.searchsorted(nn, i, "right") + k - 1
        ok = j < len(nn)
        target = nn[np.where(ok, j, 0)] if len(nn) else np.zeros_like(i)
        ok &= target < layout.pend
    return _pick(values, target, ok & (len(nn) > 0), default)


def _nth_in_frame(values, start, end, n, from_end, ignore_nulls):
    if not ignore_nulls:
        target = end - n if from_end else start + n - 1
        ok = (target >= start) & (target < end)
        return _pick(values, target, ok)
    nn = np.nonzero(_valid(values))[0]
    if from_end:
        j = np.searchsorted(nn, end, "left") - n
        ok = j >= 0
    else:
        j = np.searchsorted(nn, start, "left") + n - 1
        ok = j < len(nn)
    target = nn[np.where(ok, j, 0)] if len(nn) else np.zeros_like(start)
    ok = ok & (target >= start) & (target < end) & (len(nn) > 0)
    return _pick(values, target, ok)


@implements(FirstValue)
def _first_value(f, args, layout, start, end):
    return _nth_in_frame(args[0], start, end, 1, False, f.ignore_nulls)


@implements(LastValue)
def _last_value(f, args, layout, start, end):
    return _nth_in_frame(args[0], start, end, 1, True, f.ignore_nulls)


@implements(NthValue)
def _nth_value_impl(f, args, layout, start, end):
    n = int(_constant(f.children[1]))
    return _nth_in_frame(args[0], start, end, n, False, f.ignore_nulls)
