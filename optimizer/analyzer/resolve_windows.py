"""Window expressions in the analyzer (Spark's ExtractWindowExpressions and its CheckAnalysis
rules, and QUALIFY). Window specifications are resolved in window_specs.py.

`extract_window_expressions` runs over the resolved plan: a Project or Aggregate whose list
holds window expressions becomes Project <- Window(s) <- (Project | Aggregate).

    Project [a, sum(b) OVER (PARTITION BY a ...) AS s]      Project [a, s]
    +- t                                             ==>    +- Window [sum(b) OVER ... AS s], [a], []
                                                               +- t
"""
from __future__ import annotations

from typing import Dict, List, Optional

from ember.errors import AnalysisException
from ember.optimizer.expressions import (Alias, Attribute, AttributeReference, Expression,
                                         Literal, SortOrder)
from ember.optimizer.expressions.aggregates import AggregateExpression
from ember.optimizer.expressions.subquery import SubqueryExpression
from ember.optimizer.expressions.windows import WindowExpression, WindowFunction
from ember.optimizer.plans import logical as L
from ember.optimizer.plans.window import Window


def _q(text: str) -> str:
    return '"' + text + '"'


# ---------------------------------------------------------------------------- extraction
def has_window(e: Expression) -> bool:
    stack = [e]
    while stack:
        n = stack.pop()
        if isinstance(n, (WindowExpression, WindowFunction)):
            return True
        if isinstance(n, SubqueryExpression):
            continue
        stack.extend(n.children)
    return False


def extract_window_expressions(plan: L.LogicalPlan) -> L.LogicalPlan:
    """Move the window expressions of every Project / Aggregate into Window nodes."""
    def subqueries(e):
        def rule(n):
            if isinstance(n, SubqueryExpression):
                return n.with_plan(extract_window_expressions(n.plan))
            return None
        return e.transform_up(rule)

    def rewrite(p: L.LogicalPlan) -> L.LogicalPlan:
        if isinstance(p, L.Filter) and isinstance(p.child, L.Aggregate) and \
                any(has_window(e) for e in p.child.aggregate_expressions):
            # HAVING over an aggregate that also computes windows: filter before the windows
            agg = p.child.with_new_children([rewrite(c) for c in p.child.children])
            agg = agg.map_expressions(subqueries)
            return _extract_from_aggregate(agg, having=subqueries(p.condition))
        p = p.with_new_children([rewrite(c) for c in p.children])
        p = p.map_expressions(subqueries)
        if isinstance(p, L.Filter) and getattr(p, "qualify", False) and \
                has_window(p.condition):
            conds, child, _ = _add_windows([p.condition], p.child)
            return L.Project(p.child.output, L.Filter(conds[0], child))
        if isinstance(p, L.Aggregate) and any(has_window(e) for e in p.aggregate_expressions):
            return _extract_from_aggregate(p)
        if isinstance(p, L.Project) and any(has_window(e) for e in p.project_list):
            return _extract_from_project(p)
        if isinstance(p, Window):
            return p
        for e in p.expressions():
            if has_window(e):
                _window_misuse(p, e)
        return p
    return rewrite(plan)


def _window_misuse(p, e):
    for n in e.walk():
        if isinstance(n, WindowFunction):
            parent_ok = False
            for w in e.walk():
                if isinstance(w, WindowExpression) and w.function is n:
                    parent_ok = True
            if not parent_ok:
                raise AnalysisException("WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
                                        funcName=_q(n.pretty_sql()))
    if isinstance(p, (L.Filter, L.Join)):
        clause = "WHERE" if isinstance(p, L.Filter) else "JOIN"
        raise AnalysisException("WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE", clauseName=clause)
    raise AnalysisException("UNSUPPORTED_EXPR_FOR_OPERATOR", operator=p.node_name(),
                            invalidExprSqls=e.pretty_sql())


def _check_bare_window_functions(e: Expression) -> None:
    """A window function must be the function of a window expression."""
    def visit(n, under_window):
        if isinstance(n, WindowFunction) and not under_window:
            raise AnalysisException("WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE",
                                    funcName=_q(n.pretty_sql()))
        if isinstance(n, SubqueryExpression):
            return
        for i, c in enumerate(n.children):
            visit(c, isinstance(n, WindowExpression) and i == 0)
    visit(e, False)


