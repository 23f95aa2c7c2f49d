"""Expression semantics: Spark's answers for arithmetic, logic, casts and NULLs."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows


@pytest.mark.parametrize("sql,expected", [
    ("SELECT 7 / 2, 7 div 2, -7 div 2, 7 % -3, -7 % 3", "3.5\t3\t-3\t1\t-1"),
    ("SELECT NULL AND FALSE, NULL OR TRUE, NULL AND TRUE, NOT NULL", "false\ttrue\tNULL\tNULL"),
    ("SELECT 1 IN (1, NULL), 3 IN (1, NULL), NULL <=> NULL", "true\tNULL\ttrue"),
    ("SELECT CAST('nan' AS DOUBLE) = CAST('NaN' AS DOUBLE)", "true"),
    ("SELECT 1.10BD + 2.205BD, 1.10BD * 2.205BD, 10.00BD / 3.0BD", "3.305\t2.42550\t3.333333"),
    ("SELECT CAST(12.345 AS DECIMAL(4,2)), CAST(-3.99 AS INT), CAST(' 12 ' AS INT)",
     "12.35\t-3\t12"),
    ("SELECT CAST(1e10 AS STRING), CAST(0.1D + 0.2D AS STRING), 1.0E-5D",
     "1.0E10\t0.30000000000000004\t1.0E-5"),
    ("SELECT DATE'2024-01-31' + INTERVAL '1' MONTH, DATE'2024-03-01' - INTERVAL '1' DAY",
     "2024-02-29\t2024-02-29"),
    ("SELECT TIMESTAMP'2024-01-01 00:00:00' + INTERVAL '36' HOUR", "2024-01-02 12:00:00"),
    ("SELECT CASE WHEN NULL THEN 1 WHEN 2 > 1 THEN 2 END, IF(NULL, 'a', 'b')", "2\tb"),
    ("SELECT coalesce(NULL, 2, 1 / 0)", "2.0"),
])
def test_expression_results(spark, sql, expected):
    assert rows(spark, sql) == [expected]


@pytest.mark.parametrize("sql,condition", [
    ("SELECT 2147483647 + 1", "ARITHMETIC_OVERFLOW"),
    ("SELECT 1 / 0", "DIVIDE_BY_ZERO"),
    ("SELECT 5 % 0", "REMAINDER_BY_ZERO"),
    ("SELECT CAST('abc' AS INT)", "CAST_INVALID_INPUT"),
    ("SELECT CAST(300 AS TINYINT)", "CAST_OVERFLOW"),
    ("SELECT CAST(123.45 AS DECIMAL(3,1))", "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION"),
    ("SELECT 99999999999999999999999999999999999999 + 1",
     "NUMERIC_VALUE_OUT_OF_RANGE.WITH_SUGGESTION"),
])
def test_runtime_errors(spark, sql, condition):
    with pytest.raises(EmberException) as info:
        rows(spark, sql)
    assert info.value.getCondition() == condition


def test_try_variants_return_null(spark):
    assert rows(spark, "SELECT TRY_CAST('abc' AS INT), TRY_CAST(300 AS TINYINT)") == \
        ["NULL\tNULL"]
