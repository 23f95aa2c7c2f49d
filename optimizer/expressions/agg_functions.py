"""Aggregate functions declared by their builders (statistics, boolean, first/last, min_by,
collect_*, percentiles, ...): the builder fixes the SQL name, the result type and any
constant parameters; the engine's implementation is looked up by `kind`.

Spark names the result after the name the function was called by (`std(x)`, `some(b)`), so
`name` is part of the expression's meaning for printing, while `kind` selects the algorithm.
"""
from __future__ import annotations

from typing import Optional, Sequence

from ember import types as T
from ember.optimizer.expressions.aggregates import AggregateFunction
from ember.optimizer.expressions.base import Expression


class DeclaredAggregate(AggregateFunction):
    # True when rows whose arguments are NULL still take part (first/last, min_by, ...):
    # HashAggregateExec then masks only by FILTER.
    sees_null_arguments = False

    def __init__(self, kind: str, name: str, children: Sequence[Expression],
                 result_type: T.DataType, nullable: bool = True, options: tuple = (),
                 sees_nulls: bool = False, sql_text: Optional[str] = None):
        self.kind = kind
        self.name = name
        self.children = tuple(children)
        self.result_type = result_type
        self.result_nullable = nullable
        self.options = tuple(options)
        self.sees_null_arguments = sees_nulls
        self.sql_text = sql_text          # a fixed column-name form (WITHIN GROUP, ...)

    def _fields(self):
        return (self.kind, self.name, self.result_type, self.result_nullable, self.options,
                self.sees_null_arguments, self.sql_text)

    @property
    def data_type(self):
        return self.result_type

    @property
    def nullable(self):
        return self.result_nullable

    @property
    def pretty_name(self):
        return self.name

    def call_sql(self, distinct: str, render) -> str:
        """The call's SQL text inside AggregateExpression.sql (`render` prints a child)."""
        if self.sql_text is not None:
            return self.sql_text.format(*[render(c) for c in self.children])
        return f"{self.name}({distinct}{', '.join(render(c) for c in self.children)})"
