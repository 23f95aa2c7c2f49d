"""Fused Numba expression kernels must agree with the interpreted evaluator, value for value,
including NULLs and Spark's ANSI errors."""
from __future__ import annotations

import decimal

import numpy as np
import pyarrow as pa
import pytest

from ember import types as T
from ember.conf import SQLConf
from ember.engine.evaluator import BoundReference, EvalContext, eval_array
from ember.engine.kernels.fused import run_fused, supported
from ember.errors import ArithmeticException
from ember.optimizer.expressions import (Add, And, Cast, Divide, GreaterThan, IsNull, Literal,
                                         Multiply, Not, Or, Subtract)

CTX = EvalContext(SQLConf({"spark.sql.session.timeZone": "UTC"}))


def batch():
    rng = np.random.default_rng(3)
    n = 2000
    ints = pa.array(rng.integers(-100, 100, n).astype(np.int32),
                    mask=rng.random(n) < 0.1)
    dbl = pa.array(rng.normal(size=n), mask=rng.random(n) < 0.1)
    dec = pa.array([None if i % 11 == 0 else decimal.Decimal(int(v)) / 100
                    for i, v in enumerate(rng.integers(-10 ** 6, 10 ** 6, n))],
                   pa.decimal128(15, 2))
    return pa.RecordBatch.from_arrays([ints, dbl, dec], names=["i", "d", "m"])


I = BoundReference(0, T.IntegerType(), True)
D = BoundReference(1, T.DoubleType(), True)
M = BoundReference(2, T.DecimalType(15, 2), True)
ONE = Literal(1, T.IntegerType())


def dec(v, p, s):
    return Literal(decimal.Decimal(v), T.DecimalType(p, s))


EXPRESSIONS = [
    Add(I, ONE),
    Multiply(Subtract(I, ONE), Literal(3, T.IntegerType())),
    Add(Cast(I, T.DoubleType()), D),
    Divide(D, Literal(2.0, T.DoubleType())),
    GreaterThan(D, Literal(0.5, T.DoubleType())),
    Or(And(GreaterThan(I, ONE), IsNull(D)), Not(GreaterThan(D, Literal(0.0, T.DoubleType())))),
    # TPC-H Q1's price * (1 - discount) * (1 + tax) shape on decimals
    Multiply(Multiply(M, Subtract(dec(1, 1, 0), dec("0.05", 15, 2))), Add(dec(1, 1, 0), M)),
    Add(M, Cast(I, T.DecimalType(10, 0))),
]


@pytest.mark.parametrize("expr", EXPRESSIONS, ids=str)
def test_fused_equals_interpreted(expr):
    b = batch()
    assert supported(expr)
    fused = run_fused(expr, b, CTX)
    assert fused is not None
    assert fused.equals(eval_array(expr, b, CTX))


def test_fused_raises_spark_overflow():
    b = pa.RecordBatch.from_arrays([pa.array([2 ** 31 - 1], pa.int32())], names=["i"])
    e = Add(BoundReference(0, T.IntegerType(), False), ONE)
    with pytest.raises(ArithmeticException) as info:
        run_fused(e, b, CTX)
    assert info.value.getCondition() == "ARITHMETIC_OVERFLOW"
    with pytest.raises(ArithmeticException):
        eval_array(e, b, CTX)


def test_decimal_leaving_int64_falls_back_to_exact_path():
    big = pa.array([decimal.Decimal("9" * 17) / 100] * 3, pa.decimal128(17, 2))
    b = pa.RecordBatch.from_arrays([big], names=["m"])
    m = BoundReference(0, T.DecimalType(17, 2), False)
    e = Multiply(m, m)
    assert run_fused(e, b, CTX) is None        # asks for the interpreted path
    exact = decimal.Decimal((10 ** 17 - 1) ** 2).scaleb(-4, decimal.Context(prec=60))
    assert eval_array(e, b, CTX)[0].as_py() == exact


def test_queries_use_fused_kernels_above_threshold(spark):
    spark.conf.set("spark.ember.kernel.fuseThreshold", "1")
    spark.range(10).createOrReplaceTempView("r")
    from tests.conftest import rows
    assert rows(spark, "SELECT id * 2 + 1 FROM r WHERE id % 3 = 0") == ["1", "7", "13", "19"]
