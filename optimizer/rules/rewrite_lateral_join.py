"""LATERAL subqueries become ordinary joins (Spark's decorrelation of LateralJoin).

Correlated filter predicates move into the join condition; a top select list that reads the
left side's columns is computed above the join; an aggregate without GROUP BY (one row for
every left row, even when nothing matches) becomes a left outer join whose missing rows take
the aggregate's value over no rows (count -> 0).

Before:  Join Inner <- Relation emp [id#1, d#2], LateralSubquery
                                     <- Aggregate [count(1) AS cnt#7] <- Filter (k#5 = outer(d#2))
After:   Project [id#1, d#2, if (isnull(alwaysTrue#9)) 0 else cnt#8 AS cnt#7]
         <- Join LeftOuter, (k#5 = d#2) <- Relation emp, Project [cnt#7 AS cnt#8, k#5, true AS alwaysTrue#9]
"""
from __future__ import annotations

from ember import types as T
from ember.optimizer.expressions import (Alias, If, IsNull, Literal, combine_conjuncts)
from ember.optimizer.plans import logical as L
from ember.optimizer.plans.subquery_plans import LateralSubquery
from ember.optimizer.rules.decorrelate import (dedupe_against, peel_top_project,
                                               plan_has_outer, pull_up_correlated,
                                               rewrite_nested, strip_outer, zero_row_value)


def rewrite_lateral_join(plan, ctx):
    def rule(p):
        if isinstance(p, L.Join) and isinstance(p.right, LateralSubquery):
            return _rewrite(p, ctx)
        return None
    return plan.transform_up(rule)


def _is_true(c) -> bool:
    return c is None or (isinstance(c, Literal) and c.value is True)


def _rewrite(j: L.Join, ctx):
    left = j.left
    sub = rewrite_nested(j.right.child, ctx)
    if not plan_has_outer(sub):
        return L.Join(left, sub, j.join_type, j.condition, j.hint)
    sub = dedupe_against(sub, left)
    out_attrs = list(sub.output)               # the ids the rest of the query reads
    inner, top = peel_top_project(sub)
    d = pull_up_correlated(inner, left)
    right = d.plan
    jt = j.join_type if j.join_type != "Cross" else "Inner"
    cond = [c for c in [j.condition] if not _is_true(c)]
    if top is not None:
        if jt != "Inner":
            from ember.errors import not_supported
            raise not_supported("an outer LATERAL join whose select list reads outer columns")
        join = L.Join(left, right, "Inner", combine_conjuncts(d.predicates))
        items = [Alias(strip_outer(e.child), e.name, e.expr_id) if isinstance(e, Alias)
                 else strip_outer(e) for e in top]
        out = L.Project(list(left.output) + items, join)
        return L.Filter(combine_conjuncts([strip_outer(c) for c in cond]), out) if cond else out
    core = right
    while isinstance(core, (L.SubqueryAlias, L.View, L.Project)):
        core = core.child
    if isinstance(core, L.Aggregate) and d.unique_keys is not None and jt in ("Inner",
                                                                              "LeftOuter"):
        # one row per left row whatever matches: a left join, empty matches at their
        # zero-row values
        out_ids = {a.expr_id for a in out_attrs}
        renamed = [Alias(a, a.name) for a in right.output if a.expr_id in out_ids]
        marker = Alias(Literal(True, T.BooleanType()), "alwaysTrue")
        right = L.Project(renamed + [a for a in right.output if a.expr_id not in out_ids] +
                          [marker], right)
        join = L.Join(left, right, "LeftOuter", combine_conjuncts(d.predicates))
        items = []
        by_id = {x.expr_id: x for x in core.aggregate_expressions}
        for a, r in zip(out_attrs, renamed):
            zero = zero_row_value(by_id[a.expr_id], ctx) if a.expr_id in by_id else None
            value = r.to_attribute()
            if zero is not None:
                value = If(IsNull(marker.to_attribute()), Literal(zero, a.data_type), value)
            items.append(Alias(value, a.name, a.expr_id))
        out = L.Project(list(left.output) + items, join)
        return L.Filter(cond[0], out) if cond else out
    join = L.Join(left, right, jt, combine_conjuncts(cond + d.predicates))
    if len(join.output) != len(j.output):
        n = len(left.output)
        join = L.Project(list(join.output[:n]) + [
            a for a in join.output[n:] if a.expr_id in {o.expr_id for o in out_attrs}], join)
    return join
