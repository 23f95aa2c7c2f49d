"""Function-style casts (`int(x)`, `float(x)`, `string(x)`, ...): Spark's CAST, named as
the argument alone (the cast is not user-written, so it does not show in column names)."""
from __future__ import annotations

from ember import types as T
from ember.catalog.functions import BUILTINS, builtin
from ember.optimizer.expressions import Cast
from ember.engine.functions.scalar_base import arity

_TYPES = {"boolean": T.BooleanType(), "tinyint": T.ByteType(), "smallint": T.ShortType(),
          "int": T.IntegerType(), "bigint": T.LongType(), "float": T.FloatType(),
          "double": T.DoubleType(), "decimal": T.DecimalType(10, 0), "string": T.StringType(),
          "binary": T.BinaryType()}


def _cast_builder(name, to):
    def build(args, call):
        arity(name, args, 1)
        c = Cast(args[0], to)
        c.origin = args[0].origin
        return c
    return build


for _name, _to in _TYPES.items():
    if BUILTINS.lookup(_name) is None:
        builtin(_name, group="conversion_funcs")(_cast_builder(_name, _to))
