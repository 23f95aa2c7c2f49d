"""Collection functions: constructors (array, map, struct, named_struct), element access
(a[i], m[k], s.f, element_at), size, and the array/map function library.

Values are Arrow list/map/struct arrays. Most functions here work row by row over Python
values (`to_pylist`), which is simple and exact; nested data in the corpus is small.
"""
from __future__ import annotations

from typing import List, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import (AnalysisException, ArrayIndexOutOfBoundsException,
                          SparkRuntimeException)
from ember.optimizer.expressions import Literal, ScalarFunction
from ember.optimizer.expressions.base import Expression
from ember.optimizer.analyzer.type_coercion import cast, wider_common_type


def _q(s: str) -> str:
    return '"' + s + '"'


def arity(name, args, *counts):
    from ember.engine.functions.conditional import _arity
    _arity(name, args, *counts)


def pyvals(arr: pa.Array) -> list:
    return arr.to_pylist()


def to_arrow_values(values: list, dt: T.DataType) -> pa.Array:
    return pa.array(values, type=T.to_arrow(dt))


def is_complex(dt) -> bool:
    return isinstance(dt, (T.ArrayType, T.MapType, T.StructType))


# ---------------------------------------------------------------------------- ordering
def sort_key(dt: T.DataType):
    """A Python key ordering values of `dt` as Spark orders them (NULLs first)."""
    if isinstance(dt, T.ArrayType):
        ek = sort_key(dt.elementType)
        return lambda v: (0,) if v is None else (1, tuple(ek(x) for x in v))
    if isinstance(dt, T.StructType):
        keys = [sort_key(f.dataType) for f in dt.fields]
        names = [f.name for f in dt.fields]

        def sk(v):
            if v is None:
                return (0,)
            vals = [v.get(n) for n in names] if isinstance(v, dict) else list(v)
            return (1, tuple(k(x) for k, x in zip(keys, vals)))
        return sk
    if isinstance(dt, (T.FloatType, T.DoubleType)):
        def fk(v):
            if v is None:
                return (0, 0.0)
            if v != v:
                return (2, 0.0)
            return (1, v + 0.0)
        return fk
    return lambda v: (0,) if v is None else (1, v)


def check_orderable(e: Expression, dt: T.DataType, fn: str):
    if isinstance(dt, T.MapType):
        raise AnalysisException("DATATYPE_MISMATCH.INVALID_ORDERING_TYPE",
                                sqlExpr=_q(e.pretty_sql()), functionName=f"`{fn}`",
                                dataType=_q(dt.sql()))


def hashable(v):
    if isinstance(v, list):
        return tuple(hashable(x) for x in v)
    if isinstance(v, dict):
        return tuple((k, hashable(x)) for k, x in v.items())
    if isinstance(v, tuple):
        return tuple(hashable(x) for x in v)
    if isinstance(v, float) and v != v:
        return ("NaN",)
    if isinstance(v, float) and v == 0.0:
        return 0.0
    return v


# ---------------------------------------------------------------------------- base class
class CollectionFunction(ScalarFunction):
    """A function computed row by row over Python values."""
    null_intolerant = False

    def row(self, *values):
        raise NotImplementedError(self.name)

    def null_result(self, values) -> bool:
        return any(v is None for v in values)

    def evaluate(self, args, num_rows):
        cols = [pyvals(a) for a in args]
        out = []
        for i in range(num_rows):
            vals = [c[i] for c in cols]
            out.append(None if self.null_result(vals) else self.row(*vals))
        return to_arrow_values(out, self.data_type)


def coerce_all(args: Sequence[Expression], fn: str, call=None) -> List[Expression]:
    t = wider_common_type([a.data_type for a in args])
    if t is None:
        raise AnalysisException(
            "DATATYPE_MISMATCH.DATA_DIFF_TYPES",
            sqlExpr=_q(f"{fn}({', '.join(a.pretty_sql() for a in args)})"),
            functionName=f"`{fn}`",
            dataType="(" + " or ".join(_q(a.data_type.sql()) for a in args) + ")")
    return [cast(a, t) for a in args]


