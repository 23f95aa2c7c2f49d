"""Resolving names inside expressions: columns, stars, functions, subqueries, aliases.

Spark's ResolveReferences, ResolveFunctions and ResolveAliases, done bottom-up over an
expression given the attributes its operator can see.
"""
from __future__ import annotations

import difflib
from typing import List, Optional, Sequence

from ember import types as T
from ember.errors import AnalysisException, not_supported
from ember.optimizer.expressions import (
    Alias, Attribute, AttributeReference, Cast, Expression, Literal, OuterReference,
    UnresolvedAlias, UnresolvedAttribute, UnresolvedExtractValue, UnresolvedFunction,
    UnresolvedStar)
from ember.optimizer.expressions.named import quote_identifier
from ember.optimizer.expressions.special import (LambdaPlaceholder, MultiAlias, NamedArgument,
                                                 TimeLiteral, UnresolvedWindowExpression)
from ember.optimizer.expressions.subquery import SubqueryExpression
from ember.optimizer.analyzer.context import AnalysisContext


def qualified_name(a: Attribute) -> str:
    return ".".join(quote_identifier(p) for p in list(a.qualifier[-1:]) + [a.name])


def _match(attrs: Sequence[AttributeReference], parts: Sequence[str], ctx: AnalysisContext):
    """Attributes matching a (possibly qualified) name, Spark's LogicalPlan.resolve order:
    first `qualifier.name` forms, then the bare name. Returns (matches, nested field parts)."""
    same = ctx.same_name
    # qualified: the leading parts match the end of an attribute's qualifier
    for q in range(min(len(parts) - 1, 3), 0, -1):
        qual, name, rest = parts[:q], parts[q], parts[q + 1:]
        found = []
        for a in attrs:
            aq = a.qualifier
            if len(aq) >= q and all(same(x, y) for x, y in zip(aq[-q:], qual)) and same(
                    a.name, name):
                found.append(a)
        if found:
            return found, list(rest)
    name, rest = parts[0], parts[1:]
    from ember.optimizer.analyzer.joins import is_qualified_access_only
    return [a for a in attrs if same(a.name, name) and not is_qualified_access_only(a)], \
        list(rest)


def _dedupe(matches):
    seen, out = set(), []
    for a in matches:
        if a.expr_id not in seen:
            seen.add(a.expr_id)
            out.append(a)
    return out


def resolve_attribute(u: UnresolvedAttribute, attrs: Sequence, ctx: AnalysisContext,
                      allow_outer: bool = True) -> Optional[Expression]:
    matches, rest = _match(attrs, u.name_parts, ctx)
    matches = _dedupe(matches)
    if len(matches) > 1:
        raise AnalysisException(
            "AMBIGUOUS_REFERENCE", name=quote_identifier(u.name_parts[-1]) if len(
                u.name_parts) == 1 else ".".join(quote_identifier(p) for p in u.name_parts),
            referenceNames="[" + ", ".join(qualified_name(a) for a in matches) + "]",
            line=_line(u), pos=_pos(u))
    if matches:
        a = matches[0]
        # the column keeps the spelling used in the query (`SELECT ID` names it ID)
        written = u.name_parts[len(u.name_parts) - len(rest) - 1]
        out = a.with_name(written) if written != a.name else a
        return _extract_fields(out, rest, ctx)
    if allow_outer:
        for scope in ctx.outer[-1:]:     # Spark resolves outer names one level up only
            matches, rest = _match(scope, u.name_parts, ctx)
            matches = _dedupe(matches)
            if len(matches) == 1:
                return _extract_fields(OuterReference(matches[0]), rest, ctx)
    return None


def _extract_fields(base: Expression, fields: List[str], ctx) -> Expression:
    from ember.optimizer.expressions.complex import extract_field
    for f in fields:
        base = extract_field(base, f, ctx)
    return base


def _line(e):
    return e.origin[0] if e.origin else None


def _pos(e):
    return e.origin[1] if e.origin else None


def unresolved_column_error(u: UnresolvedAttribute, attrs: Sequence) -> AnalysisException:
    name = ".".join(quote_identifier(p) for p in u.name_parts)
    candidates = [qualified_name(a) for a in attrs]
    if not candidates:
        return AnalysisException("UNRESOLVED_COLUMN.WITHOUT_SUGGESTION", objectName=name,
                                 line=_line(u), pos=_pos(u))
    target = u.name_parts[-1].lower()
    ranked = sorted(candidates, key=lambda c: (-difflib.SequenceMatcher(
        None, target, c.split(".")[-1].strip("`").lower()).ratio(), c))
    return AnalysisException("UNRESOLVED_COLUMN.WITH_SUGGESTION", objectName=name,
                             proposal=", ".join(ranked[:5]), line=_line(u), pos=_pos(u))


