"""Evaluates foldable expressions once, at planning time.

Before:  Filter (a#1 > (1 + 2))
After:   Filter (a#1 > 3)

An expression whose evaluation fails (1/0 under ANSI) is left in place: it may sit in a
branch that never runs, and if it does run the error surfaces then.
"""
from ember.errors import EmberException
from ember.optimizer.expressions import Alias, Literal
from ember.optimizer.expressions.aggregates import AggregateExpression


def constant_folding(plan, ctx):
    def fold(e):
        if isinstance(e, (Literal, Alias, AggregateExpression)) or not e.foldable:
            return None
        try:
            value = ctx.evaluate(e)
        except EmberException:
            return None
        return Literal(value, e.data_type).with_origin(e.origin)
    return plan.transform_up(lambda p: p.transform_expressions(fold))
