"""GROUPING SETS / ROLLUP / CUBE in GROUP BY, and grouping() / grouping_id().

`GroupingAnalytics` is the parser's placeholder for one ROLLUP, CUBE or GROUPING SETS item
of a GROUP BY; the analyzer (grouping_analytics.py) turns the Aggregate over it into
Aggregate <- Expand <- Project, as Spark's ResolveGroupingAnalytics does. `Grouping` and
`GroupingID` are then rewritten into bit arithmetic over the grouping id (`GroupingBits`).
"""
from __future__ import annotations

from typing import List, Sequence

import numpy as np
import pyarrow as pa

from ember import types as T
from ember.optimizer.expressions.base import Expression, Unevaluable
from ember.optimizer.expressions.functions import ScalarFunction


class GroupingAnalytics(Unevaluable):
    """kind: rollup | cube | grouping_sets; sets: the grouping sets as written (each a list
    of expressions; for rollup/cube each element is one column group)."""

    def __init__(self, kind: str, sets: Sequence[Sequence[Expression]]):
        self.kind = kind
        self.sets = [list(s) for s in sets]
        self.children = tuple(e for s in self.sets for e in s)

    def _fields(self):
        return (self.kind, tuple(len(s) for s in self.sets))

    def with_new_children(self, children):
        children = list(children)
        sets, i = [], 0
        for s in self.sets:
            sets.append(children[i:i + len(s)])
            i += len(s)
        return GroupingAnalytics(self.kind, sets)

    @property
    def resolved(self):
        return False

    @property
    def nullable(self):
        return True

    def expanded_sets(self) -> List[List[Expression]]:
        """The grouping sets this item stands for, in Spark's order."""
        if self.kind == "rollup":
            return [[e for s in self.sets[:i] for e in s]
                    for i in range(len(self.sets), -1, -1)]
        if self.kind == "cube":
            out = [[]]
            for s in reversed(self.sets):
                out = [list(s) + o for o in out] + out
            return out
        return [list(s) for s in self.sets]

    def sql(self):
        return f"{self.kind}({', '.join(c.sql() for c in self.children)})"

    def __str__(self):
        # Spark's form: the index vector of each set into the (flattened) expressions
        if self.kind == "grouping_sets":
            exprs = []
            for e in self.children:
                if e not in exprs:
                    exprs.append(e)
        else:
            exprs = list(self.children)
        vectors, i = [], 0
        for s in self.sets:
            if self.kind == "grouping_sets":
                idx = [exprs.index(e) for e in s]
            else:
                idx = list(range(i, i + len(s)))
                i += len(s)
            vectors.append("Vector(" + ", ".join(map(str, idx)) + ")")
        name = self.kind.replace("_", "")
        return f"{name}({', '.join(vectors + [str(e) for e in exprs])})"


def outside_grouping_sets():
    from ember.errors import AnalysisException
    # the analyzer rewrites these under GROUPING SETS / ROLLUP / CUBE; any left over is misuse
    return AnalysisException("UNSUPPORTED_GROUPING_EXPRESSION")


class Grouping(Unevaluable):
    """grouping(col): 1 when `col` is aggregated away in the current grouping set."""

    def __init__(self, child: Expression):
        self.children = (child,)

    @property
    def data_type(self):
        return T.ByteType()

    @property
    def nullable(self):
        return False

    @property
    def pretty_name(self):
        return "grouping"


class GroupingID(Unevaluable):
    """grouping_id(cols...): the bit vector of aggregated-away columns."""

    def __init__(self, children: Sequence[Expression]):
        self.children = tuple(children)

    @property
    def data_type(self):
        return T.LongType()

    @property
    def nullable(self):
        return False

    @property
    def pretty_name(self):
        return "grouping_id"


class GroupingBits(ScalarFunction):
    """Bits of the grouping id: for each (shift) in `shifts`, the bit at `shift`, packed
    most-significant first; ByteType for grouping(), LongType for grouping_id()."""
    name = "grouping_bits"
    null_intolerant = False

    def __init__(self, gid: Expression, shifts: Sequence[int], as_byte: bool):
        self.children = (gid,)
        self.shifts = tuple(shifts)
        self.as_byte = as_byte

    def _fields(self):
        return (self.shifts, self.as_byte)

    @property
    def data_type(self):
        return T.ByteType() if self.as_byte else T.LongType()

    @property
    def nullable(self):
        return False

    def evaluate(self, args, num_rows):
        gid = np.asarray(args[0].to_numpy(zero_copy_only=False), dtype=np.int64)
        out = np.zeros(len(gid), dtype=np.int64)
        for s in self.shifts:
            out = (out << 1) | ((gid >> s) & 1)
        if self.as_byte:
            return pa.array(out.astype(np.int8), pa.int8())
        return pa.array(out, pa.int64())
