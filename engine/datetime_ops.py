"""Calendar arithmetic: adding months to dates and timestamps (Spark's DateTimeUtils)."""
from __future__ import annotations

import calendar
import datetime as _dt

import numpy as np
import pyarrow as pa

from ember import types as T
from ember._values import EPOCH_DATE, MICROS_PER_DAY
from ember.engine.arrow_util import from_numpy, null_mask, to_numpy_filled


def _add_months_to_days(days: int, months: int) -> int:
    d = EPOCH_DATE + _dt.timedelta(days=days)
    total = d.year * 12 + (d.month - 1) + months
    y, m = divmod(total, 12)
    m += 1
    day = min(d.day, calendar.monthrange(y, m)[1])
    return (_dt.date(y, m, day) - EPOCH_DATE).days


def add_months(base: pa.Array, months: pa.Array, base_type: T.DataType, ctx) -> pa.Array:
    valid = null_mask(base, months)
    m = to_numpy_filled(months.cast(pa.int64()), np.int64)
    if isinstance(base_type, T.DateType):
        d = to_numpy_filled(base, np.int64)
        out = np.array([_add_months_to_days(int(x), int(k)) for x, k in zip(d, m)],
                       dtype=np.int32)
        return from_numpy(out, valid, pa.date32())
    from ember.engine.cast import _local_to_utc, _utc_to_local
    us = to_numpy_filled(base, np.int64)
    tz = ctx.time_zone if isinstance(base_type, T.TimestampType) else None
    out = []
    for x, k in zip(us, m):
        local = _utc_to_local(int(x), tz) if tz else int(x)
        days, rem = divmod(local, MICROS_PER_DAY)
        local = _add_months_to_days(days, int(k)) * MICROS_PER_DAY + rem
        out.append(_local_to_utc(local, tz) if tz else local)
    return from_numpy(np.array(out, dtype=np.int64), valid, base.type)
