"""Plan nodes for subqueries that become joins: the right side of a LATERAL join before it is
decorrelated, and Spark's ExistenceJoin (a left join that adds a boolean `exists` column)."""
from __future__ import annotations

from ember.optimizer.plans.logical import Join, LeafNode, LogicalPlan, UnaryNode


class LateralSubquery(UnaryNode):
    """`LATERAL (subquery)` as a join's right side: the child may reference the left side's
    columns (OuterReference); rewrite_lateral_join turns the join into an ordinary one."""

    def __init__(self, child):
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return "LateralSubquery"


class ExistenceJoin(Join):
    """Every left row once, plus `exists`: whether some right row satisfies the condition."""

    def __init__(self, left, right, exists_attr, condition=None, hint=None):
        super().__init__(left, right, "ExistenceJoin", condition, hint)
        self.exists_attr = exists_attr

    @property
    def output(self):
        return list(self.left.output) + [self.exists_attr]

    def describe(self):
        text = f"Join ExistenceJoin({self.exists_attr})"
        if self.condition is not None:
            text += f", {self.condition}"
        return text


class RecursiveCTE(LeafNode):
    """A WITH RECURSIVE query before analysis: `anchor UNION ALL recursive`, where the
    recursive terms read the CTE's own name (resolved in optimizer/analyzer/recursive_cte.py)."""

    def __init__(self, name, columns, anchor, recursive, ctes):
        self.name, self.columns = name, columns
        self.anchor, self.recursive, self.ctes = anchor, list(recursive), ctes

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return []

    def describe(self):
        return f"'RecursiveCTE {self.name}"


class UnionLoop(LogicalPlan):
    """Spark's UnionLoop: the anchor's rows, then the recursive child run again and again
    over the previous step's rows (read through UnionLoopRef `loop_id`) until it yields none."""

    def __init__(self, loop_id, anchor, recursive, attributes):
        self.loop_id = loop_id
        self.children = (anchor, recursive)
        self.attributes = list(attributes)

    @property
    def output(self):
        return list(self.attributes)

    def describe(self):
        return f"UnionLoop {self.loop_id}"


class UnionLoopRef(LeafNode):
    """The previous iteration's rows of UnionLoop `loop_id`."""

    def __init__(self, loop_id, attributes):
        self.loop_id = loop_id
        self.attributes = list(attributes)

    @property
    def output(self):
        return list(self.attributes)

    def describe(self):
        return f"UnionLoopRef {self.loop_id}, [{', '.join(str(a) for a in self.attributes)}]"
