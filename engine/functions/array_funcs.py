"""Array and map functions: array_contains, array_distinct, set operations, sorting, slicing,
zipping, flattening, sequence, concat on arrays, array_join, map_keys/values/entries,
map_from_arrays/entries, map_concat, str_to_map."""
from __future__ import annotations

import datetime as _dt
import re

from ember import types as T
from ember.catalog.functions import BUILTINS, builtin
from ember.errors import AnalysisException, SparkRuntimeException
from ember.optimizer.expressions import Literal
from ember.optimizer.analyzer.type_coercion import cast, wider_type
from ember.engine.functions.collections import (CollectionFunction, _call_sql, _dedup_map, _q,
                                                _null_to, _require, arity, coerce_all,
                                                hashable, sort_key)


def wider_no_string(a, b):
    """findWiderTypeWithoutStringPromotion: a string meets only strings (or NULL)."""
    sa, sb = isinstance(a, T.StringType), isinstance(b, T.StringType)
    if sa != sb and not isinstance(a, T.NullType) and not isinstance(b, T.NullType):
        return None
    return wider_type(a, b)


class SimpleArrayFunction(CollectionFunction):
    """A function whose result type is computed once by the builder."""

    def __init__(self, *children, name="", out_type=None, fn=None, null_args=None):
        super().__init__(*children)
        self.name = name
        self._out = out_type
        self.fn = fn
        self.null_args = null_args      # indexes whose NULL gives NULL (default: all)

    def _fields(self):
        return (self.name, self._out)

    @property
    def data_type(self):
        return self._out

    def null_result(self, values):
        idx = range(len(values)) if self.null_args is None else self.null_args
        return any(values[i] is None for i in idx)

    def row(self, *values):
        return self.fn(*values)


def _arr_arg(name, args, i):
    a = _null_to(args[i], T.ArrayType(T.NullType()))
    _require(_call_sql(name, args), i, a, (T.ArrayType,), '"ARRAY"', name)
    return a


def _array_and_element(name, args):
    arr = _arr_arg(name, args, 0)
    el = args[1]
    t = wider_no_string(arr.data_type.elementType, el.data_type)
    if t is None:
        raise AnalysisException(
            "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES", sqlExpr=_q(_call_sql(name, args)),
            functionName=f"`{name}`", dataType='"ARRAY"',
            leftType=_q(arr.data_type.sql()), rightType=_q(el.data_type.sql()))
    return cast(arr, T.ArrayType(t, arr.data_type.containsNull)), cast(el, t)


def _contains(arr, v):
    h = hashable(v)
    found_null = False
    for x in arr:
        if x is None:
            found_null = True
        elif hashable(x) == h:
            return True
    return None if found_null else False


@builtin("array_contains", group="array_funcs")
def _array_contains(args, call):
    arity("array_contains", args, 2)
    a, v = _array_and_element("array_contains", args)
    return SimpleArrayFunction(a, v, name="array_contains", out_type=T.BooleanType(),
                               fn=_contains)


def _position(arr, v):
    h = hashable(v)
    for i, x in enumerate(arr):
        if x is not None and hashable(x) == h:
            return i + 1
    return 0


@builtin("array_position", group="array_funcs")
def _array_position(args, call):
    arity("array_position", args, 2)
    a, v = _array_and_element("array_position", args)
    return SimpleArrayFunction(a, v, name="array_position", out_type=T.LongType(), fn=_position)


@builtin("array_remove", group="array_funcs")
def _array_remove(args, call):
    arity("array_remove", args, 2)
    a, v = _array_and_element("array_remove", args)
    return SimpleArrayFunction(a, v, name="array_remove", out_type=a.data_type, fn=lambda arr, x: [
        e for e in arr if e is None or hashable(e) != hashable(x)])


def _distinct(arr):
    seen, out = set(), []
    for x in arr:
        h = hashable(x)
        if h not in seen:
            seen.add(h)
            out.append(x)
    return out


@builtin("array_distinct", group="array_funcs")
def _array_distinct(args, call):
    arity("array_distinct", args, 1)
    a = _arr_arg("array_distinct", args, 0)
    return SimpleArrayFunction(a, name="array_distinct", out_type=a.data_type, fn=_distinct)


