"""UNION / INTERSECT / EXCEPT: column counts must agree, column types are widened
(Spark's WidenSetOperationTypes), names come from the first query."""
from __future__ import annotations

from ember.errors import AnalysisException
from ember.optimizer.expressions import Alias
from ember.optimizer.plans import logical as L
from ember.optimizer.analyzer.type_coercion import cast, wider_type

_ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth"]


def _ordinal(i: int) -> str:
    return _ORDINALS[i] if i < len(_ORDINALS) else f"{i + 1}th"


def resolve_set_operation(plan, children, ctx):
    op_name = {L.Union: "UNION", L.Intersect: "INTERSECT", L.Except: "EXCEPT"}[type(plan)]
    first = children[0]
    width = len(first.output)
    for i, c in enumerate(children[1:], start=1):
        if len(c.output) != width:
            raise AnalysisException("NUM_COLUMNS_MISMATCH", operator=op_name,
                                    firstNumColumns=str(width), invalidOrdinalNum=_ordinal(i),
                                    invalidNumColumns=str(len(c.output)))
    types = []
    for col in range(width):
        t = first.output[col].data_type
        for i, c in enumerate(children[1:], start=1):
            w = wider_type(t, c.output[col].data_type)
            if w is None:
                raise AnalysisException(
                    "INCOMPATIBLE_COLUMN_TYPE", operator=op_name, columnOrdinalNumber=_ordinal(col),
                    tableOrdinalNumber=_ordinal(i), dataType1='"' + c.output[col].data_type.sql() + '"',
                    dataType2='"' + t.sql() + '"', hint="")
            t = w
        types.append(t)
    widened = []
    for c in children:
        if all(a.data_type == t for a, t in zip(c.output, types)):
            widened.append(c)
        else:
            widened.append(L.Project([a if a.data_type == t else Alias(cast(a, t), a.name)
                                      for a, t in zip(c.output, types)], c))
    if isinstance(plan, L.Union):
        return L.Union(widened, plan.by_name, plan.allow_missing)
    return type(plan)(widened[0], widened[1], plan.is_all)


def _has_map_type(t) -> bool:
    from ember import types as T
    if isinstance(t, T.MapType):
        return True
    if isinstance(t, T.ArrayType):
        return _has_map_type(t.elementType)
    if isinstance(t, T.StructType):
        return any(_has_map_type(f.dataType) for f in t.fields)
    return False


def check_set_operation(plan) -> None:
    """Spark's CheckAnalysis: INTERSECT, EXCEPT and DISTINCT compare whole rows, and MAP values
    have no equality."""
    if isinstance(plan, (L.Intersect, L.Except, L.Distinct)):
        for a in plan.output:
            if _has_map_type(a.data_type):
                from ember.optimizer.expressions.named import quote_identifier
                raise AnalysisException("UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE",
                                        colName=quote_identifier(a.name),
                                        dataType='"' + a.data_type.sql() + '"')
