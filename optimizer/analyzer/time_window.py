"""Spark's TimeWindowing for `GROUP BY window(ts, '10 minutes'[, '5 minutes'[, '0 seconds']])`.

Before:  Aggregate [a, window(b, '10 minutes', '5 minutes')] [a, window.start, count(*)]
After:   Aggregate [a, window] [a, window.start, count(*)]
           Filter (b >= window.start AND b < window.end)
             Union  -- one branch per overlapping window (one, with IsNotNull, if tumbling)
               Project [*, window_struct(b, i) AS window]

The rewrite runs on the unresolved Aggregate, so `window.start` in the select list resolves
against the new `window` column like any struct field."""
from __future__ import annotations

import re
from typing import List, Optional

import pyarrow as pa

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions import Alias, And, GreaterThanOrEqual, IsNotNull, LessThan, Literal
from ember.optimizer.expressions.functions import ScalarFunction, TypeCollection
from ember.optimizer.expressions.unresolved import (UnresolvedAttribute, UnresolvedFunction,
                                                    UnresolvedStar)

WINDOW_TYPE = T.StructType([T.StructField("start", T.TimestampType(), True),
                            T.StructField("end", T.TimestampType(), True)])

_UNITS = {"week": 7 * 86_400_000_000, "day": 86_400_000_000, "hour": 3_600_000_000,
          "minute": 60_000_000, "second": 1_000_000, "millisecond": 1000, "microsecond": 1}


def _micros(e, what: str) -> int:
    if isinstance(e, Literal) and isinstance(e.data_type, (T.IntegerType, T.LongType)):
        return int(e.value)
    if not (isinstance(e, Literal) and isinstance(e.value, str)):
        raise AnalysisException("_LEGACY_ERROR_TEMP_1207")
    if isinstance(e, Literal) and isinstance(e.value, str):
        text = e.value.strip().lower()
        text = re.sub(r"^interval\s+", "", text)
        total, pos = 0, 0
        for m in re.finditer(r"\s*([+-]?\d+(?:\.\d+)?)\s*([a-z]+?)s?\b", text):
            if m.start() != pos or m.group(2) not in _UNITS:
                break
            total += int(float(m.group(1)) * _UNITS[m.group(2)])
            pos = m.end()
        else:
            if pos == len(text) and pos > 0:
                return total
    raise AnalysisException("CANNOT_PARSE_INTERVAL", intervalString="'" + str(
        getattr(e, "value", e)) + "'")


class WindowStruct(ScalarFunction):
    """The i-th window containing each timestamp: struct<start, end> (Spark's getWindow)."""
    name = "window"
    input_types = (TypeCollection(T.TimestampType(), T.TimestampNTZType()),)

    def __init__(self, ts, duration: int, slide: int, start: int, index: int):
        super().__init__(ts)
        self.duration, self.slide, self.start, self.index = duration, slide, start, index

    def _fields(self):
        return (self.duration, self.slide, self.start, self.index)

    @property
    def data_type(self):
        ts = self.children[0].data_type
        if isinstance(ts, T.TimestampNTZType):
            return T.StructType([T.StructField("start", ts, True), T.StructField("end", ts, True)])
        return WINDOW_TYPE

    def evaluate(self, args, num_rows):
        arr = args[0]
        at = T.to_arrow(self.data_type.fields[0].dataType)
        vals = arr.cast(pa.int64()).to_pylist() if not pa.types.is_null(arr.type) else \
            [None] * len(arr)
        starts, ends = [], []
        for v in vals:
            if v is None:
                starts.append(None)
                ends.append(None)
                continue
            rem = (v - self.start) % self.slide      # Python's % is already non-negative
            s = v - rem - self.index * self.slide
            starts.append(s)
            ends.append(s + self.duration)
        mask = pa.array([v is None for v in vals], pa.bool_())
        return pa.StructArray.from_arrays(
            [pa.array(starts, pa.int64()).cast(at), pa.array(ends, pa.int64()).cast(at)],
            names=["start", "end"], mask=mask)


def _is_window_call(e) -> bool:
    return isinstance(e, UnresolvedFunction) and len(e.name_parts) == 1 and \
        e.name_parts[0].lower() == "window"


def find_window_call(groupings) -> Optional[UnresolvedFunction]:
    calls = [g for g in groupings if _is_window_call(g)]
    return calls[0] if calls else None


