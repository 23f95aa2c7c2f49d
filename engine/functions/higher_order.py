"""Higher-order functions: transform, filter, exists, forall, aggregate/reduce, zip_with,
map_filter, transform_keys, transform_values, array_sort (with or without a comparator).

The parser builds `LambdaPlaceholder`s; the analyzer leaves them unresolved with a resolver
attached, and the builders here bind their parameters to `NamedLambdaVariable`s of the element
types (Spark's ResolveLambdaVariables). At run time a lambda body is evaluated once over all
elements of a batch: the batch rows are repeated per element and the variables appended as
extra columns.
"""
from __future__ import annotations

import functools
import itertools

import numpy as np
import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions.base import Expression, LeafExpression
from ember.optimizer.expressions.special import LambdaPlaceholder
from ember.optimizer.analyzer.type_coercion import cast
from ember.engine.evaluator import eval_array, evaluates
from ember.engine.functions.collections import (_call_sql, _q, _null_to, _require, arity,
                                                check_orderable, sort_key, to_arrow_values)

_IDS = itertools.count(1)


class NamedLambdaVariable(LeafExpression):
    def __init__(self, name: str, data_type: T.DataType, nullable: bool, var_id=None):
        self.name = name
        self._dt = data_type
        self._nullable = nullable
        self.var_id = var_id if var_id is not None else next(_IDS)

    def _fields(self):
        return (self.var_id,)

    @property
    def data_type(self):
        return self._dt

    @property
    def nullable(self):
        return self._nullable

    @property
    def resolved(self):
        return True

    @property
    def column(self):
        return f"__lambda_{self.var_id}"

    def sql(self):
        return "namedlambdavariable()"

    def __str__(self):
        return f"lambda {self.name}#{self.var_id}"


class LambdaFunction(Expression):
    def __init__(self, body: Expression, *variables: NamedLambdaVariable):
        self.children = (body,) + tuple(variables)

    @property
    def body(self):
        return self.children[0]

    @property
    def variables(self):
        return self.children[1:]

    @property
    def data_type(self):
        return self.body.data_type

    @property
    def nullable(self):
        return self.body.nullable

    def sql(self):
        return "lambdafunction(" + ", ".join(c.sql() for c in self.children) + ")"

    def __str__(self):
        return "lambdafunction(" + ", ".join(str(c) for c in self.children) + ")"


@evaluates(NamedLambdaVariable)
def _eval_var(e, batch, ctx):
    return batch.column(e.column)


def bind_lambda(fn_name, args, ph, types, required=None):
    """Bind placeholder `ph` to variables of `types` [(data_type, nullable), ...]; a lambda
    may take fewer parameters than `types` offers when `optional` trailing ones exist."""
    if not isinstance(ph, LambdaPlaceholder):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                sqlExpr=_q(fn_name + "(...)"), paramIndex="second",
                                inputSql=_q(ph.pretty_sql()), inputType=_q(ph.data_type.sql()),
                                requiredType='"FUNCTION"')
    required = len(types) if required is None else required
    if not required <= len(ph.params) <= len(types):
        raise AnalysisException("INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH",
                                expectedNumArgs=str(len(ph.params)),
                                actualNumArgs=str(required))
    if len(set(p.lower() for p in ph.params)) != len(ph.params):
        raise AnalysisException("INVALID_LAMBDA_FUNCTION_CALL.DUPLICATE_ARG_NAMES",
                                args=", ".join(f"`{p}`" for p in ph.params),
                                caseSensitiveConfig='"spark.sql.caseSensitive"')
    variables = [NamedLambdaVariable(p, dt, nl) for p, (dt, nl) in zip(ph.params, types)]
    from ember.optimizer.expressions import UnresolvedAttribute
    from ember.optimizer.expressions.complex import extract_field

    def extra(node):
        if isinstance(node, UnresolvedAttribute):
            parts = node.name_parts
            for v in variables:
                if v.name.lower() == parts[0].lower():
                    base = v
                    for f in parts[1:]:
                        base = extract_field(base, f, None)
                    return base
        return None
    resolver = getattr(ph, "resolver", None)
    if resolver is None:
        from ember.errors import not_supported
        raise not_supported("lambda functions here")
    body = resolver(ph.children[0], extra)
    return LambdaFunction(body, *variables)


