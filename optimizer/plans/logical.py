"""Logical plan nodes, named and printed as Spark's (`Project [a#1]`, `Filter (a#1 > 1)`)."""
from __future__ import annotations

from typing import Any, List, Optional, Sequence

from ember import types as T
from ember.optimizer.trees import TreeNode
from ember.optimizer.expressions.base import Expression
from ember.optimizer.expressions.named import Attribute, AttributeReference, NamedExpression


def comment_metadata(a) -> Optional[dict]:
    """A column's comment, carried from catalog columns through plain references and
    aliases (Spark's attribute metadata), as a StructField's metadata."""
    comment = (getattr(a, "metadata", None) or {}).get("comment")
    return {"comment": comment} if comment is not None else None


def _list(exprs) -> str:
    return "[" + ", ".join(str(e) for e in exprs) + "]"


class LogicalPlan(TreeNode):
    children: tuple = ()
    # names of attributes holding expressions (an Expression, or a list of them)
    _expr_fields: Sequence[str] = ()

    # ------------------------------------------------------------------ schema
    @property
    def output(self) -> List[Attribute]:
        raise NotImplementedError(type(self).__name__)

    @property
    def schema(self) -> T.StructType:
        return T.StructType([T.StructField(a.name, a.data_type, a.nullable, comment_metadata(a))
                             for a in self.output])

    def output_set(self) -> set:
        return set(self.output)

    @property
    def child(self) -> "LogicalPlan":
        return self.children[0]

    # ------------------------------------------------------------------ expressions
    def expressions(self) -> List[Expression]:
        out = []
        for f in self._expr_fields:
            v = getattr(self, f)
            if v is None:
                continue
            if isinstance(v, Expression):
                out.append(v)
            else:
                out.extend(x for x in v if x is not None)
        return out

    def map_expressions(self, fn) -> "LogicalPlan":
        """Copy of this node with `fn` applied to each of its expressions."""
        changed = {}
        for f in self._expr_fields:
            v = getattr(self, f)
            if v is None:
                continue
            if isinstance(v, Expression):
                nv = fn(v)
                if nv is not v:
                    changed[f] = nv
            else:
                nv = [fn(x) if x is not None else None for x in v]
                if any(a is not b for a, b in zip(nv, v)):
                    changed[f] = nv
        return self.copy_with(**changed) if changed else self

    def transform_expressions(self, rule) -> "LogicalPlan":
        return self.map_expressions(lambda e: e.transform_down(rule))

    def transform_expressions_up(self, rule) -> "LogicalPlan":
        return self.map_expressions(lambda e: e.transform_up(rule))

    def transform_all_expressions(self, rule) -> "LogicalPlan":
        """Apply an expression rule in every node of the plan."""
        return self.transform_up(lambda p: p.transform_expressions_up(rule))

    def references(self) -> set:
        out = set()
        for e in self.expressions():
            out |= e.references()
        return out

    def missing_input(self) -> set:
        inputs = set()
        for c in self.children:
            inputs |= set(c.output)
        return {a for a in self.references() if a not in inputs}

    def subqueries(self) -> List["LogicalPlan"]:
        from ember.optimizer.expressions.subquery import SubqueryExpression
        out = []
        for e in self.expressions():
            for n in e.walk():
                if isinstance(n, SubqueryExpression):
                    out.append(n.plan)
        return out

    # ------------------------------------------------------------------ state
    @property
    def resolved(self) -> bool:
        cached = self.__dict__.get("_cached_resolved")
        if cached is None:
            cached = (all(e.resolved for e in self.expressions())
                      and all(c.resolved for c in self.children))
            self.__dict__["_cached_resolved"] = cached
        return cached

    @property
    def is_streaming(self) -> bool:
        return False

    def simple_string(self) -> str:
        return ("" if self.resolved else "'") + self.describe()

    def describe(self) -> str:
        return self.node_name()

    def inner_children(self):
        return self.subqueries()

    def __repr__(self) -> str:
        return self.tree_string()

    def same_result(self, other) -> bool:
        return self is other


