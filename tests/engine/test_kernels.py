"""Numba kernels against plain-Python references, on vectors, scalars and all-null input."""
from __future__ import annotations

import numpy as np
import pytest

from ember.engine.kernels import aggregate as K
from ember.engine.kernels.hashing import combine_ids, group_ids, group_ids_nullable


def ref_group_ids(keys, valid=None):
    seen, ids, first = {}, [], []
    for i, k in enumerate(keys):
        key = ("null",) if valid is not None and not valid[i] else k
        if key not in seen:
            seen[key] = len(seen)
            first.append(i)
        ids.append(seen[key])
    return ids, first, len(seen)


@pytest.mark.parametrize("keys", [[5, 3, 5, 7, 3], [42], [], list(range(-3, 1000, 7)) * 2,
                                  [-(2 ** 63), 2 ** 63 - 1, 0, -(2 ** 63)]])
def test_group_ids_match_reference(keys):
    arr = np.array(keys, dtype=np.int64)
    ids, first, n = group_ids(arr)
    assert (list(ids), list(first), n) == ref_group_ids(keys)


def test_group_ids_nullable_puts_nulls_in_one_group():
    keys = np.array([1, 0, 1, 0, 2], dtype=np.int64)
    valid = np.array([True, False, True, False, True])
    ids, first, n = group_ids_nullable(keys, valid)
    assert (list(ids), list(first), n) == ref_group_ids(list(keys), valid)
    ids, first, n = group_ids_nullable(keys, np.zeros(5, dtype=bool))
    assert (list(ids), n) == ([0] * 5, 1)


def test_combine_ids():
    assert list(combine_ids(np.array([0, 1, 1]), np.array([2, 0, 2]), 3)) == [2, 3, 5]


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    n = 5000
    ids = rng.integers(0, 50, n).astype(np.int64)
    ints = rng.integers(-1000, 1000, n).astype(np.int64)
    floats = rng.normal(size=n)
    floats[::97] = np.nan
    valid = rng.random(n) > 0.2
    return ids, ints, floats, valid


def test_sum_and_count(data):
    ids, ints, floats, valid = data
    sums, counts, overflow = K.sum_int64(ids, ints, valid, 50)
    assert not overflow
    for g in range(50):
        sel = (ids == g) & valid
        assert sums[g] == ints[sel].sum() and counts[g] == sel.sum()
    assert list(K.count_rows(ids, valid, 50)) == list(counts)
    fs, fc = K.sum_float64(ids, np.nan_to_num(floats), valid, 50)
    for g in range(50):
        sel = (ids == g) & valid
        assert fs[g] == pytest.approx(np.nan_to_num(floats)[sel].sum())


def test_sum_reports_overflow():
    big = np.array([2 ** 62, 2 ** 62], dtype=np.int64)
    _, _, overflow = K.sum_int64(np.zeros(2, dtype=np.int64), big, np.ones(2, bool), 1)
    assert overflow


def test_min_max_with_nan_ordering(data):
    ids, ints, floats, valid = data
    mx, seen = K.min_max_float64(ids, floats, valid, 50, True)
    mn, _ = K.min_max_float64(ids, floats, valid, 50, False)
    for g in range(50):
        vals = floats[(ids == g) & valid]
        if len(vals) == 0:
            assert not seen[g]
            continue
        # Spark: NaN is the largest value
        assert np.isnan(mx[g]) if np.isnan(vals).any() else mx[g] == vals.max()
        finite = vals[~np.isnan(vals)]
        assert mn[g] == finite.min() if len(finite) else np.isnan(mn[g])
    imx, iseen = K.min_max_int64(ids, ints, valid, 50, True)
    for g in range(50):
        sel = (ids == g) & valid
        if sel.any():
            assert imx[g] == ints[sel].max()


def test_all_null_input():
    ids = np.zeros(4, dtype=np.int64)
    none = np.zeros(4, dtype=bool)
    sums, counts, _ = K.sum_int64(ids, np.arange(4, dtype=np.int64), none, 1)
    assert counts[0] == 0
    _, seen = K.min_max_int64(ids, np.arange(4, dtype=np.int64), none, 1, False)
    assert not seen[0]
