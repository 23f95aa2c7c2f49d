"""Optimize the plans of the subqueries that stay expressions (uncorrelated scalar
subqueries, run once as their own plan when the query runs) with the same rule batches
(Spark's OptimizeSubqueries)."""
from __future__ import annotations

from ember.optimizer.expressions.subquery import SubqueryExpression


def optimize_subqueries(plan, ctx):
    from ember.optimizer.optimizer import optimize

    def rule(e):
        if isinstance(e, SubqueryExpression) and not getattr(e.plan, "_optimized", False):
            new = optimize(e.plan, ctx)
            new._optimized = True
            return e.with_plan(new)
        return None
    return plan.transform_all_expressions(rule)
