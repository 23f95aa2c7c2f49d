"""Window expressions (Catalyst's WindowExpression, WindowSpecDefinition, SpecifiedWindowFrame)
and the window-only functions (row_number, rank, lag, ...).

A frame bound is a tuple `(kind, value)`: kind is UNBOUNDED_PRECEDING, UNBOUNDED_FOLLOWING,
CURRENT, PRECEDING or FOLLOWING; value is the offset Literal of the last two (a PRECEDING
offset is written positive, as in the SQL text).
"""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

from ember import types as T
from ember.optimizer.expressions.base import Expression, LeafExpression

Bound = Tuple[str, Optional[Expression]]
UNBOUNDED_PRECEDING: Bound = ("UNBOUNDED_PRECEDING", None)
UNBOUNDED_FOLLOWING: Bound = ("UNBOUNDED_FOLLOWING", None)
CURRENT_ROW: Bound = ("CURRENT", None)


def _bound_key(b: Bound):
    kind, v = b
    return (kind, None if v is None else (v.value if hasattr(v, "value") else str(v)))


class WindowFrame:
    """`ROWS|RANGE BETWEEN lower AND upper` (Spark's SpecifiedWindowFrame)."""

    def __init__(self, frame_type: str, lower: Bound, upper: Bound, cast_offsets=False):
        self.frame_type = frame_type          # "ROWS" or "RANGE"
        self.lower = lower
        self.upper = upper
        # offset types Spark casts to the order key's type: such a PRECEDING offset prints
        # as `(- n) FOLLOWING`
        self.cast_offsets = cast_offsets

    def key(self):
        return (self.frame_type, _bound_key(self.lower), _bound_key(self.upper))

    def __eq__(self, other):
        return isinstance(other, WindowFrame) and self.key() == other.key()

    def __hash__(self):
        return hash(self.key())

    def _bound_sql(self, b: Bound) -> str:
        kind, v = b
        if kind == "UNBOUNDED_PRECEDING":
            return "UNBOUNDED PRECEDING"
        if kind == "UNBOUNDED_FOLLOWING":
            return "UNBOUNDED FOLLOWING"
        if kind == "CURRENT":
            return "CURRENT ROW"
        text = getattr(v, "shown_sql", None) or v.pretty_sql()
        if kind == "PRECEDING":
            cast = self.cast_offsets and v.data_type in self.cast_offsets
            return f"(- {text}) FOLLOWING" if cast else f"{text} PRECEDING"
        return f"{text} FOLLOWING"

    def sql(self) -> str:
        return f"{self.frame_type} BETWEEN {self._bound_sql(self.lower)} AND " \
               f"{self._bound_sql(self.upper)}"

    def __str__(self) -> str:
        """Spark's toString: `specifiedwindowframe(RowFrame, -1, currentrow$())`."""
        def bound(b):
            kind, v = b
            if kind == "UNBOUNDED_PRECEDING":
                return "unboundedpreceding$()"
            if kind == "UNBOUNDED_FOLLOWING":
                return "unboundedfollowing$()"
            if kind == "CURRENT":
                return "currentrow$()"
            return ("-" if kind == "PRECEDING" else "") + str(v)
        kind = "RowFrame" if self.frame_type == "ROWS" else "RangeFrame"
        return f"specifiedwindowframe({kind}, {bound(self.lower)}, {bound(self.upper)})"

    def __repr__(self):
        return self.sql()


def rows_frame(lower: Bound = UNBOUNDED_PRECEDING, upper: Bound = CURRENT_ROW) -> WindowFrame:
    return WindowFrame("ROWS", lower, upper)


class WindowSpecDefinition(Expression):
    """PARTITION BY / ORDER BY / frame of a resolved window. Children: partition expressions,
    then SortOrders."""

    def __init__(self, partition: Sequence[Expression], order: Sequence[Expression],
                 frame: Optional[WindowFrame]):
        self.children = tuple(partition) + tuple(order)
        self.n_partition = len(partition)
        self.frame = frame

    @property
    def partition(self):
        return list(self.children[:self.n_partition])

    @property
    def order(self):
        return list(self.children[self.n_partition:])

    def _fields(self):
        return (self.n_partition, self.frame)

    @property
    def data_type(self):
        return T.NullType()

    @property
    def nullable(self):
        return True

    @property
    def resolved(self):
        return self.children_resolved and self.frame is not None

    def sql(self) -> str:
        parts = []
        if self.partition:
            parts.append("PARTITION BY " + ", ".join(e.sql() for e in self.partition))
        if self.order:
            parts.append("ORDER BY " + ", ".join(e.sql() for e in self.order))
        if self.frame is not None:
            parts.append(self.frame.sql())
        return "(" + " ".join(parts) + ")"

    def __str__(self) -> str:
        parts = [str(e) for e in self.children]
        if self.frame is not None:
            parts.append(str(self.frame))
        return "windowspecdefinition(" + ", ".join(parts) + ")"


