"""Moves filters as close to the data as they can go (Spark's PushDownPredicates):
through projections (substituting aliases), into the side of a join they concern, below
aggregates when they only test grouping columns, into each branch of a UNION; adjacent
filters merge. Join conditions that concern one side only move below the join too.

Before:  Filter (x#3 > 1) <- Project [a#1 AS x#3] <- Join Inner, (a#1 = b#2) <- ...
After:   Project [a#1 AS x#3] <- Join Inner, (a#1 = b#2) <- Filter (a#1 > 1) <- ...
"""
from __future__ import annotations

from ember.optimizer.expressions import (Alias, AttributeReference, combine_conjuncts,
                                         split_conjuncts)
from ember.optimizer.expressions.subquery import SubqueryExpression
from ember.optimizer.plans.logical import (Aggregate, Filter, Join, Project, SubqueryAlias,
                                           Union, View)


def _pushable(e) -> bool:
    return e.deterministic and not e.exists(lambda n: isinstance(n, SubqueryExpression))


def _ids(attrs):
    return {a.expr_id for a in attrs}


def _refs(e):
    return {a.expr_id for a in e.references()}


def _substitute(e, aliases):
    def rule(n):
        if isinstance(n, AttributeReference) and n.expr_id in aliases:
            return aliases[n.expr_id]
        return None
    return e.transform_up(rule)


def _filter(conds, child):
    cond = combine_conjuncts(conds)
    return Filter(cond, child) if cond is not None else child


def push_down_predicates(plan, ctx):
    def rule(p):
        if isinstance(p, Join):
            return _push_join_condition(p)
        if not isinstance(p, Filter):
            return None
        child = p.child
        if isinstance(child, Filter):
            return Filter(combine_conjuncts(split_conjuncts(child.condition)
                                            + split_conjuncts(p.condition)), child.child)
        if isinstance(child, (SubqueryAlias, View)):
            return child.with_new_children([Filter(p.condition, child.child)])
        if isinstance(child, Project) and all(e.deterministic for e in child.project_list):
            aliases = {a.expr_id: a.child for a in child.project_list if isinstance(a, Alias)}
            down, up = [], []
            for c in split_conjuncts(p.condition):
                (down if _pushable(c) else up).append(c)
            if not down:
                return None
            pushed = Project(child.project_list,
                             _filter([_substitute(c, aliases) for c in down], child.child))
            return _filter(up, pushed)
        if isinstance(child, Aggregate) and child.grouping_expressions:
            group_ids = set()
            for g in child.grouping_expressions:
                if isinstance(g, AttributeReference):
                    group_ids.add(g.expr_id)
            passthrough = {a.expr_id for a in child.aggregate_expressions
                           if isinstance(a, AttributeReference) and a.expr_id in group_ids}
            down, up = [], []
            for c in split_conjuncts(p.condition):
                refs = _refs(c)
                (down if refs and refs <= passthrough and _pushable(c) else up).append(c)
            if not down:
                return None
            new_agg = child.with_new_children([_filter(down, child.child)])
            return _filter(up, new_agg)
        if isinstance(child, Join):
            return _push_into_join(p, child)
        if isinstance(child, Union):
            if not all(_pushable(c) for c in split_conjuncts(p.condition)):
                return None
            first = child.children[0].output
            kids = []
            for c in child.children:
                mapping = {a.expr_id: b for a, b in zip(first, c.output)}
                kids.append(Filter(_substitute(p.condition, mapping), c))
            return child.with_new_children(kids)
        return None
    return plan.transform_down(rule)


def _split_for_join(conds, left, right):
    lids, rids = _ids(left.output), _ids(right.output)
    to_left, to_right, rest = [], [], []
    for c in conds:
        refs = _refs(c)
        if _pushable(c) and refs and refs <= lids:
            to_left.append(c)
        elif _pushable(c) and refs and refs <= rids:
            to_right.append(c)
        else:
            rest.append(c)
    return to_left, to_right, rest


def _push_into_join(f: Filter, j: Join):
    jt = j.join_type
    to_left, to_right, rest = _split_for_join(split_conjuncts(f.condition), j.left, j.right)
    if jt in ("Inner", "Cross"):
        cond = combine_conjuncts(rest + (split_conjuncts(j.condition) if j.condition else []))
        return Join(_filter(to_left, j.left), _filter(to_right, j.right),
                    "Inner" if cond is not None else jt, cond, j.hint)
    if jt in ("LeftOuter", "LeftSemi", "LeftAnti"):
        if not to_left:
            return None
        return _filter(to_right + rest, Join(_filter(to_left, j.left), j.right, jt,
                                             j.condition, j.hint))
    if jt == "RightOuter":
        if not to_right:
            return None
        return _filter(to_left + rest, Join(j.left, _filter(to_right, j.right), jt,
                                            j.condition, j.hint))
    return None


def _push_join_condition(j: Join):
    """Conjuncts of an inner/semi join condition that reference one side only."""
    if j.condition is None or j.join_type not in ("Inner", "LeftSemi", "LeftOuter",
                                                  "RightOuter"):
        return None
    to_left, to_right, rest = _split_for_join(split_conjuncts(j.condition), j.left, j.right)
    jt = j.join_type
    if jt == "LeftOuter":
        rest, to_left = rest + to_left, []        # left-side tests must keep outer rows
    if jt == "RightOuter":
        rest, to_right = rest + to_right, []
    if not to_left and not to_right:
        return None
    return Join(_filter(to_left, j.left), _filter(to_right, j.right), jt,
                combine_conjuncts(rest), j.hint)
