"""Shared by the subquery rewrites: pulling correlated predicates out of a subquery plan
(Spark's pullOutCorrelatedPredicates / DecorrelateInnerQuery, the equality-through-aggregate
subset).

Before:  Aggregate [max(b#5)] <- Filter ((k#4 = outer(k#1)) AND (b#5 > 0)) <- Relation [k#4, b#5]
After:   Aggregate [k#4], [max(b#5), k#4] <- Filter (b#5 > 0) <- Relation [k#4, b#5]
         with the join predicate (k#4 = k#1)
"""
from __future__ import annotations

from typing import List, Optional, Tuple

from ember.errors import not_supported
from ember.optimizer.expressions import (AttributeReference, EqualNullSafe, EqualTo, Expression,
                                         Literal, OuterReference, combine_conjuncts, split_conjuncts)
from ember.optimizer.plans import logical as L


def has_outer(e: Expression) -> bool:
    return any(isinstance(n, OuterReference) for n in e.walk())


def plan_has_outer(plan: L.LogicalPlan) -> bool:
    return any(has_outer(e) for n in plan.walk() for e in n.expressions())


def strip_outer(e: Expression) -> Expression:
    """Outer references become plain references to the outer query's attributes."""
    return e.transform_up(lambda n: n.attr if isinstance(n, OuterReference) else None)


def dedupe_against(sub: L.LogicalPlan, outer: L.LogicalPlan) -> L.LogicalPlan:
    """A fresh copy of `sub` when it produces attributes the outer plan also has (a subquery
    over the same table or view as its outer query)."""
    from ember.optimizer.analyzer.resolve_relations import fresh_instance
    outer_ids = {a.expr_id for a in outer.output}
    for node in sub.walk():
        if isinstance(node, (L.LocalRelation, L.LogicalRelation, L.Range)) and any(
                a.expr_id in outer_ids for a in node.output):
            return fresh_instance(sub)
    return sub


class Decorrelated:
    def __init__(self, plan, predicates, unique_keys: Optional[list]):
        self.plan = plan
        self.predicates = predicates          # conditions over (outer output + plan output)
        self.unique_keys = unique_keys        # attrs on which the plan has one row per value


def pull_up_correlated(plan: L.LogicalPlan, outer: Optional[L.LogicalPlan] = None) -> Decorrelated:
    """Remove the correlated conjuncts of the filters in `plan` and return them (outer
    references turned into plain attributes), with the plan widened so that every attribute
    they read is in its output."""
    new, preds, unique = _pull(plan, outer)
    return Decorrelated(new, [strip_outer(p) for p in preds], unique)


def _needed(preds, plan_output_ids) -> List[AttributeReference]:
    out, seen = [], set()
    for p in preds:
        for a in p.references():
            if a.expr_id not in plan_output_ids and a.expr_id not in seen:
                seen.add(a.expr_id)
                out.append(a)
    return out


def _pull(plan, outer) -> Tuple[L.LogicalPlan, List[Expression], Optional[list]]:
    if not plan_has_outer(plan):
        return plan, [], None
    if isinstance(plan, L.Filter):
        child, preds, unique = _pull(plan.child, outer)
        local, corr = [], []
        for c in split_conjuncts(plan.condition):
            (corr if has_outer(c) else local).append(c)
        cond = combine_conjuncts(local)
        return (L.Filter(cond, child) if cond is not None else child), preds + corr, unique
    if isinstance(plan, L.Project):
        if any(has_outer(e) for e in plan.project_list):
            raise not_supported("outer references in this position of a subquery")
        child, preds, unique = _pull(plan.child, outer)
        ids = {a.expr_id for a in plan.output}
        extra = _needed(preds, ids)
        child_ids = {a.expr_id for a in child.output}
        extra = [a for a in extra if a.expr_id in child_ids]
        return L.Project(list(plan.project_list) + extra, child), preds, unique
    if isinstance(plan, L.Aggregate):
        child, preds, _ = _pull(plan.child, outer)
        keys = []
        for p in preds:
            side = _inner_side_of_equality(p)
            if side is None:
                if outer is None:
                    raise not_supported("a correlated non-equality predicate below an aggregate")
                child, preds, keys = _domain_join(child, preds, outer)
                break
            keys.extend(a for a in side.references() if a not in keys)
        child_ids = {a.expr_id for a in child.output}
        keys = [a for a in keys if a.expr_id in child_ids]
        out_ids = {a.expr_id for a in plan.output}
        agg = L.Aggregate(list(plan.grouping_expressions) + keys,
                          list(plan.aggregate_expressions) + [
                              k for k in keys if k.expr_id not in out_ids], child)
        unique = keys if not plan.grouping_expressions else None
        return agg, preds, unique
    if isinstance(plan, (L.SubqueryAlias, L.View)):
        child, preds, unique = _pull(plan.child, outer)
        return plan.with_new_children([child]), preds, unique
    if isinstance(plan, (L.Distinct, L.Sort)):
        child, preds, unique = _pull(plan.child, outer)
        return plan.with_new_children([child]), preds, unique
    if isinstance(plan, L.GlobalLimit) and isinstance(plan.child, L.LocalLimit):
        return _pull_limit(plan, outer)
    if isinstance(plan, L.Join) and plan.join_type in ("Inner", "Cross", "LeftSemi", "LeftAnti",
                                                       "LeftOuter"):
        left, lp, _ = _pull(plan.left, outer)
        right, rp, _ = _pull(plan.right, outer)
        if rp and plan.join_type not in ("Inner", "Cross"):
            raise not_supported("outer references in this position of a subquery")
        corr = []
        if plan.condition is not None and has_outer(plan.condition):
            if plan.join_type not in ("Inner", "Cross"):
                raise not_supported("outer references in this position of a subquery")
            local = []
            for c in split_conjuncts(plan.condition):
                (corr if has_outer(c) else local).append(c)
            plan = plan.copy_with(condition=combine_conjuncts(local))
        return plan.with_new_children([left, right]), lp + rp + corr, None
    raise not_supported("outer references in this position of a subquery")