class LeafNode(LogicalPlan):
    children = ()


class UnaryNode(LogicalPlan):
    pass


class BinaryNode(LogicalPlan):
    @property
    def left(self):
        return self.children[0]

    @property
    def right(self):
        return self.children[1]


# ---------------------------------------------------------------------------- relations
class UnresolvedRelation(LeafNode):
    def __init__(self, name_parts: Sequence[str], options: Optional[dict] = None,
                 origin=None):
        self.name_parts = tuple(name_parts)
        self.options = options or {}
        self.origin = origin

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return []

    def describe(self):
        return f"UnresolvedRelation [{', '.join(self.name_parts)}], [], false"


class OneRowRelation(LeafNode):
    @property
    def output(self):
        return []


class LocalRelation(LeafNode):
    """Rows known at planning time (VALUES, createDataFrame); `data` is a pyarrow.Table whose
    columns follow `attributes`."""

    def __init__(self, attributes: Sequence[AttributeReference], data=None):
        self.attributes = list(attributes)
        self.data = data

    @property
    def output(self):
        return self.attributes

    def describe(self):
        return f"LocalRelation [{', '.join(str(a) for a in self.attributes)}]"

    @property
    def num_rows(self) -> int:
        return 0 if self.data is None else self.data.num_rows


class Range(LeafNode):
    def __init__(self, start: int, end: int, step: int = 1, num_slices: Optional[int] = None,
                 attribute: Optional[AttributeReference] = None):
        self.start, self.end, self.step, self.num_slices = start, end, step, num_slices
        self.attribute = attribute or AttributeReference("id", T.LongType(), False)

    @property
    def output(self):
        return [self.attribute]

    def describe(self):
        slices = f"Some({self.num_slices})" if self.num_slices else "None"
        return f"Range ({self.start}, {self.end}, step={self.step}, splits={slices})"


class UnresolvedInlineTable(LeafNode):
    """VALUES (...), (...) before its expressions are resolved and typed."""
    _expr_fields = ()

    def __init__(self, column_names: Sequence[str], rows: Sequence[Sequence[Expression]]):
        self.column_names = list(column_names)
        self.rows = [list(r) for r in rows]

    def expressions(self):
        return [e for r in self.rows for e in r]

    def map_expressions(self, fn):
        rows = [[fn(e) for e in r] for r in self.rows]
        return self.copy_with(rows=rows)

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return []

    def describe(self):
        return f"UnresolvedInlineTable [{', '.join(self.column_names)}], [{', '.join('[' + ', '.join(str(e) for e in r) + ']' for r in self.rows)}]"


class LogicalRelation(LeafNode):
    """A file-backed relation (Parquet and other file sources)."""

    def __init__(self, source, attributes: Sequence[AttributeReference], table_ident=None):
        self.source = source              # engine-side description: format, paths, options
        self.attributes = list(attributes)
        self.table_ident = table_ident

    @property
    def output(self):
        return self.attributes

    def describe(self):
        return f"Relation [{','.join(str(a) for a in self.attributes)}] {self.source.format}"


class SubqueryAlias(UnaryNode):
    """Names a subtree: `t` in `FROM x AS t`, or a view/table's qualified name."""

    def __init__(self, identifier: Sequence[str], child: LogicalPlan):
        self.identifier = tuple(identifier) if not isinstance(identifier, str) else (identifier,)
        self.children = (child,)

    @property
    def alias(self) -> str:
        return self.identifier[-1]

    @property
    def output(self):
        qualifier = self.identifier
        return [a.with_qualifier(qualifier) if isinstance(a, AttributeReference) else a
                for a in self.child.output]

    def describe(self):
        return "SubqueryAlias " + ".".join(self.identifier)


class View(UnaryNode):
    def __init__(self, name: str, child: LogicalPlan, is_temp: bool = True):
        self.name = name
        self.children = (child,)
        self.is_temp = is_temp

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return f"View ({self.name}, [{','.join(str(a) for a in self.output)}])"