# ---------------------------------------------------------------------------- constructors
class CreateArray(CollectionFunction):
    name = "array"

    @property
    def data_type(self):
        if not self.children:
            return T.ArrayType(T.NullType(), False)
        return T.ArrayType(self.children[0].data_type, any(c.nullable for c in self.children))

    @property
    def nullable(self):
        return False

    def evaluate(self, args, num_rows):
        at = T.to_arrow(self.data_type)
        k = len(args)
        if k == 0:
            return pa.array([[]] * num_rows, at)
        et = at.value_type
        cols = [a.combine_chunks() if isinstance(a, pa.ChunkedArray) else a for a in args]
        cols = [c if c.type == et else c.cast(et) for c in cols]
        # row i's elements are element i of every column: interleave the columns
        idx = (np.arange(num_rows)[:, None] + np.arange(k)[None, :] * num_rows).ravel()
        values = pa.concat_arrays(cols).take(pa.array(idx))
        offsets = pa.array(np.arange(0, num_rows * k + 1, k, dtype=np.int32))
        return pa.ListArray.from_arrays(offsets, values, type=at)


@builtin("array", group="array_funcs")
def _array(args, call):
    return CreateArray(*coerce_all(args, "array"))


def _dedup_map(pairs, key_type):
    seen = {}
    for k, v in pairs:
        if k is None:
            raise SparkRuntimeException("NULL_MAP_KEY")
        h = hashable(k)
        if h in seen:
            from ember.engine.result_format import hive_value
            raise SparkRuntimeException("DUPLICATED_MAP_KEY",
                                        key=hive_value(k, key_type, "UTC"),
                                        mapKeyDedupPolicy='"spark.sql.mapKeyDedupPolicy"')
        seen[h] = (k, v)
    return list(seen.values())


class CreateMap(CollectionFunction):
    name = "map"

    @property
    def data_type(self):
        if not self.children:
            return T.MapType(T.NullType(), T.NullType(), False)
        vals = self.children[1::2]
        return T.MapType(self.children[0].data_type, vals[0].data_type,
                         any(v.nullable for v in vals))

    @property
    def nullable(self):
        return False

    def evaluate(self, args, num_rows):
        cols = [pyvals(a) for a in args]
        kt = self.data_type.keyType
        out = []
        for i in range(num_rows):
            pairs = [(cols[j][i], cols[j + 1][i]) for j in range(0, len(cols), 2)]
            out.append(_dedup_map(pairs, kt))
        return to_arrow_values(out, self.data_type)


@builtin("map", group="map_funcs")
def _map(args, call):
    if len(args) % 2:
        raise AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`map`",
                                expectedNum="2n (n > 0)", actualNum=str(len(args)),
                                docroot="https://spark.apache.org/docs/latest")
    keys = coerce_all(args[0::2], "map") if args else []
    vals = coerce_all(args[1::2], "map") if args else []
    kids = []
    for k, v in zip(keys, vals):
        kids += [k, v]
    return CreateMap(*kids)


class CreateNamedStruct(CollectionFunction):
    """struct(...) and named_struct(...). For named_struct the name literals are children
    (so the SQL text shows them); `names` holds the field names either way."""

    def __init__(self, *children, names=(), named=False):
        super().__init__(*children)
        self.names = tuple(names)
        self.named = named

    def _fields(self):
        return (self.names, self.named)

    @property
    def name(self):
        return "named_struct" if self.named else "struct"

    @property
    def values(self):
        return self.children[1::2] if self.named else self.children

    @property
    def data_type(self):
        return T.StructType([T.StructField(n, v.data_type, v.nullable)
                             for n, v in zip(self.names, self.values)])

    @property
    def nullable(self):
        return False

    def evaluate(self, args, num_rows):
        vals = list(args[1::2] if self.named else args)
        if not vals:
            return pa.array([{}] * num_rows, T.to_arrow(self.data_type))
        at = T.to_arrow(self.data_type)
        vals = [v.cast(at.field(i).type) if v.type != at.field(i).type else v
                for i, v in enumerate(vals)]
        return pa.StructArray.from_arrays(vals, fields=[at.field(i) for i in range(len(vals))])