def _inner_side_of_equality(p: Expression) -> Optional[Expression]:
    if isinstance(p, (EqualTo, EqualNullSafe)):
        l, r = p.left, p.right
        if has_outer(r) and not has_outer(l) and all(isinstance(n, OuterReference) or not
                                                     isinstance(n, AttributeReference)
                                                     for n in r.walk()):
            return l
        if has_outer(l) and not has_outer(r) and all(isinstance(n, OuterReference) or not
                                                     isinstance(n, AttributeReference)
                                                     for n in l.walk()):
            return r
    return None


SUBQUERY_RULES = ("rewrite_lateral_join", "rewrite_correlated_scalar_subquery",
                  "rewrite_predicate_subquery")


def rewrite_nested(plan: L.LogicalPlan, ctx) -> L.LogicalPlan:
    """Run the subquery rewrites inside a subquery's own plan first (to a fixed point)."""
    import importlib
    rules = [getattr(importlib.import_module("ember.optimizer.rules." + n), n)
             for n in SUBQUERY_RULES]
    for _ in range(20):
        before = plan
        for r in rules:
            plan = r(plan, ctx)
        if plan is before:
            break
    return plan


def peel_top_project(plan: L.LogicalPlan):
    """(inner plan, select list) when the subquery's top Project reads outer columns (those
    expressions are computed after the join instead); else (plan, None)."""
    inner = plan
    while isinstance(inner, (L.SubqueryAlias, L.View)):
        inner = inner.child
    if isinstance(inner, L.Project) and any(has_outer(e) for e in inner.project_list):
        return inner.child, list(inner.project_list)
    return plan, None


def zero_row_value(e: Expression, ctx):
    """The value of an aggregate's output expression over no input rows (count -> 0, the
    others NULL): what a correlated aggregate subquery yields when nothing matches."""
    from ember.optimizer.expressions import Alias, Literal
    from ember.optimizer.expressions.aggregates import AggregateExpression

    def rule(n):
        if isinstance(n, AggregateExpression):
            name = type(n.function).__name__.lower()
            if name.startswith("count") or name.startswith("approxcount"):
                return Literal(0, n.data_type)
            return Literal(None, n.data_type)
        return None
    body = e.child if isinstance(e, Alias) else e
    try:
        return ctx.evaluate(body.transform_up(rule))
    except Exception:       # an error on empty input shows up when the subquery runs
        return None


def _domain_join(child, preds, outer):
    """Join the distinct values of the outer columns the predicates read (the domain) into
    `child`, so an aggregate above can group by them; the predicates left for the outer join
    just match the domain's columns to the outer ones (null-safe)."""
    from ember.optimizer.expressions import Alias
    attrs, seen = [], set()
    for p in preds:
        for n in p.walk():
            if isinstance(n, OuterReference) and n.attr.expr_id not in seen:
                seen.add(n.attr.expr_id)
                attrs.append(n.attr)
    aliases = [Alias(a, a.name) for a in attrs]
    domain = L.Distinct(L.Project(aliases, outer))
    by_id = {a.expr_id: al.to_attribute() for a, al in zip(attrs, aliases)}
    inner_preds = [p.transform_up(lambda n: by_id[n.attr.expr_id]
                                  if isinstance(n, OuterReference) else None) for p in preds]
    join = L.Join(child, domain, "Inner", combine_conjuncts(inner_preds))
    keys = [by_id[a.expr_id] for a in attrs]
    new_preds = [EqualNullSafe(k, OuterReference(a)) for k, a in zip(keys, attrs)]
    return join, new_preds, keys


def _pull_limit(plan: L.GlobalLimit, outer):
    """`... WHERE k = outer(x) ORDER BY o LIMIT n` keeps the first n rows of each k: a
    row_number() window partitioned by k (Spark's DecorrelateInnerQuery for Limit)."""
    from ember.optimizer.expressions import Alias, LessThanOrEqual
    from ember.optimizer.expressions.windows import (RowNumber, WindowExpression,
                                                     WindowSpecDefinition, rows_frame)
    from ember.optimizer.plans.window import Window
    child, preds, unique = _pull(plan.child.child, outer)
    if unique is not None and isinstance(plan.limit, Literal) and plan.limit.value >= 1:
        return child, preds, unique      # already one row per correlation key
    keys = []
    for p in preds:
        side = _inner_side_of_equality(p)
        if side is None or not isinstance(plan.limit, Literal):
            raise not_supported("LIMIT in a subquery with this correlation")
        keys.extend(a for a in side.references() if a not in keys)
    n = plan.limit

    def limit_rows(node, order):
        rn = Alias(WindowExpression(RowNumber(), WindowSpecDefinition(
            keys, order, rows_frame())), "rn")
        win = Window([rn], keys, order, node)
        return L.Project(list(node.output), L.Filter(
            LessThanOrEqual(rn.to_attribute(), n), win))

    def place(node):
        if isinstance(node, L.Sort):
            return limit_rows(node.child, list(node.order))
        if isinstance(node, (L.Project, L.SubqueryAlias)):
            inner = place(node.child)
            return None if inner is None else node.with_new_children([inner])
        return None
    limited = place(child) or limit_rows(child, [])
    return limited, preds, (keys if n.value == 1 else None)