# ---------------------------------------------------------------------------- expressions
def resolve_expression(e: Expression, attrs: Sequence, ctx: AnalysisContext,
                       resolve_subquery=None, extra_rule=None) -> Expression:
    """Resolve every name in `e` against `attrs` (and outer scopes), then coerce types."""
    from ember.optimizer.analyzer.type_coercion import coerce
    from ember.optimizer.analyzer.datetime_arithmetic import rewrite_datetime_arithmetic

    def rule(node: Expression):
        if extra_rule is not None:
            out = extra_rule(node)
            if out is not None:
                return out
        if isinstance(node, UnresolvedAttribute):
            r = resolve_attribute(node, attrs, ctx)
            if r is None:
                raise unresolved_column_error(node, attrs)
            return r
        if isinstance(node, UnresolvedFunction):
            return resolve_function(node, attrs, ctx)
        if isinstance(node, UnresolvedExtractValue):
            from ember.optimizer.expressions.complex import resolve_extract_value
            return resolve_extract_value(node, ctx)
        if isinstance(node, SubqueryExpression) and not node.plan.resolved:
            if resolve_subquery is None:
                raise not_supported("subquery expressions here")
            return resolve_subquery(node, attrs)
        if isinstance(node, LambdaPlaceholder):
            # left unresolved: the higher-order function's builder binds its parameters
            # and resolves the body through this resolver (ResolveLambdaVariables)
            node = node.copy_with()
            node.resolver = lambda body, extra, outer=extra_rule: resolve_expression(
                body, attrs, ctx, resolve_subquery,
                lambda n: extra(n) or (outer(n) if outer is not None else None))
            return node
        if isinstance(node, TimeLiteral) or (isinstance(node, Cast) and isinstance(
                node.to, T.TimeType)):
            raise AnalysisException("UNSUPPORTED_TIME_TYPE")
        if isinstance(node, UnresolvedWindowExpression):
            from ember.optimizer.analyzer.window_specs import resolve_window_expression
            return resolve_window_expression(node, lambda x: resolve_expression(
                x, attrs, ctx, resolve_subquery, extra_rule), ctx)
        if isinstance(node, UnresolvedStar):
            raise AnalysisException("INVALID_USAGE_OF_STAR_OR_REGEX", elem="'*'",
                                    prettyName="expression")
        node = rewrite_datetime_arithmetic(node)
        return coerce(node)

    return _transform_children_first(e, rule)


def _transform_children_first(e: Expression, rule) -> Expression:
    """Bottom-up, but a function's arguments are resolved before the function itself and a
    subquery's plan is left to the rule."""
    if isinstance(e, (UnresolvedFunction,)):
        kids = [_transform_children_first(c, rule) if not isinstance(c, UnresolvedStar) else c
                for c in e.children]
        f = e.filter
        if f is not None:
            f = _transform_children_first(f, rule)
        node = e.with_new_children(kids)
        if f is not e.filter:
            node = node.copy_with(filter=f)
        if e.order_by:     # WITHIN GROUP (ORDER BY ...)
            node = node.copy_with(order_by=tuple(
                so.with_new_children([_transform_children_first(so.child, rule)])
                for so in e.order_by))
        return rule(node)
    if isinstance(e, LambdaPlaceholder):
        return rule(e)
    kids = [_transform_children_first(c, rule) for c in e.children]
    return rule(e.with_new_children(kids))


def resolve_function(f: UnresolvedFunction, attrs, ctx: AnalysisContext) -> Expression:
    name = f.name_parts[-1]
    if len(f.name_parts) > 1 and f.name_parts[0].lower() not in ("system", "builtin"):
        pass
    info = ctx.functions.lookup(name)
    if info is None:
        raise AnalysisException(
            "UNRESOLVED_ROUTINE", routineName=quote_identifier(name),
            searchPath="[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]",
            line=_line(f), pos=_pos(f))
    args = list(f.children)
    if f.is_star:
        if name.lower() == "count":
            args = [Literal(1, T.IntegerType())]
        else:
            args = list(attrs)
    for a in args:
        if isinstance(a, NamedArgument):
            pass
    out = info.builder(args, f)
    out.origin = f.origin
    return out


# ---------------------------------------------------------------------------- select lists
def expand_stars(items: Sequence[Expression], child_output: Sequence, ctx) -> List[Expression]:
    out = []
    for item in items:
        if isinstance(item, UnresolvedStar):
            out.extend(expand_star(item, child_output, ctx))
        else:
            out.append(item)
    return out


def expand_star(star: UnresolvedStar, attrs: Sequence, ctx) -> List[Expression]:
    from ember.optimizer.analyzer.joins import is_qualified_access_only
    attrs = [a for a in attrs if not is_qualified_access_only(a)]
    if star.target is None:
        cols = list(attrs)
    else:
        target = list(star.target)
        cols = [a for a in attrs if len(a.qualifier) >= len(target) and all(
            ctx.same_name(x, y) for x, y in zip(a.qualifier[-len(target):], target))]
        if not cols:
            # `s.*` on a struct column
            from ember.optimizer.expressions.complex import expand_struct_star
            expanded = expand_struct_star(target, attrs, ctx)
            if expanded is None:
                raise AnalysisException(
                    "CANNOT_RESOLVE_STAR_EXPAND",
                    targetString="`" + ".".join(target) + "`",
                    columns=", ".join("`" + a.name + "`" for a in attrs))
            cols = expanded
    if star.except_cols:
        excluded = set()
        for parts in star.except_cols:
            r = resolve_attribute(UnresolvedAttribute(parts), cols, ctx, allow_outer=False)
            if r is None:
                raise unresolved_column_error(UnresolvedAttribute(parts), cols)
            excluded.add(r.expr_id)
        cols = [c for c in cols if getattr(c, "expr_id", None) not in excluded]
    return cols


def assign_name(e: Expression) -> Expression:
    """Spark's ResolveAliases: a select-list item without a name gets one."""
    if isinstance(e, UnresolvedAlias):
        child = e.child
        if isinstance(child, Attribute):
            return child
        if isinstance(child, Cast) and isinstance(child.child, (Attribute, Alias)):
            return Alias(child, child.child.name)      # CAST(col AS t) keeps col's name
        name = getattr(child, "field_name", None)
        if name is not None:
            return Alias(child, name)
        if isinstance(child, OuterReference):
            return Alias(child, child.name)
        return Alias(child, child.pretty_sql())
    return e


def strip_outer_references(e: Expression) -> Expression:
    return e.transform_up(lambda n: n.attr if isinstance(n, OuterReference) else None)
