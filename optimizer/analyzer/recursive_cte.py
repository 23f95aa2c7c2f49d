"""WITH RECURSIVE (Spark's recursive CTEs): `name AS (anchor UNION ALL recursive)` becomes a
UnionLoop whose recursive child reads the previous iteration's rows through a UnionLoopRef
wherever it names the CTE. The anchor fixes the column types; the recursive rows must fit."""
from __future__ import annotations

from ember.errors import AnalysisException, not_supported
from ember.optimizer.expressions import Alias, AttributeReference, Cast
from ember.optimizer.expressions.named import new_expr_id
from ember.optimizer.plans import logical as L
from ember.optimizer.plans.subquery_plans import RecursiveCTE, UnionLoop, UnionLoopRef


def _references(plan: L.LogicalPlan, name: str, ctx) -> bool:
    return any(isinstance(n, L.UnresolvedRelation) and len(n.name_parts) == 1 and
               ctx.same_name(n.name_parts[0], name) for n in plan.walk())


def recursive_cte(name, columns, query, ctes, ctx):
    """A RecursiveCTE for a CTE that reads itself, else None."""
    if not _references(query, name, ctx):
        return None
    if not isinstance(query, L.Union) or query.by_name:
        raise not_supported("this form of recursive CTE")
    anchors = [c for c in query.children if not _references(c, name, ctx)]
    recursive = [c for c in query.children if _references(c, name, ctx)]
    if not anchors or query.children[0] is not anchors[0]:
        raise not_supported("this form of recursive CTE")
    anchor = anchors[0] if len(anchors) == 1 else L.Union(anchors)
    return RecursiveCTE(name, columns, anchor, recursive, ctes)


def resolve_recursive_cte(p: RecursiveCTE, ctx, resolve_plan):
    from ember.optimizer.analyzer.resolve_relations import rename_columns
    anchor = resolve_plan(p.anchor, ctx.nested(ctes=p.ctes))
    if p.columns:
        anchor = rename_columns(anchor, p.columns)
    loop_id = new_expr_id()
    ref = UnionLoopRef(loop_id, [AttributeReference(a.name, a.data_type, True)
                                 for a in anchor.output])
    key = p.name if ctx.case_sensitive else p.name.lower()
    scope = dict(p.ctes)
    scope[key] = (None, ref, scope)
    recs = [resolve_plan(r, ctx.nested(ctes=scope)) for r in p.recursive]
    rec = recs[0] if len(recs) == 1 else L.Union(recs)
    out, rout = anchor.output, rec.output
    if len(out) != len(rout):
        raise AnalysisException("NUM_COLUMNS_MISMATCH", operator="UNION",
                                firstNumColumns=str(len(out)), invalidOrdinalNum="second",
                                invalidNumColumns=str(len(rout)))
    items, cast = [], False
    for a, r in zip(out, rout):
        if a.data_type == r.data_type:
            items.append(r)
            continue
        from ember.optimizer.analyzer.type_coercion import wider_type
        if wider_type(a.data_type, r.data_type) != a.data_type:
            raise AnalysisException("CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE",
                                     left='"' + a.data_type.sql() + '"',
                                     right='"' + r.data_type.sql() + '"')
        items.append(Alias(Cast(r, a.data_type), r.name))
        cast = True
    if cast:
        rec = L.Project(items, rec)
    attrs = [AttributeReference(a.name, a.data_type, True) for a in out]
    return UnionLoop(loop_id, anchor, rec, attrs)
