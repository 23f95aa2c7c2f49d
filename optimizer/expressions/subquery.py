"""Subquery expressions (scalar, EXISTS, IN). The subquery plan is held in `plan`, not as a
child: it is a separate query tree, analysed with the enclosing plan as its outer scope."""
from __future__ import annotations

from typing import Optional, Sequence

from ember import types as T
from ember.optimizer.expressions.base import Expression, Unevaluable
from ember.optimizer.expressions.named import new_expr_id


class SubqueryExpression(Expression):
    def __init__(self, plan, outer_attrs: Sequence[Expression] = (), expr_id: Optional[int] = None,
                 children: Sequence[Expression] = ()):
        self.plan = plan
        self.expr_id = new_expr_id() if expr_id is None else expr_id
        # the outer columns the subquery reads are its children (as Spark's outerAttrs), so
        # the enclosing operator's references include them
        self.children = tuple(children) if children else tuple(outer_attrs)

    @property
    def outer_attrs(self):
        return self.children

    @outer_attrs.setter
    def outer_attrs(self, value):
        self.children = tuple(value)

    def _fields(self):
        return (self.expr_id,)

    def with_plan(self, plan):
        return self.copy_with(plan=plan)

    @property
    def resolved(self):
        return self.children_resolved and self.plan.resolved

    def outer_references(self):
        return set(a for a in self.outer_attrs if hasattr(a, "expr_id"))

    @property
    def foldable(self):
        return False


class ScalarSubquery(SubqueryExpression):
    @property
    def data_type(self):
        return self.plan.output[0].data_type

    @property
    def nullable(self):
        return True

    def sql(self) -> str:
        return "scalarsubquery(" + _outer_sql(self) + ")"

    def __str__(self) -> str:
        return f"scalar-subquery#{self.expr_id} [{', '.join(str(a) for a in self.outer_attrs)}]"


class Exists(SubqueryExpression):
    @property
    def data_type(self):
        return T.BooleanType()

    @property
    def nullable(self):
        return False

    def sql(self) -> str:
        return "exists(" + _outer_sql(self) + ")"

    def __str__(self) -> str:
        return f"exists#{self.expr_id} [{', '.join(str(a) for a in self.outer_attrs)}]"


class ListQuery(SubqueryExpression):
    @property
    def data_type(self):
        out = self.plan.output
        if len(out) == 1:
            return out[0].data_type
        return T.StructType([T.StructField(a.name, a.data_type, a.nullable) for a in out])

    def sql(self) -> str:
        return "listquery(" + _outer_sql(self) + ")"

    def __str__(self) -> str:
        return f"list#{self.expr_id} [{', '.join(str(a) for a in self.outer_attrs)}]"


class InSubquery(Unevaluable):
    """`(values) IN (subquery)`; children = values + (ListQuery,)."""

    def __init__(self, values: Sequence[Expression], query: ListQuery):
        self.children = tuple(values) + (query,)

    @property
    def values(self):
        return self.children[:-1]

    @property
    def query(self) -> ListQuery:
        return self.children[-1]

    @property
    def data_type(self):
        return T.BooleanType()

    @property
    def nullable(self):
        return True

    def sql(self) -> str:
        vals = self.values
        v = vals[0].sql() if len(vals) == 1 else "named_struct(" + ", ".join(
            f"'{x.sql()}', {x.sql()}" for x in vals) + ")"
        return f"({v} IN ({self.query.sql()}))"

    def __str__(self) -> str:
        return f"{self.values[0] if len(self.values) == 1 else self.values} IN ({self.query})"

    def coerce_inputs(self):
        from ember.optimizer.analyzer.subqueries import coerce_in_subquery
        return coerce_in_subquery(self)


def _outer_sql(e: SubqueryExpression) -> str:
    """Outer columns as Spark names them in a subquery's SQL: the bare name (`dept`)."""
    from ember.optimizer.expressions.base import pretty
    return ", ".join(pretty(a).sql() for a in e.outer_attrs)
