"""Operations over nested values (arrays, maps, structs)."""
from __future__ import annotations

from ember.errors import not_supported


def compare_nested(op, left, right, dt):
    raise not_supported(f"comparing {dt.simpleString()} values")
