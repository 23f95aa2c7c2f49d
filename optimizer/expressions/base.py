"""Expression base classes (Catalyst's Expression hierarchy).

Every expression knows its data type, nullability, whether it is resolved and foldable,
and two text forms:
- `__str__`: Spark's `toString`, used in plan trees (`(a#1 + 1)`);
- `sql()`: Spark's `sql`, used in generated column names. `pretty_sql()` is Spark's
  `toPrettySQL`: attributes by bare name, literals unquoted, implicit casts hidden.
"""
from __future__ import annotations

from typing import Iterable, List, Optional, Sequence, Set

from ember.types import DataType
from ember.optimizer.trees import TreeNode


class Expression(TreeNode):
    children: tuple = ()
    # Spark's Origin: where the expression starts in the SQL text (line, pos), for errors.
    origin: Optional[tuple] = None

    # ------------------------------------------------------------------ type information
    @property
    def data_type(self) -> DataType:
        raise NotImplementedError(type(self).__name__)

    @property
    def nullable(self) -> bool:
        return any(c.nullable for c in self.children)

    @property
    def foldable(self) -> bool:
        return False

    @property
    def deterministic(self) -> bool:
        return all(c.deterministic for c in self.children)

    @property
    def resolved(self) -> bool:
        return self.children_resolved and self.type_check() is None

    @property
    def children_resolved(self) -> bool:
        return all(c.resolved for c in self.children)

    def type_check(self):
        """None when the input types are acceptable, else an AnalysisException to raise
        (Spark's checkInputDataTypes)."""
        return None

    # ------------------------------------------------------------------ references
    def references(self) -> Set["Expression"]:
        """The attributes this expression reads."""
        from ember.optimizer.expressions.named import AttributeReference
        out = set()
        for n in self.walk():
            if isinstance(n, AttributeReference):
                out.add(n)
            out.update(n.outer_references())
        return out

    def outer_references(self) -> Set["Expression"]:
        return set()

    # ------------------------------------------------------------------ equality
    def _fields(self) -> tuple:
        """Values other than children that define this expression's meaning."""
        return ()

    def _key(self):
        return (type(self), self._fields(), self.children)

    def __eq__(self, other) -> bool:
        if self is other:
            return True
        return isinstance(other, Expression) and self._key() == other._key()

    def __hash__(self) -> int:
        h = self.__dict__.get("_cached_hash")
        if h is None:
            h = hash(self._key())
            self.__dict__["_cached_hash"] = h
        return h

    def semantic_equals(self, other: "Expression") -> bool:
        return self.canonicalized() == other.canonicalized()

    def canonicalized(self) -> "Expression":
        """A form where cosmetic differences (alias names, attribute names) vanish."""
        return self.transform_up(lambda e: e.canonical_node())

    def canonical_node(self) -> Optional["Expression"]:
        return None

    # ------------------------------------------------------------------ printing
    @property
    def pretty_name(self) -> str:
        return type(self).__name__.lower()

    def sql(self) -> str:
        return f"{self.pretty_name}({', '.join(c.sql() for c in self.children)})"

    def pretty_sql(self) -> str:
        return pretty(self).sql()

    def __str__(self) -> str:
        return f"{self.pretty_name}({', '.join(str(c) for c in self.children)})"

    def __repr__(self) -> str:
        return str(self)

    def simple_string(self) -> str:
        return str(self)

    def with_origin(self, origin):
        self.origin = origin
        return self


class LeafExpression(Expression):
    children = ()


class UnaryExpression(Expression):
    @property
    def child(self) -> Expression:
        return self.children[0]


class BinaryExpression(Expression):
    @property
    def left(self) -> Expression:
        return self.children[0]

    @property
    def right(self) -> Expression:
        return self.children[1]


class BinaryOperator(BinaryExpression):
    """An infix operator: named `(l op r)` both as SQL and as plan text."""
    symbol = "?"

    @property
    def sql_operator(self) -> str:
        return self.symbol

    def sql(self) -> str:
        return f"({self.left.sql()} {self.sql_operator} {self.right.sql()})"

    def __str__(self) -> str:
        return f"({self.left} {self.symbol} {self.right})"


class Unevaluable(Expression):
    """Placeholders that must be replaced before execution (unresolved nodes, ...)."""


class Nondeterministic(Expression):
    @property
    def deterministic(self) -> bool:
        return False


def pretty(e: Expression) -> Expression:
    """Spark's usePrettyExpression: the expression as it should read in a column name."""
    from ember.optimizer.expressions.named import Attribute, PrettyAttribute
    from ember.optimizer.expressions.literals import Literal
    from ember.optimizer.expressions.cast import Cast

    def rule(node):
        if isinstance(node, Attribute):
            return PrettyAttribute(node.name, node.data_type if node.resolved else None)
        if isinstance(node, Literal):
            return PrettyAttribute(node.pretty_text(), node.data_type)
        if isinstance(node, Cast) and not node.user_specified:
            return PrettyAttribute(pretty(node.child).sql(), node.data_type)
        hook = getattr(node, "pretty_replacement", None)
        if hook is not None:
            return hook()
        return None

    return e.transform_down(rule)


def expression_list_sql(exprs: Sequence[Expression]) -> str:
    return ", ".join(e.sql() for e in exprs)


def flatten(items: Iterable) -> List:
    out = []
    for x in items:
        if isinstance(x, (list, tuple)):
            out.extend(flatten(x))
        else:
            out.append(x)
    return out
