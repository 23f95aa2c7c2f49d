"""Vectorised Spark decimals over Arrow decimal128 arrays.

A decimal column is worked on as its unscaled integers: an int64 NumPy array when every value
fits (almost always: precision <= 18), else a NumPy object array of Python ints. Results are
checked against the target precision (Spark's `changePrecision`) and rounded HALF_UP.
"""
from __future__ import annotations

from typing import Optional, Tuple

import numpy as np
import pyarrow as pa

INT64_MAX = (1 << 63) - 1
POW10 = [10 ** i for i in range(80)]


def validity(arr: pa.Array) -> Optional[np.ndarray]:
    """Boolean mask of valid slots, or None when there are no nulls."""
    if arr.null_count == 0:
        return None
    return np.asarray(arr.is_valid().to_numpy(zero_copy_only=False), dtype=bool)


def unscaled(arr: pa.Array) -> np.ndarray:
    """Unscaled values of a decimal128 array (nulls read as 0)."""
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    buf = arr.buffers()[1]
    words = np.frombuffer(buf, dtype=np.int64, count=2 * (arr.offset + n))[2 * arr.offset:]
    lo = words[0::2]
    hi = words[1::2]
    if np.array_equal(hi, lo >> 63):
        out = lo.copy()
    else:
        out = np.array([(int(h) << 64) | (int(l) & 0xFFFFFFFFFFFFFFFF)
                        for l, h in zip(lo.tolist(), hi.tolist())], dtype=object)
    valid = validity(arr)
    if valid is not None:
        out[~valid] = 0
    return out


def from_unscaled(values: np.ndarray, valid: Optional[np.ndarray], precision: int,
                  scale: int) -> pa.Array:
    n = len(values)
    typ = pa.decimal128(precision, scale)
    if values.dtype == object:
        ints = [int(v) for v in values]
        lo = np.array([v & 0xFFFFFFFFFFFFFFFF for v in ints], dtype=np.uint64).view(np.int64)
        hi = np.array([v >> 64 for v in ints], dtype=np.int64)
    else:
        lo = values.astype(np.int64, copy=False)
        hi = lo >> 63
    words = np.empty(2 * n, dtype=np.int64)
    words[0::2] = lo
    words[1::2] = hi
    null_buf = None
    if valid is not None and not valid.all():
        null_buf = pa.array(valid).buffers()[1]
        null_count = int(n - valid.sum())
    else:
        null_count = 0
    return pa.Array.from_buffers(typ, n, [null_buf, pa.py_buffer(words.tobytes())],
                                 null_count=null_count)


def to_object(values: np.ndarray) -> np.ndarray:
    if values.dtype == object:
        return values
    return values.astype(object)


def fits(values: np.ndarray, precision: int) -> np.ndarray:
    """Per-value check |v| < 10^precision."""
    bound = POW10[precision]
    if values.dtype != object:
        if bound > INT64_MAX:
            return np.ones(len(values), dtype=bool)
        return np.abs(values) < bound
    return np.array([abs(v) < bound for v in values], dtype=bool)


def rescale(values: np.ndarray, from_scale: int, to_scale: int) -> np.ndarray:
    """Change scale; dropping digits rounds HALF_UP (away from zero at .5)."""
    if to_scale == from_scale:
        return values
    if to_scale > from_scale:
        factor = POW10[to_scale - from_scale]
        if values.dtype != object:
            if len(values) == 0 or int(np.abs(values).max()) <= INT64_MAX // factor:
                return values * factor
            values = values.astype(object)
        return values * factor
    return div_half_up(values, POW10[from_scale - to_scale])


def div_half_up(values: np.ndarray, divisor) -> np.ndarray:
    """Integer division rounding half away from zero (Java's RoundingMode.HALF_UP)."""
    if values.dtype != object and isinstance(divisor, int) and divisor <= INT64_MAX:
        sign = np.sign(values)
        a = np.abs(values)
        q, r = np.divmod(a, divisor)
        q = q + (2 * r >= divisor)
        return sign * q
    out = np.empty(len(values), dtype=object)
    divs = divisor if isinstance(divisor, np.ndarray) else None
    for i, v in enumerate(values):
        d = int(divs[i]) if divs is not None else divisor
        if d == 0:
            out[i] = 0
            continue
        neg = (v < 0) != (d < 0)
        q, r = divmod(abs(int(v)), abs(d))
        if 2 * r >= abs(d):
            q += 1
        out[i] = -q if neg else q
    return out


def add(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype != object and b.dtype != object:
        r = a + b
        overflow = ((a ^ r) & (b ^ r)) < 0
        if not overflow.any():
            return r
    return to_object(a) + to_object(b)


def subtract(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype != object and b.dtype != object:
        r = a - b
        overflow = ((a ^ b) & (a ^ r)) < 0
        if not overflow.any():
            return r
    return to_object(a) - to_object(b)


def multiply(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    if a.dtype != object and b.dtype != object and len(a):
        ma = int(np.abs(a).max())
        mb = int(np.abs(b).max())
        if ma * mb <= INT64_MAX:
            return a * b
    return to_object(a) * to_object(b)


def as_pyints(values: np.ndarray):
    return [int(v) for v in values]


def divide(a: np.ndarray, a_scale: int, b: np.ndarray, b_scale: int, out_scale: int,
           valid: Optional[np.ndarray]) -> np.ndarray:
    """Exact decimal division a/b rounded HALF_UP to `out_scale` (unscaled result)."""
    shift = out_scale - a_scale + b_scale
    out = np.zeros(len(a), dtype=object)
    for i in range(len(a)):
        if valid is not None and not valid[i]:
            continue
        y = int(b[i])
        if y == 0:
            continue
        x = int(a[i])
        num, den = (x * POW10[shift], y) if shift >= 0 else (x, y * POW10[-shift])
        q, r = divmod(abs(num), abs(den))
        if 2 * r >= abs(den):
            q += 1
        out[i] = -q if (num < 0) != (den < 0) else q
    return out
