"""The logical optimizer: rule batches in the order they run.

Order matters: aliases and replaceable expressions go first (later rules see plain
operators); filters are pushed before columns are pruned so a pruned scan still has every
column a pushed filter reads; constant folding runs inside the fixed point so folded
conditions can be pushed further.
"""
from __future__ import annotations

from ember.optimizer.rule_executor import Batch, RuleExecutor
from ember.optimizer.rules.boolean_simplification import boolean_simplification
from ember.optimizer.rules.collapse_project import collapse_project
from ember.optimizer.rules.column_pruning import column_pruning
from ember.optimizer.rules.constant_folding import constant_folding
from ember.optimizer.rules.compute_current_time import compute_current_time
from ember.optimizer.rules.eliminate_subquery_aliases import eliminate_subquery_aliases
from ember.optimizer.rules.push_down_predicates import push_down_predicates
from ember.optimizer.rules.replace_expressions import replace_expressions
from ember.optimizer.rules.optimize_subqueries import optimize_subqueries
from ember.optimizer.rules.rewrite_correlated_scalar_subquery import \
    rewrite_correlated_scalar_subquery
from ember.optimizer.rules.rewrite_lateral_join import rewrite_lateral_join
from ember.optimizer.rules.rewrite_predicate_subquery import rewrite_predicate_subquery

BATCHES = [
    # subqueries become joins first, so every later rule sees their plans as operators
    Batch("Rewrite Subquery", "fixed_point", [
        rewrite_lateral_join, rewrite_correlated_scalar_subquery, rewrite_predicate_subquery]),
    Batch("Finish Analysis", "once", [eliminate_subquery_aliases, replace_expressions,
                                      compute_current_time]),
    Batch("Operator Optimization", "fixed_point", [
        push_down_predicates,
        constant_folding,
        boolean_simplification,
        collapse_project,
    ]),
    Batch("Column Pruning", "once", [column_pruning, collapse_project]),
    Batch("Optimize Subqueries", "once", [optimize_subqueries]),
]


class OptimizerContext:
    def __init__(self, evaluate, conf):
        self.evaluate = evaluate
        self.conf = conf


def optimize(plan, ctx: OptimizerContext, metrics=None, trace: bool = False):
    max_iter = int(ctx.conf.get("spark.sql.optimizer.maxIterations", "100"))
    return RuleExecutor(BATCHES, max_iter).execute(plan, ctx, metrics, trace)
