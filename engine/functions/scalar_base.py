"""Shared pieces of the scalar function library (strings, math): a base class whose column
name follows Spark's prettyName rules, arity checks, and a row-wise fallback evaluator."""
from __future__ import annotations

from typing import Callable, Optional, Sequence

import pyarrow as pa

from ember import types as T
from ember.errors import AnalysisException
from ember.optimizer.expressions import Literal, ScalarFunction


class Fn(ScalarFunction):
    """A scalar function. `display` is the name shown in generated column names: Spark shows
    the name as called for functions registered with an alias (`ucase`, `substr`), and a
    fixed name for others (`SQRT`, `CEIL`)."""
    result_type: Optional[T.DataType] = None

    def __init__(self, *children, display: Optional[str] = None):
        super().__init__(*children)
        if display is not None:
            self.display = display

    @property
    def pretty_name(self) -> str:
        return self.__dict__.get("display") or self.name

    @property
    def data_type(self):
        return self.result_type


def arity(name: str, args, *counts):
    if len(args) not in counts:
        raise AnalysisException(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=f"`{name}`",
            expectedNum=" or ".join(str(c) for c in counts), actualNum=str(len(args)),
            docroot="https://spark.apache.org/docs/latest")


def arity_at_least(name: str, args, least: int):
    if len(args) < least:
        raise AnalysisException(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=f"`{name}`",
            expectedNum=f"> {least - 1}", actualNum=str(len(args)),
            docroot="https://spark.apache.org/docs/latest")


def called(call, default: str) -> str:
    parts = getattr(call, "name_parts", None)
    return parts[-1].lower() if parts else default


def rowwise(fn: Callable, args: Sequence[pa.Array], at: pa.DataType) -> pa.Array:
    """Apply `fn` to each row's Python values; NULL in any argument gives NULL."""
    cols = [a.to_pylist() for a in args]
    out = [None if any(v is None for v in vals) else fn(*vals) for vals in zip(*cols)]
    return pa.array(out, at)


def rowwise_nullable(fn: Callable, args: Sequence[pa.Array], at: pa.DataType) -> pa.Array:
    """Apply `fn` to each row's Python values, NULLs included."""
    cols = [a.to_pylist() for a in args]
    return pa.array([fn(*vals) for vals in zip(*cols)], at)


def constant_value(e):
    """The value of a foldable argument (None when it is NULL)."""
    from ember.engine.evaluator import eval_scalar
    if isinstance(e, Literal):
        return e.value
    return eval_scalar(e)


STRING = T.StringType()
INT = T.IntegerType()
LONG = T.LongType()
DOUBLE = T.DoubleType()
BINARY = T.BinaryType()
BOOLEAN = T.BooleanType()