# ---------------------------------------------------------------------------- operators
class Project(UnaryNode):
    _expr_fields = ("project_list",)

    def __init__(self, project_list: Sequence[Expression], child: LogicalPlan):
        self.project_list = list(project_list)
        self.children = (child,)

    @property
    def output(self):
        return [e.to_attribute() for e in self.project_list]

    def describe(self):
        return f"Project {_list(self.project_list)}"


class Filter(UnaryNode):
    _expr_fields = ("condition",)

    def __init__(self, condition: Expression, child: LogicalPlan):
        self.condition = condition
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return f"Filter {self.condition}"


class Aggregate(UnaryNode):
    _expr_fields = ("grouping_expressions", "aggregate_expressions")

    def __init__(self, grouping_expressions: Sequence[Expression],
                 aggregate_expressions: Sequence[Expression], child: LogicalPlan):
        self.grouping_expressions = list(grouping_expressions)
        self.aggregate_expressions = list(aggregate_expressions)
        self.children = (child,)

    @property
    def output(self):
        return [e.to_attribute() for e in self.aggregate_expressions]

    def describe(self):
        return f"Aggregate {_list(self.grouping_expressions)}, {_list(self.aggregate_expressions)}"


class Sort(UnaryNode):
    _expr_fields = ("order",)

    def __init__(self, order: Sequence[Expression], is_global: bool, child: LogicalPlan):
        self.order = list(order)
        self.is_global = is_global
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return f"Sort {_list(self.order)}, {'true' if self.is_global else 'false'}"


class GlobalLimit(UnaryNode):
    _expr_fields = ("limit",)

    def __init__(self, limit: Expression, child: LogicalPlan):
        self.limit = limit
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return f"GlobalLimit {self.limit}"


class LocalLimit(GlobalLimit):
    def describe(self):
        return f"LocalLimit {self.limit}"


class Offset(UnaryNode):
    _expr_fields = ("offset",)

    def __init__(self, offset: Expression, child: LogicalPlan):
        self.offset = offset
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return f"Offset {self.offset}"


class Distinct(UnaryNode):
    def __init__(self, child: LogicalPlan):
        self.children = (child,)

    @property
    def output(self):
        return self.child.output


class Join(BinaryNode):
    """join_type: Inner, LeftOuter, RightOuter, FullOuter, LeftSemi, LeftAnti, Cross."""
    _expr_fields = ("condition",)

    def __init__(self, left: LogicalPlan, right: LogicalPlan, join_type: str,
                 condition: Optional[Expression] = None, hint: Any = None):
        self.children = (left, right)
        self.join_type = join_type
        self.condition = condition
        self.hint = hint

    @property
    def output(self):
        jt = self.join_type
        left, right = self.left.output, self.right.output
        if jt in ("LeftSemi", "LeftAnti"):
            return list(left)
        if jt in ("LeftOuter", "LeftSingle"):
            return list(left) + [a.with_nullability(True) for a in right]
        if jt == "RightOuter":
            return [a.with_nullability(True) for a in left] + list(right)
        if jt == "FullOuter":
            return [a.with_nullability(True) for a in left] + [a.with_nullability(True)
                                                               for a in right]
        return list(left) + list(right)

    def describe(self):
        text = f"Join {self.join_type}"
        if self.condition is not None:
            text += f", {self.condition}"
        return text


class UnresolvedJoin(BinaryNode):
    """A join before NATURAL / USING columns are resolved."""
    def __init__(self, left, right, join_type: str, using: Sequence[str] = (),
                 natural: bool = False, condition: Optional[Expression] = None):
        self.children = (left, right)
        self.join_type = join_type
        self.using = list(using)
        self.natural = natural
        self.condition = condition

    _expr_fields = ("condition",)

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return []

    def describe(self):
        kind = "NaturalJoin" if self.natural else f"UsingJoin({', '.join(self.using)})"
        return f"Join {kind}({self.join_type})"


