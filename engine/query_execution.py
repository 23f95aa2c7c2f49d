"""One statement's trip through the pipeline (Spark's QueryExecution):
parsed plan -> analyzed -> optimized -> physical -> Arrow table. Each stage is computed once,
on first use, so EXPLAIN can show all of them."""
from __future__ import annotations

from typing import Optional

import pyarrow as pa

from ember import types as T
from ember.conf import use_conf
from ember.engine.evaluator import EvalContext, eval_scalar
from ember.engine.operators.base import ExecContext
from ember.optimizer.plans import commands as C


class QueryExecution:
    def __init__(self, session, logical, analyzed=None):
        self.session = session
        self.logical = logical
        self._analyzed = analyzed
        self._optimized = None
        self._physical = None

    @property
    def conf(self):
        return self.session._conf

    def eval_ctx(self) -> EvalContext:
        return EvalContext(self.conf)

    @property
    def analyzed(self):
        if self._analyzed is None:
            with use_conf(self.conf):
                self._analyzed = self.session._analyzer().analyze(self.logical)
        return self._analyzed

    @property
    def optimized(self):
        if self._optimized is None:
            from ember.optimizer.optimizer import OptimizerContext, optimize
            with use_conf(self.conf):
                ctx = OptimizerContext(lambda e: eval_scalar(e, self.eval_ctx()), self.conf)
                self._optimized = optimize(self.with_cached_data, ctx)
        return self._optimized

    @property
    def with_cached_data(self):
        """The analysed plan with fragments answered by cached queries replaced by
        InMemoryRelations (Spark's withCachedData; see engine/cache_manager.py)."""
        from ember.engine.cache_manager import use_cached_data
        return use_cached_data(self.session, self.analyzed,
                               getattr(self, "_cache_exclude", None))

    @property
    def physical(self):
        if self._physical is None:
            from ember.engine.planner import Planner
            with use_conf(self.conf):
                self._physical = Planner(self.eval_ctx()).plan(self.optimized)
        return self._physical

    @property
    def schema(self) -> T.StructType:
        return self.analyzed.schema

    def to_arrow(self) -> pa.Table:
        """Run the statement; the result columns are named as the schema's fields."""
        plan = self.analyzed
        with use_conf(self.conf):
            if isinstance(plan, C.Command):
                from ember.engine.commands import run_command
                table = run_command(plan, self.session)
            else:
                physical = self.physical
                ctx = ExecContext(self.conf, self.eval_ctx(),
                                  int(self.conf.get("spark.ember.execution.batchSize", "65536")))
                table = physical.collect_table(ctx)
        schema = plan.schema
        names = [f.name for f in schema.fields]
        if table.num_columns != len(names):
            raise AssertionError("result width differs from schema")
        arrow_schema = pa.schema([pa.field(f.name, T.to_arrow(f.dataType), f.nullable)
                                  for f in schema.fields])
        return pa.Table.from_arrays(
            [table.column(i).cast(arrow_schema.field(i).type) for i in range(len(names))],
            schema=arrow_schema) if names else table

    # ------------------------------------------------------------------ EXPLAIN
    def explain_string(self, mode: str = "simple") -> str:
        if mode in ("extended", "formatted", "cost", "codegen"):
            analyzed = self.analyzed
            out = "== Parsed Logical Plan ==\n" + self.logical.tree_string()
            out += "\n== Analyzed Logical Plan ==\n"
            if not isinstance(analyzed, C.Command):
                out += ", ".join(f"{f.name}: {f.dataType.simpleString()}"
                                 for f in analyzed.schema.fields) + "\n"
            out += analyzed.tree_string()
            if isinstance(analyzed, C.Command):
                out += "\n== Optimized Logical Plan ==\n" + analyzed.tree_string()
                out += "\n== Physical Plan ==\nExecutedCommand\n   +- " + analyzed.simple_string() + "\n"
                return out
            out += "\n== Optimized Logical Plan ==\n" + self.optimized.tree_string()
            out += "\n== Physical Plan ==\n" + self.physical.tree_string()
            return out
        if isinstance(self.analyzed, C.Command):
            return "== Physical Plan ==\nExecutedCommand\n   +- " + self.analyzed.simple_string() + "\n"
        return "== Physical Plan ==\n" + self.physical.tree_string()
