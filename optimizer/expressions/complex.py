"""Access into complex values: struct fields, array elements, map values.

The expressions live in `ember.engine.functions.collections`; these are the analyzer's entry
points (Spark's ExtractValue).
"""
from __future__ import annotations

from ember.optimizer.expressions.literals import Literal
from ember import types as T


def extract_field(base, field: str, ctx):
    """`col.field` reached through attribute resolution: the result is named `field`."""
    from ember.engine.functions.collections import extract_value
    out = extract_value(base, Literal(field, T.StringType()), by_name=True)
    out.field_name = field
    return out


def resolve_extract_value(node, ctx):
    from ember.engine.functions.collections import extract_value
    base, key = node.children
    if not base.resolved or not key.resolved:
        return node
    by_name = getattr(node, "by_name", None)
    if by_name is None:
        by_name = isinstance(base.data_type, T.StructType) or (
            isinstance(base.data_type, T.ArrayType)
            and isinstance(base.data_type.elementType, T.StructType)
            and isinstance(key, Literal) and isinstance(key.data_type, T.StringType))
    return extract_value(base, key, by_name)


def expand_struct_star(target, attrs, ctx):
    from ember.optimizer.expressions.unresolved import UnresolvedAttribute
    from ember.optimizer.analyzer.resolve_references import resolve_attribute
    from ember.optimizer.expressions.named import Alias
    from ember.engine.functions.collections import GetStructField
    r = resolve_attribute(UnresolvedAttribute(list(target)), attrs, ctx, allow_outer=False)
    if r is None or not isinstance(r.data_type, T.StructType):
        return None
    return [Alias(GetStructField(r, ordinal=i, field=f.name), f.name)
            for i, f in enumerate(r.data_type.fields)]
