"""Uncorrelated scalar subqueries at run time (Spark's ScalarSubquery execution): the
subquery's physical plan runs once, on first use, and its single value is broadcast as a
constant. No row gives NULL; more than one row is SCALAR_SUBQUERY_TOO_MANY_ROWS."""
from __future__ import annotations

import pyarrow as pa

from ember.errors import SparkRuntimeException
from ember.optimizer.expressions.base import LeafExpression
from ember.engine.evaluator import evaluates


class ScalarSubqueryExec(LeafExpression):
    def __init__(self, logical, physical, expr_id):
        self.logical = logical          # the ScalarSubquery expression (type, name, EXPLAIN)
        self.physical = physical
        self.expr_id = expr_id

    def _fields(self):
        return (self.expr_id,)

    @property
    def data_type(self):
        return self.logical.data_type

    @property
    def nullable(self):
        return True

    @property
    def resolved(self):
        return True

    @property
    def foldable(self):
        return False

    def __str__(self):
        return f"Subquery subquery#{self.expr_id}"


@evaluates(ScalarSubqueryExec)
def _scalar_subquery(e: ScalarSubqueryExec, batch, ctx):
    cache = ctx.subquery_values
    if e.expr_id not in cache:
        from ember.engine.operators.base import ExecContext
        from ember import types as T
        table = e.physical.collect_table(ExecContext(ctx.conf, ctx))
        if table.num_rows > 1:
            raise SparkRuntimeException("SCALAR_SUBQUERY_TOO_MANY_ROWS")
        if table.num_rows == 0:
            cache[e.expr_id] = pa.scalar(None, T.to_arrow(e.data_type))
        else:
            col = table.column(0).combine_chunks()
            cache[e.expr_id] = col[0].cast(T.to_arrow(e.data_type))
    return cache[e.expr_id]
