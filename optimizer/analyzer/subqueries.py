"""Resolving subquery expressions (Spark's ResolveSubquery plus the subquery parts of
CheckAnalysis): the subquery plan is resolved with the enclosing operator's input as its outer
scope; the outer columns it reads are recorded in `outer_attrs`; a scalar subquery must return
one column; `(a, b) IN (SELECT x, y ...)` must match in width and is coerced to common types;
outer references may only appear where Spark can decorrelate them.
"""
from __future__ import annotations

from typing import List

from ember.errors import AnalysisException
from ember.optimizer.expressions import Alias, Expression, OuterReference
from ember.optimizer.expressions.aggregates import AggregateExpression
from ember.optimizer.expressions.subquery import (Exists, InSubquery, ListQuery, ScalarSubquery,
                                                   SubqueryExpression)
from ember.optimizer.plans import logical as L


def outer_references_in(plan: L.LogicalPlan) -> List[OuterReference]:
    """The outer references anywhere in `plan` (not inside nested subquery plans)."""
    out, seen = [], set()
    for node in plan.walk():
        for e in node.expressions():
            for n in e.walk():
                if isinstance(n, OuterReference) and n.attr.expr_id not in seen:
                    seen.add(n.attr.expr_id)
                    out.append(n)
    return out


def resolve_subquery(node: SubqueryExpression, scope_attrs, ctx, resolve_plan):
    inner_ctx = ctx.nested(outer=ctx.outer + [list(scope_attrs)])
    plan = resolve_plan(node.plan, inner_ctx)
    check_correlation(plan)
    scope_ids = {a.expr_id for a in scope_attrs}
    outer = [o.attr for o in outer_references_in(plan) if o.attr.expr_id in scope_ids]
    if isinstance(node, ScalarSubquery) and len(plan.output) != 1:
        raise AnalysisException(
            "INVALID_SUBQUERY_EXPRESSION.SCALAR_SUBQUERY_RETURN_MORE_THAN_ONE_OUTPUT_COLUMN",
            number=str(len(plan.output)))
    return node.copy_with(plan=plan, outer_attrs=tuple(outer))


def coerce_in_subquery(e: InSubquery) -> Expression:
    """Width check and common types for `values IN (subquery)` (Spark's InConversion)."""
    from ember.optimizer.analyzer.type_coercion import cast, wider_type
    values, query = list(e.values), e.query
    out = query.plan.output
    if len(values) != len(out):
        raise AnalysisException(
            "DATATYPE_MISMATCH.IN_SUBQUERY_LENGTH_MISMATCH", sqlExpr='"' + e.pretty_sql() + '"',
            leftLength=str(len(values)), rightLength=str(len(out)),
            leftColumns="[" + ", ".join('"' + v.pretty_sql() + '"' for v in values) + "]",
            rightColumns="[" + ", ".join('"' + a.name + '"' for a in out) + "]")
    targets = []
    for v, a in zip(values, out):
        t = wider_type(v.data_type, a.data_type)
        if t is None:
            raise AnalysisException(
                "DATATYPE_MISMATCH.IN_SUBQUERY_DATA_TYPE_MISMATCH",
                sqlExpr='"' + e.pretty_sql() + '"',
                mismatchedColumns=f'({v.pretty_sql()}:{v.data_type.sql()}, '
                                  f'{a.name}:{a.data_type.sql()})',
                leftType=v.data_type.sql(), rightType=a.data_type.sql())
        targets.append(t)
    if all(v.data_type == t for v, t in zip(values, targets)) and all(
            a.data_type == t for a, t in zip(out, targets)):
        return e
    new_values = [cast(v, t) for v, t in zip(values, targets)]
    plan = query.plan
    if any(a.data_type != t for a, t in zip(out, targets)):
        plan = L.Project([a if a.data_type == t else Alias(cast(a, t), a.name)
                          for a, t in zip(out, targets)], plan)
    return InSubquery(new_values, query.copy_with(plan=plan))


def _correlated_error(exprs) -> AnalysisException:
    return AnalysisException("UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.CORRELATED_REFERENCE",
                             sqlExprs=", ".join('"' + e.pretty_sql() + '"' for e in exprs))


def _has_outer(e: Expression) -> bool:
    return any(isinstance(n, OuterReference) for n in e.walk())


def check_correlation(plan: L.LogicalPlan) -> None:
    """Outer references are allowed in filters and projections; inside an aggregate function,
    a grouping expression, a join condition or an ordering they cannot be decorrelated."""
    for node in plan.walk():
        if isinstance(node, L.Aggregate):
            bad = [g for g in node.grouping_expressions if _has_outer(g)]
            for item in node.aggregate_expressions:
                for n in item.walk():
                    if isinstance(n, AggregateExpression) and _has_outer(n):
                        bad.append(item.child if isinstance(item, Alias) else item)
                        break
            if bad:
                raise _correlated_error(bad)
        elif isinstance(node, (L.Sort, L.Join, L.RepartitionByExpression)) and not (
                isinstance(node, L.Join) and node.join_type in ("Inner", "Cross")):
            bad = [e for e in node.expressions() if _has_outer(e)]
            if bad:
                raise _correlated_error(bad)


def check_aggregate_subqueries(agg: L.Aggregate) -> None:
    """A correlated scalar subquery in an aggregate's select list must be grouped by or sit
    inside an aggregate function (Spark's CheckAnalysis)."""
    groups = [g for g in agg.grouping_expressions if isinstance(g, ScalarSubquery)]

    def visit(e: Expression):
        if isinstance(e, AggregateExpression):
            return
        if isinstance(e, ScalarSubquery) and e.outer_attrs:
            if not any(same_subquery(e, g) for g in groups):
                raise AnalysisException("SCALAR_SUBQUERY_IS_IN_GROUP_BY_OR_AGGREGATE_FUNCTION",
                                        sqlExpr='"' + e.pretty_sql() + '"')
            return
        for c in e.children:
            visit(c)
    for item in agg.aggregate_expressions:
        visit(item)


def same_subquery(a: SubqueryExpression, b: SubqueryExpression) -> bool:
    """The same subquery written twice (each resolution numbers its columns anew)."""
    import re
    if type(a) is not type(b) or [x.expr_id for x in a.outer_attrs] != [
            x.expr_id for x in b.outer_attrs]:
        return False
    strip = lambda p: re.sub(r"#\d+L?", "", p.tree_string())
    return strip(a.plan) == strip(b.plan)


def check_correlated_scalar_positions(plan: L.LogicalPlan) -> None:
    """Correlated scalar subqueries can be decorrelated in filters, projections and
    aggregates only."""
    if isinstance(plan, (L.Project, L.Filter, L.Aggregate)):
        return
    for e in plan.expressions():
        for n in e.walk():
            if isinstance(n, (Exists, InSubquery)) and not isinstance(plan, L.Join):
                raise AnalysisException(
                    "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.UNSUPPORTED_IN_EXISTS_SUBQUERY",
                    treeNode=plan.simple_string())
            if isinstance(n, ScalarSubquery) and n.outer_attrs:
                raise AnalysisException(
                    "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY."
                    "UNSUPPORTED_CORRELATED_SCALAR_SUBQUERY", treeNode=plan.simple_string())
