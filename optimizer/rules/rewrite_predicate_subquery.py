"""EXISTS and IN subqueries become joins (Spark's RewritePredicateSubquery).

A filter conjunct `EXISTS (q)` / `v IN (q)` becomes a left semi join, `NOT EXISTS` a left anti
join, and `v NOT IN (q)` a null-aware anti join: a left anti join on `(v = x) OR isnull(v = x)`,
so a NULL on either side removes the row, as three-valued logic demands.

Before:  Filter (v#1 NOT IN (list#4 [])) <- Relation [v#1]      (list#4: Relation [n#2])
After:   Join LeftAnti, ((v#1 = n#2) OR isnull((v#1 = n#2))) <- Relation [v#1], Relation [n#2]

Anywhere else (under OR, in a select list) the subquery becomes an ExistenceJoin adding a
boolean `exists` column, which replaces the subquery expression (`NOT IN` as NOT of the
null-aware condition's existence, as Spark does).
"""
from __future__ import annotations

from ember import types as T
from ember.optimizer.expressions import (And, AttributeReference, EqualTo, IsNull, Literal, Not,
                                         Or, combine_conjuncts, split_conjuncts)
from ember.optimizer.expressions.aggregates import AggregateExpression
from ember.optimizer.expressions.subquery import Exists, InSubquery, SubqueryExpression
from ember.optimizer.plans import logical as L
from ember.optimizer.plans.subquery_plans import ExistenceJoin
from ember.optimizer.rules.decorrelate import (dedupe_against, pull_up_correlated,
                                               rewrite_nested)


def _is_predicate_subquery(e) -> bool:
    return isinstance(e, (Exists, InSubquery))


def _contains(e) -> bool:
    return any(_is_predicate_subquery(n) for n in e.walk())


def _decorrelate(outer, s: SubqueryExpression, ctx):
    sub = dedupe_against(rewrite_nested(s.plan, ctx), outer)
    d = pull_up_correlated(sub, outer)
    return d.plan, list(d.predicates)


def _in_condition(e: InSubquery, right):
    return combine_conjuncts([EqualTo(v, a) for v, a in zip(e.values, right.output)])


def _semi_anti(outer, conj, ctx):
    """The join for a top-level conjunct, or None when it is not a plain predicate subquery."""
    negated = isinstance(conj, Not) and _is_predicate_subquery(conj.child)
    e = conj.child if negated else conj
    if not _is_predicate_subquery(e):
        return None
    if isinstance(e, Exists):
        if _one_row(e.plan):      # an aggregate without GROUP BY always has its row
            return outer if not negated else L.Filter(Literal(False, T.BooleanType()), outer)
        right, preds = _decorrelate(outer, e, ctx)
        if not preds:      # uncorrelated: one row of the subquery decides
            right = L.GlobalLimit(Literal(1, T.IntegerType()),
                                  L.LocalLimit(Literal(1, T.IntegerType()), right))
        return L.Join(outer, right, "LeftAnti" if negated else "LeftSemi",
                      combine_conjuncts(preds))
    right, preds = _decorrelate(outer, e.query, ctx)
    cond = _in_condition(e, right)
    if negated:
        cond = Or(cond, IsNull(cond))
    return L.Join(outer, right, "LeftAnti" if negated else "LeftSemi",
                  combine_conjuncts([cond] + preds))


def _one_row(plan) -> bool:
    while isinstance(plan, (L.SubqueryAlias, L.View, L.Project)):
        plan = plan.child
    return isinstance(plan, L.Aggregate) and not plan.grouping_expressions


def _existence_joins(e, child, ctx):
    """Replace the predicate subqueries inside `e` by exists columns of existence joins."""
    joins = [child]

    def rule(n):
        negated_in = isinstance(n, Not) and isinstance(n.child, InSubquery)
        target = n.child if negated_in else n
        if not _is_predicate_subquery(target):
            return None
        if isinstance(target, Exists) and _one_row(target.plan):
            return Literal(True, T.BooleanType())
        exists = AttributeReference("exists", T.BooleanType(), False)
        if isinstance(target, Exists):
            right, preds = _decorrelate(joins[0], target, ctx)
        else:
            right, preds = _decorrelate(joins[0], target.query, ctx)
            cond = _in_condition(target, right)
            if negated_in:
                cond = Or(cond, IsNull(cond))
            preds = [cond] + preds
        joins[0] = ExistenceJoin(joins[0], right, exists, combine_conjuncts(preds))
        return Not(exists) if negated_in else exists
    new = e.transform_down(rule)
    return new, joins[0]


def rewrite_predicate_subquery(plan, ctx):
    def rule(p):
        if type(p) is L.Join and p.join_type in ("Inner", "Cross") and \
                p.condition is not None and _contains(p.condition):
            # an inner join's condition is a filter over the cross product; pushing filters
            # down later turns its plain conjuncts back into the join condition
            return rule(L.Filter(p.condition, L.Join(p.left, p.right, "Inner", None, p.hint)))
        if isinstance(p, L.Filter) and _contains(p.condition):
            child, rest = p.child, []
            for c in split_conjuncts(p.condition):
                j = _semi_anti(child, c, ctx)
                if j is not None:
                    child = j
                else:
                    rest.append(c)
            cond = combine_conjuncts(rest)
            if cond is not None and _contains(cond):
                cond, child = _existence_joins(cond, child, ctx)
            out = L.Filter(cond, child) if cond is not None else child
            if len(out.output) != len(p.output):
                out = L.Project(list(p.output), out)
            return out
        if isinstance(p, L.Aggregate) and any(_contains(e) for e in p.aggregate_expressions):
            # inside aggregate functions (arguments, FILTER): existence joins below
            child = [p.child]

            def in_aggregate(n):
                if isinstance(n, AggregateExpression) and _contains(n):
                    new, child[0] = _existence_joins(n, child[0], ctx)
                    return new
                return None
            items = [e.transform_down(in_aggregate) for e in p.aggregate_expressions]
            return L.Aggregate(p.grouping_expressions, items, child[0])
        if isinstance(p, L.Project) and any(_contains(e) for e in p.project_list):
            child, items = p.child, []
            for e in p.project_list:
                if _contains(e):
                    e, child = _existence_joins(e, child, ctx)
                items.append(e)
            return L.Project(items, child)
        return None
    return plan.transform_up(rule)