def _two_arrays(name, args):
    arity(name, args, 2)
    a, b = _arr_arg(name, args, 0), _arr_arg(name, args, 1)
    t = wider_no_string(a.data_type.elementType, b.data_type.elementType)
    if t is None:
        raise AnalysisException(
            "DATATYPE_MISMATCH.BINARY_ARRAY_DIFF_TYPES", sqlExpr=_q(_call_sql(name, args)),
            functionName=f"`{name}`", arrayType='"ARRAY"', leftType=_q(a.data_type.sql()),
            rightType=_q(b.data_type.sql()))
    return (cast(a, T.ArrayType(t, a.data_type.containsNull)),
            cast(b, T.ArrayType(t, b.data_type.containsNull)))


@builtin("array_union", group="array_funcs")
def _array_union(args, call):
    a, b = _two_arrays("array_union", args)
    out = T.ArrayType(a.data_type.elementType, a.data_type.containsNull or b.data_type.containsNull)
    return SimpleArrayFunction(a, b, name="array_union", out_type=out,
                               fn=lambda x, y: _distinct(x + y))


@builtin("array_intersect", group="array_funcs")
def _array_intersect(args, call):
    a, b = _two_arrays("array_intersect", args)
    out = T.ArrayType(a.data_type.elementType, a.data_type.containsNull and b.data_type.containsNull)

    def fn(x, y):
        ys = {hashable(v) for v in y}
        return [v for v in _distinct(x) if hashable(v) in ys]
    return SimpleArrayFunction(a, b, name="array_intersect", out_type=out, fn=fn)


@builtin("array_except", group="array_funcs")
def _array_except(args, call):
    a, b = _two_arrays("array_except", args)

    def fn(x, y):
        ys = {hashable(v) for v in y}
        return [v for v in _distinct(x) if hashable(v) not in ys]
    return SimpleArrayFunction(a, b, name="array_except", out_type=a.data_type, fn=fn)


@builtin("arrays_overlap", group="array_funcs")
def _arrays_overlap(args, call):
    a, b = _two_arrays("arrays_overlap", args)

    def fn(x, y):
        xs = {hashable(v) for v in x if v is not None}
        if any(v is not None and hashable(v) in xs for v in y):
            return True
        return None if (None in x or None in y) and x and y else False
    return SimpleArrayFunction(a, b, name="arrays_overlap", out_type=T.BooleanType(), fn=fn)


def _sorted(arr, dt, asc, nulls_first):
    key = sort_key(dt.elementType)
    vals = [x for x in arr if x is not None]
    nulls = [x for x in arr if x is None]
    vals.sort(key=key, reverse=not asc)
    return nulls + vals if nulls_first else vals + nulls


@builtin("sort_array", group="array_funcs")
def _sort_array(args, call):
    arity("sort_array", args, 1, 2)
    a = _arr_arg("sort_array", args, 0)
    asc = args[1] if len(args) > 1 else Literal(True, T.BooleanType())
    if not (isinstance(asc, Literal) and isinstance(asc.data_type, T.BooleanType)):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                sqlExpr=_q(_call_sql("sort_array", args)), paramIndex="second",
                                inputSql=_q(asc.pretty_sql()), inputType=_q(asc.data_type.sql()),
                                requiredType='"BOOLEAN"')
    up = bool(asc.value)
    dt = a.data_type
    return SimpleArrayFunction(a, asc, name="sort_array", out_type=dt, null_args=[0],
                               fn=lambda x, _: _sorted(x, dt, up, up))


@builtin("array_repeat", group="array_funcs")
def _array_repeat(args, call):
    arity("array_repeat", args, 2)
    v, n = args
    n = _null_to(n, T.IntegerType())
    if not isinstance(n.data_type, T.IntegerType):
        n = cast(n, T.IntegerType())
    return SimpleArrayFunction(v, n, name="array_repeat", out_type=T.ArrayType(
        v.data_type, v.nullable), null_args=[1], fn=lambda x, k: [x] * max(k, 0))


def _zip(names):
    def fn(*arrs):
        n = max((len(a) for a in arrs), default=0)
        return [{nm: (a[i] if i < len(a) else None) for nm, a in zip(names, arrs)}
                for i in range(n)]
    return fn