@builtin("struct", group="struct_funcs")
def _struct(args, call):
    from ember.optimizer.expressions.named import NamedExpression
    from ember.engine.functions.higher_order import NamedLambdaVariable
    names = []
    for i, a in enumerate(args):
        if isinstance(a, (NamedExpression, NamedLambdaVariable)) and not isinstance(a, Literal):
            names.append(a.name)
        else:
            fname = getattr(a, "field_name", None)
            names.append(fname if fname is not None else f"col{i + 1}")
    if getattr(call, "_row", False):
        # a row constructor `(a, b)` is Spark's CreateStruct: shown as named_struct(...)
        kids = []
        for n, a in zip(names, args):
            kids += [Literal(n, T.StringType()), a]
        return CreateNamedStruct(*kids, names=names, named=True)
    return CreateNamedStruct(*args, names=names)


@builtin("named_struct", group="struct_funcs")
def _named_struct(args, call):
    if len(args) % 2 or not args:
        raise AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                                functionName="`named_struct`", expectedNum="2n (n > 0)",
                                actualNum=str(len(args)),
                                docroot="https://spark.apache.org/docs/latest")
    names = []
    for n in args[0::2]:
        if not (isinstance(n, Literal) and isinstance(n.data_type, T.StringType)
                and n.value is not None):
            raise AnalysisException("DATATYPE_MISMATCH.CREATE_NAMED_STRUCT_WITHOUT_FOLDABLE_STRING",
                                    sqlExpr=_q("named_struct(...)"),
                                    inputExprs="[" + n.pretty_sql() + "]")
        names.append(n.value)
    return CreateNamedStruct(*args, names=names, named=True)


# ---------------------------------------------------------------------------- access
class GetArrayItem(CollectionFunction):
    """a[i]: 0-based; out of range fails in ANSI mode (NULL otherwise)."""
    name = "getarrayitem"

    def __init__(self, *children, ansi=True):
        super().__init__(*children)
        self.ansi = ansi

    def _fields(self):
        return (self.ansi,)

    @property
    def data_type(self):
        return self.children[0].data_type.elementType

    @property
    def nullable(self):
        return True

    def sql(self):
        return f"{self.children[0].sql()}[{self.children[1].sql()}]"

    def __str__(self):
        return f"{self.children[0]}[{self.children[1]}]"

    def row(self, arr, i):
        if i < 0 or i >= len(arr):
            if self.ansi:
                raise ArrayIndexOutOfBoundsException("INVALID_ARRAY_INDEX", indexValue=str(i),
                                                     arraySize=str(len(arr)))
            return None
        return arr[i]


def map_lookup(m, key):
    h = hashable(key)
    for k, v in m:
        if hashable(k) == h:
            return v
    return None


class GetMapValue(CollectionFunction):
    name = "getmapvalue"

    @property
    def data_type(self):
        return self.children[0].data_type.valueType

    @property
    def nullable(self):
        return True

    def sql(self):
        return f"{self.children[0].sql()}[{self.children[1].sql()}]"

    def __str__(self):
        return f"{self.children[0]}[{self.children[1]}]"

    def row(self, m, k):
        return map_lookup(m, k)


class GetStructField(CollectionFunction):
    name = "getstructfield"

    def __init__(self, *children, ordinal=0, field=""):
        super().__init__(*children)
        self.ordinal = ordinal
        self.field = field

    def _fields(self):
        return (self.ordinal, self.field)

    @property
    def data_type(self):
        return self.children[0].data_type.fields[self.ordinal].dataType

    @property
    def nullable(self):
        return self.children[0].nullable or self.children[0].data_type.fields[
            self.ordinal].nullable

    def sql(self):
        return f"{self.children[0].sql()}.{self.field}"

    def __str__(self):
        return f"{self.children[0]}.{self.field}"

    def evaluate(self, args, num_rows):
        s = args[0]
        if isinstance(s, pa.ChunkedArray):
            s = s.combine_chunks()
        if len(s) == 0:
            return pa.array([], T.to_arrow(self.data_type))
        out = pc.struct_field(s, [self.ordinal])
        return out


