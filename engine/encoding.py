"""Turning key columns into dense integer group ids (for GROUP BY, DISTINCT, joins, set
operations), with Spark's key equality: NULLs group together, NaN equals NaN, -0.0 equals 0.0.
"""
from __future__ import annotations

from typing import List, Optional, Sequence, Tuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ember.engine.arrow_util import null_mask


def encode_column(arr: pa.Array) -> Tuple[np.ndarray, Optional[np.ndarray]]:
    """int64 codes equal exactly when Spark considers the values equal, plus validity."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    t = arr.type
    valid = null_mask(arr)
    n = len(arr)
    if pa.types.is_null(t):
        return np.zeros(n, dtype=np.int64), np.zeros(n, dtype=bool)
    if pa.types.is_dictionary(t):
        arr = arr.dictionary_decode()
        t = arr.type
    if pa.types.is_integer(t) or pa.types.is_boolean(t) or pa.types.is_date(t) \
            or pa.types.is_timestamp(t) or pa.types.is_duration(t):
        if pa.types.is_boolean(t):
            arr = pc.cast(arr, pa.int8())
        elif pa.types.is_date32(t):
            arr = arr.cast(pa.int32())
        elif pa.types.is_timestamp(t) or pa.types.is_duration(t):
            arr = arr.cast(pa.int64())
        codes = arr.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)
        return codes, valid
    if pa.types.is_floating(t):
        v = arr.fill_null(0).to_numpy(zero_copy_only=False).astype(np.float64)
        v = np.where(np.isnan(v), np.nan, v) + 0.0      # one NaN bit pattern; -0.0 -> 0.0
        return v.view(np.int64).copy(), valid
    if pa.types.is_decimal(t):
        from ember.engine.decimals import unscaled
        u = unscaled(arr)
        if u.dtype != object:
            return u.astype(np.int64), valid
    if pa.types.is_nested(t):
        return _encode_nested(arr), valid
    # strings, binary, large decimals: dictionary-encode the values
    enc = pc.dictionary_encode(arr, null_encoding="mask")
    codes = enc.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    return codes, valid


def _nested_key(v):
    """A hashable key for a nested value (arrays, structs, maps) with Spark's equality:
    NaN equals NaN and -0.0 equals 0.0 at any depth."""
    if isinstance(v, float):
        return "NaN" if v != v else v + 0.0
    if isinstance(v, dict):
        return tuple((k, _nested_key(x)) for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return tuple(_nested_key(x) for x in v)
    return v


def _encode_nested(arr: pa.Array) -> np.ndarray:
    codes = np.zeros(len(arr), dtype=np.int64)
    seen = {}
    for i, v in enumerate(arr.to_pylist()):
        if v is not None:
            codes[i] = seen.setdefault(_nested_key(v), len(seen))
    return codes


def dense_ids(columns: Sequence[pa.Array], n_rows: int) -> Tuple[np.ndarray, np.ndarray, int]:
    """Group ids over several key columns: (ids, first row of each group, number of groups)."""
    from ember.engine.kernels.hashing import combine_ids, group_ids, group_ids_nullable
    if not columns:
        ids = np.zeros(n_rows, dtype=np.int64)
        return ids, np.zeros(1 if n_rows else 0, dtype=np.int64), 1 if n_rows else 0
    ids = first = None
    n = 0
    for col in columns:
        codes, valid = encode_column(col)
        if valid is None:
            cids, cfirst, cn = group_ids(codes)
        else:
            cids, cfirst, cn = group_ids_nullable(codes, valid)
        if ids is None:
            ids, first, n = cids, cfirst, cn
        else:
            ids, first, n = group_ids(combine_ids(ids, cids, cn))
    return ids, first, n


def joint_ids(left: Sequence[pa.Array], right: Sequence[pa.Array],
              null_safe: Optional[Sequence[bool]] = None):
    """Group ids over equal-typed key columns of two inputs, consistent across both sides.
    Rows with a NULL key (in a column that is not null-safe) get id -1: they match nothing."""
    nl = len(left[0]) if left else 0
    combined = [pa.concat_arrays([_plain(l), _plain(r).cast(_plain(l).type)])
                for l, r in zip(left, right)]
    n = len(combined[0]) if combined else 0
    ids, first, count = dense_ids(combined, n)
    dead = np.zeros(n, dtype=bool)
    for i, col in enumerate(combined):
        if null_safe and null_safe[i]:
            continue
        m = null_mask(col)
        if m is not None:
            dead |= ~m
    if dead.any():
        ids = np.where(dead, -1, ids)
    return ids[:nl], ids[nl:], count


def _plain(a):
    if isinstance(a, pa.ChunkedArray):
        a = a.combine_chunks()
    if pa.types.is_dictionary(a.type):
        a = a.dictionary_decode()
    if pa.types.is_string_view(a.type):
        a = a.cast(pa.string())
    return a
