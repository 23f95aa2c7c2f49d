"""The physical planner: optimized logical plan -> tree of executable operators.

One `_plan_<node>` method per logical node (Spark's strategies). Expressions are bound to
column positions of the operator's input here.
"""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

from ember import types as T
from ember.errors import EmberException, not_supported
from ember.optimizer.expressions import (
    Alias, And, AttributeReference, EqualNullSafe, EqualTo, Expression, Literal, SortOrder,
    split_conjuncts, combine_conjuncts)
from ember.optimizer.expressions.aggregates import AggregateExpression
from ember.optimizer.expressions.subquery import SubqueryExpression
from ember.optimizer.plans import logical as L
from ember.engine.evaluator import BoundReference, eval_scalar
from ember.engine.operators.aggregate import AggregateCall, HashAggregateExec
from ember.engine.operators.base import PhysicalPlan
from ember.engine.operators.basic import FilterExec, ProjectExec
from ember.engine.operators.join import HashJoinExec, NestedLoopJoinExec, UnionExec
from ember.engine.operators.scan import FileSourceScanExec, LocalTableScanExec, RangeExec
from ember.engine.operators.sort import (LimitExec, OffsetExec, SortExec,
                                         TakeOrderedAndProjectExec)

BROADCAST_ROWS = 1_000_000


def bind(e: Expression, attrs: Sequence) -> Expression:
    """Replace attribute references by positions in `attrs` (Spark's BindReferences)."""
    index = {a.expr_id: i for i, a in enumerate(attrs)}

    def rule(node):
        if isinstance(node, AttributeReference):
            i = index.get(node.expr_id)
            if i is None:
                raise EmberException("INTERNAL_ERROR",
                                     message=f"Couldn't find {node} in [{', '.join(map(str, attrs))}]")
            return BoundReference(i, node.data_type, node.nullable, node.name)
        if isinstance(node, SubqueryExpression):
            return _plan_subquery_expression(node)
        return None
    return e.transform_up(rule)


def _plan_subquery_expression(node: SubqueryExpression):
    """An uncorrelated scalar subquery runs as its own plan (engine/subquery_exec.py); the
    others were rewritten into joins by the optimizer."""
    from ember.optimizer.expressions.subquery import ScalarSubquery
    if not isinstance(node, ScalarSubquery) or node.outer_attrs:
        raise not_supported("subquery expressions here")
    from ember.engine.evaluator import EvalContext
    from ember.engine.subquery_exec import ScalarSubqueryExec
    return ScalarSubqueryExec(node, Planner(EvalContext()).plan(node.plan), node.expr_id)