def run_lambda(lam: LambdaFunction, batch: pa.RecordBatch, ctx, parents, values):
    """Evaluate `lam` once per element: `parents[i]` is the batch row of element i and
    `values[j]` the Arrow array for variable j."""
    sub = batch.take(pa.array(np.asarray(parents, dtype=np.int64)))
    cols = list(sub.columns)
    names = list(sub.schema.names)
    for v, arr in zip(lam.variables, values):
        cols.append(arr)
        names.append(v.column)
    sub = pa.RecordBatch.from_arrays(cols, names=names) if cols else sub
    if len(parents) == 0:
        return pa.array([], T.to_arrow(lam.data_type))
    return eval_array(lam.body, sub, ctx)


class HigherOrderFunction(Expression):
    name = "?"

    def __init__(self, *children):
        self.children = tuple(children)

    @property
    def pretty_name(self):
        return self.name

    @property
    def nullable(self):
        return self.children[0].nullable

    def sql(self):
        return f"{self.name}({', '.join(c.sql() for c in self.children)})"

    def __str__(self):
        return f"{self.name}({', '.join(str(c) for c in self.children)})"


def _flat(arr: pa.Array):
    """(python rows, parents, flattened python values, positions)"""
    rows = arr.to_pylist()
    parents, flat, pos = [], [], []
    for i, r in enumerate(rows):
        if r is None:
            continue
        for j, x in enumerate(r):
            parents.append(i)
            flat.append(x)
            pos.append(j)
    return rows, parents, flat, pos


def _regroup(rows, parents, results):
    out = [None if r is None else [] for r in rows]
    for p, v in zip(parents, results):
        out[p].append(v)
    return out


class ArrayTransform(HigherOrderFunction):
    name = "transform"

    @property
    def data_type(self):
        lam = self.children[1]
        return T.ArrayType(lam.data_type, lam.nullable)


class ArrayFilter(HigherOrderFunction):
    name = "filter"

    @property
    def data_type(self):
        return self.children[0].data_type


class ArrayExists(HigherOrderFunction):
    name = "exists"

    @property
    def data_type(self):
        return T.BooleanType()

    @property
    def nullable(self):
        return True


class ArrayForAll(ArrayExists):
    name = "forall"


def _elem_lambda_values(lam, elem_type, flat, pos):
    vals = [to_arrow_values(flat, elem_type)]
    if len(lam.variables) > 1:
        vals.append(pa.array(pos, pa.int32()))
    return vals


@evaluates(ArrayTransform, ArrayFilter, ArrayExists, ArrayForAll)
def _eval_array_hof(e, batch, ctx):
    arr = eval_array(e.children[0], batch, ctx)
    lam = e.children[1]
    et = e.children[0].data_type.elementType
    rows, parents, flat, pos = _flat(arr)
    res = run_lambda(lam, batch, ctx, parents, _elem_lambda_values(lam, et, flat, pos))
    res = res.to_pylist()
    if isinstance(e, ArrayTransform):
        return to_arrow_values(_regroup(rows, parents, res), e.data_type)
    if isinstance(e, ArrayFilter):
        kept = _regroup(rows, parents, [(x, ok) for x, ok in zip(flat, res)])
        return to_arrow_values([None if r is None else [x for x, ok in r if ok] for r in kept],
                               e.data_type)
    grouped = _regroup(rows, parents, res)
    out = []
    want = isinstance(e, ArrayExists) and not isinstance(e, ArrayForAll)
    for g in grouped:
        if g is None:
            out.append(None)
        elif want:
            out.append(True if any(x is True for x in g) else (None if None in g else False))
        else:
            out.append(False if any(x is False for x in g) else (None if None in g else True))
    return pa.array(out, pa.bool_())


def _array_arg(name, args):
    a = _null_to(args[0], T.ArrayType(T.NullType()))
    _require(_call_sql(name, args), 0, a, (T.ArrayType,), '"ARRAY"', name)
    return a


def _elem_types(a):
    et = a.data_type.elementType
    return [(et, a.data_type.containsNull), (T.IntegerType(), False)]


def _check_bool(name, args, lam):
    if not isinstance(lam.data_type, (T.BooleanType, T.NullType)):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                sqlExpr=_q(f"{name}(...)"), paramIndex="second",
                                inputSql=_q(lam.body.pretty_sql()),
                                inputType=_q(lam.data_type.sql()), requiredType='"BOOLEAN"')


@builtin("transform", group="lambda_funcs")
def _transform(args, call):
    arity("transform", args, 2)
    a = _array_arg("transform", args)
    lam = bind_lambda("transform", args, args[1], _elem_types(a), required=1)
    return ArrayTransform(a, lam)


