"""Generators (table-generating functions): explode, explode_outer, posexplode,
posexplode_outer, inline, inline_outer, stack. They run inside a `Generate` plan node, built
from `LATERAL VIEW` or from a generator in a SELECT list (Spark's ExtractGenerator).

A generator's `generate(args, num_rows)` takes its evaluated arguments and returns
(parent row index per output row, output columns).
"""
from __future__ import annotations

from typing import List

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions import Alias, AttributeReference, Literal
from ember.optimizer.expressions.base import Expression
from ember.optimizer.expressions.special import MultiAlias
from ember.optimizer.analyzer.type_coercion import cast, wider_common_type
from ember.engine.functions.collections import _call_sql, _q, _null_to, arity


class Generator(Expression):
    name = "?"
    outer = False

    def __init__(self, *children):
        self.children = tuple(children)

    @property
    def pretty_name(self):
        return self.name

    @property
    def element_schema(self) -> T.StructType:
        raise NotImplementedError

    @property
    def data_type(self):
        return self.element_schema

    @property
    def nullable(self):
        return False

    def sql(self):
        return f"{self.name}({', '.join(c.sql() for c in self.children)})"

    def __str__(self):
        return f"{self.name}({', '.join(str(c) for c in self.children)})"

    def generate(self, args, num_rows):
        raise NotImplementedError


def _flat_values(arr: pa.Array):
    """The elements of a list or map array, row after row (NULL rows contribute none); for a
    map, (keys, values)."""
    offsets = arr.offsets.to_numpy(zero_copy_only=False).astype(np.int64)
    lengths = np.diff(offsets)
    if arr.null_count:
        lengths[arr.is_null().to_numpy(zero_copy_only=False)] = 0
    starts = offsets[:-1]
    idx = np.arange(int(lengths.sum()), dtype=np.int64) + np.repeat(
        starts - (np.cumsum(lengths) - lengths), lengths)
    idx = pa.array(idx)
    if isinstance(arr, pa.MapArray):
        return arr.keys.take(idx), arr.items.take(idx)
    return arr.values.take(idx)


