"""Replaces runtime-replaceable functions by what they stand for (nvl -> coalesce,
between -> >= AND <=); their names were only needed for column naming.

Before:  Project [nvl(s#1, none) AS nvl(s, none)#2]
After:   Project [coalesce(s#1, none) AS nvl(s, none)#2]
"""
from ember.optimizer.expressions import RuntimeReplaceable


def replace_expressions(plan, ctx):
    def rule(e):
        if isinstance(e, RuntimeReplaceable):
            return e.replacement
        return None
    return plan.transform_all_expressions(rule)
