"""GROUP BY with GROUPING SETS, ROLLUP or CUBE (Spark's ResolveGroupingAnalytics).

    SELECT dept, active, sum(salary) FROM emp GROUP BY ROLLUP(dept, active)
becomes
    Aggregate [dept#10, active#11, spark_grouping_id#12], [dept#10, active#11, sum(salary#3)]
    +- Expand [[..., dept#8, active#9, 0], [..., dept#8, null, 1], [..., null, null, 3]],
              [..., dept#10, active#11, spark_grouping_id#12]
       +- Project [..., dept#1 AS dept#8, active#7 AS active#9]
          +- <child>
Grouped columns come out nullable; aggregate arguments keep reading the original columns.
Several GROUP BY items multiply out (GROUP BY a, ROLLUP(b, c) groups by a in every set).
"""
from __future__ import annotations

from typing import List

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions import Alias, Attribute, AttributeReference, Literal
from ember.optimizer.expressions.aggregates import AggregateExpression
from ember.optimizer.expressions.grouping import (GroupingAnalytics, Grouping, GroupingBits,
                                                  GroupingID)
from ember.optimizer.plans import logical as L
from ember.optimizer.plans.expand import Expand


def has_grouping_analytics(groupings) -> bool:
    return any(isinstance(g, GroupingAnalytics) for g in groupings)


def contains_grouping_function(e) -> bool:
    return any(isinstance(n, (Grouping, GroupingID)) for n in e.walk())


def resolve_grouping_analytics(groupings, items, child, resolve_list) -> L.LogicalPlan:
    """`resolve_list(exprs)` resolves GROUP BY expressions (ordinals, aliases, columns)."""
    # the grouping sets: the cartesian product over the GROUP BY items
    sets: List[List] = [[]]
    for g in groupings:
        if isinstance(g, GroupingAnalytics):
            alts = [resolve_list(s) for s in g.expanded_sets()]
        else:
            alts = [resolve_list([g])]
        sets = [s + a for s in sets for a in alts]
    group_by: List = []
    for s in sets:
        for e in s:
            if not any(e.semantic_equals(x) for x in group_by):
                group_by.append(e)
    if len(group_by) > 64:
        raise AnalysisException("GROUPING_SIZE_LIMIT_EXCEEDED", maxSize="64")
    n = len(group_by)
    aliases = [Alias(g, g.name if isinstance(g, Attribute) else g.pretty_sql()) for g in group_by]
    alias_attrs = [a.to_attribute() for a in aliases]
    group_attrs = [a.with_nullability(True) for a in alias_attrs]
    gid = AttributeReference("spark_grouping_id", T.LongType(), False)
    # repeated grouping sets keep their own groups (Spark's _gen_grouping_pos)
    bit_sets = [frozenset(i for i, g in enumerate(group_by)
                          if any(g.semantic_equals(x) for x in s)) for s in sets]
    pos = (AttributeReference("_gen_grouping_pos", T.IntegerType(), False)
           if len(set(bit_sets)) < len(bit_sets) else None)
    project = L.Project(list(child.output) + aliases, child)
    projections = []
    for s in sets:
        bits = 0
        row = list(child.output)
        for i, (g, attr) in enumerate(zip(group_by, alias_attrs)):
            if any(g.semantic_equals(x) for x in s):
                row.append(attr)
            else:
                row.append(Literal(None, attr.data_type))
                bits |= 1 << (n - 1 - i)
        row.append(Literal(bits, T.LongType()))
        if pos is not None:
            row.append(Literal(len(projections), T.IntegerType()))
        projections.append(row)
    extra = [gid] + ([pos] if pos is not None else [])
    expand = Expand(projections, list(child.output) + group_attrs + extra, project)
    info = GroupingInfo(group_by, group_attrs, gid)

    rewrite = info.rewriter(select_list=True)
    new_items = []
    for item in items:
        if isinstance(item, Alias):
            new_items.append(item.with_new_children([rewrite(item.child)]))
        else:
            r = rewrite(item)
            new_items.append(r if isinstance(r, Attribute) or r is item
                             else Alias(r, item.name))
    agg = L.Aggregate(group_attrs + extra, new_items, expand)
    agg.grouping_info = info
    return agg


class GroupingInfo:
    """What HAVING / ORDER BY over a grouping-sets Aggregate need: the GROUP BY expressions,
    the (nullable) attributes carrying them out, and the grouping id."""

    def __init__(self, group_by, group_attrs, gid):
        self.group_by = list(group_by)
        self.group_attrs = list(group_attrs)
        self.gid = gid

    def index_of(self, e):
        for i, (g, a) in enumerate(zip(self.group_by, self.group_attrs)):
            if (isinstance(e, AttributeReference) and e.expr_id == a.expr_id) or \
                    e.semantic_equals(g):
                return i
        return None

    def rewriter(self, select_list: bool):
        """grouping()/grouping_id() to bits of the grouping id; in the select list also the
        GROUP BY expressions to the attributes carrying them."""
        n = len(self.group_by)
        gid = self.gid

        def rewrite(e):
            if isinstance(e, AggregateExpression):
                return e
            if isinstance(e, Grouping):
                i = self.index_of(e.children[0])
                if i is None:
                    raise AnalysisException(
                        "GROUPING_COLUMN_MISMATCH", grouping=e.children[0].pretty_sql(),
                        groupingColumns=",".join(g.pretty_sql() for g in self.group_by))
                return GroupingBits(gid, [n - 1 - i], True)
            if isinstance(e, GroupingID):
                idx = [self.index_of(c) for c in e.children]
                if e.children and idx != list(range(n)):
                    raise AnalysisException(
                        "GROUPING_ID_COLUMN_MISMATCH",
                        groupingIdColumn=",".join(c.pretty_sql() for c in e.children),
                        groupByColumns=",".join(g.pretty_sql() for g in self.group_by))
                return gid
            if select_list and not isinstance(e, Literal):
                i = self.index_of(e)
                if i is not None:
                    return self.group_attrs[i]
            return e.with_new_children([rewrite(c) for c in e.children])
        return rewrite

    def scope(self, agg_child_output):
        """Names visible to HAVING / ORDER BY: the grouped columns shadow the originals."""
        shadowed = {g.expr_id for g in self.group_by if isinstance(g, AttributeReference)}
        hidden = shadowed | {self.gid.expr_id}
        return self.group_attrs + [a for a in agg_child_output
                                   if a.expr_id not in hidden and
                                   a.expr_id not in {x.expr_id for x in self.group_attrs}]


def replace_grouping_functions(e, agg):
    """HAVING / ORDER BY expressions over `agg`: grouping functions read its grouping id."""
    info = getattr(agg, "grouping_info", None)
    if info is None or not contains_grouping_function(e):
        return e
    return info.rewriter(select_list=False)(e)
