"""Conditional functions: coalesce, if, nvl, nvl2, ifnull, nullif, between."""
from __future__ import annotations

from ember.catalog.functions import builtin
from ember.errors import AnalysisException
from ember.optimizer.expressions import (And, Coalesce, EqualTo, GreaterThanOrEqual, If,
                                         IsNotNull, LessThanOrEqual, Literal,
                                         RuntimeReplaceable)
from ember.optimizer.analyzer.type_coercion import coerce


def _arity(name, args, *counts):
    if len(args) not in counts:
        raise AnalysisException(
            "WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName=f"`{name}`",
            expectedNum=" or ".join(str(c) for c in counts), actualNum=str(len(args)),
            docroot="https://spark.apache.org/docs/latest")


@builtin("coalesce", group="conditional_funcs")
def _coalesce(args, call):
    return coerce(Coalesce(args))


@builtin("if", group="conditional_funcs")
def _if(args, call):
    _arity("if", args, 3)
    return coerce(If(*args))


@builtin("nvl", group="conditional_funcs")
def _nvl(args, call):
    _arity("nvl", args, 2)
    return RuntimeReplaceable("nvl", args, coerce(Coalesce(args)))


@builtin("ifnull", group="conditional_funcs")
def _ifnull(args, call):
    _arity("ifnull", args, 2)
    return RuntimeReplaceable("ifnull", args, coerce(Coalesce(args)))


@builtin("nvl2", group="conditional_funcs")
def _nvl2(args, call):
    _arity("nvl2", args, 3)
    return RuntimeReplaceable("nvl2", args, coerce(If(IsNotNull(args[0]), args[1], args[2])))


@builtin("nullif", group="conditional_funcs")
def _nullif(args, call):
    _arity("nullif", args, 2)
    eq = coerce(EqualTo(args[0], args[1]))
    null = Literal(None, args[0].data_type)
    return RuntimeReplaceable("nullif", args, coerce(If(eq, null, args[0])))


@builtin("between", group="predicate_funcs")
def _between(args, call):
    _arity("between", args, 3)
    v, lo, hi = args
    return RuntimeReplaceable("between", args,
                              And(coerce(GreaterThanOrEqual(v, lo)),
                                  coerce(LessThanOrEqual(v, hi))))


@builtin("nullifzero", group="conditional_funcs")
def _nullifzero(args, call):
    _arity("nullifzero", args, 1)
    from ember import types as T
    zero = Literal(0, T.IntegerType())
    eq = coerce(EqualTo(args[0], zero))
    return RuntimeReplaceable("nullifzero", args,
                              coerce(If(eq, Literal(None, args[0].data_type), args[0])))


@builtin("zeroifnull", group="conditional_funcs")
def _zeroifnull(args, call):
    _arity("zeroifnull", args, 1)
    from ember import types as T
    return RuntimeReplaceable("zeroifnull", args,
                              coerce(Coalesce([args[0], Literal(0, T.IntegerType())])))
