"""Sort orders (`a DESC NULLS LAST`)."""
from __future__ import annotations

from ember.optimizer.expressions.base import Expression, UnaryExpression

ASCENDING, DESCENDING = "ASC", "DESC"
NULLS_FIRST, NULLS_LAST = "NULLS FIRST", "NULLS LAST"


class SortOrder(UnaryExpression):
    def __init__(self, child: Expression, direction: str = ASCENDING, null_ordering: str = None):
        self.children = (child,)
        self.direction = direction
        self.null_ordering = null_ordering or (NULLS_FIRST if direction == ASCENDING
                                               else NULLS_LAST)

    @property
    def ascending(self) -> bool:
        return self.direction == ASCENDING

    @property
    def nulls_first(self) -> bool:
        return self.null_ordering == NULLS_FIRST

    def _fields(self):
        return (self.direction, self.null_ordering)

    @property
    def data_type(self):
        return self.child.data_type

    @property
    def nullable(self):
        return self.child.nullable

    def sql(self) -> str:
        return f"{self.child.sql()} {self.direction} {self.null_ordering}"

    def __str__(self) -> str:
        return f"{self.child} {self.direction} {self.null_ordering}"