class WindowExpression(Expression):
    """`function OVER spec`: the function is a WindowFunction or an AggregateExpression."""

    def __init__(self, function: Expression, spec: WindowSpecDefinition):
        self.children = (function, spec)

    @property
    def function(self) -> Expression:
        return self.children[0]

    @property
    def spec(self) -> WindowSpecDefinition:
        return self.children[1]

    @property
    def data_type(self):
        return self.function.data_type

    @property
    def nullable(self):
        return True

    @property
    def foldable(self):
        return False

    def sql(self) -> str:
        return f"{self.function.sql()} OVER {self.spec.sql()}"

    def __str__(self) -> str:
        return f"{self.function} {self.spec}"


# ---------------------------------------------------------------------------- window functions
class WindowFunction(Expression):
    """A function only meaningful over a window. `frame` is the frame the function imposes
    (None: the default frame); `requires_order` says whether it needs ORDER BY."""
    frame: Optional[WindowFrame] = None
    requires_order = False

    @property
    def foldable(self):
        return False

    @property
    def deterministic(self):
        return True


class RowNumber(WindowFunction, LeafExpression):
    frame = rows_frame()
    requires_order = True

    @property
    def data_type(self):
        return T.IntegerType()

    @property
    def nullable(self):
        return False

    @property
    def pretty_name(self):
        return "row_number"

    def sql(self):
        return "row_number()"

    __str__ = sql


class Rank(RowNumber):
    @property
    def pretty_name(self):
        return "rank"

    def sql(self):
        return self.pretty_name.upper() + "()"

    __str__ = sql


class DenseRank(Rank):
    @property
    def pretty_name(self):
        return "dense_rank"


class PercentRank(Rank):
    @property
    def pretty_name(self):
        return "percent_rank"

    @property
    def data_type(self):
        return T.DoubleType()


class CumeDist(RowNumber):
    frame = WindowFrame("RANGE", UNBOUNDED_PRECEDING, CURRENT_ROW)

    @property
    def pretty_name(self):
        return "cume_dist"

    @property
    def data_type(self):
        return T.DoubleType()

    def sql(self):
        return "cume_dist()"

    __str__ = sql


class NTile(WindowFunction):
    frame = rows_frame()
    requires_order = True

    def __init__(self, buckets: Expression):
        self.children = (buckets,)

    @property
    def data_type(self):
        return T.IntegerType()

    @property
    def nullable(self):
        return False

    @property
    def pretty_name(self):
        return "ntile"


class OffsetFunction(WindowFunction):
    """lag / lead: the input at `offset` rows from the current row, or `default`."""
    requires_order = True

    def __init__(self, input: Expression, offset: Expression, default: Expression,
                 ignore_nulls: bool = False):
        self.children = (input, offset, default)
        self.ignore_nulls = ignore_nulls

    def _fields(self):
        return (self.ignore_nulls,)

    @property
    def input(self):
        return self.children[0]

    @property
    def offset(self):
        return self.children[1]

    @property
    def default(self):
        return self.children[2]

    @property
    def data_type(self):
        return self.input.data_type

    @property
    def nullable(self):
        return True

    def row_offset(self) -> int:
        """Rows after the current one (negative: before)."""
        v = getattr(self.offset, "value", None)
        v = int(v) if v is not None else 0
        return -v if isinstance(self, Lag) else v

    @property
    def frame(self):
        from ember.optimizer.expressions.literals import Literal
        return rows_frame(("FOLLOWING", Literal(self.row_offset(), T.IntegerType())),
                          ("FOLLOWING", Literal(self.row_offset(), T.IntegerType())))


class Lag(OffsetFunction):
    @property
    def pretty_name(self):
        return "lag"


class Lead(OffsetFunction):
    @property
    def pretty_name(self):
        return "lead"


class FrameValueFunction(WindowFunction):
    """A function of the rows of the frame: first_value / last_value / nth_value."""

    def __init__(self, children, ignore_nulls: bool = False, name: str = ""):
        self.children = tuple(children)
        self.ignore_nulls = ignore_nulls
        self.name = name

    def _fields(self):
        return (self.ignore_nulls, self.name)

    @property
    def input(self):
        return self.children[0]

    @property
    def data_type(self):
        return self.input.data_type

    @property
    def nullable(self):
        return True

    @property
    def pretty_name(self):
        return self.name


class FirstValue(FrameValueFunction):
    def sql(self):
        name = ("first" if isinstance(self, FirstValue) and not isinstance(self, LastValue)
                else "last") if self.ignore_nulls else self.name
        return f"{name}({self.input.sql()})"

    def __str__(self):
        return f"{self.name}({self.input}){' ignore nulls' if self.ignore_nulls else ''}"


class LastValue(FirstValue):
    pass


class NthValue(FrameValueFunction):
    def sql(self):
        return f"nth_value({self.input.sql()}, {self.children[1].sql()})" + (
            " ignore nulls" if self.ignore_nulls else "")

    def __str__(self):
        return f"nth_value({self.input}, {self.children[1]}, {str(self.ignore_nulls).lower()})"