class GetArrayStructFields(CollectionFunction):
    """`arr.f` on an array of structs: the array of that field."""
    name = "getarraystructfields"

    def __init__(self, *children, ordinal=0, field=""):
        super().__init__(*children)
        self.ordinal = ordinal
        self.field = field

    def _fields(self):
        return (self.ordinal, self.field)

    @property
    def data_type(self):
        at = self.children[0].data_type
        f = at.elementType.fields[self.ordinal]
        return T.ArrayType(f.dataType, at.containsNull or f.nullable)

    def sql(self):
        return f"{self.children[0].sql()}.{self.field}"

    def __str__(self):
        return f"{self.children[0]}.{self.field}"

    def row(self, arr):
        st = self.children[0].data_type.elementType
        name = st.fields[self.ordinal].name
        return [None if x is None else x.get(name) for x in arr]


def _field_not_found(field, st):
    return AnalysisException("FIELD_NOT_FOUND", fieldName=f"`{field}`",
                             fields=", ".join(f"`{f.name}`" for f in st.fields))


def _find_field(st: T.StructType, field: str):
    for i, f in enumerate(st.fields):
        if f.name == field:
            return i
    for i, f in enumerate(st.fields):
        if f.name.lower() == field.lower():
            return i
    return None


def extract_value(base: Expression, key: Expression, by_name: bool):
    """ExtractValue: `base[key]` or `base.key` given the resolved base."""
    dt = base.data_type
    if isinstance(dt, T.StructType) and isinstance(key, Literal) and isinstance(
            key.data_type, T.StringType):
        i = _find_field(dt, key.value)
        if i is None:
            raise _field_not_found(key.value, dt)
        return GetStructField(base, ordinal=i, field=dt.fields[i].name)
    if isinstance(dt, T.ArrayType) and isinstance(dt.elementType, T.StructType) and by_name:
        i = _find_field(dt.elementType, key.value)
        if i is None:
            raise _field_not_found(key.value, dt.elementType)
        return GetArrayStructFields(base, ordinal=i, field=dt.elementType.fields[i].name)
    if isinstance(dt, T.ArrayType) and not by_name:
        k = key
        if isinstance(k.data_type, T.NullType):
            k = cast(k, T.IntegerType())
        if not isinstance(k.data_type, T.IntegralType):
            raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                    sqlExpr=_q(base.pretty_sql() + "[" + key.pretty_sql() + "]"),
                                    paramIndex="second", inputSql=_q(key.pretty_sql()),
                                    inputType=_q(key.data_type.sql()),
                                    requiredType='"INTEGRAL"')
        if not isinstance(k.data_type, T.IntegerType):
            k = cast(k, T.IntegerType())
        from ember.conf import active_conf
        return GetArrayItem(base, k, ansi=active_conf().ansi)
    if isinstance(dt, T.MapType) and not by_name:
        k = key
        if k.data_type != dt.keyType:
            k = cast(k, dt.keyType)
        return GetMapValue(base, k)
    if by_name or isinstance(dt, T.StructType):
        raise AnalysisException("INVALID_EXTRACT_BASE_FIELD_TYPE", base=_q(base.pretty_sql()),
                                other=_q(dt.sql()))
    raise AnalysisException("INVALID_EXTRACT_BASE_FIELD_TYPE", base=_q(base.pretty_sql()),
                            other=_q(dt.sql()))


