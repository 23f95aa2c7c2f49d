"""Conditional expressions: IF, CASE WHEN, COALESCE, and Spark's runtime-replaceable wrappers."""
from __future__ import annotations

from typing import Optional, Sequence, Tuple

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions.base import Expression, pretty
from ember.optimizer.expressions.predicates import same_type_ignoring_nullability


def _q(text: str) -> str:
    return '"' + text + '"'


class If(Expression):
    def __init__(self, predicate: Expression, true_value: Expression, false_value: Expression):
        self.children = (predicate, true_value, false_value)

    @property
    def predicate(self):
        return self.children[0]

    @property
    def true_value(self):
        return self.children[1]

    @property
    def false_value(self):
        return self.children[2]

    @property
    def data_type(self):
        t = self.true_value.data_type
        return self.false_value.data_type if isinstance(t, T.NullType) else t

    @property
    def nullable(self):
        return self.true_value.nullable or self.false_value.nullable

    @property
    def foldable(self):
        return all(c.foldable for c in self.children)

    def type_check(self):
        if not isinstance(self.predicate.data_type, T.BooleanType):
            return AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(self.pretty_sql()),
                paramIndex="first", inputSql=_q(self.predicate.pretty_sql()),
                inputType=_q(self.predicate.data_type.sql()), requiredType='"BOOLEAN"')
        if not same_type_ignoring_nullability(self.true_value.data_type,
                                              self.false_value.data_type):
            return AnalysisException(
                "DATATYPE_MISMATCH.DATA_DIFF_TYPES", sqlExpr=_q(self.pretty_sql()),
                functionName="`if`",
                dataType=f"[{_q(self.true_value.data_type.sql())}, {_q(self.false_value.data_type.sql())}]")
        return None

    def sql(self) -> str:
        return f"(IF({self.predicate.sql()}, {self.true_value.sql()}, {self.false_value.sql()}))"

    def __str__(self) -> str:
        return f"if ({self.predicate}) {self.true_value} else {self.false_value}"


class CaseWhen(Expression):
    """CASE WHEN c1 THEN v1 ... [ELSE e] END; children = c1, v1, c2, v2, ..., [e]."""

    def __init__(self, branches: Sequence[Tuple[Expression, Expression]],
                 else_value: Optional[Expression] = None):
        kids = []
        for c, v in branches:
            kids.extend((c, v))
        if else_value is not None:
            kids.append(else_value)
        self.children = tuple(kids)
        self.has_else = else_value is not None

    def _fields(self):
        return (self.has_else,)

    @property
    def branches(self):
        n = len(self.children) - (1 if self.has_else else 0)
        return [(self.children[i], self.children[i + 1]) for i in range(0, n, 2)]

    @property
    def else_value(self):
        return self.children[-1] if self.has_else else None

    def values(self):
        vals = [v for _, v in self.branches]
        if self.has_else:
            vals.append(self.else_value)
        return vals

    @property
    def data_type(self):
        for v in self.values():
            if not isinstance(v.data_type, T.NullType):
                return v.data_type
        return T.NullType()

    @property
    def nullable(self):
        return any(v.nullable for v in self.values()) or not self.has_else

    @property
    def foldable(self):
        return all(c.foldable for c in self.children)

    def type_check(self):
        for i, (c, _) in enumerate(self.branches):
            if not isinstance(c.data_type, T.BooleanType):
                return AnalysisException(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(self.pretty_sql()),
                    paramIndex=_ordinal(2 * i + 1), inputSql=_q(c.pretty_sql()),
                    inputType=_q(c.data_type.sql()), requiredType='"BOOLEAN"')
        types = [v.data_type for v in self.values()]
        if any(not same_type_ignoring_nullability(types[0], t) for t in types[1:]):
            return AnalysisException(
                "DATATYPE_MISMATCH.DATA_DIFF_TYPES", sqlExpr=_q(self.pretty_sql()),
                functionName="`casewhen`", dataType="[" + ", ".join(_q(t.sql()) for t in types) + "]")
        return None

    def sql(self) -> str:
        text = "CASE" + "".join(f" WHEN {c.sql()} THEN {v.sql()}" for c, v in self.branches)
        if self.has_else:
            text += f" ELSE {self.else_value.sql()}"
        return text + " END"

    def __str__(self) -> str:
        text = "CASE" + "".join(f" WHEN {c} THEN {v}" for c, v in self.branches)
        if self.has_else:
            text += f" ELSE {self.else_value}"
        return text + " END"


def _ordinal(i: int) -> str:
    names = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
             "ninth", "tenth"]
    return names[i - 1] if i <= len(names) else f"{i}th"


class Coalesce(Expression):
    def __init__(self, children: Sequence[Expression]):
        self.children = tuple(children)

    @property
    def data_type(self):
        for c in self.children:
            if not isinstance(c.data_type, T.NullType):
                return c.data_type
        return T.NullType()

    @property
    def nullable(self):
        return all(c.nullable for c in self.children)

    @property
    def foldable(self):
        return all(c.foldable for c in self.children)

    def type_check(self):
        if not self.children:
            return AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                                     functionName="`coalesce`", expectedNum="> 0",
                                     actualNum="0", docroot="https://spark.apache.org/docs/latest")
        types = [c.data_type for c in self.children]
        if any(not same_type_ignoring_nullability(types[0], t) for t in types[1:]):
            return AnalysisException(
                "DATATYPE_MISMATCH.DATA_DIFF_TYPES", sqlExpr=_q(self.pretty_sql()),
                functionName="`coalesce`", dataType="[" + ", ".join(_q(t.sql()) for t in types) + "]")
        return None

    @property
    def pretty_name(self):
        return "coalesce"


class RuntimeReplaceable(Expression):
    """A function Spark defines by rewriting into other expressions (nvl -> coalesce,
    between -> >= AND <=) while keeping its own name: `nvl(s, none)`. The single child is the
    replacement; `parameters` are the arguments as written, used only for naming."""

    def __init__(self, name: str, parameters: Sequence[Expression], replacement: Expression):
        self.name = name
        self.parameters = tuple(parameters)
        self.children = (replacement,)

    @property
    def replacement(self):
        return self.children[0]

    def _fields(self):
        return (self.name,)

    @property
    def data_type(self):
        return self.replacement.data_type

    @property
    def nullable(self):
        return self.replacement.nullable

    @property
    def foldable(self):
        return self.replacement.foldable

    def pretty_replacement(self):
        from ember.optimizer.expressions.named import PrettyAttribute
        args = ", ".join(pretty(p).sql() for p in self.parameters)
        return PrettyAttribute(f"{self.name}({args})",
                               self.data_type if self.resolved else None)

    def sql(self) -> str:
        return f"{self.name}({', '.join(p.sql() for p in self.parameters)})"

    def __str__(self) -> str:
        return str(self.replacement)
