"""Grouped aggregation kernels: one pass over (group id, value, valid) arrays.

`valid` marks rows that take part (value present and FILTER true). Integer sums report
overflow so the caller can raise Spark's ARITHMETIC_OVERFLOW or widen to exact arithmetic.
"""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def count_rows(ids, valid, n_groups):
    out = np.zeros(n_groups, dtype=np.int64)
    for i in range(ids.shape[0]):
        if valid[i]:
            out[ids[i]] += 1
    return out


@njit(cache=True, nogil=True)
def sum_int64(ids, values, valid, n_groups):
    """Returns (sums, counts, overflowed)."""
    sums = np.zeros(n_groups, dtype=np.int64)
    counts = np.zeros(n_groups, dtype=np.int64)
    overflow = False
    for i in range(ids.shape[0]):
        if valid[i]:
            g = ids[i]
            a = sums[g]
            b = values[i]
            r = a + b
            if ((a ^ r) & (b ^ r)) < 0:
                overflow = True
            sums[g] = r
            counts[g] += 1
    return sums, counts, overflow


@njit(cache=True, nogil=True)
def sum_float64(ids, values, valid, n_groups):
    sums = np.zeros(n_groups, dtype=np.float64)
    counts = np.zeros(n_groups, dtype=np.int64)
    for i in range(ids.shape[0]):
        if valid[i]:
            g = ids[i]
            sums[g] += values[i]
            counts[g] += 1
    return sums, counts


@njit(cache=True, nogil=True)
def min_max_int64(ids, values, valid, n_groups, want_max):
    out = np.zeros(n_groups, dtype=np.int64)
    seen = np.zeros(n_groups, dtype=np.bool_)
    for i in range(ids.shape[0]):
        if valid[i]:
            g = ids[i]
            v = values[i]
            if not seen[g]:
                out[g] = v
                seen[g] = True
            elif want_max:
                if v > out[g]:
                    out[g] = v
            elif v < out[g]:
                out[g] = v
    return out, seen


@njit(cache=True, nogil=True)
def min_max_float64(ids, values, valid, n_groups, want_max):
    """Spark orders NaN above every number: max is NaN if any NaN, min only if all are."""
    out = np.zeros(n_groups, dtype=np.float64)
    seen = np.zeros(n_groups, dtype=np.bool_)
    for i in range(ids.shape[0]):
        if valid[i]:
            g = ids[i]
            v = values[i]
            if not seen[g]:
                out[g] = v
                seen[g] = True
                continue
            cur = out[g]
            if want_max:
                if np.isnan(cur):
                    continue
                if np.isnan(v) or v > cur:
                    out[g] = v
            else:
                if np.isnan(v):
                    continue
                if np.isnan(cur) or v < cur:
                    out[g] = v
    return out, seen


@njit(cache=True, nogil=True)
def first_valid_row(ids, valid, n_groups):
    """Index of the first participating row of each group (-1 if none)."""
    out = np.full(n_groups, -1, dtype=np.int64)
    for i in range(ids.shape[0]):
        if valid[i] and out[ids[i]] == -1:
            out[ids[i]] = i
    return out