@builtin("arrays_zip", group="array_funcs")
def _arrays_zip(args, call):
    from ember.optimizer.expressions.named import NamedExpression
    arrs = [_arr_arg("arrays_zip", args, i) for i in range(len(args))]
    names = []
    for i, a in enumerate(args):
        if isinstance(a, NamedExpression) and not isinstance(a, Literal):
            names.append(a.name)
        else:
            names.append(str(i))
    st = T.StructType([T.StructField(nm, a.data_type.elementType, True)
                       for nm, a in zip(names, arrs)])
    return SimpleArrayFunction(*arrs, name="arrays_zip", out_type=T.ArrayType(st, False),
                               fn=_zip(names))


@builtin("flatten", group="array_funcs")
def _flatten(args, call):
    arity("flatten", args, 1)
    a = args[0]
    if not (isinstance(a.data_type, T.ArrayType) and isinstance(a.data_type.elementType,
                                                                 T.ArrayType)):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                sqlExpr=_q(_call_sql("flatten", args)), paramIndex="first",
                                inputSql=_q(a.pretty_sql()), inputType=_q(a.data_type.sql()),
                                requiredType='"ARRAY" of "ARRAY"')
    inner = a.data_type.elementType

    def fn(x):
        if any(v is None for v in x):
            return None
        return [e for v in x for e in v]
    f = SimpleArrayFunction(a, name="flatten", out_type=inner, fn=fn)
    return f


class _NullableResult(SimpleArrayFunction):
    @property
    def nullable(self):
        return True


# flatten may return NULL for a non-null input
def _flatten_wrap(builder):
    def b(args, call):
        f = builder(args, call)
        return _NullableResult(*f.children, name=f.name, out_type=f._out, fn=f.fn)
    return b


BUILTINS.register(["flatten"], _flatten_wrap(_flatten), group="array_funcs")


@builtin("slice", group="array_funcs")
def _slice(args, call):
    arity("slice", args, 3)
    a = _arr_arg("slice", args, 0)
    s, n = [cast(_null_to(x, T.IntegerType()), T.IntegerType()) for x in args[1:]]

    def fn(x, start, length):
        if start == 0:
            raise SparkRuntimeException("INVALID_PARAMETER_VALUE.START",
                                        parameter="`start`", functionName="`slice`")
        if length < 0:
            raise SparkRuntimeException("INVALID_PARAMETER_VALUE.LENGTH",
                                        parameter="`length`", functionName="`slice`",
                                        length=str(length))
        i = start - 1 if start > 0 else len(x) + start
        if i < 0 or i >= len(x):
            return []
        return x[i:i + length]
    return SimpleArrayFunction(a, s, n, name="slice", out_type=a.data_type, fn=fn)


@builtin("array_join", group="array_funcs")
def _array_join(args, call):
    arity("array_join", args, 2, 3)
    a = _arr_arg("array_join", args, 0)
    if not isinstance(a.data_type.elementType, (T.StringType, T.NullType)):
        a = cast(a, T.ArrayType(T.StringType(), a.data_type.containsNull))
    else:
        a = cast(a, T.ArrayType(T.StringType(), a.data_type.containsNull))
    rest = [cast(x, T.StringType()) for x in args[1:]]

    def fn(x, sep, rep=None):
        if rep is None:
            return sep.join(v for v in x if v is not None)
        return sep.join(rep if v is None else v for v in x)
    null_args = [0, 1]
    if len(rest) == 2:
        null_args = [0, 1, 2]
    return SimpleArrayFunction(a, *rest, name="array_join", out_type=T.StringType(), fn=fn,
                               null_args=null_args)


# ---------------------------------------------------------------------------- sequence
def _add_months(days: int, months: int) -> int:
    d = _dt.date(1970, 1, 1) + _dt.timedelta(days=days)
    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    import calendar
    last = calendar.monthrange(y, m)[1]
    return (_dt.date(y, m, min(d.day, last)) - _dt.date(1970, 1, 1)).days


