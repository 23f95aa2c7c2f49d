"""Simplifies boolean expressions (Spark's BooleanSimplification): constants absorb,
double negations cancel, and conjuncts common to every branch of an OR move out of it --
which is what turns TPC-H Q19's OR of join conditions into an equi-join.

Before:  Filter ((a#1 = b#2) AND (c#3 > 1)) OR ((a#1 = b#2) AND (c#3 < 0))
After:   Filter (a#1 = b#2) AND ((c#3 > 1) OR (c#3 < 0))
"""
from __future__ import annotations

from ember.optimizer.expressions import (And, Literal, Not, Or, combine_conjuncts,
                                         split_conjuncts)


def _split_disjuncts(e):
    if isinstance(e, Or):
        return _split_disjuncts(e.left) + _split_disjuncts(e.right)
    return [e]


def _combine_disjuncts(exprs):
    out = exprs[0]
    for e in exprs[1:]:
        out = Or(out, e)
    return out


def _is(e, value) -> bool:
    return isinstance(e, Literal) and e.value is value


def _simplify(e):
    if isinstance(e, And):
        l, r = e.left, e.right
        if _is(l, True):
            return r
        if _is(r, True):
            return l
        if (_is(l, False) and r.deterministic) or (_is(r, False) and l.deterministic):
            return Literal(False, l.data_type if _is(l, False) else r.data_type)
        return None
    if isinstance(e, Or):
        l, r = e.left, e.right
        if _is(l, False):
            return r
        if _is(r, False):
            return l
        if (_is(l, True) and r.deterministic) or (_is(r, True) and l.deterministic):
            return Literal(True, l.data_type if _is(l, True) else r.data_type)
        branches = [split_conjuncts(b) for b in _split_disjuncts(e)]
        if not all(c.deterministic for b in branches for c in b):
            return None
        common = [c for c in branches[0] if all(c in b for b in branches[1:])]
        if not common:
            return None
        rests = [[c for c in b if c not in common] for b in branches]
        if any(not r for r in rests):
            return combine_conjuncts(common)   # a branch is exactly the common part
        return And(combine_conjuncts(common),
                   _combine_disjuncts([combine_conjuncts(r) for r in rests]))
    if isinstance(e, Not) and isinstance(e.child, Not):
        return e.child.child
    return None


def boolean_simplification(plan, ctx):
    return plan.transform_up(lambda p: p.transform_expressions_up(_simplify))
