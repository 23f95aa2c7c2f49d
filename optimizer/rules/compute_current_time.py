"""Spark's ComputeCurrentTime: every current_date()/current_timestamp()/now()/... of a query
reads the same instant, fixed once when the query is optimized.

Before:  Project [current_timestamp() AS current_timestamp()#1, now() AS now()#2]
After:   Project [2024-01-01 10:00:00.123456 AS current_timestamp()#1, 2024-01-01 ... AS now()#2]
"""
import time

from ember.optimizer.expressions import Literal


def compute_current_time(plan, ctx):
    now = int(time.time() * 1_000_000)

    def rule(e):
        # the current-time functions (engine/functions/datetime.py) expose value(now)
        if getattr(e, "is_current_time", False):
            return Literal(e.value(now), e.data_type)
        return None
    return plan.transform_all_expressions(rule)
