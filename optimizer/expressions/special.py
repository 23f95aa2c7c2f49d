"""Expressions the parser produces for special syntax: LIKE, named arguments, lambdas,
window specifications and multi-aliases."""
from __future__ import annotations

from typing import List, Optional, Sequence

from ember import types as T
from ember.optimizer.expressions.base import Expression, LeafExpression, Unevaluable
from ember.optimizer.expressions.predicates import Predicate


class Like(Predicate):
    """`str LIKE pattern [ESCAPE c]` (Spark's Like)."""

    def __init__(self, left: Expression, right: Expression, escape: str = "\\"):
        self.children = (left, right)
        self.escape = escape

    @property
    def left(self):
        return self.children[0]

    @property
    def right(self):
        return self.children[1]

    def _fields(self):
        return (self.escape,)

    @property
    def foldable(self):
        return self.left.foldable and self.right.foldable

    def sql(self) -> str:
        suffix = "" if self.escape == "\\" else f" ESCAPE '{self.escape}'"
        return f"{self.left.sql()} LIKE {self.right.sql()}{suffix}"

    def __str__(self) -> str:
        suffix = "" if self.escape == "\\" else f" ESCAPE '{self.escape}'"
        return f"{self.left} LIKE {self.right}{suffix}"


class NamedArgument(Unevaluable):
    """`name => value` in a function call."""

    def __init__(self, name: str, value: Expression):
        self.name = name
        self.children = (value,)

    @property
    def value(self):
        return self.children[0]

    def _fields(self):
        return (self.name,)

    @property
    def data_type(self):
        return self.value.data_type

    def sql(self) -> str:
        return f"{self.name} => {self.value.sql()}"


class LambdaPlaceholder(Unevaluable):
    """`x -> expr` as parsed; higher-order functions bind it."""

    def __init__(self, params: Sequence[str], body: Expression):
        self.params = list(params)
        self.children = (body,)

    def _fields(self):
        return (tuple(self.params),)

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return True

    def sql(self) -> str:
        p = self.params[0] if len(self.params) == 1 else "(" + ", ".join(self.params) + ")"
        return f"lambdafunction({self.children[0].sql()}, {p})"


class WindowSpec:
    """PARTITION BY / ORDER BY / frame of an OVER clause, or a reference to a named window."""

    def __init__(self, name: Optional[str] = None, partition=None, order=None, frame=None):
        self.name = name
        self.partition = list(partition or [])
        self.order = list(order or [])
        self.frame = frame

    def __repr__(self):
        return f"WindowSpec({self.name}, {self.partition}, {self.order}, {self.frame})"


class UnresolvedWindowExpression(Unevaluable):
    """`f(...) OVER spec` before windows are analysed."""

    def __init__(self, function: Expression, spec: WindowSpec):
        self.children = (function,)
        self.spec = spec

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return True

    def sql(self) -> str:
        return f"{self.children[0].sql()} OVER (...)"


class MultiAlias(Unevaluable):
    """`expr AS (a, b)` for generators returning several columns."""

    def __init__(self, child: Expression, names: List[str]):
        self.children = (child,)
        self.names = list(names)

    def _fields(self):
        return (tuple(self.names),)

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return True

    def sql(self) -> str:
        return f"{self.children[0].sql()} AS ({', '.join(self.names)})"


class TimeLiteral(LeafExpression, Unevaluable):
    """TIME '12:00:00'. Parsed as Spark parses it; analysis refuses it (UNSUPPORTED_TIME_TYPE)
    as Spark 4.3 does while its TIME type is disabled."""

    def __init__(self, text: str):
        self.text = text

    def _fields(self):
        return (self.text,)

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return False

    def sql(self) -> str:
        return f"TIME '{self.text}'"
