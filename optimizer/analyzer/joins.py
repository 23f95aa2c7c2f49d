"""Join resolution: conditions over both sides, self-join deduplication, USING and NATURAL
joins (Spark's ResolveReferences for Join, DeduplicateRelations, ResolveNaturalAndUsingJoin)."""
from __future__ import annotations

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions import Alias, AttributeReference, Coalesce, EqualTo
from ember.optimizer.expressions.named import quote_identifier
from ember.optimizer.expressions.predicates import combine_conjuncts
from ember.optimizer.plans import logical as L
from ember.optimizer.analyzer.resolve_relations import fresh_instance


def dedupe_right(left, right):
    left_ids = {a.expr_id for a in left.output}
    if any(a.expr_id in left_ids for a in right.output):
        return fresh_instance(right)
    return right


def resolve_join(plan: L.Join, left, right, ctx, make_resolver):
    right = dedupe_right(left, right)
    cond = plan.condition
    if cond is not None:
        cond = make_resolver(ctx, list(left.output) + list(right.output))(cond)
    return L.Join(left, right, plan.join_type, cond, plan.hint)


def resolve_using_join(plan: L.UnresolvedJoin, left, right, ctx, make_resolver):
    right = dedupe_right(left, right)
    lout, rout = left.output, right.output
    if plan.natural:
        names = [a.name for a in lout if any(ctx.same_name(a.name, b.name) for b in rout)]
    else:
        names = list(plan.using)
    pairs = []
    for n in names:
        lk = [a for a in lout if ctx.same_name(a.name, n)]
        rk = [b for b in rout if ctx.same_name(b.name, n)]
        if not lk:
            raise AnalysisException("UNRESOLVED_USING_COLUMN_FOR_JOIN", colName=quote_identifier(n),
                                    side="left", suggestion=", ".join(quote_identifier(a.name) for a in lout))
        if not rk:
            raise AnalysisException("UNRESOLVED_USING_COLUMN_FOR_JOIN", colName=quote_identifier(n),
                                    side="right", suggestion=", ".join(quote_identifier(a.name) for a in rout))
        pairs.append((lk[0], rk[0]))
    conds = []
    for l, r in pairs:
        e = make_resolver(ctx, [])(EqualTo(l, r))
        conds.append(e)
    cond = combine_conjuncts(conds)
    jt = plan.join_type if plan.join_type != "Cross" else "Inner"
    join = L.Join(left, right, jt, cond)
    lkeys = {l.expr_id for l, _ in pairs}
    rkeys = {r.expr_id for _, r in pairs}
    lrest = [a for a in join.output[:len(lout)] if a.expr_id not in lkeys]
    rrest = [a for a in join.output[len(lout):] if a.expr_id not in rkeys]
    jl = {a.expr_id: a for a in join.output}
    if jt in ("LeftSemi", "LeftAnti"):
        return L.Project([jl[l.expr_id] for l, _ in pairs] + lrest, join)
    if jt == "RightOuter":
        keys = [jl[r.expr_id] for _, r in pairs]
    elif jt == "FullOuter":
        keys = [Alias(make_resolver(ctx, [])(Coalesce([jl[l.expr_id], jl[r.expr_id]])), l.name)
                for l, r in pairs]
    else:
        keys = [jl[l.expr_id] for l, _ in pairs]
    # both sides' key columns stay reachable by qualified name (`t.k`), as in Spark
    shown = {k.expr_id for k in keys if isinstance(k, AttributeReference)}
    hidden = [qualified_access_only(jl[a.expr_id]) for pair in pairs for a in pair
              if a.expr_id not in shown]
    return L.Project(keys + lrest + rrest + hidden, join)


QUALIFIED_ONLY = "__qualified_access_only"


def qualified_access_only(a: AttributeReference) -> AttributeReference:
    meta = dict(a.metadata or {})
    meta[QUALIFIED_ONLY] = True
    return AttributeReference(a.name, a.data_type, a.nullable, a.expr_id, a.qualifier, meta)


def is_qualified_access_only(a) -> bool:
    return bool(getattr(a, "metadata", None) and a.metadata.get(QUALIFIED_ONLY))
