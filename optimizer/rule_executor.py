"""Runs batches of rules over a plan (Catalyst's RuleExecutor).

A batch runs Once or to a FixedPoint (until the plan stops changing, bounded by
spark.sql.optimizer.maxIterations). After each rule that changed the plan the executor checks
the plan still produces the same schema, records the time each rule took, and can keep the
plan after each rule for EXPLAIN's trace.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from ember.errors import EmberException

Rule = Callable  # (plan, ctx) -> plan


@dataclass
class Batch:
    name: str
    strategy: str            # "once" | "fixed_point"
    rules: Sequence[Rule]


@dataclass
class RuleMetrics:
    time_ns: Dict[str, int] = field(default_factory=dict)
    effective: Dict[str, int] = field(default_factory=dict)
    trace: List[Tuple[str, str]] = field(default_factory=list)


def _same_schema(a, b) -> bool:
    sa, sb = a.schema, b.schema
    return [(f.name, f.dataType) for f in sa.fields] == [(f.name, f.dataType) for f in sb.fields]


class RuleExecutor:
    def __init__(self, batches: Sequence[Batch], max_iterations: int = 100):
        self.batches = list(batches)
        self.max_iterations = max_iterations

    def execute(self, plan, ctx, metrics: Optional[RuleMetrics] = None, trace: bool = False):
        metrics = metrics or RuleMetrics()
        for batch in self.batches:
            iterations = 1 if batch.strategy == "once" else self.max_iterations
            for _ in range(iterations):
                before = plan
                for rule in batch.rules:
                    name = rule.__name__
                    start = time.perf_counter_ns()
                    new = rule(plan, ctx)
                    metrics.time_ns[name] = metrics.time_ns.get(name, 0) + (
                        time.perf_counter_ns() - start)
                    if new is not plan:
                        if not _same_schema(plan, new):
                            raise EmberException(
                                "INTERNAL_ERROR",
                                message=f"rule {name} changed the plan's output schema from "
                                        f"{plan.schema.simpleString()} to {new.schema.simpleString()}")
                        metrics.effective[name] = metrics.effective.get(name, 0) + 1
                        if trace:
                            metrics.trace.append((name, new.tree_string()))
                        plan = new
                if plan is before or _equal(plan, before):
                    break
        return plan


def _equal(a, b) -> bool:
    return a.tree_string() == b.tree_string()
