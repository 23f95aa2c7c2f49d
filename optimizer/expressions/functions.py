"""Base class for built-in scalar functions declared in `ember.engine.functions`.

A function class declares its SQL name, the types it expects (`input_types`, which drive the
analyzer's implicit casts, as Spark's ImplicitCastInputTypes), its result type, and its
vectorized implementation (`evaluate`, run by the engine).
"""
from __future__ import annotations

from typing import Optional, Sequence

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions.base import Expression


def _q(text: str) -> str:
    return '"' + text + '"'


ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
            "ninth", "tenth"]


class AnyType:
    """Input type accepting any data type."""
    text = '"ANY"'


class TypeCollection:
    """Accepts any of several types; the first is the implicit-cast target."""

    def __init__(self, *types, text: Optional[str] = None):
        self.types = types
        self.text = text or "(" + " or ".join(type_text(t) for t in types) + ")"


def type_text(t) -> str:
    if isinstance(t, T.DataType):
        return _q(t.sql())
    if isinstance(t, TypeCollection) or t is AnyType:
        return t.text
    names = {T.NumericType: "NUMERIC", T.IntegralType: "INTEGRAL", T.StringType: "STRING",
             T.DecimalType: "DECIMAL", T.ArrayType: "ARRAY", T.MapType: "MAP",
             T.StructType: "STRUCT", T.BinaryType: "BINARY", T.BooleanType: "BOOLEAN",
             T.DateType: "DATE", T.TimestampType: "TIMESTAMP"}
    return _q(names.get(t, getattr(t, "__name__", str(t)).upper()))


def accepts(expected, dt: T.DataType) -> bool:
    if expected is AnyType:
        return True
    if isinstance(expected, TypeCollection):
        return any(accepts(t, dt) for t in expected.types)
    if isinstance(expected, T.DataType):
        if isinstance(expected, T.StringType):
            return isinstance(dt, T.StringType)
        return expected == dt
    return isinstance(dt, expected)


class ScalarFunction(Expression):
    name: str = "?"
    # One entry per argument (None: no expectation). Classes, DataType instances, AnyType
    # or TypeCollection, as Spark's inputTypes.
    input_types: Sequence = ()
    null_intolerant = True   # any NULL argument gives NULL

    def __init__(self, *children: Expression):
        self.children = tuple(children)

    @property
    def pretty_name(self) -> str:
        return self.name

    @property
    def foldable(self):
        return self.deterministic and all(c.foldable for c in self.children)

    @property
    def nullable(self):
        return any(c.nullable for c in self.children)

    def expected_types(self):
        return list(self.input_types)

    def type_check(self):
        for i, (c, expected) in enumerate(zip(self.children, self.expected_types())):
            if expected is None:
                continue
            if not accepts(expected, c.data_type):
                return AnalysisException(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(self.pretty_sql()),
                    paramIndex=ORDINALS[i] if i < len(ORDINALS) else str(i + 1),
                    inputSql=_q(c.pretty_sql()), inputType=_q(c.data_type.sql()),
                    requiredType=type_text(expected))
        return None

    def evaluate(self, args, num_rows: int):
        """Vectorized implementation: `args` are Arrow arrays (one per child), result an
        Arrow array of `num_rows` values of `self.data_type`."""
        raise NotImplementedError(self.name)

    def __str__(self) -> str:
        return f"{self.pretty_name}({', '.join(str(c) for c in self.children)})"
