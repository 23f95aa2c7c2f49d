"""The analyzer: unresolved plan in, resolved and checked plan out.

Resolution runs bottom-up in one pass: when a node is resolved its children already are, so
each operator's names are looked up in its children's output (and, for correlated subqueries,
in the enclosing queries' outputs). Each concern lives in its own module:
resolve_relations (tables, views, VALUES), resolve_references (columns, functions, aliases),
resolve_aggregates (GROUP BY, HAVING, aggregate checks), type_coercion and check_analysis.
"""
from __future__ import annotations

from typing import List, Sequence

from ember import types as T
from ember.errors import AnalysisException, not_supported
from ember.optimizer.expressions import (
    Alias, AttributeReference, Expression, Literal, SortOrder, UnresolvedAlias,
    UnresolvedOrdinal)
from ember.optimizer.expressions.special import MultiAlias
from ember.optimizer.expressions.subquery import SubqueryExpression
from ember.optimizer.plans import commands as C
from ember.optimizer.plans import logical as L
from ember.optimizer.plans import generate as G
from ember.optimizer.analyzer import resolve_aggregates as agg_rules
from ember.optimizer.analyzer import resolve_relations as rel_rules
from ember.optimizer.analyzer.check_analysis import check_analysis
from ember.optimizer.analyzer.context import AnalysisContext
from ember.optimizer.analyzer.resolve_references import (assign_name, expand_stars,
                                                         resolve_expression)
from ember.optimizer.analyzer.set_operations import resolve_set_operation
from ember.optimizer.analyzer.joins import resolve_join, resolve_using_join


class Analyzer:
    def __init__(self, ctx: AnalysisContext):
        self.ctx = ctx

    def analyze(self, plan: L.LogicalPlan) -> L.LogicalPlan:
        if isinstance(plan, C.Command):
            return plan
        resolved = resolve_plan(plan, self.ctx)
        from ember.optimizer.analyzer.resolve_windows import extract_window_expressions
        resolved = extract_window_expressions(resolved)
        check_analysis(resolved)
        return resolved


def resolve_plan(plan: L.LogicalPlan, ctx: AnalysisContext) -> L.LogicalPlan:
    """Resolve `plan` and everything below it."""
    if plan.resolved and not isinstance(plan, L.Unsupported):
        return plan          # e.g. a DataFrame's analysed plan under a new operator
    handler = _HANDLERS.get(type(plan))
    if handler is None:
        for cls, h in _HANDLERS.items():
            if isinstance(plan, cls):
                handler = h
                break
    if handler is None:
        if plan.resolved:
            return plan
        raise not_supported(f"the {plan.node_name()} operator")
    return handler(plan, ctx)


def _children(plan, ctx):
    return [resolve_plan(c, ctx) for c in plan.children]


def _expr(ctx, attrs):
    """An expression resolver over `attrs` that also resolves subqueries in scope."""
    def resolve_subquery(node: SubqueryExpression, scope_attrs):
        from ember.optimizer.analyzer.subqueries import resolve_subquery as resolve_sub
        return resolve_sub(node, scope_attrs, ctx, resolve_plan)

    def resolve(e: Expression) -> Expression:
        return resolve_expression(e, attrs, ctx, resolve_subquery)
    return resolve


# ---------------------------------------------------------------------------- handlers
def _with(plan: L.With, ctx):
    ctes = dict(ctx.ctes)
    for name, columns, query in plan.ctes:
        key = name if ctx.case_sensitive else name.lower()
        ctes[key] = (columns, query, dict(ctes))
        if plan.recursive:
            from ember.optimizer.analyzer.recursive_cte import recursive_cte
            loop = recursive_cte(name, columns, query, dict(ctes), ctx)
            if loop is not None:
                ctes[key] = (None, loop, dict(ctes))
                query = loop
        # resolve once now so errors inside an unused CTE surface as in Spark
        resolve_plan(query, ctx.nested(ctes=dict(ctes)))
    return resolve_plan(plan.child, ctx.nested(ctes=ctes))


def _relation(plan: L.UnresolvedRelation, ctx):
    return rel_rules.resolve_relation(plan, ctx, resolve_plan)


def _subquery_alias(plan: L.SubqueryAlias, ctx):
    child = resolve_plan(plan.child, ctx)
    return L.SubqueryAlias(plan.identifier, child)


def _column_aliases(plan: L.UnresolvedSubqueryColumnAliases, ctx):
    child = resolve_plan(plan.child, ctx)
    return rel_rules.rename_columns(child, plan.names)