def _collect_windows(items) -> List[WindowExpression]:
    """The outermost window expressions of `items`, in order, without duplicates."""
    found: List[WindowExpression] = []

    def visit(n):
        if isinstance(n, WindowExpression):
            if not any(n == f for f in found):
                found.append(n)
            return
        if isinstance(n, SubqueryExpression):
            return
        for c in n.children:
            visit(c)
    for it in items:
        visit(it)
    return found


def _add_windows(items, child: L.LogicalPlan, lower=None, prefer=()):
    """Window nodes over `child` computing the window expressions of `items`; returns the
    items with each window expression replaced by its attribute, and the new child. A window
    expression selected as `prefer`'s `w AS name` is computed under that alias."""
    for it in items:
        _check_bare_window_functions(it)
    windows = _collect_windows(items)
    named: List[Alias] = []
    # inner windows (in the arguments of outer ones) are computed first
    inner_items = []
    for w in windows:
        fn_args = list(w.function.children)
        if any(has_window(a) for a in fn_args) or any(has_window(c) for c in w.spec.children):
            inner_items.extend(fn_args + list(w.spec.children))
    mapping_inner = {}
    if inner_items:
        _, child, mapping_inner = _add_windows(inner_items, child, lower)
    for w in windows:
        if mapping_inner:
            w2 = _replace(w, mapping_inner)
        else:
            w2 = w
        if lower is not None:
            w2 = _lower_window(w2, lower)
        pref = next((a for a in prefer if a.child == w), None)
        alias = Alias(w2, pref.name, expr_id=pref.expr_id) if pref is not None else \
            Alias(w2, w.pretty_sql())
        named.append(alias)
    groups: Dict[tuple, List[Alias]] = {}
    order_keys = []
    for a in named:
        spec = a.child.spec
        key = (tuple(e.canonicalized() for e in spec.partition),
               tuple(o.canonicalized() for o in spec.order))
        if key not in groups:
            groups[key] = []
            order_keys.append(key)
        groups[key].append(a)
    for key in order_keys:
        group = groups[key]
        spec = group[0].child.spec
        child = Window(group, spec.partition, spec.order, child)
    mapping = dict(mapping_inner)
    for w, a in zip(windows, named):
        mapping[w] = a.to_attribute()
    out = [_replace(it, mapping) for it in items]
    return out, child, mapping


def _replace(e: Expression, mapping) -> Expression:
    def rule(n):
        if isinstance(n, WindowExpression):
            for w, attr in mapping.items():
                if n == w:
                    return attr
        return None
    return e.transform_down(rule)


def _extract_from_project(p: L.Project) -> L.LogicalPlan:
    prefer = [it for it in p.project_list
              if isinstance(it, Alias) and isinstance(it.child, WindowExpression)]
    items, child, _ = _add_windows(p.project_list, p.child, prefer=prefer)
    return L.Project([_as_named(new, old) for new, old in zip(items, p.project_list)], child)


def _as_named(new: Expression, old: Expression) -> Expression:
    if isinstance(new, Alias) and isinstance(new.child, AttributeReference) and \
            new.child.expr_id == new.expr_id:
        return new.child
    if isinstance(old, Alias) and isinstance(new, Alias):
        return new
    if isinstance(new, Attribute):
        return new
    return Alias(new, getattr(old, "name", new.pretty_sql()),
                 expr_id=getattr(old, "expr_id", None))


class _Lowering:
    """Rewrites expressions over an Aggregate's input into expressions over its output,
    adding hidden aggregate items (Spark's `_w0`...) for what is not selected yet."""

    def __init__(self, agg: L.Aggregate, base_items):
        self.agg = agg
        self.items = list(base_items)
        self.groups = [g.canonicalized() for g in agg.grouping_expressions]

    def __call__(self, e: Expression) -> Expression:
        ce = e.canonicalized()
        if not isinstance(e, Literal):
            for item in self.items:
                inner = item.child if isinstance(item, Alias) else item
                if inner.canonicalized() == ce:
                    return item.to_attribute()
        if isinstance(e, AggregateExpression) or (ce in self.groups and
                                                  not isinstance(e, Literal)):
            if isinstance(e, Attribute):
                self.items.append(e)
                return e
            alias = Alias(e, f"_w{len(self.items)}")
            self.items.append(alias)
            return alias.to_attribute()
        if isinstance(e, AttributeReference):
            if any(e.expr_id == a.expr_id for a in self.agg.child.output):
                raise AnalysisException(
                    "MISSING_AGGREGATION", expression=_q(e.pretty_sql()),
                    expressionAnyValue=_q(f"any_value({e.pretty_sql()})"))
            return e
        if isinstance(e, SubqueryExpression):
            return e
        return e.with_new_children([self(c) for c in e.children])


