"""Grouped statistical kernels, updating in row order exactly as Spark's CentralMomentAgg,
Covariance and PearsonCorrelation update their buffers, so single-partition results match
Spark's bit for bit."""
from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, nogil=True)
def central_moments(ids, values, valid, n_groups, order):
    """Per group (n, avg, m2, m3, m4); m3/m4 stay 0 below `order`."""
    n = np.zeros(n_groups, dtype=np.float64)
    avg = np.zeros(n_groups, dtype=np.float64)
    m2 = np.zeros(n_groups, dtype=np.float64)
    m3 = np.zeros(n_groups, dtype=np.float64)
    m4 = np.zeros(n_groups, dtype=np.float64)
    for i in range(ids.shape[0]):
        if not valid[i]:
            continue
        g = ids[i]
        new_n = n[g] + 1.0
        delta = values[i] - avg[g]
        delta_n = delta / new_n
        new_m2 = m2[g] + delta * (delta - delta_n)
        delta2 = delta * delta
        delta_n2 = delta_n * delta_n
        if order >= 3:
            new_m3 = m3[g] - 3.0 * delta_n * new_m2 + delta * (delta2 - delta_n2)
            if order >= 4:
                m4[g] = (m4[g] - 4.0 * delta_n * new_m3 - 6.0 * delta_n2 * new_m2
                         + delta * (delta * delta2 - delta_n * delta_n2))
            m3[g] = new_m3
        n[g] = new_n
        avg[g] = avg[g] + delta_n
        m2[g] = new_m2
    return n, avg, m2, m3, m4


@njit(cache=True, nogil=True)
def co_moments(ids, xs, ys, valid, n_groups):
    """Per group (n, x_avg, y_avg, ck, x_mk, y_mk) as Spark's PearsonCorrelation updates them
    (Covariance keeps the first four with the same formulas)."""
    n = np.zeros(n_groups, dtype=np.float64)
    x_avg = np.zeros(n_groups, dtype=np.float64)
    y_avg = np.zeros(n_groups, dtype=np.float64)
    ck = np.zeros(n_groups, dtype=np.float64)
    x_mk = np.zeros(n_groups, dtype=np.float64)
    y_mk = np.zeros(n_groups, dtype=np.float64)
    for i in range(ids.shape[0]):
        if not valid[i]:
            continue
        g = ids[i]
        x = xs[i]
        y = ys[i]
        new_n = n[g] + 1.0
        dx = x - x_avg[g]
        dx_n = dx / new_n
        dy = y - y_avg[g]
        dy_n = dy / new_n
        new_x_avg = x_avg[g] + dx_n
        new_y_avg = y_avg[g] + dy_n
        ck[g] = ck[g] + dx * (y - new_y_avg)
        x_mk[g] = x_mk[g] + dx * (x - new_x_avg)
        y_mk[g] = y_mk[g] + dy * (y - new_y_avg)
        n[g] = new_n
        x_avg[g] = new_x_avg
        y_avg[g] = new_y_avg
    return n, x_avg, y_avg, ck, x_mk, y_mk


@njit(cache=True, nogil=True)
def bool_and_or(ids, values, valid, n_groups, want_and):
    out = np.zeros(n_groups, dtype=np.bool_)
    seen = np.zeros(n_groups, dtype=np.bool_)
    for i in range(ids.shape[0]):
        if not valid[i]:
            continue
        g = ids[i]
        v = values[i]
        if not seen[g]:
            out[g] = v
            seen[g] = True
        elif want_and:
            out[g] = out[g] and v
        else:
            out[g] = out[g] or v
    return out, seen


@njit(cache=True, nogil=True)
def bitwise_reduce(ids, values, valid, n_groups, op):
    """op 0: AND, 1: OR, 2: XOR."""
    out = np.zeros(n_groups, dtype=np.int64)
    seen = np.zeros(n_groups, dtype=np.bool_)
    for i in range(ids.shape[0]):
        if not valid[i]:
            continue
        g = ids[i]
        v = values[i]
        if not seen[g]:
            out[g] = v
            seen[g] = True
        elif op == 0:
            out[g] = out[g] & v
        elif op == 1:
            out[g] = out[g] | v
        else:
            out[g] = out[g] ^ v
    return out, seen


@njit(cache=True, nogil=True)
def pick_row(ids, valid, n_groups, last):
    """Index of the first (or last) participating row of each group (-1 if none)."""
    out = np.full(n_groups, -1, dtype=np.int64)
    for i in range(ids.shape[0]):
        if valid[i] and (last or out[ids[i]] == -1):
            out[ids[i]] = i
    return out


@njit(cache=True, nogil=True)
def arg_extreme(ids, ranks, valid, n_groups, want_max):
    """Row holding the max (or min) rank per group; on ties the later row wins, as Spark's
    MaxBy/MinBy keep the old value only when it is strictly better."""
    out = np.full(n_groups, -1, dtype=np.int64)
    best = np.zeros(n_groups, dtype=ranks.dtype)
    for i in range(ids.shape[0]):
        if not valid[i]:
            continue
        g = ids[i]
        r = ranks[i]
        if out[g] == -1 or (want_max and r >= best[g]) or (not want_max and r <= best[g]):
            out[g] = i
            best[g] = r
    return out