def _inline_table(plan: L.UnresolvedInlineTable, ctx):
    return rel_rules.resolve_inline_table(plan, ctx, lambda e, attrs: _expr(ctx, attrs)(e))


def _table_function(plan: L.UnresolvedTableValuedFunction, ctx):
    return rel_rules.resolve_table_function(plan, ctx, lambda e, attrs: _expr(ctx, attrs)(e))


def _leaf(plan, ctx):
    return plan


def _lateral_view(plan, ctx):
    from ember.engine.functions.generators import resolve_lateral_view
    return resolve_lateral_view(plan, ctx, resolve_plan, lambda e, attrs: _expr(ctx, attrs)(e))


def _generate(plan, ctx):
    return plan.with_new_children([resolve_plan(plan.child, ctx)])


def _unsupported(plan: L.Unsupported, ctx):
    raise not_supported(plan.feature)


def _resolve_select_list(items, child, ctx) -> List[Expression]:
    attrs = child.output
    resolve = _expr(ctx, attrs)
    out = []
    for item in expand_stars(items, attrs, ctx):
        if isinstance(item, MultiAlias):
            # `gen(...) AS (a, b)`: kept for extract_generators in _project
            out.append(MultiAlias(resolve(item.children[0]), item.names))
            continue
        out.append(assign_name(resolve(item)))
    return out


def _project(plan: L.Project, ctx):
    child = resolve_plan(plan.child, ctx)
    items = _resolve_select_list(plan.project_list, child, ctx)
    from ember.engine.functions.generators import extract_generators
    generated = extract_generators(items, child)
    if generated is not None:
        return generated
    if any(agg_rules.contains_aggregate(e) for e in items):
        agg = L.Aggregate([], items, child)
        agg_rules.check_aggregate(agg)
        return agg
    return L.Project(items, child)


def _filter(plan: L.Filter, ctx):
    child = resolve_plan(plan.child, ctx)
    cond = _expr(ctx, child.output)(plan.condition)
    if agg_rules.contains_aggregate(cond):
        raise AnalysisException("INVALID_WHERE_CONDITION", condition='"' + cond.pretty_sql() + '"',
                                expressionList=", ".join(
                                    a.pretty_sql() for a in agg_rules.aggregates_in(cond)))
    return L.Filter(cond, child)


def _aggregate(plan: L.Aggregate, ctx):
    from ember.optimizer.analyzer.time_window import rewrite_session_window, rewrite_time_window
    plan = rewrite_time_window(plan) or rewrite_session_window(plan) or plan   # GROUP BY window(..)
    child = resolve_plan(plan.child, ctx)
    resolve = _expr(ctx, child.output)
    items = _resolve_select_list(plan.aggregate_expressions, child, ctx)
    from ember.optimizer.analyzer import grouping_analytics as ga
    if ga.has_grouping_analytics(plan.grouping_expressions):
        agg = ga.resolve_grouping_analytics(
            plan.grouping_expressions, items, child,
            lambda exprs: agg_rules.resolve_grouping(exprs, items, resolve))
        agg_rules.check_aggregate(agg)
        return agg
    groupings = agg_rules.resolve_grouping(plan.grouping_expressions, items, resolve)
    from ember.engine.functions.generators import extract_generators
    generated = extract_generators(items, child, groupings)
    if generated is not None:
        return generated
    agg = L.Aggregate(groupings, items, child)
    agg_rules.check_aggregate(agg)
    return agg


def _having(plan: L.UnresolvedHaving, ctx):
    child = resolve_plan(plan.child, ctx)
    agg = agg_rules.find_aggregate(child)
    if agg is None:
        return L.Filter(_expr(ctx, child.output)(plan.condition), child)
    cond = _resolve_over_aggregate(plan.condition, agg, ctx)
    exprs, new_agg = agg_rules.rewrite_over_aggregate([cond], agg)
    new_child = _replace_aggregate(child, agg, new_agg)
    out = L.Filter(exprs[0], new_child)
    if new_agg is not agg:
        return L.Project(child.output, out)
    return out


