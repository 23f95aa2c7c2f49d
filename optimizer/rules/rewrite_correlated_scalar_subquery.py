"""Correlated scalar subqueries become left joins (Spark's RewriteCorrelatedScalarSubquery).

Before:  Project [name#1, scalar-subquery#9 [dept#2]]
           (Aggregate [count(1)] <- Filter (dept#5 = outer(dept#2)) <- Relation [dept#5])
After:   Project [name#1, if (isnull(alwaysTrue#11)) 0 else count(1)#10]
         <- Join LeftOuter, (dept#5 = dept#2)
            :- Relation [name#1, dept#2]
            +- Project [count(1)#10, dept#5, true AS alwaysTrue#11]
               <- Aggregate [dept#5], [count(1), dept#5] <- Relation [dept#5]
The `alwaysTrue` marker handles the "count bug": an aggregate over no rows is 0, not NULL.
When the subquery is not one row per correlation key, the join is a LeftSingle join that fails
with SCALAR_SUBQUERY_TOO_MANY_ROWS if a row matches twice. Uncorrelated scalar subqueries stay
expressions: they run once, as their own plan, when the query runs.
"""
from __future__ import annotations

from ember.optimizer.expressions import (Alias, EqualNullSafe, EqualTo, If, IsNull, Literal,
                                         combine_conjuncts)
from ember.optimizer.expressions.subquery import ScalarSubquery
from ember.optimizer.plans import logical as L
from ember.optimizer.analyzer.subqueries import same_subquery
from ember.optimizer.rules.decorrelate import (dedupe_against, peel_top_project,
                                               pull_up_correlated, rewrite_nested, strip_outer,
                                               zero_row_value)
from ember import types as T


def _correlated(p: L.LogicalPlan):
    out = []
    for e in p.expressions():
        for n in e.walk():
            if isinstance(n, ScalarSubquery) and n.outer_attrs and n not in out:
                out.append(n)
    return out


def rewrite_correlated_scalar_subquery(plan, ctx):
    def rule(p):
        if not isinstance(p, (L.Project, L.Filter, L.Aggregate)):
            return None
        subs = _correlated(p)
        if not subs:
            return None
        child = p.child
        values = {}
        for s in subs:
            same = next((o for o in subs if o.expr_id in values and same_subquery(o, s)), None)
            if same is not None:       # `GROUP BY (subquery)` and the same in the select list
                values[s.expr_id] = values[same.expr_id]
                continue
            child, values[s.expr_id] = _join_subquery(child, s, ctx)

        def replace(n):
            if isinstance(n, ScalarSubquery) and n.expr_id in values:
                return values[n.expr_id]
            return None
        if isinstance(p, L.Project):
            return L.Project([e.transform_up(replace) for e in p.project_list], child)
        if isinstance(p, L.Aggregate):      # joined below: grouped by, or aggregated
            return L.Aggregate([e.transform_up(replace) for e in p.grouping_expressions],
                               [e.transform_up(replace) for e in p.aggregate_expressions],
                               child)
        return L.Project(list(p.child.output),
                         L.Filter(p.condition.transform_up(replace), child))
    return plan.transform_up(rule)


def _join_subquery(outer: L.LogicalPlan, s: ScalarSubquery, ctx):
    """(outer joined with the decorrelated subquery, the expression giving its value)."""
    sub = dedupe_against(rewrite_nested(s.plan, ctx), outer)
    inner, top = peel_top_project(sub)
    d = pull_up_correlated(inner, outer)
    right = d.plan
    if top is not None:
        value = strip_outer(top[0].child if isinstance(top[0], Alias) else top[0])
    else:
        value = right.output[0]
    core = right
    while isinstance(core, (L.SubqueryAlias, L.View, L.Project)) and not isinstance(
            core, L.Aggregate):
        core = core.child
    zero = None
    if top is None and isinstance(core, L.Aggregate) and d.unique_keys is not None:
        first = right.output[0]
        item = next((x for x in core.aggregate_expressions if x.expr_id == first.expr_id), None)
        if item is not None:
            zero = zero_row_value(item, ctx)
    unique = d.unique_keys is not None and all(
        isinstance(c, (EqualTo, EqualNullSafe)) for c in d.predicates)
    if zero is not None:
        marker = Alias(Literal(True, T.BooleanType()), "alwaysTrue")
        right = L.Project(list(right.output) + [marker], right)
        value = If(IsNull(marker.to_attribute()), Literal(zero, value.data_type), value)
    join = L.Join(outer, right, "LeftOuter" if unique else "LeftSingle",
                  combine_conjuncts(d.predicates))
    return join, value