@builtin("filter", group="lambda_funcs")
def _filter(args, call):
    arity("filter", args, 2)
    a = _array_arg("filter", args)
    lam = bind_lambda("filter", args, args[1], _elem_types(a), required=1)
    _check_bool("filter", args, lam)
    return ArrayFilter(a, lam)


@builtin("exists", group="lambda_funcs")
def _exists(args, call):
    arity("exists", args, 2)
    a = _array_arg("exists", args)
    lam = bind_lambda("exists", args, args[1], _elem_types(a)[:1])
    _check_bool("exists", args, lam)
    return ArrayExists(a, lam)


@builtin("forall", group="lambda_funcs")
def _forall(args, call):
    arity("forall", args, 2)
    a = _array_arg("forall", args)
    lam = bind_lambda("forall", args, args[1], _elem_types(a)[:1])
    _check_bool("forall", args, lam)
    return ArrayForAll(a, lam)


# ---------------------------------------------------------------------------- aggregate
class ArrayAggregate(HigherOrderFunction):
    def __init__(self, *children, name="aggregate"):
        super().__init__(*children)
        self.name = name

    def _fields(self):
        return (self.name,)

    @property
    def data_type(self):
        return self.children[3].data_type

    @property
    def nullable(self):
        return True


@evaluates(ArrayAggregate)
def _eval_aggregate(e, batch, ctx):
    arr = eval_array(e.children[0], batch, ctx)
    zero = eval_array(e.children[1], batch, ctx).to_pylist()
    merge, finish = e.children[2], e.children[3]
    rows = arr.to_pylist()
    acc_t = e.children[1].data_type
    et = e.children[0].data_type.elementType
    acc = list(zero)
    maxlen = max((len(r) for r in rows if r is not None), default=0)
    for k in range(maxlen):
        idx = [i for i, r in enumerate(rows) if r is not None and len(r) > k]
        vals = [to_arrow_values([acc[i] for i in idx], acc_t),
                to_arrow_values([rows[i][k] for i in idx], et)]
        res = run_lambda(merge, batch, ctx, idx, vals).to_pylist()
        for i, v in zip(idx, res):
            acc[i] = v
    idx = [i for i, r in enumerate(rows) if r is not None]
    res = run_lambda(finish, batch, ctx, idx, [to_arrow_values([acc[i] for i in idx], acc_t)])
    out = [None] * len(rows)
    for i, v in zip(idx, res.to_pylist()):
        out[i] = v
    return to_arrow_values(out, e.data_type)


def _aggregate_builder(name):
    def build(args, call):
        arity(name, args, 3, 4)
        a = _array_arg(name, args)
        zero = args[1]
        et = a.data_type.elementType
        merge = bind_lambda(name, args, args[2], [(zero.data_type, True),
                                                  (et, a.data_type.containsNull)])
        if merge.data_type != zero.data_type:
            raise AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                sqlExpr=_q(f"{name}({a.pretty_sql()}, {zero.pretty_sql()}, "
                           f"{merge.pretty_sql()}, {_identity_sql()})"),
                paramIndex="third", inputSql=_q(merge.pretty_sql()),
                inputType=_q(merge.data_type.sql()), requiredType=_q(zero.data_type.sql()))
        if len(args) == 4:
            finish = bind_lambda(name, args, args[3], [(zero.data_type, True)])
        else:
            v = NamedLambdaVariable("id", zero.data_type, True)
            finish = LambdaFunction(v, v)
        return ArrayAggregate(a, zero, merge, finish, name=name)
    return build


def _identity_sql():
    return "lambdafunction(namedlambdavariable(), namedlambdavariable())"


builtin("aggregate", group="lambda_funcs")(_aggregate_builder("aggregate"))
builtin("reduce", group="lambda_funcs")(_aggregate_builder("reduce"))


# ---------------------------------------------------------------------------- zip_with
class ZipWith(HigherOrderFunction):
    name = "zip_with"

    @property
    def data_type(self):
        lam = self.children[2]
        return T.ArrayType(lam.data_type, lam.nullable)

    @property
    def nullable(self):
        return self.children[0].nullable or self.children[1].nullable