def _resolve_over_aggregate(e: Expression, agg: L.Aggregate, ctx) -> Expression:
    """Names in HAVING / ORDER BY: select-list aliases first, then the aggregate's input."""
    from ember.optimizer.analyzer.resolve_references import resolve_attribute
    from ember.optimizer.expressions import UnresolvedAttribute
    out_attrs = agg.output
    alias_map = {a.expr_id: item for a, item in zip(out_attrs, agg.aggregate_expressions)}
    scope = agg.child.output
    if getattr(agg, "grouping_info", None) is not None:     # GROUPING SETS / ROLLUP / CUBE
        scope = agg.grouping_info.scope(scope)

    def prefer_alias(node):
        if isinstance(node, UnresolvedAttribute):
            r = resolve_attribute(node, scope, ctx, allow_outer=False)
            if r is not None:
                return r
            r = resolve_attribute(node, out_attrs, ctx, allow_outer=False)
            if r is not None:
                item = alias_map.get(getattr(r, "expr_id", None))
                if isinstance(item, Alias):
                    return item.child
                return r
        return None

    def resolve_subquery(node, scope_attrs):
        from ember.optimizer.analyzer.subqueries import resolve_subquery as resolve_sub
        return resolve_sub(node, scope_attrs, ctx, resolve_plan)

    return resolve_expression(e, scope, ctx, resolve_subquery,
                              extra_rule=prefer_alias)


def _replace_aggregate(plan, old, new):
    if plan is old:
        return new
    return plan.with_new_children([_replace_aggregate(c, old, new) for c in plan.children])


def _sort(plan: L.Sort, ctx):
    child = resolve_plan(plan.child, ctx)
    output = child.output
    orders = []
    missing = False
    for so in plan.order:
        e = so.child
        if isinstance(e, UnresolvedOrdinal):
            n = e.ordinal
            if not 1 <= n <= len(output):
                raise AnalysisException("ORDER_BY_POS_OUT_OF_RANGE", index=str(n),
                                        size=str(len(output)))
            orders.append(SortOrder(output[n - 1], so.direction, so.null_ordering))
            continue
        try:
            r = _expr(ctx, output)(e)
            orders.append(SortOrder(r, so.direction, so.null_ordering))
        except AnalysisException as err:
            if not err.condition.startswith("UNRESOLVED_COLUMN") and \
                    err.condition != "MISSING_AGGREGATION":
                raise
            orders.append(so)
            missing = True
    from ember.optimizer.analyzer.grouping_analytics import contains_grouping_function
    if not missing and not any(agg_rules.contains_aggregate(o.child) or
                               contains_grouping_function(o.child) for o in orders
                               if o.child.resolved):
        return L.Sort(orders, plan.is_global, child)
    agg = agg_rules.find_aggregate(child) or (
        agg_rules.find_aggregate(child.child) if isinstance(child, L.Project) else None)
    if agg is not None:
        exprs = []
        for so in orders:
            e = so.child
            if not e.resolved:
                e = _resolve_over_aggregate(e, agg, ctx)
            exprs.append(e)
        rewritten, new_agg = agg_rules.rewrite_over_aggregate(exprs, agg)
        new_child = _replace_aggregate(child, agg, new_agg)
        if isinstance(new_child, L.Project) and new_agg is not agg:
            new_child = L.Project(new_child.project_list + [
                a for a in new_agg.output if a not in set(child.output)
                and a.expr_id not in {x.expr_id for x in child.output}], new_child.child)
        sort = L.Sort([SortOrder(r, so.direction, so.null_ordering)
                       for r, so in zip(rewritten, orders)], plan.is_global, new_child)
        return L.Project(child.output, sort) if new_agg is not agg else sort
    return _sort_with_missing_refs(plan, child, orders, ctx)


def _sort_with_missing_refs(plan, child, orders, ctx):
    """ORDER BY columns the select list dropped: add them below and project them away
    (Spark's ResolveMissingReferences)."""
    if not isinstance(child, (L.Project, L.Filter)) or isinstance(child, L.Aggregate):
        for so in orders:
            if not so.child.resolved:
                _expr(ctx, child.output)(so.child)       # raises the proper error
        return L.Sort(orders, plan.is_global, child)
    inner = child.child
    inputs = list(inner.output)
    resolved = []
    for so in orders:
        e = so.child
        if not e.resolved:
            e = _expr(ctx, list(child.output) + inputs)(e)
        resolved.append(SortOrder(e, so.direction, so.null_ordering))
    needed = set()
    for so in resolved:
        needed |= {a for a in so.child.references()}
    out_ids = {a.expr_id for a in child.output}
    extra = [a for a in inputs if a.expr_id not in out_ids and a in needed]
    if isinstance(child, L.Project):
        widened = L.Project(child.project_list + extra, inner)
    else:
        widened = child
    return L.Project(child.output, L.Sort(resolved, plan.is_global, widened))


def _distinct(plan: L.Distinct, ctx):
    return L.Distinct(resolve_plan(plan.child, ctx))


