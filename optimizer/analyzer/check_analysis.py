"""Final checks on a resolved plan (Spark's CheckAnalysis): input types of every expression,
boolean conditions, and nothing left unresolved."""
from __future__ import annotations

from ember import types as T
from ember.errors import AnalysisException, not_supported
from ember.optimizer.expressions import Expression
from ember.optimizer.expressions.grouping import Grouping, GroupingID, outside_grouping_sets
from ember.optimizer.expressions.subquery import SubqueryExpression
from ember.optimizer.plans import logical as L


def check_expression(e: Expression) -> None:
    for c in e.children:
        check_expression(c)
    if isinstance(e, SubqueryExpression):
        check_analysis(e.plan)
    if not e.children_resolved:
        return
    if isinstance(e, (Grouping, GroupingID)):
        raise outside_grouping_sets()
    err = e.type_check()
    if err is not None:
        if getattr(err, "line", None) is None and e.origin:
            err.line, err.pos = e.origin
        raise err


def check_analysis(plan: L.LogicalPlan) -> None:
    for child in plan.children:
        check_analysis(child)
    from ember.engine.functions.generators import check_generator_placement
    check_generator_placement(plan)
    for e in plan.expressions():
        check_expression(e)
    from ember.optimizer.analyzer import subqueries
    subqueries.check_correlated_scalar_positions(plan)
    if isinstance(plan, L.Aggregate):
        subqueries.check_aggregate_subqueries(plan)
    if isinstance(plan, (L.Filter, L.Join)):
        cond = plan.condition
        if cond is not None and not isinstance(cond.data_type, T.BooleanType):
            kind = "FILTER_NOT_BOOLEAN" if isinstance(plan, L.Filter) else "JOIN_CONDITION_IS_NOT_BOOLEAN_TYPE"
            raise AnalysisException("DATATYPE_MISMATCH." + kind if kind == "FILTER_NOT_BOOLEAN"
                                    else kind, sqlExpr='"' + cond.pretty_sql() + '"',
                                    filter='"' + cond.pretty_sql() + '"',
                                    type='"' + cond.data_type.sql() + '"',
                                    joinCondition='"' + cond.pretty_sql() + '"',
                                    conditionType='"' + cond.data_type.sql() + '"')
    if not plan.resolved:
        raise not_supported(f"resolving {plan.node_name()}")
    from ember.optimizer.analyzer.set_operations import check_set_operation
    check_set_operation(plan)