# ---------------------------------------------------------------------------- element_at
class ElementAt(CollectionFunction):
    name = "element_at"
    try_mode = False

    @property
    def data_type(self):
        dt = self.children[0].data_type
        return dt.elementType if isinstance(dt, T.ArrayType) else dt.valueType

    @property
    def nullable(self):
        return True

    def row(self, c, k):
        if isinstance(self.children[0].data_type, T.MapType):
            return map_lookup(c, k)
        if k == 0:
            if self.try_mode:
                return None
            raise ArrayIndexOutOfBoundsException("INVALID_INDEX_OF_ZERO")
        if abs(k) > len(c):
            from ember.conf import active_conf
            if self.try_mode or not active_conf().ansi:
                return None
            raise ArrayIndexOutOfBoundsException("INVALID_ARRAY_INDEX_IN_ELEMENT_AT",
                                                 indexValue=str(k), arraySize=str(len(c)))
        return c[k - 1] if k > 0 else c[k]


class TryElementAt(ElementAt):
    name = "try_element_at"
    try_mode = True


def _element_at_builder(cls):
    def build(args, call):
        arity(cls.name, args, 2)
        c, k = args
        dt = c.data_type
        if isinstance(dt, T.ArrayType):
            if isinstance(k.data_type, T.NullType) or (isinstance(k.data_type, T.IntegralType)
                                                       and not isinstance(k.data_type, T.LongType)):
                k = cast(k, T.IntegerType())
            elif not isinstance(k.data_type, T.IntegerType):
                raise AnalysisException(
                    "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(
                        f"{cls.name}({c.pretty_sql()}, {k.pretty_sql()})"), paramIndex="second",
                    inputSql=_q(k.pretty_sql()), inputType=_q(k.data_type.sql()),
                    requiredType='"INT"')
        elif isinstance(dt, T.MapType):
            if k.data_type != dt.keyType:
                k = cast(k, dt.keyType)
        else:
            raise AnalysisException(
                "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                sqlExpr=_q(f"{cls.name}({c.pretty_sql()}, {k.pretty_sql()})"),
                paramIndex="first", inputSql=_q(c.pretty_sql()), inputType=_q(dt.sql()),
                requiredType='("ARRAY" or "MAP")')
        return cls(c, k)
    return build


builtin("element_at", group="collection_funcs")(_element_at_builder(ElementAt))
builtin("try_element_at", group="collection_funcs")(_element_at_builder(TryElementAt))


class Size(CollectionFunction):
    name = "size"

    @property
    def data_type(self):
        return T.IntegerType()

    def evaluate(self, args, num_rows):
        arr = args[0]
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if pa.types.is_null(arr.type):
            return pa.nulls(num_rows, pa.int32())
        lengths = np.diff(arr.offsets.to_numpy(zero_copy_only=False)).astype(np.int32)
        mask = arr.is_null().to_numpy(zero_copy_only=False) if arr.null_count else None
        return pa.array(lengths, pa.int32(), mask=mask)


def _require(e, i, arg, kinds, text, fn):
    if not isinstance(arg.data_type, kinds):
        raise AnalysisException(
            "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE", sqlExpr=_q(e),
            paramIndex=["first", "second", "third"][i], inputSql=_q(arg.pretty_sql()),
            inputType=_q(arg.data_type.sql()), requiredType=text)


def _call_sql(fn, args):
    return f"{fn}({', '.join(a.pretty_sql() for a in args)})"


def _null_to(arg, dt):
    return cast(arg, dt) if isinstance(arg.data_type, T.NullType) else arg


@builtin("size", "cardinality", group="collection_funcs")
def _size(args, call):
    name = call.name_parts[-1].lower() if call is not None else "size"
    arity(name, args, 1)
    a = _null_to(args[0], T.ArrayType(T.NullType()))
    _require(_call_sql(name, args), 0, a, (T.ArrayType, T.MapType), '("ARRAY" or "MAP")', name)
    out = Size(a)
    out.name = name
    return out


from ember.engine.functions import (array_funcs, csv_funcs, generators,  # noqa: E402,F401
                                    higher_order, json_funcs)