def rewrite_time_window(plan):
    """Rewrite an unresolved Aggregate grouping by window(...) (None when it does not)."""
    from ember.optimizer.plans import logical as L
    call = find_window_call(plan.grouping_expressions)
    if call is None:
        return None
    args = list(call.children)
    if not 2 <= len(args) <= 4:
        raise AnalysisException(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`window`",
            expectedNum="[2, 3, 4]", actualNum=str(len(args)),
            docroot="https://spark.apache.org/docs/latest")
    ts = args[0]
    duration = _micros(args[1], "windowDuration")
    slide = _micros(args[2], "slideDuration") if len(args) > 2 else duration
    start = _micros(args[3], "startTime") if len(args) > 3 else 0
    if duration <= 0 or slide <= 0 or slide > duration:
        raise AnalysisException("DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE",
                                sqlExpr='"window"', exprName="slideDuration",
                                valueRange="(0, windowDuration]", currentValue=str(slide))
    n = -(-duration // slide)
    branches = [L.Project([UnresolvedStar(), Alias(WindowStruct(ts, duration, slide, start, i),
                                                   "window")], plan.child) for i in range(n)]
    child = branches[0] if n == 1 else L.Union(branches)
    w_start = UnresolvedAttribute(("window", "start"))
    w_end = UnresolvedAttribute(("window", "end"))
    if n == 1:
        cond = IsNotNull(ts)
    else:
        cond = And(GreaterThanOrEqual(ts, w_start), LessThan(ts, w_end))
    child = L.Filter(cond, child)
    window_attr = UnresolvedAttribute(("window",))

    def swap(e):
        return window_attr if _is_window_call(e) and e == call else e
    groupings = [swap(g) for g in plan.grouping_expressions]
    items = [i.transform_down(swap) if hasattr(i, "transform_down") else i
             for i in plan.aggregate_expressions]
    return L.Aggregate(groupings, items, child)


# ---------------------------------------------------------------------------- session windows
class SessionRowEnd(ScalarFunction):
    """ts + gap for one event (the gap a string like '5 minutes', an interval or micros);
    NULL when the gap is not positive, so the event is dropped as Spark drops it."""
    name = "session_row_end"
    input_types = (TypeCollection(T.TimestampType(), T.TimestampNTZType()), None)

    @property
    def data_type(self):
        return self.children[0].data_type

    def evaluate(self, args, num_rows):
        ts, gap = args
        gdt = self.children[1].data_type
        tv = ts.cast(pa.int64()).to_pylist()
        gv = gap.cast(pa.int64()).to_pylist() if pa.types.is_duration(gap.type) else \
            gap.to_pylist()
        out = []
        for t, g in zip(tv, gv):
            if t is None or g is None:
                out.append(None)
                continue
            micros = _micros(Literal(g, gdt), "gapDuration") if isinstance(g, str) else int(g)
            out.append(t + micros if micros > 0 else None)
        return pa.array(out, pa.int64()).cast(ts.type)


class _AsTimestamp(ScalarFunction):
    """Its argument, implicitly cast to a timestamp (a string column is read as one)."""
    name = "timestamp"
    input_types = (TypeCollection(T.TimestampType(), T.TimestampNTZType()),)

    @property
    def data_type(self):
        return self.children[0].data_type

    def evaluate(self, args, num_rows):
        return args[0]


def _is_session_call(e) -> bool:
    return isinstance(e, UnresolvedFunction) and len(e.name_parts) == 1 and \
        e.name_parts[0].lower() == "session_window"


def rewrite_session_window(plan):
    """GROUP BY keys, session_window(ts, gap): events of one key whose [ts, ts + gap) ranges
    touch form one session (Spark's MergingSessionsIterator), computed with window functions:
    a new session starts where ts > max(end) of the earlier events."""
    from ember.optimizer.plans import logical as L
    from ember.parser import parse_expression
    calls = [g for g in plan.grouping_expressions if _is_session_call(g)]
    if not calls:
        return None
    call = calls[0]
    if len(call.children) != 2:
        raise AnalysisException(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`session_window`",
            expectedNum="2", actualNum=str(len(call.children)),
            docroot="https://spark.apache.org/docs/latest")
    ts, gap = call.children
    keys = [g for g in plan.grouping_expressions if g is not call]
    key = UnresolvedFunction(("struct",), keys or [Literal(1, T.IntegerType())])
    child = L.Project([UnresolvedStar(), Alias(_AsTimestamp(ts), "__sw_ts"),
                       Alias(SessionRowEnd(ts, gap), "__sw_end"), Alias(key, "__sw_k")],
                      plan.child)
    child = L.Filter(IsNotNull(UnresolvedAttribute(("__sw_end",))), child)
    child = L.Project([UnresolvedStar(), Alias(parse_expression(
        "max(__sw_end) OVER (PARTITION BY __sw_k ORDER BY __sw_ts "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"), "__sw_prev")], child)
    child = L.Project([UnresolvedStar(), Alias(parse_expression(
        "sum(CASE WHEN __sw_prev IS NULL OR __sw_ts > __sw_prev THEN 1 ELSE 0 END) OVER "
        "(PARTITION BY __sw_k ORDER BY __sw_ts "
        "ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"), "__sw_id")], child)
    child = L.Project([UnresolvedStar(), Alias(parse_expression(
        "named_struct('start', min(__sw_ts) OVER (PARTITION BY __sw_k, __sw_id), "
        "'end', max(__sw_end) OVER (PARTITION BY __sw_k, __sw_id))"), "session_window")], child)
    attr = UnresolvedAttribute(("session_window",))

    def swap(e):
        return attr if _is_session_call(e) and e == call else e
    groupings = [swap(g) for g in plan.grouping_expressions]
    items = [i.transform_down(swap) for i in plan.aggregate_expressions]
    return L.Aggregate(groupings, items, child)
