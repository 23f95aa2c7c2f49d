"""Merges a projection into the projection below it, and drops projections that only
repeat their input (Spark's CollapseProject and RemoveNoopOperators).

Before:  Project [x#3] <- Project [(a#1 + 1) AS x#3, b#2] <- ...
After:   Project [(a#1 + 1) AS x#3] <- ...
"""
from __future__ import annotations

from ember.optimizer.expressions import Alias, AttributeReference
from ember.optimizer.plans.logical import Project


def _inline(e, aliases):
    def rule(n):
        if isinstance(n, AttributeReference) and n.expr_id in aliases:
            return aliases[n.expr_id]
        return None
    if isinstance(e, Alias):
        return Alias(e.child.transform_up(rule), e.name, e.expr_id, e.qualifier, e.metadata)
    if isinstance(e, AttributeReference) and e.expr_id in aliases:
        inner = aliases[e.expr_id]
        return Alias(inner, e.name, e.expr_id, e.qualifier, e.metadata)
    return e


def collapse_project(plan, ctx):
    def rule(p):
        if not isinstance(p, Project):
            return None
        child = p.child
        if isinstance(child, Project) and all(e.deterministic for e in child.project_list):
            aliases = {a.expr_id: a.child for a in child.project_list if isinstance(a, Alias)}
            # inlining an expensive alias used several times would repeat its work
            uses = {}
            for e in p.project_list:
                for a in e.references():
                    uses[a.expr_id] = uses.get(a.expr_id, 0) + 1
            if any(uses.get(k, 0) > 1 and not isinstance(v, AttributeReference)
                   for k, v in aliases.items()):
                return None
            return Project([_inline(e, aliases) for e in p.project_list], child.child)
        out = child.output
        items = p.project_list
        if len(items) == len(out) and all(
                isinstance(e, AttributeReference) and e.expr_id == a.expr_id and e.name == a.name
                for e, a in zip(items, out)):
            return child
        return None
    return plan.transform_up(rule)
