"""Leaf operators: local tables, RANGE and file scans."""
from __future__ import annotations

from typing import List, Optional

import numpy as np
import pyarrow as pa

from ember import types as T
from ember.engine.operators.base import PhysicalPlan, ExecContext


class LocalTableScanExec(PhysicalPlan):
    def __init__(self, output, table: Optional[pa.Table], num_rows: int = None):
        self.output = list(output)
        self.table = table
        self.num_rows = num_rows if num_rows is not None else (
            table.num_rows if table is not None else 0)

    def execute(self, ctx: ExecContext):
        if not self.output:
            # OneRowRelation and column-less relations: rows without columns
            yield pa.RecordBatch.from_arrays([pa.nulls(self.num_rows)], names=["_"]).select([])
            return
        table = self.table
        if table.num_rows == 0:
            yield self.empty_batch()
            return
        cols = [table.column(i).combine_chunks() for i in range(table.num_columns)]
        start = 0
        while start < table.num_rows:
            n = min(ctx.batch_size, table.num_rows - start)
            yield self.make_batch([c.slice(start, n) for c in cols])
            start += n

    def simple_string(self):
        if not self.output:
            return "Scan OneRowRelation[]"
        return "LocalTableScan [" + ", ".join(str(a) for a in self.output) + "]"


class RangeExec(PhysicalPlan):
    def __init__(self, output, start: int, end: int, step: int, num_slices):
        self.output = list(output)
        self.start, self.end, self.step, self.num_slices = start, end, step, num_slices

    def execute(self, ctx):
        values = np.arange(self.start, self.end, self.step, dtype=np.int64) \
            if (self.end - self.start) * self.step > 0 else np.zeros(0, dtype=np.int64)
        if len(values) == 0:
            yield self.empty_batch()
            return
        for i in range(0, len(values), ctx.batch_size):
            yield self.make_batch([pa.array(values[i:i + ctx.batch_size])])

    def simple_string(self):
        return (f"Range ({self.start}, {self.end}, step={self.step}, "
                f"splits={self.num_slices or 1})")


class FileSourceScanExec(PhysicalPlan):
    """Reads a file relation's columns (only those the plan needs), applying the filters the
    optimizer pushed into the scan where the file format can use them."""

    def __init__(self, output, source, pushed_filters=()):
        self.output = list(output)
        self.source = source
        self.pushed_filters = list(pushed_filters)

    def execute(self, ctx):
        names = [a.name for a in self.output]
        produced = False
        for batch in self.source.read(names, ctx.batch_size):
            produced = True
            yield self.make_batch(batch.columns)
        if not produced:
            yield self.empty_batch()

    def simple_string(self):
        cols = ",".join(str(a) for a in self.output)
        return (f"FileScan {self.source.format} [{cols}] Batched: true, DataFilters: "
                f"[{', '.join(str(f) for f in self.pushed_filters)}], Format: "
                f"{self.source.format.capitalize()}, Location: InMemoryFileIndex"
                f"[{self.source.location_text()}], ReadSchema: "
                f"{T.StructType([T.StructField(a.name, a.data_type) for a in self.output]).catalogString()}")
