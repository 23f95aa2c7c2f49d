"""Window specifications in the analyzer (Spark's WindowsSubstitution, ResolveWindowFrame,
ResolveWindowOrder and the frame checks of SpecifiedWindowFrame / WindowSpecDefinition).

- `substitute_named_windows` (called by the parser's builder) replaces `OVER w` by the
  definition from the query's WINDOW clause.
- `resolve_window_expression` turns an UnresolvedWindowExpression whose function is resolved
  into a WindowExpression: partition/order resolved, the frame defaulted and validated.
"""
from __future__ import annotations

from typing import Dict

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions import Expression, Literal, SortOrder
from ember.optimizer.expressions.aggregates import AggregateExpression
from ember.optimizer.expressions.special import UnresolvedWindowExpression, WindowSpec
from ember.optimizer.expressions.windows import (
    CURRENT_ROW, UNBOUNDED_FOLLOWING, UNBOUNDED_PRECEDING, OffsetFunction, WindowExpression,
    WindowFrame, WindowFunction, WindowSpecDefinition)
from ember.optimizer.plans import logical as L

DOCROOT = "https://spark.apache.org/docs/latest"


def _q(text: str) -> str:
    return '"' + text + '"'


# ---------------------------------------------------------------------------- WINDOW clause
def substitute_named_windows(plan: L.LogicalPlan, definitions) -> L.LogicalPlan:
    """Replace `OVER name` in `plan` by the WINDOW clause's definitions."""
    defs: Dict[str, WindowSpec] = {}
    for name, spec in definitions:
        key = str(name).lower()
        if key in defs:
            from ember.errors import ParseException
            raise ParseException("INVALID_SQL_SYNTAX.REPETITIVE_WINDOW_DEFINITION",
                                 windowName=f"`{name}`")
        defs[key] = spec

    def lookup(spec: WindowSpec, seen=()) -> WindowSpec:
        if spec.name is None:
            return spec
        key = spec.name.lower()
        if key not in defs or key in seen:
            return spec
        return lookup(defs[key], seen + (key,))

    def rule(e):
        if isinstance(e, UnresolvedWindowExpression) and e.spec.name is not None:
            new = lookup(e.spec)
            if new is not e.spec:
                out = UnresolvedWindowExpression(e.children[0], new)
                out.origin = e.origin
                return out
        return None

    def walk(p: L.LogicalPlan) -> L.LogicalPlan:
        p = p.with_new_children([walk(c) for c in p.children])
        return p.map_expressions(lambda e: e.transform_up(rule))
    return walk(plan)


# ---------------------------------------------------------------------------- resolution
def _fold_bound(b, resolve, ctx):
    kind, v = b
    if v is None or isinstance(v, Literal):
        return b
    v = resolve(v)
    lit = Literal(ctx.evaluate(v) if ctx is not None else None, v.data_type)
    lit.shown_sql = v.pretty_sql()
    return (kind, lit)


def resolve_window_expression(node: UnresolvedWindowExpression, resolve,
                              ctx=None) -> Expression:
    """`node`'s function is resolved; `resolve` resolves an expression in the same scope."""
    spec = node.spec
    if spec.name is not None:
        raise AnalysisException("MISSING_WINDOW_SPECIFICATION", windowName=spec.name,
                                docroot=DOCROOT)
    function = node.children[0]
    partition = [resolve(e) for e in spec.partition]
    order = [SortOrder(resolve(so.child), so.direction, so.null_ordering) for so in spec.order]
    if isinstance(function, AggregateExpression):
        if function.is_distinct:
            shown = WindowExpression(function, WindowSpecDefinition(
                partition, order, _default_frame(order)))
            raise AnalysisException("DISTINCT_WINDOW_FUNCTION_UNSUPPORTED",
                                    windowExpr=_q(shown.pretty_sql()))
        required = None
    elif isinstance(function, WindowFunction):
        required = function.frame
        if function.requires_order and not order:
            raise AnalysisException(
                "WINDOW_FUNCTION_FRAME_NOT_ORDERED", funcName=function.pretty_name,
                windowExpr=_q(function.pretty_sql()))
    else:
        raise AnalysisException("UNSUPPORTED_EXPR_FOR_WINDOW",
                                sqlExpr=_q(function.pretty_sql()))
    if spec.frame is not None:
        kind, lower, upper = spec.frame
        user = WindowFrame(kind, _fold_bound(lower, resolve, ctx),
                           _fold_bound(upper, resolve, ctx))
        lower, upper = user.lower, user.upper
        if required is not None and user != required:
            if isinstance(function, OffsetFunction):
                raise AnalysisException("_LEGACY_ERROR_TEMP_1035",
                                        prettyName=function.pretty_name)
            raise AnalysisException("_LEGACY_ERROR_TEMP_1036", wf=str(user).lower(),
                                    required=str(required).lower())
        frame = required or _check_frame(user, order)
    else:
        frame = required or _default_frame(order)
    out = WindowExpression(function, WindowSpecDefinition(partition, order, frame))
    out.origin = node.origin
    return out