def _lower_window(w: WindowExpression, lower: "_Lowering") -> WindowExpression:
    f = w.function
    if isinstance(f, AggregateExpression):
        inner = f.function.with_new_children([lower(c) for c in f.function.children])
        kids = [inner] + ([lower(f.filter)] if f.filter is not None else [])
        f = f.with_new_children(kids)
    else:
        f = f.with_new_children([lower(c) for c in f.children])
    spec = w.spec.with_new_children([lower(c) if not isinstance(c, SortOrder) else
                                     c.with_new_children([lower(c.child)])
                                     for c in w.spec.children])
    return w.with_new_children([f, spec])


def _extract_from_aggregate(agg: L.Aggregate, having: Optional[Expression] = None):
    plain = [it for it in agg.aggregate_expressions if not has_window(it)]
    lower = _Lowering(agg, plain)
    # the non-window parts of items holding windows read the aggregate's output

    def lower_outside(e):
        if isinstance(e, WindowExpression):
            return e
        if not has_window(e):
            return lower(e)
        return e.with_new_children([lower_outside(c) for c in e.children])
    lowered_items = []
    for it in agg.aggregate_expressions:
        if has_window(it):
            body = it.child if isinstance(it, Alias) else it
            lowered_items.append((it, lower_outside(body)))
    new_agg = L.Aggregate(agg.grouping_expressions, lower.items, agg.child)
    base: L.LogicalPlan = new_agg
    if having is not None:
        base = L.Filter(having, new_agg)
    bodies = [b for _, b in lowered_items]
    prefer = [it for it in agg.aggregate_expressions
              if isinstance(it, Alias) and isinstance(it.child, WindowExpression)]
    new_bodies, child, _ = _add_windows(bodies, base, lower, prefer)
    if len(lower.items) != len(new_agg.aggregate_expressions):
        new_agg = L.Aggregate(agg.grouping_expressions, lower.items, agg.child)
        child = _replace_node(child, base, new_agg if having is None else
                              L.Filter(having, new_agg))
    by_item = {id(it): nb for (it, _), nb in zip(lowered_items, new_bodies)}
    out = []
    for it in agg.aggregate_expressions:
        if id(it) in by_item:
            nb = by_item[id(it)]
            out.append(_as_named(Alias(nb, it.name, expr_id=it.expr_id), it)
                       if isinstance(it, Alias) else _as_named(nb, it))
        else:
            out.append(it.to_attribute())
    return L.Project(out, child)


def _replace_node(plan, old, new):
    if plan is old:
        return new
    return plan.with_new_children([_replace_node(c, old, new) for c in plan.children])


# ---------------------------------------------------------------------------- QUALIFY
def resolve_qualify(plan, ctx) -> L.LogicalPlan:
    """QUALIFY: names are the select list's outputs, then the SELECT's input columns (added
    to the select below the filter and projected away above it)."""
    from ember.optimizer.analyzer.analyzer import _expr, resolve_plan
    child = resolve_plan(plan.child, ctx)
    widened = child
    try:
        cond = _expr(ctx, child.output)(plan.condition)
    except AnalysisException as err:
        if not err.condition.startswith("UNRESOLVED_COLUMN") or \
                not isinstance(child, L.Project):
            raise
        out_ids = {a.expr_id for a in child.output}
        inputs = [a for a in child.child.output if a.expr_id not in out_ids]
        cond = _expr(ctx, list(child.output) + inputs)(plan.condition)
        needed = {a.expr_id for a in cond.references()}
        extra = [a for a in inputs if a.expr_id in needed]
        widened = L.Project(child.project_list + extra, child.child)
    f = L.Filter(cond, widened)
    f.qualify = True
    return L.Project(child.output, f) if widened is not child else f
