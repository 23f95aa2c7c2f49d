"""Miscellaneous functions: typeof."""
from __future__ import annotations

import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.optimizer.expressions import ScalarFunction
from ember.optimizer.expressions.functions import AnyType


class TypeOf(ScalarFunction):
    name = "typeof"
    input_types = (AnyType,)
    null_intolerant = False

    @property
    def data_type(self):
        return T.StringType()

    @property
    def nullable(self):
        return False

    @property
    def foldable(self):
        return True

    def evaluate(self, args, num_rows):
        return pa.array([self.children[0].data_type.catalogString()] * num_rows, pa.string())


@builtin("typeof", group="misc_funcs")
def _typeof(args, call):
    from ember.engine.functions.conditional import _arity
    _arity("typeof", args, 1)
    return TypeOf(args[0])