@evaluates(ZipWith)
def _eval_zip_with(e, batch, ctx):
    left = eval_array(e.children[0], batch, ctx).to_pylist()
    right = eval_array(e.children[1], batch, ctx).to_pylist()
    lam = e.children[2]
    parents, xs, ys = [], [], []
    rows = []
    for i, (l, r) in enumerate(zip(left, right)):
        if l is None or r is None:
            rows.append(None)
            continue
        rows.append([])
        for k in range(max(len(l), len(r))):
            parents.append(i)
            xs.append(l[k] if k < len(l) else None)
            ys.append(r[k] if k < len(r) else None)
    res = run_lambda(lam, batch, ctx, parents, [
        to_arrow_values(xs, e.children[0].data_type.elementType),
        to_arrow_values(ys, e.children[1].data_type.elementType)]).to_pylist()
    return to_arrow_values(_regroup(rows, parents, res), e.data_type)


@builtin("zip_with", group="lambda_funcs")
def _zip_with(args, call):
    arity("zip_with", args, 3)
    a = _array_arg("zip_with", args)
    b = _null_to(args[1], T.ArrayType(T.NullType()))
    _require(_call_sql("zip_with", args), 1, b, (T.ArrayType,), '"ARRAY"', "zip_with")
    lam = bind_lambda("zip_with", args, args[2], [(a.data_type.elementType, True),
                                                  (b.data_type.elementType, True)])
    return ZipWith(a, b, lam)


# ---------------------------------------------------------------------------- maps
class MapHOF(HigherOrderFunction):
    def __init__(self, *children, name=""):
        super().__init__(*children)
        self.name = name

    def _fields(self):
        return (self.name,)

    @property
    def data_type(self):
        mt = self.children[0].data_type
        lam = self.children[1]
        if self.name == "map_filter":
            return mt
        if self.name == "transform_values":
            return T.MapType(mt.keyType, lam.data_type, lam.nullable)
        return T.MapType(lam.data_type, mt.valueType, mt.valueContainsNull)


@evaluates(MapHOF)
def _eval_map_hof(e, batch, ctx):
    from ember.engine.functions.collections import _dedup_map
    m = eval_array(e.children[0], batch, ctx)
    lam = e.children[1]
    mt = e.children[0].data_type
    rows = m.to_pylist()
    parents, ks, vs = [], [], []
    for i, r in enumerate(rows):
        for k, v in (r or []):
            parents.append(i)
            ks.append(k)
            vs.append(v)
    res = run_lambda(lam, batch, ctx, parents, [to_arrow_values(ks, mt.keyType),
                                                to_arrow_values(vs, mt.valueType)]).to_pylist()
    out = [None if r is None else [] for r in rows]
    for p, k, v, x in zip(parents, ks, vs, res):
        if e.name == "map_filter":
            if x:
                out[p].append((k, v))
        elif e.name == "transform_values":
            out[p].append((k, x))
        else:
            out[p].append((x, v))
    if e.name == "transform_keys":
        out = [None if r is None else _dedup_map(r, e.data_type.keyType) for r in out]
    return to_arrow_values(out, e.data_type)


def _map_hof_builder(name):
    def build(args, call):
        arity(name, args, 2)
        m = _null_to(args[0], T.MapType(T.NullType(), T.NullType()))
        _require(_call_sql(name, args), 0, m, (T.MapType,), '"MAP"', name)
        mt = m.data_type
        lam = bind_lambda(name, args, args[1], [(mt.keyType, False),
                                                (mt.valueType, mt.valueContainsNull)])
        if name == "map_filter":
            _check_bool(name, args, lam)
        return MapHOF(m, lam, name=name)
    return build


for _n in ("map_filter", "transform_values", "transform_keys"):
    builtin(_n, group="lambda_funcs")(_map_hof_builder(_n))


# ---------------------------------------------------------------------------- array_sort
_DEFAULT_CMP = ("lambdafunction((IF(((namedlambdavariable() IS NULL) AND "
                "(namedlambdavariable() IS NULL)), 0, (IF((namedlambdavariable() IS NULL), 1, "
                "(IF((namedlambdavariable() IS NULL), -1, (IF((namedlambdavariable() < "
                "namedlambdavariable()), -1, (IF((namedlambdavariable() > namedlambdavariable()"
                "), 1, 0)))))))))), namedlambdavariable(), namedlambdavariable())")


class ArraySort(HigherOrderFunction):
    name = "array_sort"

    @property
    def data_type(self):
        return self.children[0].data_type

    def sql(self):
        if len(self.children) == 1:
            return f"array_sort({self.children[0].sql()}, {_DEFAULT_CMP})"
        return super().sql()