def _limit(plan, ctx):
    child = resolve_plan(plan.child, ctx)
    attr = "limit" if isinstance(plan, L.GlobalLimit) else "offset"
    e = _expr(ctx, [])(getattr(plan, attr))
    _check_limit(e, attr.upper(), ctx)
    return plan.copy_with(children=(child,), **{attr: e})


def _check_limit(e, name, ctx):
    if not e.foldable:
        raise AnalysisException("INVALID_LIMIT_LIKE_EXPRESSION.IS_UNFOLDABLE", name=name.lower(),
                                expr='"' + e.pretty_sql() + '"')
    if not isinstance(e.data_type, T.IntegerType):
        raise AnalysisException("INVALID_LIMIT_LIKE_EXPRESSION.DATA_TYPE", name=name.lower(),
                                expr='"' + e.pretty_sql() + '"',
                                dataType='"' + e.data_type.sql() + '"')
    v = ctx.evaluate(e)
    if v is None:
        raise AnalysisException("INVALID_LIMIT_LIKE_EXPRESSION.IS_NULL", name=name.lower(),
                                expr='"' + e.pretty_sql() + '"')
    if v < 0:
        raise AnalysisException("INVALID_LIMIT_LIKE_EXPRESSION.IS_NEGATIVE", name=name.lower(),
                                expr='"' + e.pretty_sql() + '"', v=str(v))


def _join(plan: L.Join, ctx):
    from ember.optimizer.plans.subquery_plans import LateralSubquery
    if isinstance(plan.right, LateralSubquery):
        # the lateral subquery sees the left side's columns as outer references
        left = resolve_plan(plan.left, ctx)
        from ember.optimizer.analyzer.subqueries import check_correlation
        inner = resolve_plan(plan.right.child, ctx.nested(outer=ctx.outer + [list(left.output)]))
        check_correlation(inner)
        return resolve_join(plan, left, LateralSubquery(inner), ctx, _expr)
    left, right = _children(plan, ctx)
    return resolve_join(plan, left, right, ctx, _expr)


def _unresolved_join(plan: L.UnresolvedJoin, ctx):
    left, right = _children(plan, ctx)
    return resolve_using_join(plan, left, right, ctx, _expr)


def _set_op(plan, ctx):
    return resolve_set_operation(plan, _children(plan, ctx), ctx)


def _hint(plan: L.UnresolvedHint, ctx):
    return resolve_plan(plan.child, ctx)


def _repartition(plan: L.RepartitionByExpression, ctx):
    child = resolve_plan(plan.child, ctx)
    resolve = _expr(ctx, child.output)
    return L.RepartitionByExpression([resolve(e) for e in plan.partition_expressions], child)


def _view(plan: L.View, ctx):
    return plan


_HANDLERS = {
    L.With: _with,
    L.UnresolvedRelation: _relation,
    L.SubqueryAlias: _subquery_alias,
    L.UnresolvedSubqueryColumnAliases: _column_aliases,
    L.UnresolvedInlineTable: _inline_table,
    L.UnresolvedTableValuedFunction: _table_function,
    L.OneRowRelation: _leaf,
    L.LocalRelation: _leaf,
    L.Range: _leaf,
    L.LogicalRelation: _leaf,
    L.View: _view,
    L.Unsupported: _unsupported,
    L.Project: _project,
    L.Filter: _filter,
    L.Aggregate: _aggregate,
    L.UnresolvedHaving: _having,
    L.Sort: _sort,
    L.Distinct: _distinct,
    L.LocalLimit: _limit,
    L.GlobalLimit: _limit,
    L.Offset: _limit,
    L.Join: _join,
    L.UnresolvedJoin: _unresolved_join,
    L.Union: _set_op,
    L.Intersect: _set_op,
    L.Except: _set_op,
    L.UnresolvedHint: _hint,
    L.RepartitionByExpression: _repartition,
    G.UnresolvedGenerate: _lateral_view,
    G.Generate: _generate,
}


def _register_window_handlers():
    from ember.optimizer.plans.window import Qualify
    from ember.optimizer.analyzer.resolve_windows import resolve_qualify
    _HANDLERS[Qualify] = resolve_qualify


_register_window_handlers()


def _recursive_cte(plan, ctx):
    from ember.optimizer.analyzer.recursive_cte import resolve_recursive_cte
    return resolve_recursive_cte(plan, ctx, resolve_plan)


def _register_subquery_plans():
    from ember.optimizer.plans.subquery_plans import RecursiveCTE
    _HANDLERS[RecursiveCTE] = _recursive_cte


_register_subquery_plans()