@builtin("sequence", group="array_funcs")
def _sequence(args, call):
    arity("sequence", args, 2, 3)
    start, stop = args[0], args[1]
    if isinstance(start.data_type, T.IntegralType) and isinstance(stop.data_type, T.IntegralType):
        t = wider_type(start.data_type, stop.data_type)
        kids = [cast(start, t), cast(stop, t)]
        if len(args) == 3:
            kids.append(cast(args[2], t))

        def fn(a, b, step=None):
            if step is None:
                step = 1 if b >= a else -1
            if step == 0 or (step > 0 and a > b) or (step < 0 and a < b):
                if a == b:
                    return [a]
                from ember.errors import IllegalArgumentException
                raise IllegalArgumentException(
                    "INTERNAL_ERROR",
                    message=f"requirement failed: Illegal sequence boundaries: {a} to {b} by {step}")
            return list(range(a, b + (1 if step > 0 else -1), step))
        return SimpleArrayFunction(*kids, name="sequence", out_type=T.ArrayType(t, False), fn=fn)
    if isinstance(start.data_type, T.DateType) and isinstance(stop.data_type, T.DateType):
        step = args[2] if len(args) == 3 else None
        if step is not None and isinstance(step.data_type, T.YearMonthIntervalType):
            def fn(a, b, months):
                da = (a - _dt.date(1970, 1, 1)).days
                db = (b - _dt.date(1970, 1, 1)).days
                out, i = [], 0
                while True:
                    d = _add_months(da, months * i)
                    if (months > 0 and d > db) or (months < 0 and d < db) or months == 0:
                        break
                    out.append(_dt.date(1970, 1, 1) + _dt.timedelta(days=d))
                    i += 1
                return out
            return SimpleArrayFunction(start, stop, step, name="sequence",
                                       out_type=T.ArrayType(T.DateType(), False), fn=fn)

        def fnd(a, b, s=None):
            days = 1 if b >= a else -1
            if s is not None:
                days = int(s.total_seconds() // 86400) if isinstance(s, _dt.timedelta) else s
            out, d = [], a
            while (days > 0 and d <= b) or (days < 0 and d >= b):
                out.append(d)
                d = d + _dt.timedelta(days=days)
            return out
        kids = [start, stop] + ([step] if step is not None else [])
        return SimpleArrayFunction(*kids, name="sequence",
                                   out_type=T.ArrayType(T.DateType(), False), fn=fnd)
    raise AnalysisException("DATATYPE_MISMATCH.SEQUENCE_WRONG_INPUT_TYPES",
                            sqlExpr=_q(_call_sql("sequence", args)), functionName="`sequence`",
                            startType=_q(start.data_type.sql()), stepType='"INT"',
                            otherStartType='"DATE"', stepType2='"INTERVAL"')


# ---------------------------------------------------------------------------- concat
def _concat_arrays(*arrs):
    out = []
    for a in arrs:
        out.extend(a)
    return out


def _install_concat():
    from ember.engine.functions import strings  # noqa: F401  (register theirs first)
    prev = BUILTINS.lookup("concat")

    def build(args, call):
        if args and any(isinstance(a.data_type, T.ArrayType) for a in args):
            kids = coerce_all([_null_to(a, T.ArrayType(T.NullType())) for a in args], "concat")
            return SimpleArrayFunction(*kids, name="concat", out_type=kids[0].data_type,
                                       fn=_concat_arrays)
        if prev is None:
            from ember.optimizer.expressions.named import quote_identifier
            raise AnalysisException(
                "UNRESOLVED_ROUTINE", routineName=quote_identifier("concat"),
                searchPath="[`system`.`builtin`, `system`.`session`, `spark_catalog`.`default`]")
        return prev.builder(args, call)
    BUILTINS.register(["concat"], build, group=prev.group if prev else "string_funcs")


_install_concat()


# ---------------------------------------------------------------------------- maps
def _map_arg(name, args, i):
    a = _null_to(args[i], T.MapType(T.NullType(), T.NullType()))
    _require(_call_sql(name, args), i, a, (T.MapType,), '"MAP"', name)
    return a


@builtin("map_keys", group="map_funcs")
def _map_keys(args, call):
    arity("map_keys", args, 1)
    m = _map_arg("map_keys", args, 0)
    return SimpleArrayFunction(m, name="map_keys", out_type=T.ArrayType(m.data_type.keyType, False),
                               fn=lambda x: [k for k, _ in x])


@builtin("map_values", group="map_funcs")
def _map_values(args, call):
    arity("map_values", args, 1)
    m = _map_arg("map_values", args, 0)
    dt = m.data_type
    return SimpleArrayFunction(m, name="map_values", out_type=T.ArrayType(
        dt.valueType, dt.valueContainsNull), fn=lambda x: [v for _, v in x])


@builtin("map_entries", group="map_funcs")
def _map_entries(args, call):
    arity("map_entries", args, 1)
    m = _map_arg("map_entries", args, 0)
    dt = m.data_type
    st = T.StructType([T.StructField("key", dt.keyType, False),
                       T.StructField("value", dt.valueType, dt.valueContainsNull)])
    return SimpleArrayFunction(m, name="map_entries", out_type=T.ArrayType(st, False),
                               fn=lambda x: [{"key": k, "value": v} for k, v in x])


@builtin("map_from_arrays", group="map_funcs")
def _map_from_arrays(args, call):
    arity("map_from_arrays", args, 2)
    k, v = _arr_arg("map_from_arrays", args, 0), _arr_arg("map_from_arrays", args, 1)
    kt = k.data_type.elementType
    out = T.MapType(kt, v.data_type.elementType, v.data_type.containsNull)

    def fn(ks, vs):
        if len(ks) != len(vs):
            raise SparkRuntimeException("INTERNAL_ERROR", message=(
                "The key array and value array of MapData must have the same length."))
        return _dedup_map(list(zip(ks, vs)), kt)
    return SimpleArrayFunction(k, v, name="map_from_arrays", out_type=out, fn=fn)


@builtin("map_from_entries", group="map_funcs")
def _map_from_entries(args, call):
    arity("map_from_entries", args, 1)
    a = _arr_arg("map_from_entries", args, 0)
    st = a.data_type.elementType
    if not (isinstance(st, T.StructType) and len(st.fields) == 2):
        raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                sqlExpr=_q(_call_sql("map_from_entries", args)),
                                paramIndex="first", inputSql=_q(a.pretty_sql()),
                                inputType=_q(a.data_type.sql()),
                                requiredType='"ARRAY" of pair "STRUCT"')
    kt = st.fields[0].dataType
    out = T.MapType(kt, st.fields[1].dataType, st.fields[1].nullable)
    names = [f.name for f in st.fields]

    def fn(entries):
        if any(e is None for e in entries):
            return None
        return _dedup_map([(e[names[0]], e[names[1]]) for e in entries], kt)
    return _NullableResult(a, name="map_from_entries", out_type=out, fn=fn)