@evaluates(ArraySort)
def _eval_array_sort(e, batch, ctx):
    arr = eval_array(e.children[0], batch, ctx)
    rows = arr.to_pylist()
    dt = e.data_type
    if len(e.children) == 1:
        key = sort_key(dt.elementType)
        out = []
        for r in rows:
            if r is None:
                out.append(None)
                continue
            vals = sorted((x for x in r if x is not None), key=key)
            out.append(vals + [x for x in r if x is None])
        return to_arrow_values(out, dt)
    lam = e.children[1]
    out = []
    for i, r in enumerate(rows):
        if r is None:
            out.append(None)
            continue

        def cmp(x, y, i=i):
            res = run_lambda(lam, batch, ctx, [i], [to_arrow_values([x], dt.elementType),
                                                    to_arrow_values([y], dt.elementType)])
            v = res.to_pylist()[0]
            if v is None:
                from ember.errors import SparkRuntimeException
                raise SparkRuntimeException("COMPARATOR_RETURNS_NULL", firstValue=str(x),
                                            secondValue=str(y))
            return v
        out.append(sorted(r, key=functools.cmp_to_key(cmp)))
    return to_arrow_values(out, dt)


@builtin("array_sort", group="lambda_funcs")
def _array_sort(args, call):
    arity("array_sort", args, 1, 2)
    a = _array_arg("array_sort", args)
    if len(args) == 1:
        check_orderable(a, a.data_type.elementType, "array_sort")
        return ArraySort(a)
    et = a.data_type.elementType
    lam = bind_lambda("array_sort", args, args[1], [(et, True), (et, True)])
    return ArraySort(a, lam)


# ---------------------------------------------------------------------------- map_zip_with
class MapZipWith(HigherOrderFunction):
    name = "map_zip_with"

    @property
    def data_type(self):
        mt = self.children[0].data_type
        lam = self.children[2]
        return T.MapType(mt.keyType, lam.data_type, lam.nullable)


@evaluates(MapZipWith)
def _eval_map_zip_with(e, batch, ctx):
    from ember.engine.functions.collections import hashable
    left = eval_array(e.children[0], batch, ctx).to_pylist()
    right = eval_array(e.children[1], batch, ctx).to_pylist()
    mt = e.children[0].data_type
    parents, ks, v1, v2, rows = [], [], [], [], []
    for i, (l, r) in enumerate(zip(left, right)):
        if l is None or r is None:
            rows.append(None)
            continue
        rows.append([])
        rmap = {hashable(k): v for k, v in r}
        seen = set()
        for k, v in l:
            parents.append(i)
            ks.append(k)
            v1.append(v)
            v2.append(rmap.get(hashable(k)))
            seen.add(hashable(k))
        for k, v in r:
            if hashable(k) not in seen:
                parents.append(i)
                ks.append(k)
                v1.append(None)
                v2.append(v)
    res = run_lambda(e.children[2], batch, ctx, parents, [
        to_arrow_values(ks, mt.keyType), to_arrow_values(v1, mt.valueType),
        to_arrow_values(v2, e.children[1].data_type.valueType)]).to_pylist()
    for p, k, x in zip(parents, ks, res):
        rows[p].append((k, x))
    return to_arrow_values(rows, e.data_type)


@builtin("map_zip_with", group="lambda_funcs")
def _map_zip_with(args, call):
    arity("map_zip_with", args, 3)
    m1 = _null_to(args[0], T.MapType(T.NullType(), T.NullType()))
    m2 = _null_to(args[1], T.MapType(T.NullType(), T.NullType()))
    for i, m in enumerate((m1, m2)):
        _require(_call_sql("map_zip_with", args), i, m, (T.MapType,), '"MAP"', "map_zip_with")
    from ember.optimizer.analyzer.type_coercion import wider_type
    kt = wider_type(m1.data_type.keyType, m2.data_type.keyType)
    if kt is None:
        raise AnalysisException("DATATYPE_MISMATCH.MAP_ZIP_WITH_DIFF_TYPES",
                                sqlExpr=_q(_call_sql("map_zip_with", args)),
                                functionName="`map_zip_with`",
                                leftType=_q(m1.data_type.keyType.sql()),
                                rightType=_q(m2.data_type.keyType.sql()))
    m1 = cast(m1, T.MapType(kt, m1.data_type.valueType, m1.data_type.valueContainsNull))
    m2 = cast(m2, T.MapType(kt, m2.data_type.valueType, m2.data_type.valueContainsNull))
    lam = bind_lambda("map_zip_with", args, args[2], [
        (kt, False), (m1.data_type.valueType, True), (m2.data_type.valueType, True)])
    return MapZipWith(m1, m2, lam)
