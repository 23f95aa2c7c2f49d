"""Aggregation: GROUP BY ordinals and aliases, the check that every selected column is grouped
or aggregated, and HAVING / ORDER BY expressions that reach into an aggregate (Spark's
ResolveOrdinalInOrderByAndGroupBy, ResolveAggregateFunctions and CheckAnalysis rules)."""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

from ember.errors import AnalysisException
from ember.optimizer.expressions import (
    Alias, Attribute, AttributeReference, Expression, Literal, UnresolvedAttribute,
    UnresolvedOrdinal)
from ember.optimizer.expressions.aggregates import AggregateExpression
from ember.optimizer.expressions.subquery import SubqueryExpression
from ember.optimizer.plans import logical as L


def contains_aggregate(e: Expression) -> bool:
    stack = [e]
    while stack:
        n = stack.pop()
        if isinstance(n, AggregateExpression):
            return True
        if isinstance(n, SubqueryExpression):
            continue
        stack.extend(_window_aware_children(n))
    return False


def _window_aware_children(n: Expression):
    """Children to search for grouping aggregates: the aggregate a window expression
    computes over its window is not one, but its arguments may hold some."""
    from ember.optimizer.expressions.windows import WindowExpression
    if isinstance(n, WindowExpression) and isinstance(n.function, AggregateExpression):
        f = n.function
        return list(f.function.children) + ([f.filter] if f.filter is not None else []) + \
            [n.spec]
    return n.children


def aggregates_in(e: Expression) -> List[AggregateExpression]:
    out = []
    stack = [e]
    while stack:
        n = stack.pop()
        if isinstance(n, AggregateExpression):
            out.append(n)
            continue
        if isinstance(n, SubqueryExpression):
            continue
        stack.extend(_window_aware_children(n))
    return out


def _q(text: str) -> str:
    return '"' + text + '"'


def check_no_nested_aggregates(e: Expression) -> None:
    from ember.optimizer.expressions.windows import WindowExpression
    for agg in aggregates_in(e):
        for inner in agg.function.children:
            if inner.exists(lambda n: isinstance(n, WindowExpression)):
                raise AnalysisException("_LEGACY_ERROR_TEMP_1031")
            if contains_aggregate(inner):
                raise AnalysisException(
                    "NESTED_AGGREGATE_FUNCTION")
        if agg.filter is not None and contains_aggregate(agg.filter):
            raise AnalysisException("NESTED_AGGREGATE_FUNCTION")


def resolve_grouping(groupings: Sequence[Expression], select: Sequence[Expression],
                     resolve) -> List[Expression]:
    """GROUP BY items: ordinals pick select-list items, names may be select-list aliases."""
    out = []
    for g in groupings:
        if isinstance(g, UnresolvedOrdinal):
            n = g.ordinal
            if not 1 <= n <= len(select):
                raise AnalysisException("GROUP_BY_POS_OUT_OF_RANGE", index=str(n),
                                        size=str(len(select)))
            item = select[n - 1]
            expr = item.child if isinstance(item, Alias) else item
            if contains_aggregate(expr):
                raise AnalysisException("GROUP_BY_POS_AGGREGATE", index=str(n),
                                        aggExpr=item.pretty_sql())
            out.append(expr)
            continue
        try:
            out.append(resolve(g))
        except AnalysisException as e:
            alias = _alias_for(g, select) if e.condition.startswith("UNRESOLVED_COLUMN") else None
            if alias is None:
                raise
            out.append(alias.child)
    for g in out:
        if contains_aggregate(g):
            raise AnalysisException("GROUP_BY_AGGREGATE", sqlExpr=g.pretty_sql())
    return out


def _alias_for(g: Expression, select: Sequence[Expression]) -> Optional[Alias]:
    if isinstance(g, UnresolvedAttribute) and len(g.name_parts) == 1:
        name = g.name_parts[0].lower()
        for item in select:
            if isinstance(item, Alias) and item.name.lower() == name and not contains_aggregate(
                    item.child):
                return item
    return None