class Union(LogicalPlan):
    def __init__(self, children: Sequence[LogicalPlan], by_name: bool = False,
                 allow_missing: bool = False):
        self.children = tuple(children)
        self.by_name = by_name
        self.allow_missing = allow_missing

    @property
    def output(self):
        first = self.children[0].output
        out = []
        for i, a in enumerate(first):
            nullable = any(c.output[i].nullable for c in self.children)
            out.append(a.with_nullability(nullable))
        return out


class SetOperation(BinaryNode):
    def __init__(self, left, right, is_all: bool = False):
        self.children = (left, right)
        self.is_all = is_all

    @property
    def output(self):
        return self.left.output

    def describe(self):
        return f"{self.node_name()}{' All' if self.is_all else ''} {'true' if self.is_all else 'false'}"


class Intersect(SetOperation):
    @property
    def output(self):
        return [a.with_nullability(a.nullable and b.nullable)
                for a, b in zip(self.left.output, self.right.output)]


class Except(SetOperation):
    pass


class UnresolvedHint(UnaryNode):
    def __init__(self, name: str, parameters: Sequence[Any], child: LogicalPlan):
        self.name = name
        self.parameters = list(parameters)
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return f"UnresolvedHint {self.name}, {_list(self.parameters)}"


class With(UnaryNode):
    """WITH name AS (query), ...: CTE definitions scoped over `child`."""

    def __init__(self, ctes: Sequence, child: LogicalPlan, recursive: bool = False):
        self.ctes = list(ctes)          # list of (name, column_names or None, plan)
        self.recursive = recursive
        self.children = (child,)

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return "UnresolvedWith [" + ", ".join(n for n, _, _ in self.ctes) + "]"

    def inner_children(self):
        return [SubqueryAlias(n, p) for n, _, p in self.ctes]


def flat_output_names(plan: LogicalPlan) -> List[str]:
    return [a.name for a in plan.output]


def is_named(e: Expression) -> bool:
    return isinstance(e, NamedExpression)


class UnresolvedHaving(UnaryNode):
    """HAVING before the analyzer ties its condition to the aggregate below."""
    _expr_fields = ("condition",)

    def __init__(self, condition: Expression, child: LogicalPlan):
        self.condition = condition
        self.children = (child,)

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return f"UnresolvedHaving {self.condition}"


class UnresolvedSubqueryColumnAliases(UnaryNode):
    """`t(a, b)`: renames the columns of the aliased relation."""

    def __init__(self, names: Sequence[str], child: LogicalPlan):
        self.names = list(names)
        self.children = (child,)

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return []

    def describe(self):
        return f"UnresolvedSubqueryColumnAliases [{', '.join(self.names)}]"


class UnresolvedTableValuedFunction(LeafNode):
    def __init__(self, name_parts: Sequence[str], arguments: Sequence[Expression]):
        self.name_parts = tuple(name_parts)
        self.arguments = list(arguments)

    _expr_fields = ("arguments",)

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return []

    def describe(self):
        return f"UnresolvedTableValuedFunction [{'.'.join(self.name_parts)}], {_list(self.arguments)}"


class RepartitionByExpression(UnaryNode):
    """DISTRIBUTE BY: changes partitioning only, never the rows."""
    _expr_fields = ("partition_expressions",)

    def __init__(self, partition_expressions: Sequence[Expression], child: LogicalPlan):
        self.partition_expressions = list(partition_expressions)
        self.children = (child,)

    @property
    def output(self):
        return self.child.output

    def describe(self):
        return f"RepartitionByExpression {_list(self.partition_expressions)}"


class Unsupported(LeafNode):
    """A construct the parser accepts but Ember cannot run yet; analysis raises
    UNSUPPORTED_FEATURE naming it."""

    def __init__(self, feature: str):
        self.feature = feature

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return []

    def describe(self):
        return f"Unsupported {self.feature}"
