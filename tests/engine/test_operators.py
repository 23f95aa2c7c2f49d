"""Physical operators through SQL: joins, sorting, aggregation, limits."""
from __future__ import annotations

import pytest

from tests.conftest import rows


@pytest.fixture
def lr(spark):
    spark.sql("CREATE TEMPORARY VIEW l(k, v) AS VALUES (1, 'a'), (2, 'b'), (NULL, 'n'), (2, 'c')")
    spark.sql("CREATE TEMPORARY VIEW r(k, w) AS VALUES (2, 'x'), (3, 'y'), (NULL, 'z')")
    return spark


@pytest.mark.parametrize("join,expected", [
    ("JOIN", ["2\tb\tx", "2\tc\tx"]),
    ("LEFT JOIN", ["1\ta\tNULL", "2\tb\tx", "2\tc\tx", "NULL\tn\tNULL"]),
    ("RIGHT JOIN", ["2\tb\tx", "2\tc\tx", "NULL\tNULL\ty", "NULL\tNULL\tz"]),
    ("FULL JOIN", ["1\ta\tNULL", "2\tb\tx", "2\tc\tx", "NULL\tNULL\ty", "NULL\tNULL\tz",
                   "NULL\tn\tNULL"]),
])
def test_join_types_with_null_keys(lr, join, expected):
    assert sorted(rows(lr, f"SELECT l.k, v, w FROM l {join} r ON l.k = r.k")) == expected


def test_semi_anti_and_non_equi_joins(lr):
    assert sorted(rows(lr, "SELECT v FROM l LEFT SEMI JOIN r ON l.k = r.k")) == ["b", "c"]
    assert sorted(rows(lr, "SELECT v FROM l LEFT ANTI JOIN r ON l.k = r.k")) == ["a", "n"]
    assert sorted(rows(lr, "SELECT v, w FROM l JOIN r ON l.k < r.k")) == \
        ["a\tx", "a\ty", "b\ty", "c\ty"]
    assert rows(lr, "SELECT count(*) FROM l CROSS JOIN r") == ["12"]


def test_null_safe_join_matches_nulls(lr):
    assert sorted(rows(lr, "SELECT v, w FROM l JOIN r ON l.k <=> r.k")) == \
        ["b\tx", "c\tx", "n\tz"]


def test_sort_nulls_and_nan(spark):
    spark.sql("CREATE TEMPORARY VIEW f(x) AS VALUES (1.0D), (CAST('NaN' AS DOUBLE)), (NULL), (-1.0D)")
    assert rows(spark, "SELECT x FROM f ORDER BY x") == ["NULL", "-1.0", "1.0", "NaN"]
    assert rows(spark, "SELECT x FROM f ORDER BY x DESC") == ["NaN", "1.0", "-1.0", "NULL"]
    assert rows(spark, "SELECT x FROM f ORDER BY x DESC NULLS FIRST LIMIT 2") == ["NULL", "NaN"]


def test_group_by_null_nan_and_negative_zero(spark):
    spark.sql("CREATE TEMPORARY VIEW g(x) AS VALUES (0.0D), (-0.0D), (CAST('NaN' AS DOUBLE)), "
              "(CAST('NaN' AS DOUBLE)), (NULL), (NULL)")
    assert sorted(rows(spark, "SELECT x, count(*) FROM g GROUP BY x")) == \
        ["0.0\t2", "NULL\t2", "NaN\t2"]


def test_aggregates_distinct_filter_and_empty_input(spark):
    spark.sql("CREATE TEMPORARY VIEW e(d, s) AS VALUES ('a', 10), ('a', 10), ('b', NULL), ('b', 5)")
    assert sorted(rows(spark, "SELECT d, count(DISTINCT s), sum(s) FILTER (WHERE s > 6), "
                              "avg(s) FROM e GROUP BY d")) == ["a\t1\t20\t10.0", "b\t1\tNULL\t5.0"]
    assert rows(spark, "SELECT count(*), sum(s), max(d) FROM e WHERE s > 100") == ["0\tNULL\tNULL"]
    assert rows(spark, "SELECT d, count(*) FROM e WHERE s > 100 GROUP BY d") == []


def test_limit_offset_and_distinct(spark):
    spark.range(10).createOrReplaceTempView("r")
    assert rows(spark, "SELECT id FROM r ORDER BY id DESC LIMIT 3 OFFSET 2") == ["7", "6", "5"]
    assert rows(spark, "SELECT DISTINCT id % 3 FROM r ORDER BY 1") == ["0", "1", "2"]
    assert rows(spark, "SELECT id FROM r LIMIT 0") == []
