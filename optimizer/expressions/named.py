"""Named expressions: attributes (columns of a plan's output) and aliases."""
from __future__ import annotations

import itertools
from typing import Optional, Sequence, Tuple

from ember.types import DataType, LongType
from ember.optimizer.expressions.base import Expression, LeafExpression, UnaryExpression

_ids = itertools.count(1)


def new_expr_id() -> int:
    return next(_ids)


def _type_suffix(dt) -> str:
    return "L" if isinstance(dt, LongType) else ""


class NamedExpression(Expression):
    name: str
    expr_id: int
    qualifier: Tuple[str, ...] = ()

    def to_attribute(self) -> "AttributeReference":
        raise NotImplementedError


class Attribute(NamedExpression, LeafExpression):
    pass


class AttributeReference(Attribute):
    """A column of some plan's output, identified by `expr_id` (Spark's `a#12`)."""

    def __init__(self, name: str, data_type: DataType, nullable: bool = True,
                 expr_id: Optional[int] = None, qualifier: Sequence[str] = (),
                 metadata: Optional[dict] = None):
        self.name = name
        self._data_type = data_type
        self._nullable = nullable
        self.expr_id = new_expr_id() if expr_id is None else expr_id
        self.qualifier = tuple(qualifier)
        self.metadata = metadata

    @property
    def data_type(self) -> DataType:
        return self._data_type

    @property
    def nullable(self) -> bool:
        return self._nullable

    @property
    def resolved(self) -> bool:
        return True

    def _fields(self):
        return (self.expr_id,)

    def to_attribute(self) -> "AttributeReference":
        return self

    def with_qualifier(self, qualifier: Sequence[str]) -> "AttributeReference":
        return AttributeReference(self.name, self._data_type, self._nullable, self.expr_id,
                                  qualifier, self.metadata)

    def with_name(self, name: str) -> "AttributeReference":
        return AttributeReference(name, self._data_type, self._nullable, self.expr_id,
                                  self.qualifier, self.metadata)

    def with_nullability(self, nullable: bool) -> "AttributeReference":
        return AttributeReference(self.name, self._data_type, nullable, self.expr_id,
                                  self.qualifier, self.metadata)

    def with_type(self, data_type: DataType) -> "AttributeReference":
        return AttributeReference(self.name, data_type, self._nullable, self.expr_id,
                                  self.qualifier, self.metadata)

    def new_instance(self) -> "AttributeReference":
        return AttributeReference(self.name, self._data_type, self._nullable, None,
                                  self.qualifier, self.metadata)

    def canonical_node(self):
        return AttributeReference("none", self._data_type, True, self.expr_id)

    def sql(self) -> str:
        parts = list(self.qualifier) + [self.name]
        return ".".join(_quote_if_needed(p) for p in parts)

    def __str__(self) -> str:
        return f"{self.name}#{self.expr_id}{_type_suffix(self._data_type)}"


class PrettyAttribute(Attribute):
    """Stands for an attribute or literal inside a generated column name."""

    def __init__(self, name: str, data_type: Optional[DataType] = None):
        self.name = name
        self._data_type = data_type
        self.expr_id = -1

    @property
    def data_type(self):
        return self._data_type

    @property
    def nullable(self) -> bool:
        return True

    @property
    def resolved(self) -> bool:
        return True

    def _fields(self):
        return (self.name,)

    def sql(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name


class Alias(NamedExpression, UnaryExpression):
    """`child AS name`. Keeps its expr_id stable so references to it survive rewrites."""

    def __init__(self, child: Expression, name: str, expr_id: Optional[int] = None,
                 qualifier: Sequence[str] = (), metadata: Optional[dict] = None):
        self.children = (child,)
        self.name = name
        self.expr_id = new_expr_id() if expr_id is None else expr_id
        self.qualifier = tuple(qualifier)
        self.metadata = metadata

    @property
    def data_type(self):
        return self.child.data_type

    @property
    def nullable(self) -> bool:
        return self.child.nullable

    @property
    def foldable(self) -> bool:
        return False

    def _fields(self):
        return (self.name, self.expr_id)

    def canonical_node(self):
        return self.child

    def to_attribute(self) -> AttributeReference:
        metadata = self.metadata
        if metadata is None and isinstance(self.child, AttributeReference):
            # `col AS x` keeps the column's comment (Spark's Alias.metadata)
            comment = (self.child.metadata or {}).get("comment")
            metadata = {"comment": comment} if comment is not None else None
        return AttributeReference(self.name, self.child.data_type, self.child.nullable,
                                  self.expr_id, self.qualifier, metadata)

    def sql(self) -> str:
        return f"{self.child.sql()} AS {_quote_if_needed(self.name)}"

    def __str__(self) -> str:
        return f"{self.child} AS {self.name}#{self.expr_id}{_type_suffix(self.child.data_type) if self.child.resolved else ''}"


class OuterReference(LeafExpression):
    """A reference from a correlated subquery to a column of the outer query."""

    def __init__(self, attr: AttributeReference):
        self.attr = attr

    @property
    def data_type(self):
        return self.attr.data_type

    @property
    def nullable(self) -> bool:
        return self.attr.nullable

    @property
    def resolved(self) -> bool:
        return True

    @property
    def name(self):
        return self.attr.name

    def _fields(self):
        return (self.attr,)

    def outer_references(self):
        return set()

    def sql(self) -> str:
        return self.attr.sql()

    def __str__(self) -> str:
        return f"outer({self.attr})"


def _quote_if_needed(name: str) -> str:
    if name and (name[0].isalpha() or name[0] == "_") and all(
            ch.isalnum() or ch == "_" for ch in name):
        return name
    return "`" + name.replace("`", "``") + "`"


def quote_identifier(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
