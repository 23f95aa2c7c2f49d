"""Drops SubqueryAlias and View nodes once analysis no longer needs their names.

Before:  Project [a#1] <- SubqueryAlias t <- LocalRelation [a#1]
After:   Project [a#1] <- LocalRelation [a#1]
"""
from ember.optimizer.plans.logical import SubqueryAlias, View


def eliminate_subquery_aliases(plan, ctx):
    def rule(p):
        if isinstance(p, (SubqueryAlias, View)):
            return p.child
        return None
    return plan.transform_up(rule)