@builtin("map_concat", group="map_funcs")
def _map_concat(args, call):
    if not args:
        return SimpleArrayFunction(name="map_concat", out_type=T.MapType(T.NullType(),
                                                                         T.NullType(), False),
                                   fn=lambda: [])
    maps = [_map_arg("map_concat", args, i) for i in range(len(args))]
    kids = coerce_all(maps, "map_concat")
    kt = kids[0].data_type.keyType
    return SimpleArrayFunction(*kids, name="map_concat", out_type=kids[0].data_type,
                               fn=lambda *ms: _dedup_map([p for m in ms for p in m], kt))


@builtin("map_contains_key", group="map_funcs")
def _map_contains_key(args, call):
    arity("map_contains_key", args, 2)
    m = _map_arg("map_contains_key", args, 0)
    k = cast(args[1], m.data_type.keyType)
    return SimpleArrayFunction(m, k, name="map_contains_key", out_type=T.BooleanType(),
                               fn=lambda x, key: any(hashable(a) == hashable(key) for a, _ in x))


@builtin("str_to_map", group="map_funcs")
def _str_to_map(args, call):
    arity("str_to_map", args, 1, 2, 3)
    args = list(args)
    if len(args) < 2:
        args.append(Literal(",", T.StringType()))
    if len(args) < 3:
        args.append(Literal(":", T.StringType()))
    kids = [cast(a, T.StringType()) for a in args]

    def fn(text, pair_delim, kv_delim):
        pairs = []
        for item in re.split(pair_delim, text):
            kv = re.split(kv_delim, item, maxsplit=1)
            pairs.append((kv[0], kv[1] if len(kv) > 1 else None))
        return _dedup_map(pairs, T.StringType())
    return SimpleArrayFunction(*kids, name="str_to_map",
                               out_type=T.MapType(T.StringType(), T.StringType(), True), fn=fn)