def _list_layout(arr: pa.Array):
    lengths = np.diff(arr.offsets.to_numpy(zero_copy_only=False)).astype(np.int64)
    if arr.null_count:
        lengths[arr.is_null().to_numpy(zero_copy_only=False)] = 0
    parents = np.repeat(np.arange(len(arr), dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    pos = np.arange(len(parents), dtype=np.int64) - np.repeat(starts, lengths)
    return parents, pos


class Explode(Generator):
    def __init__(self, child, position=False, outer=False):
        super().__init__(child)
        self.position = position
        self.outer = outer

    def _fields(self):
        return (self.position, self.outer)

    @property
    def name(self):
        return ("posexplode" if self.position else "explode") + ("_outer" if self.outer else "")

    @property
    def element_schema(self):
        dt = self.children[0].data_type
        fields = [T.StructField("pos", T.IntegerType(), False)] if self.position else []
        if isinstance(dt, T.MapType):
            fields += [T.StructField("key", dt.keyType, False),
                       T.StructField("value", dt.valueType, dt.valueContainsNull)]
        else:
            fields.append(T.StructField("col", dt.elementType, dt.containsNull))
        return T.StructType(fields)

    def generate(self, args, num_rows):
        arr = args[0]
        parents, pos = _list_layout(arr)
        flat = _flat_values(arr)
        cols = list(flat) if isinstance(flat, tuple) else [flat]
        if self.position:
            cols = [pa.array(pos.astype(np.int32))] + cols
        return parents, cols


class Inline(Generator):
    def __init__(self, child, outer=False):
        super().__init__(child)
        self.outer = outer

    def _fields(self):
        return (self.outer,)

    @property
    def name(self):
        return "inline" + ("_outer" if self.outer else "")

    @property
    def element_schema(self):
        st = self.children[0].data_type.elementType
        return T.StructType([T.StructField(f.name, f.dataType, True) for f in st.fields])

    def generate(self, args, num_rows):
        arr = args[0]
        parents, _ = _list_layout(arr)
        flat = _flat_values(arr)
        n = len(self.element_schema.fields)
        if len(flat) == 0:
            return parents, [pa.array([], T.to_arrow(f.dataType))
                             for f in self.element_schema.fields]
        return parents, [pc.struct_field(flat, [i]) for i in range(n)]


class Stack(Generator):
    name = "stack"

    @property
    def rows(self):
        return int(self.children[0].value)

    @property
    def width(self):
        k = len(self.children) - 1
        return -(-k // self.rows)

    @property
    def element_schema(self):
        vals = self.children[1:]
        fields = []
        for j in range(self.width):
            col = [vals[i * self.width + j] for i in range(self.rows)
                   if i * self.width + j < len(vals)]
            fields.append(T.StructField(f"col{j}", col[0].data_type,
                                        any(c.nullable for c in col) or len(col) < self.rows))
        return T.StructType(fields)

    def generate(self, args, num_rows):
        vals = args[1:]
        r, w = self.rows, self.width
        parents = np.repeat(np.arange(num_rows, dtype=np.int64), r)
        cols = []
        for j, f in enumerate(self.element_schema.fields):
            at = T.to_arrow(f.dataType)
            per_row = []
            for i in range(r):
                k = i * w + j
                per_row.append(vals[k].to_pylist() if k < len(vals) else [None] * num_rows)
            out = [per_row[i][row] for row in range(num_rows) for i in range(r)]
            cols.append(pa.array(out, at))
        return parents, cols


# ---------------------------------------------------------------------------- builders
def _collection_arg(name, args, kinds, text):
    from ember.optimizer.expressions.special import NamedArgument
    args = [a.value if isinstance(a, NamedArgument) else a for a in args]
    arity(name, args, 1)
    a = _null_to(args[0], T.ArrayType(T.NullType()))
    if not isinstance(a.data_type, kinds):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                sqlExpr=_q(_call_sql(name, args)), paramIndex="first",
                                inputSql=_q(a.pretty_sql()), inputType=_q(a.data_type.sql()),
                                requiredType=text)
    return a


def _explode_builder(position, outer):
    name = ("posexplode" if position else "explode") + ("_outer" if outer else "")

    def build(args, call):
        a = _collection_arg(name, args, (T.ArrayType, T.MapType), '("ARRAY" or "MAP")')
        return Explode(a, position=position, outer=outer)
    return build


for _p in (False, True):
    for _o in (False, True):
        builtin(("posexplode" if _p else "explode") + ("_outer" if _o else ""),
                kind="generator", group="generator_funcs")(_explode_builder(_p, _o))


def _inline_builder(outer):
    name = "inline" + ("_outer" if outer else "")

    def build(args, call):
        a = _collection_arg(name, args, (T.ArrayType,), '"ARRAY<STRUCT>"')
        if not isinstance(a.data_type.elementType, T.StructType):
            raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                    sqlExpr=_q(_call_sql(name, args)), paramIndex="first",
                                    inputSql=_q(a.pretty_sql()),
                                    inputType=_q(a.data_type.sql()),
                                    requiredType='"ARRAY<STRUCT>"')
        return Inline(a, outer=outer)
    return build


builtin("inline", kind="generator", group="generator_funcs")(_inline_builder(False))
builtin("inline_outer", kind="generator", group="generator_funcs")(_inline_builder(True))


@builtin("stack", kind="generator", group="generator_funcs")
def _stack(args, call):
    if len(args) < 2:
        raise AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`stack`",
                                expectedNum="> 1", actualNum=str(len(args)),
                                docroot="https://spark.apache.org/docs/latest")
    n = args[0]
    if not (isinstance(n, Literal) and isinstance(n.data_type, T.IntegerType)
            and n.value is not None and n.value > 0):
        raise AnalysisException("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT", inputName="`n`",
                                inputType='"INT"', inputExpr=_q(n.pretty_sql()),
                                sqlExpr=_q(_call_sql("stack", args)))
    vals = list(args[1:])
    rows = n.value
    width = -(-len(vals) // rows)
    for j in range(width):
        idx = [i * width + j for i in range(rows) if i * width + j < len(vals)]
        t = wider_common_type([vals[k].data_type for k in idx])
        if t is None:
            raise AnalysisException("DATATYPE_MISMATCH.STACK_COLUMN_DIFF_TYPES",
                                    sqlExpr=_q(_call_sql("stack", args)), columnIndex=str(j),
                                    leftParamIndex=str(idx[0] + 1), leftType=_q(
                                        vals[idx[0]].data_type.sql()),
                                    rightParamIndex=str(idx[1] + 1),
                                    rightType=_q(vals[idx[1]].data_type.sql()))
        for k in idx:
            vals[k] = cast(vals[k], t)
    return Stack(n, *vals)


# ---------------------------------------------------------------------------- analysis
def generator_output(gen: Generator, names, qualifier=(), outer=False) -> List:
    fields = gen.element_schema.fields
    if names:
        if len(names) != len(fields):
            raise AnalysisException(
                "UDTF_ALIAS_NUMBER_MISMATCH", aliasesSize=str(len(fields)),
                aliasesNames=",".join(names))
    else:
        names = [f.name for f in fields]
    return [AttributeReference(nm, f.dataType, f.nullable or outer, qualifier=qualifier)
            for nm, f in zip(names, fields)]


def contains_generator(e: Expression) -> bool:
    return any(isinstance(n, Generator) for n in e.walk())


def _top_generator(item):
    """(generator, aliases) when a select item is a generator, else None."""
    if isinstance(item, Generator):
        return item, []
    if isinstance(item, MultiAlias) and isinstance(item.children[0], Generator):
        return item.children[0], list(item.names)
    if isinstance(item, Alias) and isinstance(item.child, Generator):
        g = item.child
        return g, ([] if item.name == g.pretty_sql() else [item.name])
    return None


def extract_generators(items, child, groupings=None):
    """Spark's ExtractGenerator: `SELECT a, explode(xs) FROM t` becomes
    Project [a, col] <- Generate explode(xs) <- t. None when no item is a generator.
    With aggregates (or `groupings`), the generator's inputs are computed by an Aggregate
    below the Generate: Project <- Generate <- Aggregate."""
    from ember.optimizer.plans import logical as L
    from ember.optimizer.plans.generate import Generate
    found = []
    for i, item in enumerate(items):
        top = _top_generator(item)
        if top is not None:
            found.append((i, top))
        elif contains_generator(item):
            gen = next(n for n in item.walk() if isinstance(n, Generator))
            raise AnalysisException("UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS",
                                    expression=_q(item.child.pretty_sql() if isinstance(
                                        item, Alias) else item.pretty_sql()))
    if not found:
        return None
    if len(found) > 1:
        raise AnalysisException(
            "UNSUPPORTED_GENERATOR.MULTI_GENERATOR", num=str(len(found)),
            generators=", ".join(_q(g.pretty_sql()) for _, (g, _) in found))
    i, (gen, names) = found[0]
    attrs = generator_output(gen, names, outer=gen.outer)
    others = list(items[:i]) + list(items[i + 1:])
    from ember.optimizer.analyzer import resolve_aggregates as agg_rules
    if groupings is not None or any(agg_rules.contains_aggregate(e) for e in items):
        inputs = [Alias(c, f"_gen_input_{k}") for k, c in enumerate(gen.children)]
        agg = L.Aggregate(list(groupings or []), others + inputs, child)
        agg_rules.check_aggregate(agg)
        gen = gen.with_new_children([a.to_attribute() for a in inputs])
        child = agg
        others = [e.to_attribute() for e in others]
    plan = Generate(gen, gen.outer, None, attrs, child)
    return L.Project(others[:i] + attrs + others[i:], plan)


def resolve_lateral_view(plan, ctx, resolve_plan, expr_resolver):
    """UnresolvedGenerate -> Generate."""
    from ember.optimizer.expressions import UnresolvedFunction
    from ember.optimizer.plans.generate import Generate
    child = resolve_plan(plan.child, ctx)
    call = UnresolvedFunction(tuple(plan.name_parts), plan.arguments)
    gen = expr_resolver(call, child.output)
    if not isinstance(gen, Generator):
        raise AnalysisException(
            "UNSUPPORTED_GENERATOR.NOT_GENERATOR", functionName=_q(plan.name_parts[-1]),
            classCanonicalName=type(gen).__name__)
    outer = plan.outer or gen.outer
    attrs = generator_output(gen, plan.column_aliases, qualifier=(plan.table_alias,),
                             outer=outer)
    return Generate(gen, outer, plan.table_alias, attrs, child)


def generator_table(tvf, resolve_expr):
    """A generator used as a table-valued function: `SELECT * FROM explode(array(1, 2))`."""
    from ember.optimizer.expressions import UnresolvedFunction
    from ember.optimizer.plans import logical as L
    from ember.optimizer.plans.generate import Generate
    gen = resolve_expr(UnresolvedFunction(tuple(tvf.name_parts), tvf.arguments), [])
    attrs = generator_output(gen, [], outer=gen.outer)
    return L.Project(list(attrs), Generate(gen, gen.outer, None, attrs, L.OneRowRelation()))


def check_generator_placement(plan) -> None:
    """Generators may appear only as the generator of a Generate node (Spark's
    UNSUPPORTED_GENERATOR.OUTSIDE_SELECT)."""
    from ember.optimizer.plans.generate import Generate
    if isinstance(plan, Generate):
        return
    for e in plan.expressions():
        if contains_generator(e):
            raise AnalysisException("UNSUPPORTED_GENERATOR.OUTSIDE_SELECT",
                                    plan="'" + plan.simple_string().lstrip("'"))
