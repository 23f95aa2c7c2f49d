"""The Window logical node (Spark's `Window(windowExpressions, partitionSpec, orderSpec,
child)`): appends one column per window expression to its child's rows. Every expression of
one node shares the partitioning and ordering; the frames may differ."""
from __future__ import annotations

from typing import Sequence

from ember.optimizer.expressions.base import Expression
from ember.optimizer.plans.logical import LogicalPlan, UnaryNode, _list


class Window(UnaryNode):
    _expr_fields = ("window_expressions", "partition_spec", "order_spec")

    def __init__(self, window_expressions: Sequence[Expression],
                 partition_spec: Sequence[Expression], order_spec: Sequence[Expression],
                 child: LogicalPlan):
        self.window_expressions = list(window_expressions)   # Alias(WindowExpression)
        self.partition_spec = list(partition_spec)
        self.order_spec = list(order_spec)
        self.children = (child,)

    @property
    def output(self):
        return list(self.child.output) + [e.to_attribute() for e in self.window_expressions]

    def describe(self):
        return (f"Window {_list(self.window_expressions)}, {_list(self.partition_spec)}, "
                f"{_list(self.order_spec)}")


class Qualify(UnaryNode):
    """`QUALIFY condition` before analysis: a filter over the SELECT's rows that may use window
    functions and the select list's aliases. Analysis makes it a Filter (flagged `qualify`)."""
    _expr_fields = ("condition",)

    def __init__(self, condition: Expression, child: LogicalPlan):
        self.condition = condition
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    @property
    def resolved(self):
        return False

    def describe(self):
        return f"Qualify {self.condition}"
