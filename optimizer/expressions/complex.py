"""Access into complex values: struct fields, array elements, map values.

Ember's first slice does not run nested types yet; these entry points name what is missing.
"""
from __future__ import annotations

from ember.errors import not_supported


def extract_field(base, field: str, ctx):
    raise not_supported("struct field access")


def resolve_extract_value(node, ctx):
    raise not_supported("subscripts and field access on complex types")


def expand_struct_star(target, attrs, ctx):
    return None
