"""Hash kernels: dense group ids for int64 keys (open addressing in NumPy arrays).

Compiled once per machine (`cache=True`) and reused by aggregation, DISTINCT, joins and set
operations. Per the measurements in shared/notes: a linear-probing table keyed by a
multiplicative hash runs 2.5-67 ns/row where numba.typed.Dict takes 49-527.
"""
from __future__ import annotations

import numpy as np
from numba import njit

_EMPTY = np.int64(-1)


@njit(cache=True, nogil=True)
def _capacity(n):
    cap = 16
    while cap < 2 * n:
        cap *= 2
    return cap


@njit(cache=True, nogil=True)
def group_ids(keys):
    """Dense ids (0..n_groups-1, in order of first appearance) for int64 keys.
    Returns (ids, first_row_of_each_group, n_groups)."""
    n = keys.shape[0]
    cap = _capacity(n)
    mask = cap - 1
    slot_key = np.empty(cap, dtype=np.int64)
    slot_id = np.full(cap, -1, dtype=np.int64)
    ids = np.empty(n, dtype=np.int64)
    first = np.empty(n, dtype=np.int64)
    n_groups = 0
    for i in range(n):
        k = keys[i]
        h = (np.uint64(k) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
        s = np.int64(h) & mask
        while True:
            gid = slot_id[s]
            if gid == -1:
                slot_key[s] = k
                slot_id[s] = n_groups
                ids[i] = n_groups
                first[n_groups] = i
                n_groups += 1
                break
            if slot_key[s] == k:
                ids[i] = gid
                break
            s = (s + 1) & mask
    return ids, first[:n_groups].copy(), n_groups


@njit(cache=True, nogil=True)
def group_ids_nullable(keys, valid):
    """As group_ids, with all null rows (valid == False) forming one extra group."""
    n = keys.shape[0]
    cap = _capacity(n)
    mask = cap - 1
    slot_key = np.empty(cap, dtype=np.int64)
    slot_id = np.full(cap, -1, dtype=np.int64)
    ids = np.empty(n, dtype=np.int64)
    first = np.empty(n + 1, dtype=np.int64)
    n_groups = 0
    null_id = -1
    for i in range(n):
        if not valid[i]:
            if null_id == -1:
                null_id = n_groups
                first[n_groups] = i
                n_groups += 1
            ids[i] = null_id
            continue
        k = keys[i]
        h = (np.uint64(k) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
        s = np.int64(h) & mask
        while True:
            gid = slot_id[s]
            if gid == -1:
                slot_key[s] = k
                slot_id[s] = n_groups
                ids[i] = n_groups
                first[n_groups] = i
                n_groups += 1
                break
            if slot_key[s] == k:
                ids[i] = gid
                break
            s = (s + 1) & mask
    return ids, first[:n_groups].copy(), n_groups


@njit(cache=True, nogil=True)
def combine_ids(a, b, b_count):
    """Composite key of two dense id columns: a * b_count + b."""
    n = a.shape[0]
    out = np.empty(n, dtype=np.int64)
    for i in range(n):
        out[i] = a[i] * b_count + b[i]
    return out
