"""Generate: a table-generating function (explode, inline, stack, ...) applied to each row
of its child, as in `LATERAL VIEW` or `SELECT explode(xs)` (Spark's Generate)."""
from __future__ import annotations

from typing import Sequence

from ember.optimizer.plans.logical import LogicalPlan, UnaryNode, _list


class Generate(UnaryNode):
    """Output: the child's columns followed by `generator_output`. With `outer`, a row whose
    generator yields nothing still appears once, with NULLs."""
    _expr_fields = ("generator",)

    def __init__(self, generator, outer: bool, qualifier, generator_output: Sequence,
                 child: LogicalPlan, unrequired_child_index: Sequence[int] = ()):
        self.generator = generator
        self.outer = outer
        self.qualifier = qualifier
        self.generator_output = list(generator_output)
        self.children = (child,)
        # child columns nobody above reads (set by column pruning), Spark's unrequiredChildIndex
        self.unrequired_child_index = tuple(unrequired_child_index)

    @property
    def required_child_output(self):
        drop = set(self.unrequired_child_index)
        return [a for i, a in enumerate(self.child.output) if i not in drop]

    @property
    def output(self):
        return self.required_child_output + self.generator_output

    def describe(self):
        parts = [str(self.generator)]
        if self.unrequired_child_index:
            parts.append("[" + ", ".join(map(str, self.unrequired_child_index)) + "]")
        parts.append(str(self.outer).lower())
        if self.qualifier:
            parts.append(str(self.qualifier))
        parts.append(_list(self.generator_output))
        return "Generate " + ", ".join(parts)


class UnresolvedGenerate(UnaryNode):
    """`LATERAL VIEW [OUTER] f(args) alias [AS c1, c2]` as parsed."""
    _expr_fields = ("arguments",)

    def __init__(self, name_parts, arguments, outer: bool, table_alias, column_aliases,
                 child: LogicalPlan):
        self.name_parts = list(name_parts)
        self.arguments = list(arguments)
        self.outer = outer
        self.table_alias = table_alias
        self.column_aliases = list(column_aliases)
        self.children = (child,)

    @property
    def resolved(self):
        return False

    @property
    def output(self):
        return []

    def describe(self):
        return f"'Generate '{'.'.join(map(str, self.name_parts))}({_list(self.arguments)}), {self.outer}"
