"""InMemoryTableScanExec: reads the columns a query needs from a cache entry's Arrow rows."""
from __future__ import annotations

from ember.engine.operators.base import ExecContext, PhysicalPlan


class InMemoryTableScanExec(PhysicalPlan):
    def __init__(self, output, relation):
        self.output = list(output)
        self.relation = relation            # the logical InMemoryRelation (printed beneath)

    def execute(self, ctx: ExecContext):
        table = self.relation.entry.data()
        position = {a.expr_id: i for i, a in enumerate(self.relation.full_output)}
        cols = [table.column(position[a.expr_id]).combine_chunks() for a in self.output]
        if table.num_rows == 0:
            yield self.empty_batch()
            return
        start = 0
        while start < table.num_rows:
            n = min(ctx.batch_size, table.num_rows - start)
            yield self.make_batch([c.slice(start, n) for c in cols])
            start += n

    def node_name(self):
        name = self.relation.entry.table_name
        return f"Scan In-memory table {name}" if name else "InMemoryTableScan"

    def simple_string(self):
        return self.node_name() + " [" + ", ".join(str(a) for a in self.output) + "]"

    def inner_children(self):
        return [self.relation]

    def _tree_lines(self, lines, last_flags) -> None:
        from ember.engine.cache_manager import _tree_lines_with_inner
        _tree_lines_with_inner(self, lines, last_flags)