def _default_frame(order) -> WindowFrame:
    if order:
        return WindowFrame("RANGE", UNBOUNDED_PRECEDING, CURRENT_ROW)
    return WindowFrame("ROWS", UNBOUNDED_PRECEDING, UNBOUNDED_FOLLOWING)


def _is_value(b) -> bool:
    return b[0] in ("PRECEDING", "FOLLOWING")


def _signed(b):
    v = b[1].value
    if v is None:
        return None
    return -v if b[0] == "PRECEDING" else v


def _check_frame(frame: WindowFrame, order) -> WindowFrame:
    """Spark's SpecifiedWindowFrame.checkInputDataTypes and WindowSpecDefinition's checks."""
    lower, upper = frame.lower, frame.upper
    if lower[0] == "UNBOUNDED_FOLLOWING" or upper[0] == "UNBOUNDED_PRECEDING":
        raise AnalysisException("DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_INVALID_BOUND",
                                sqlExpr=_q(frame.sql()), lower=_q(frame._bound_sql(lower)),
                                upper=_q(frame._bound_sql(upper)))
    values = [b for b in (lower, upper) if _is_value(b)]
    if frame.frame_type == "ROWS":
        for name, b in (("lower", lower), ("upper", upper)):
            if _is_value(b) and not isinstance(b[1].data_type, T.IntegerType):
                raise AnalysisException(
                    "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE",
                    sqlExpr=_q(frame.sql()), location=name,
                    exprType=_q(b[1].data_type.sql()), expectedType='"INT"')
    elif values:
        if not order:
            raise AnalysisException("DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER",
                                    sqlExpr=_q("(" + frame.sql() + ")"))
        if len(order) > 1:
            raise AnalysisException(
                "DATATYPE_MISMATCH.RANGE_FRAME_MULTI_ORDER", sqlExpr=_q(frame.sql()),
                orderSpec="[" + ", ".join(str(o) for o in order) + "]")
        key_t = order[0].data_type
        accepted = (T.NumericType, T.DateType, T.TimestampType, T.TimestampNTZType,
                    T.DayTimeIntervalType, T.YearMonthIntervalType)
        if not isinstance(key_t, accepted):
            b = values[0]
            raise AnalysisException(
                "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_UNACCEPTED_TYPE",
                sqlExpr=_q(frame.sql()), location="lower" if b is lower else "upper",
                exprType=_q(key_t.sql()), expectedType=_q(b[1].data_type.sql()))
        for b in values:
            if not _range_offset_ok(key_t, b[1].data_type):
                raise AnalysisException(
                    "DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE",
                    sqlExpr=_q("(ORDER BY " + str(order[0]) + " " + frame.sql() + ")"),
                    orderSpecType=_q(key_t.sql()), valueBoundaryType=_q(b[1].data_type.sql()))
        if isinstance(key_t, T.NumericType):
            cast = tuple(b[1].data_type for b in values if b[1].data_type != key_t)
            frame = WindowFrame(frame.frame_type, lower, upper, cast_offsets=cast)
    if len(values) == 2:
        lo, hi = _signed(lower), _signed(upper)
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)) and lo > hi:
            raise AnalysisException(
                "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_WRONG_COMPARISON",
                sqlExpr=_q(frame.sql()), comparison="less than or equal")
    return frame


def _range_offset_ok(key_t, off_t) -> bool:
    if isinstance(key_t, T.NumericType):
        return isinstance(off_t, T.NumericType) and (
            not isinstance(off_t, T.DecimalType) or not isinstance(key_t, T.IntegralType)) \
            or isinstance(off_t, T.IntegralType)
    if isinstance(key_t, T.DateType):
        return isinstance(off_t, (T.IntegralType, T.YearMonthIntervalType)) or (
            isinstance(off_t, T.DayTimeIntervalType))
    if isinstance(key_t, (T.TimestampType, T.TimestampNTZType)):
        return isinstance(off_t, (T.DayTimeIntervalType, T.YearMonthIntervalType))
    return type(key_t) is type(off_t)
