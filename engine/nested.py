"""Operations over nested values (arrays, maps, structs): casts and comparisons."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember import types as T
from ember.errors import not_supported


def _offsets(arr: pa.Array) -> pa.Array:
    lengths = arr.value_lengths().fill_null(0).to_numpy(zero_copy_only=False)
    return pa.array(np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32))


def cast_nested(arr: pa.Array, src: T.DataType, to: T.DataType, mode: str, ctx) -> pa.Array:
    """CAST between complex types, element by element (Spark's castArray/castMap/castStruct)."""
    from ember.engine.cast import cast_array
    at = T.to_arrow(to)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    if isinstance(src, T.ArrayType) and isinstance(to, T.ArrayType):
        values = cast_array(arr.flatten(), src.elementType, to.elementType, mode, ctx)
        return pa.ListArray.from_arrays(_offsets(arr), values, type=at,
                                        mask=arr.is_null() if arr.null_count else None)
    if isinstance(src, T.MapType) and isinstance(to, T.MapType):
        rows = arr.to_pylist()
        keys = [k for r in rows if r for k, _ in r]
        vals = [v for r in rows if r for _, v in r]
        ks = cast_array(pa.array(keys, T.to_arrow(src.keyType)), src.keyType, to.keyType,
                        mode, ctx).to_pylist()
        vs = cast_array(pa.array(vals, T.to_arrow(src.valueType)), src.valueType,
                        to.valueType, mode, ctx).to_pylist()
        out, i = [], 0
        for r in rows:
            if r is None:
                out.append(None)
                continue
            out.append(list(zip(ks[i:i + len(r)], vs[i:i + len(r)])))
            i += len(r)
        return pa.array(out, at)
    if isinstance(src, T.StructType) and isinstance(to, T.StructType) and len(
            src.fields) == len(to.fields):
        if len(arr) == 0:
            return pa.array([], at)
        kids = [cast_array(pc.struct_field(arr, [i]), sf.dataType, tf.dataType, mode, ctx)
                for i, (sf, tf) in enumerate(zip(src.fields, to.fields))]
        return pa.StructArray.from_arrays(kids, fields=list(at),
                                          mask=arr.is_null() if arr.null_count else None)
    raise not_supported(f"CAST from {src.sql()} to {to.sql()}")


def compare_nested(op, left, right, dt):
    """Comparisons of arrays and structs (maps are not comparable), row by row."""
    from ember.engine.functions.collections import sort_key
    key = sort_key(dt)
    out = []
    for a, b in zip(left.to_pylist(), right.to_pylist()):
        if a is None or b is None:
            out.append(None)
            continue
        ka, kb = key(a), key(b)
        out.append({"=": ka == kb, "<": ka < kb, "<=": ka <= kb, ">": ka > kb,
                    ">=": ka >= kb}[op])
    return pa.array(out, pa.bool_())


def sort_rank(arr: pa.Array, dt: T.DataType) -> pa.Array:
    """Dense ranks (int64, NULL for NULL) ordering nested values as Spark orders them."""
    from ember.engine.functions.collections import hashable, sort_key
    key = sort_key(dt)
    vals = arr.to_pylist()
    distinct = {}
    for v in vals:
        if v is not None:
            distinct.setdefault(hashable(v), v)
    ordered = sorted(distinct, key=lambda h: key(distinct[h]))
    rank = {h: i for i, h in enumerate(ordered)}
    return pa.array([None if v is None else rank[hashable(v)] for v in vals], pa.int64())
