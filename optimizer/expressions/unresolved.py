"""Unresolved expressions produced by the parser; the analyzer replaces every one of them."""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

from ember.optimizer.expressions.base import Expression, LeafExpression, Unevaluable
from ember.optimizer.expressions.named import NamedExpression, _quote_if_needed


class UnresolvedAttribute(NamedExpression, LeafExpression):
    """A column name as written: `a`, `t.a`, `db.t.a`, or a struct field path."""

    def __init__(self, name_parts: Sequence[str]):
        self.name_parts = tuple(name_parts)
        self.expr_id = -1
        self.qualifier = ()

    @property
    def name(self) -> str:
        return ".".join(_quote_if_needed(p) for p in self.name_parts)

    @property
    def resolved(self) -> bool:
        return False

    @property
    def nullable(self):
        return True

    @property
    def data_type(self):
        raise ValueError(f"unresolved attribute {self.name}")

    def _fields(self):
        return (self.name_parts,)

    def sql(self) -> str:
        return self.name

    def __str__(self) -> str:
        return "'" + self.name


class UnresolvedStar(LeafExpression):
    """`*` or `t.*` in a select list (optionally `* EXCEPT (cols)`)."""

    def __init__(self, target: Optional[Sequence[str]] = None, except_cols=None):
        self.target = tuple(target) if target else None
        self.except_cols = except_cols

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return True

    def _fields(self):
        return (self.target,)

    def sql(self) -> str:
        return (".".join(self.target) + ".*") if self.target else "*"

    def __str__(self) -> str:
        return self.sql()


class UnresolvedFunction(Unevaluable):
    """A function call by name; resolved against the function registry."""

    def __init__(self, name_parts: Sequence[str], arguments: Sequence[Expression],
                 is_distinct: bool = False, filter: Optional[Expression] = None,
                 ignore_nulls: bool = False, order_by: Sequence[Expression] = (),
                 is_star: bool = False):
        self.name_parts = tuple(name_parts)
        self.children = tuple(arguments)
        self.is_distinct = is_distinct
        self.filter = filter
        self.ignore_nulls = ignore_nulls
        self.order_by = tuple(order_by)
        self.is_star = is_star

    @property
    def name(self) -> str:
        return ".".join(self.name_parts)

    @property
    def resolved(self) -> bool:
        return False

    @property
    def nullable(self):
        return True

    def _fields(self):
        return (self.name_parts, self.is_distinct, self.filter, self.ignore_nulls, self.order_by)

    def sql(self) -> str:
        distinct = "DISTINCT " if self.is_distinct else ""
        return f"{self.name}({distinct}{', '.join(c.sql() for c in self.children)})"

    def __str__(self) -> str:
        distinct = "distinct " if self.is_distinct else ""
        return f"'{self.name}({distinct}{', '.join(str(c) for c in self.children)})"


class UnresolvedAlias(Unevaluable):
    """A select-list item without a name yet; the analyzer names it (Spark's auto-naming)."""

    def __init__(self, child: Expression):
        self.children = (child,)

    @property
    def child(self):
        return self.children[0]

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return True

    def sql(self) -> str:
        return self.child.sql()

    def __str__(self) -> str:
        return f"unresolvedalias({self.child})"


class UnresolvedOrdinal(LeafExpression):
    """`ORDER BY 2` / `GROUP BY 1`: a position in the select list."""

    def __init__(self, ordinal: int):
        self.ordinal = ordinal

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return True

    def _fields(self):
        return (self.ordinal,)

    def sql(self) -> str:
        return str(self.ordinal)

    def __str__(self) -> str:
        return f"unresolvedordinal({self.ordinal})"


class UnresolvedExtractValue(Unevaluable):
    """`expr[key]` or `expr.field` where the kind of `expr` is not known yet."""

    def __init__(self, child: Expression, extraction: Expression):
        self.children = (child, extraction)

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return True

    def sql(self) -> str:
        return f"{self.children[0].sql()}[{self.children[1].sql()}]"

    def __str__(self) -> str:
        return f"{self.children[0]}[{self.children[1]}]"


class NamePlaceholder(LeafExpression):
    pass


def unresolved_column(*parts: str) -> UnresolvedAttribute:
    return UnresolvedAttribute(parts)


def name_parts_of(e: Expression) -> Optional[Tuple[str, ...]]:
    if isinstance(e, UnresolvedAttribute):
        return e.name_parts
    return None