def check_aggregate(agg: L.Aggregate) -> None:
    """Every selected expression must be grouped, aggregated or constant."""
    groups = [g.canonicalized() for g in agg.grouping_expressions]

    def check(e: Expression):
        from ember.optimizer.expressions.windows import WindowExpression
        if isinstance(e, WindowExpression):
            for c in _window_aware_children(e):
                check(c)
            return
        if isinstance(e, AggregateExpression):
            check_no_nested_aggregates(e)
            return
        if e.canonicalized() in groups and not isinstance(e, Literal):
            return
        if isinstance(e, Attribute) and not isinstance(e, AttributeReference):
            return
        if isinstance(e, AttributeReference):
            raise AnalysisException(
                "MISSING_AGGREGATION", expression=_q(e.pretty_sql()),
                expressionAnyValue=_q(f"any_value({e.pretty_sql()})"))
        if isinstance(e, SubqueryExpression):
            return
        for c in e.children:
            check(c)

    for item in agg.aggregate_expressions:
        check(item.child if isinstance(item, Alias) else item)


# ---------------------------------------------------------------------------- HAVING / ORDER BY
def find_aggregate(plan: L.LogicalPlan) -> Optional[L.Aggregate]:
    """The Aggregate a HAVING/ORDER BY refers to, looking through Filter (an earlier HAVING)."""
    while isinstance(plan, L.Filter):
        plan = plan.child
    return plan if isinstance(plan, L.Aggregate) else None


def rewrite_over_aggregate(exprs: Sequence[Expression], agg: L.Aggregate
                           ) -> Tuple[List[Expression], L.Aggregate]:
    """Rewrite resolved expressions (over the aggregate's input) so they read the aggregate's
    output, adding hidden output columns for aggregates and groups not yet selected."""
    from ember.optimizer.analyzer.grouping_analytics import replace_grouping_functions
    exprs = [replace_grouping_functions(e, agg) for e in exprs]
    items = list(agg.aggregate_expressions)
    groups = [g.canonicalized() for g in agg.grouping_expressions]

    def existing(e: Expression) -> Optional[Attribute]:
        ce = e.canonicalized()
        for item in items:
            inner = item.child if isinstance(item, Alias) else item
            if inner.canonicalized() == ce:
                return item.to_attribute()
        return None

    def rewrite(e: Expression) -> Expression:
        found = existing(e)
        if found is not None and not isinstance(e, Literal):
            return found
        if isinstance(e, AggregateExpression):
            check_no_nested_aggregates(e)
            alias = Alias(e, e.pretty_sql())
            items.append(alias)
            return alias.to_attribute()
        if e.canonicalized() in groups and not isinstance(e, Literal):
            alias = Alias(e, e.pretty_sql()) if not isinstance(e, Attribute) else e
            items.append(alias)
            return alias.to_attribute()
        if isinstance(e, AttributeReference):
            if any(e.expr_id == a.expr_id for a in agg.output):
                return e
            # a column that is neither grouped nor aggregated cannot be seen above the
            # aggregate: Spark reports it unresolved, suggesting the aggregate's columns
            from ember.optimizer.analyzer.resolve_references import unresolved_column_error
            raise unresolved_column_error(UnresolvedAttribute([e.name]), agg.output)
        if isinstance(e, SubqueryExpression):
            # its children are the outer columns it reads: grouped ones become hidden outputs
            return e.with_new_children([rewrite(c) for c in e.children])
        return e.with_new_children([rewrite(c) for c in e.children])

    out = [rewrite(e) for e in exprs]
    if len(items) != len(agg.aggregate_expressions):
        info = getattr(agg, "grouping_info", None)
        agg = L.Aggregate(agg.grouping_expressions, items, agg.child)
        if info is not None:
            agg.grouping_info = info
    return out, agg