# ---------------------------------------------------------------------------- more arrays
def _append_builder(name, prepend):
    def build(args, call):
        arity(name, args, 2)
        a = _arr_arg(name, args, 0)
        v = args[1]
        t = wider_type(a.data_type.elementType, v.data_type)
        if t is None:
            raise AnalysisException(
                "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES", sqlExpr=_q(_call_sql(name, args)),
                functionName=f"`{name}`", dataType='"ARRAY"',
                leftType=_q(a.data_type.sql()), rightType=_q(v.data_type.sql()))
        out = T.ArrayType(t, a.data_type.containsNull or v.nullable)
        a = cast(a, T.ArrayType(t, a.data_type.containsNull))
        v = cast(v, t)
        fn = (lambda arr, x: [x] + arr) if prepend else (lambda arr, x: arr + [x])
        return SimpleArrayFunction(a, v, name=name, out_type=out, fn=fn, null_args=[0])
    return build


builtin("array_append", group="array_funcs")(_append_builder("array_append", False))
builtin("array_prepend", group="array_funcs")(_append_builder("array_prepend", True))


@builtin("array_compact", group="array_funcs")
def _array_compact(args, call):
    arity("array_compact", args, 1)
    a = _arr_arg("array_compact", args, 0)
    return SimpleArrayFunction(a, name="array_compact", out_type=T.ArrayType(
        a.data_type.elementType, False), fn=lambda x: [v for v in x if v is not None])


@builtin("array_insert", group="array_funcs")
def _array_insert(args, call):
    arity("array_insert", args, 3)
    a = _arr_arg("array_insert", args, 0)
    pos = cast(_null_to(args[1], T.IntegerType()), T.IntegerType())
    v = args[2]
    t = wider_type(a.data_type.elementType, v.data_type)
    if t is None:
        raise AnalysisException(
            "DATATYPE_MISMATCH.ARRAY_FUNCTION_DIFF_TYPES",
            sqlExpr=_q(_call_sql("array_insert", args)), functionName="`array_insert`",
            dataType='"ARRAY"', leftType=_q(a.data_type.sql()), rightType=_q(v.data_type.sql()))
    a = cast(a, T.ArrayType(t, a.data_type.containsNull))
    v = cast(v, t)

    def fn(arr, p, x):
        if p == 0:
            from ember.errors import ArrayIndexOutOfBoundsException
            raise ArrayIndexOutOfBoundsException("INVALID_INDEX_OF_ZERO")
        n = len(arr)
        if p > 0:
            i = p - 1
            if i > n:
                return arr + [None] * (i - n) + [x]
            return arr[:i] + [x] + arr[i:]
        i = n + 1 + p
        if i < 0:
            return [x] + [None] * (-i) + arr
        return arr[:i] + [x] + arr[i:]
    return SimpleArrayFunction(a, pos, v, name="array_insert", out_type=T.ArrayType(t, True),
                               fn=fn, null_args=[0, 1])


def _minmax_builder(name, pick):
    def build(args, call):
        arity(name, args, 1)
        a = _arr_arg(name, args, 0)
        from ember.engine.functions.collections import check_orderable
        check_orderable(a, a.data_type.elementType, name)
        key = sort_key(a.data_type.elementType)

        def fn(x):
            vals = [v for v in x if v is not None]
            return pick(vals, key=key) if vals else None
        return _NullableResult(a, name=name, out_type=a.data_type.elementType, fn=fn)
    return build


builtin("array_max", group="array_funcs")(_minmax_builder("array_max", max))
builtin("array_min", group="array_funcs")(_minmax_builder("array_min", min))


@builtin("array_size", group="array_funcs")
def _array_size(args, call):
    arity("array_size", args, 1)
    a = _arr_arg("array_size", args, 0)
    return SimpleArrayFunction(a, name="array_size", out_type=T.IntegerType(), fn=len)


@builtin("get", group="array_funcs")
def _get(args, call):
    arity("get", args, 2)
    a = _arr_arg("get", args, 0)
    i = cast(_null_to(args[1], T.IntegerType()), T.IntegerType())
    return _NullableResult(a, i, name="get", out_type=a.data_type.elementType,
                           fn=lambda x, k: x[k] if 0 <= k < len(x) else None)