class Planner:
    def __init__(self, eval_ctx):
        self.eval_ctx = eval_ctx

    def plan(self, p: L.LogicalPlan) -> PhysicalPlan:
        method = getattr(self, "_plan_" + type(p).__name__, None)
        if method is None:
            raise not_supported(f"executing {p.node_name()}")
        return method(p)

    # ------------------------------------------------------------------ leaves
    def _plan_LocalRelation(self, p: L.LocalRelation):
        return LocalTableScanExec(p.output, p.data)

    def _plan_OneRowRelation(self, p):
        return LocalTableScanExec([], None, num_rows=1)

    def _plan_Range(self, p: L.Range):
        return RangeExec(p.output, p.start, p.end, p.step, p.num_slices)

    def _plan_LogicalRelation(self, p: L.LogicalRelation):
        return FileSourceScanExec(p.output, p.source)

    def _plan_InMemoryRelation(self, p):
        from ember.engine.operators.in_memory import InMemoryTableScanExec
        return InMemoryTableScanExec(p.output, p)

    # ------------------------------------------------------------------ unary
    def _plan_SubqueryAlias(self, p):
        return self.plan(p.child)

    _plan_View = _plan_SubqueryAlias

    def _plan_RepartitionByExpression(self, p):
        return self.plan(p.child)

    def _plan_Project(self, p: L.Project):
        child = self.plan(p.child)
        return ProjectExec(p.project_list, [bind(e, child.output) for e in p.project_list],
                           child)

    def _plan_Expand(self, p):
        from ember.engine.operators.expand import ExpandExec
        child = self.plan(p.child)
        return ExpandExec(p.projections, [[bind(e, child.output) for e in proj]
                                          for proj in p.projections], p.output, child)

    def _plan_Generate(self, p):
        from ember.engine.operators.generate import GenerateExec
        child = self.plan(p.child)
        keep = [i for i in range(len(child.output)) if i not in set(p.unrequired_child_index)]
        return GenerateExec(p.generator, bind(p.generator, child.output), p.outer,
                            p.generator_output, child, keep)

    def _plan_Filter(self, p: L.Filter):
        child = self.plan(p.child)
        return FilterExec(p.condition, bind(p.condition, child.output), child)

    def _plan_Sort(self, p: L.Sort):
        child = self.plan(p.child)
        return SortExec(p.order, [bind(o.child, child.output) for o in p.order], p.is_global,
                        child)

    def _limit_value(self, e) -> int:
        return int(eval_scalar(e, self.eval_ctx))

    def _plan_GlobalLimit(self, p: L.GlobalLimit):
        limit = self._limit_value(p.limit)
        inner = p.child.child if isinstance(p.child, L.LocalLimit) else p.child
        project = None
        if isinstance(inner, L.Project) and isinstance(inner.child, L.Sort):
            project, inner = inner, inner.child
        if isinstance(inner, L.Sort) and inner.is_global:
            child = self.plan(inner.child)
            plist = project.project_list if project is not None else list(inner.child.output)
            return TakeOrderedAndProjectExec(
                limit, inner.order, [bind(o.child, child.output) for o in inner.order],
                plist, [bind(e, child.output) for e in plist], child)
        return LimitExec(limit, self.plan(p.child), "GlobalLimit")

    def _plan_LocalLimit(self, p: L.LocalLimit):
        return LimitExec(self._limit_value(p.limit), self.plan(p.child), "LocalLimit")

    def _plan_Offset(self, p: L.Offset):
        return OffsetExec(self._limit_value(p.offset), self.plan(p.child))

    def _plan_Distinct(self, p: L.Distinct):
        child = self.plan(p.child)
        attrs = child.output
        return HashAggregateExec(attrs, [bind(a, attrs) for a in attrs], [], attrs,
                                 [BoundReference(i, a.data_type, a.nullable)
                                  for i, a in enumerate(attrs)], child)

    def _plan_Aggregate(self, p: L.Aggregate):
        """Spark's PhysicalAggregation: named grouping keys, the distinct aggregate calls,
        and result expressions over (keys, aggregate values)."""
        child = self.plan(p.child)
        groups: List[Expression] = []
        for g in p.grouping_expressions:
            groups.append(g if isinstance(g, AttributeReference) else Alias(g, g.pretty_sql()))
        group_attrs = [g.to_attribute() for g in groups]
        canon_groups = [g.canonicalized() for g in p.grouping_expressions]
        calls: List[Tuple[AggregateExpression, AttributeReference]] = []

        def call_for(agg: AggregateExpression) -> AttributeReference:
            c = agg.canonicalized()
            for existing, attr in calls:
                if existing.canonicalized() == c:
                    return attr
            attr = AttributeReference(agg.pretty_sql(), agg.data_type, agg.nullable,
                                      agg.result_id)
            calls.append((agg, attr))
            return attr

        def rewrite(e: Expression) -> Expression:
            if isinstance(e, AggregateExpression):
                return call_for(e)
            ce = e.canonicalized()
            for i, g in enumerate(canon_groups):
                if ce == g and not isinstance(e, Literal):
                    return group_attrs[i]
            return e.with_new_children([rewrite(c) for c in e.children])

        results = []
        for item in p.aggregate_expressions:
            if isinstance(item, Alias):
                results.append(item.with_new_children([rewrite(item.child)]))
            else:
                results.append(rewrite(item))
        inter_attrs = group_attrs + [attr for _, attr in calls]
        agg_calls = []
        for agg, attr in calls:
            f = agg.function
            agg_calls.append(AggregateCall(
                agg, [bind(a, child.output) for a in f.children],
                bind(agg.filter, child.output) if agg.filter is not None else None, attr))
        group_exprs = [g.child if isinstance(g, Alias) else g for g in groups]
        return HashAggregateExec(groups, [bind(g, child.output) for g in group_exprs],
                                 agg_calls, results, [bind(r, inter_attrs) for r in results],
                                 child)

    def _plan_Window(self, p):
        from ember.engine.operators.window import plan_window
        return plan_window(p, self.plan(p.child), bind)

    # ------------------------------------------------------------------ binary
    def _plan_Join(self, p: L.Join):
        left, right = self.plan(p.left), self.plan(p.right)
        lids = {a.expr_id for a in p.left.output}
        rids = {a.expr_id for a in p.right.output}
        lkeys, rkeys, null_safe, rest = [], [], [], []
        if p.condition is not None:
            for c in split_conjuncts(p.condition):
                if isinstance(c, (EqualTo, EqualNullSafe)):
                    l_refs = {a.expr_id for a in c.left.references()}
                    r_refs = {a.expr_id for a in c.right.references()}
                    if l_refs and r_refs and l_refs <= lids and r_refs <= rids:
                        lkeys.append(c.left)
                        rkeys.append(c.right)
                        null_safe.append(isinstance(c, EqualNullSafe))
                        continue
                    if l_refs and r_refs and l_refs <= rids and r_refs <= lids:
                        lkeys.append(c.right)
                        rkeys.append(c.left)
                        null_safe.append(isinstance(c, EqualNullSafe))
                        continue
                rest.append(c)
        residual = combine_conjuncts(rest)
        both = list(left.output) + list(right.output)
        bound_residual = bind(residual, both) if residual is not None else None
        if lkeys:
            return HashJoinExec(lkeys, rkeys, [bind(k, left.output) for k in lkeys],
                                [bind(k, right.output) for k in rkeys], null_safe,
                                p.join_type if p.join_type != "Cross" else "Inner", residual,
                                bound_residual, left, right, p.output,
                                broadcast=True)
        jt = p.join_type if p.join_type != "Cross" else "Inner"
        if jt == "LeftAnti" and len(rest) == 1:
            naaj = _null_aware_key(rest[0], lids, rids)   # v NOT IN (subquery)
            if naaj is not None:
                lk, rk = naaj
                return HashJoinExec([lk], [rk], [bind(lk, left.output)],
                                    [bind(rk, right.output)], [False], "NullAwareLeftAnti",
                                    None, None, left, right, p.output, broadcast=True)
        return NestedLoopJoinExec(jt, residual, bound_residual, left, right, p.output)

    _plan_ExistenceJoin = _plan_Join

    def _plan_UnionLoop(self, p):
        from ember.engine.operators.union_loop import UnionLoopExec
        return UnionLoopExec(p.loop_id, self.plan(p.children[0]), self.plan(p.children[1]),
                             p.output)

    def _plan_UnionLoopRef(self, p):
        from ember.engine.operators.union_loop import UnionLoopRefExec
        return UnionLoopRefExec(p.loop_id, p.output)

    def _plan_LateralSubquery(self, p):
        raise not_supported("this LATERAL subquery")

    def _plan_Union(self, p: L.Union):
        return UnionExec([self.plan(c) for c in p.children], p.output)

    def _plan_Intersect(self, p):
        from ember.engine.operators.set_ops import IntersectExec
        return IntersectExec(p.is_all, self.plan(p.left), self.plan(p.right), p.output)

    def _plan_Except(self, p):
        from ember.engine.operators.set_ops import ExceptExec
        return ExceptExec(p.is_all, self.plan(p.left), self.plan(p.right), p.output)


def _null_aware_key(c: Expression, lids, rids):
    """(left key, right key) when `c` is `(l = r) OR isnull(l = r)`, the condition of a
    single-column NOT IN (Spark's ExtractSingleColumnNullAwareAntiJoin)."""
    from ember.optimizer.expressions import IsNull, Or
    if not (isinstance(c, Or) and isinstance(c.left, EqualTo) and isinstance(c.right, IsNull)
            and c.right.child == c.left):
        return None
    eq = c.left
    lr = {a.expr_id for a in eq.left.references()}
    rr = {a.expr_id for a in eq.right.references()}
    if lr and rr and lr <= lids and rr <= rids:
        return eq.left, eq.right
    if lr and rr and lr <= rids and rr <= lids:
        return eq.right, eq.left
    return None
