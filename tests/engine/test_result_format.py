"""Spark's CLI text for every type (HiveResult) and Dataset.show()'s table."""
from __future__ import annotations

import pytest

from ember._java import java_double_str, java_float_str
from tests.conftest import rows


@pytest.mark.parametrize("value,text", [
    (1.0, "1.0"), (1e7, "1.0E7"), (1e-3, "0.001"), (1e-4, "1.0E-4"), (123456.789, "123456.789"),
    (-0.0, "-0.0"), (float("nan"), "NaN"), (float("-inf"), "-Infinity"), (1e22, "1.0E22"),
])
def test_java_double_to_string(value, text):
    assert java_double_str(value) == text


def test_java_float_to_string():
    assert java_float_str(0.1) == "0.1" and java_float_str(1e10) == "1.0E10"


def test_hive_result_strings(spark):
    assert rows(spark, "SELECT 1, 1.5BD, CAST(2.50 AS DECIMAL(5,3)), 'a', NULL, TRUE, X'4142', "
                       "DATE'2024-01-31', TIMESTAMP'2024-01-31 10:00:00.5', "
                       "INTERVAL '3' DAY, INTERVAL '1-2' YEAR TO MONTH") == [
        "1\t1.5\t2.500\ta\tNULL\ttrue\tAB\t2024-01-31\t2024-01-31 10:00:00.5\t"
        "3 00:00:00.000000000\t1-2"]


def test_show_layout(spark):
    text = spark.sql("SELECT 1 AS id, 'abcdefghijklmnopqrstuvwxyz' AS s, NULL AS n")._show_string()
    assert text == ("+---+--------------------+----+\n"
                    "| id|                   s|   n|\n"
                    "+---+--------------------+----+\n"
                    "|  1|abcdefghijklmnopq...|NULL|\n"
                    "+---+--------------------+----+\n")
