"""Removes columns nobody reads, all the way down to the scans (Spark's ColumnPruning).

Before:  Project [a#1] <- Filter (b#2 > 0) <- Relation [a#1,b#2,c#3] parquet
After:   Project [a#1] <- Filter (b#2 > 0) <- Relation [a#1,b#2] parquet

Every operator keeps at least one column, so row counts survive (`SELECT count(*)`).
"""
from __future__ import annotations

from ember.optimizer.plans import logical as L


def _refs(exprs):
    out = set()
    for e in exprs:
        if e is not None:
            out |= {a.expr_id for a in e.references()}
    return out


def column_pruning(plan, ctx):
    return _prune(plan, {a.expr_id for a in plan.output})


def _prune(p: L.LogicalPlan, required: set) -> L.LogicalPlan:
    if isinstance(p, L.Project):
        items = [e for e in p.project_list if e.expr_id in required]
        if not items and p.project_list:
            items = p.project_list[:1]      # keep a column so the rows keep existing
        child = _prune(p.child, _refs(items))
        if len(items) == len(p.project_list) and child is p.child:
            return p
        return L.Project(items, child)
    if isinstance(p, L.Filter):
        child = _prune(p.child, required | _refs([p.condition]))
        return p if child is p.child else L.Filter(p.condition, child)
    if isinstance(p, L.Aggregate):
        items = [e for e in p.aggregate_expressions if e.expr_id in required]
        if not items and p.aggregate_expressions:
            items = p.aggregate_expressions[:1]
        child = _prune(p.child, _refs(p.grouping_expressions) | _refs(items))
        if len(items) == len(p.aggregate_expressions) and child is p.child:
            return p
        return L.Aggregate(p.grouping_expressions, items, child)
    if isinstance(p, L.Join):
        need = required | _refs([p.condition])
        left = _prune(p.left, need & {a.expr_id for a in p.left.output})
        right = _prune(p.right, need & {a.expr_id for a in p.right.output})
        if left is p.left and right is p.right:
            return p
        return p.with_new_children([left, right])     # keeps ExistenceJoin's attribute
    if isinstance(p, L.Sort):
        child = _prune(p.child, required | _refs(p.order))
        return p if child is p.child else L.Sort(p.order, p.is_global, child)
    if isinstance(p, (L.GlobalLimit, L.LocalLimit, L.Offset, L.SubqueryAlias, L.View,
                      L.RepartitionByExpression)):
        extra = _refs(p.expressions())
        child = _prune(p.child, required | extra)
        return p if child is p.child else p.with_new_children([child])
    from ember.optimizer.plans.generate import Generate
    if isinstance(p, Generate):
        # child columns read neither above nor by the generator are not carried along
        child_out = p.child.output
        unrequired = tuple(i for i, a in enumerate(child_out) if a.expr_id not in required)
        need = {a.expr_id for a in child_out if a.expr_id in required} | _refs([p.generator])
        child = _prune(p.child, need)
        if child is p.child and unrequired == p.unrequired_child_index:
            return p
        kept = {a.expr_id for i, a in enumerate(child_out) if i not in unrequired}
        unrequired = tuple(i for i, a in enumerate(child.output) if a.expr_id not in kept)
        return Generate(p.generator, p.outer, p.qualifier, p.generator_output, child, unrequired)
    if isinstance(p, L.LocalRelation):
        keep = [i for i, a in enumerate(p.attributes) if a.expr_id in required]
        if len(keep) == len(p.attributes):
            return p
        if not keep and p.attributes:
            keep = [0]
        attrs = [p.attributes[i] for i in keep]
        data = p.data.select(keep) if p.data is not None else None
        return L.LocalRelation(attrs, data)
    if isinstance(p, L.LogicalRelation):
        keep = [a for a in p.attributes if a.expr_id in required]
        if len(keep) == len(p.attributes):
            return p
        if not keep:
            keep = [p.source.smallest_column(p.attributes)]
        return L.LogicalRelation(p.source, keep, p.table_ident)
    if hasattr(p, "prune_output"):          # leaves that narrow themselves (InMemoryRelation)
        return p.prune_output(required)
    # Distinct, Union, set operations and anything else: children keep all their columns
    kids = [_prune(c, {a.expr_id for a in c.output}) for c in p.children]
    if all(a is b for a, b in zip(kids, p.children)):
        return p
    return p.with_new_children(kids)
