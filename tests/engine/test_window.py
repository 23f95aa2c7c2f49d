"""Window functions end to end: Spark's answers and column names (checked with Spark 4)."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows, schema

VIEW = """CREATE OR REPLACE TEMPORARY VIEW t(id, g, x, d, f, s) AS VALUES
  (1, 'a', 10, DATE '2024-01-31', 1.5D, 'p'),
  (2, 'a', NULL, DATE '2024-02-29', 2.5D, 'q'),
  (3, 'a', 30, DATE '2024-03-31', NULL, NULL),
  (4, 'b', 5, NULL, 0.5D, 'r'),
  (5, 'b', 5, DATE '2024-01-01', 3.0D, 'p'),
  (6, 'b', -7, DATE '2024-01-02', -1.0D, 'z'),
  (7, NULL, 1, DATE '2024-01-03', 1.5D, 'y')"""


@pytest.fixture
def t(spark):
    spark.sql(VIEW)
    return spark


@pytest.mark.parametrize("sql,expected", [
    ("SELECT id, sum(x) OVER (PARTITION BY g ORDER BY id ROWS BETWEEN 1 PRECEDING AND "
     "1 FOLLOWING) FROM t ORDER BY id", ["1\t10", "2\t40", "3\t30", "4\t10", "5\t3", "6\t-2",
                                         "7\t1"]),
    ("SELECT id, avg(f) OVER (ORDER BY f RANGE BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM t "
     "ORDER BY id", ["1\t1.5", "2\t2.125", "3\tNULL", "4\t1.1666666666666667", "5\t2.75",
                     "6\t-1.0", "7\t1.5"]),
    ("SELECT id, count(*) OVER (ORDER BY d RANGE BETWEEN INTERVAL '1' MONTH PRECEDING AND "
     "INTERVAL '1' MONTH FOLLOWING) FROM t ORDER BY id",
     ["1\t5", "2\t2", "3\t2", "4\t1", "5\t4", "6\t4", "7\t4"]),
    ("SELECT id, lag(x, 2, -1) OVER (PARTITION BY g ORDER BY id), lead(s, 1) IGNORE NULLS "
     "OVER (ORDER BY id), lag(s) IGNORE NULLS OVER (ORDER BY id) FROM t ORDER BY id",
     ["1\t-1\tq\tNULL", "2\t-1\tr\tp", "3\t10\tr\tq", "4\t-1\tp\tq", "5\t-1\tz\tr",
      "6\t5\ty\tp", "7\t-1\tNULL\tz"]),
    ("SELECT g, count(*) c, rank() OVER (ORDER BY count(*) DESC), sum(count(*)) OVER "
     "(ORDER BY g) FROM t GROUP BY g ORDER BY g", ["NULL\t1\t3\t1", "a\t3\t1\t4",
                                                    "b\t3\t1\t7"]),
    ("SELECT id, sum(x) FILTER (WHERE x > 0) OVER (PARTITION BY g) FROM t ORDER BY id",
     ["1\t40", "2\t40", "3\t40", "4\t10", "5\t10", "6\t10", "7\t1"]),
    ("SELECT id FROM t QUALIFY row_number() OVER (PARTITION BY g ORDER BY id) = 1 ORDER BY id",
     ["1", "4", "7"]),
])
def test_window_results(t, sql, expected):
    assert rows(t, sql) == expected


def test_window_column_names(t):
    assert schema(t, "SELECT rank() OVER (ORDER BY x), lag(x) OVER (PARTITION BY g ORDER BY id),"
                     " avg(f) OVER (ORDER BY f RANGE BETWEEN 1 PRECEDING AND CURRENT ROW),"
                     " sum(x) OVER w FROM t WINDOW w AS (PARTITION BY g)") == (
        "struct<RANK() OVER (ORDER BY x ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND "
        "CURRENT ROW):int,lag(x, 1, NULL) OVER (PARTITION BY g ORDER BY id ASC NULLS FIRST "
        "ROWS BETWEEN -1 FOLLOWING AND -1 FOLLOWING):int,avg(f) OVER (ORDER BY f ASC NULLS "
        "FIRST RANGE BETWEEN (- 1) FOLLOWING AND CURRENT ROW):double,sum(x) OVER (PARTITION BY"
        " g ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING):bigint>")


@pytest.mark.parametrize("sql,condition", [
    ("SELECT id, count(DISTINCT x) OVER () FROM t", "DISTINCT_WINDOW_FUNCTION_UNSUPPORTED"),
    ("SELECT id FROM t WHERE rank() OVER (ORDER BY id) = 1",
     "WINDOW_FUNCTION_NOT_ALLOWED_IN_CLAUSE"),
    ("SELECT row_number() FROM t", "WINDOW_FUNCTION_WITHOUT_OVER_CLAUSE"),
    ("SELECT lag(x) OVER (PARTITION BY g) FROM t", "WINDOW_FUNCTION_FRAME_NOT_ORDERED"),
    ("SELECT sum(x) OVER (RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t",
     "DATATYPE_MISMATCH.RANGE_FRAME_WITHOUT_ORDER"),
    ("SELECT sum(x) OVER (ORDER BY d RANGE BETWEEN 1.5 PRECEDING AND CURRENT ROW) FROM t",
     "DATATYPE_MISMATCH.RANGE_FRAME_INVALID_TYPE"),
    ("SELECT sum(x) OVER (ROWS BETWEEN UNBOUNDED FOLLOWING AND CURRENT ROW) FROM t",
     "DATATYPE_MISMATCH.SPECIFIED_WINDOW_FRAME_INVALID_BOUND"),
    ("SELECT sum(x) OVER w FROM t", "MISSING_WINDOW_SPECIFICATION"),
    ("SELECT nth_value(x, 0) OVER (ORDER BY id) FROM t", "DATATYPE_MISMATCH.VALUE_OUT_OF_RANGE"),
])
def test_window_errors(t, sql, condition):
    with pytest.raises(EmberException) as err:
        rows(t, sql)
    assert err.value.getCondition() == condition


def test_generic_frames_in_chunks(t, monkeypatch):
    """Aggregates without a prefix-sum path gather their frames in bounded chunks."""
    import ember.engine.operators.window as W
    monkeypatch.setattr(W, "_GATHER_ROWS", 2)
    assert rows(t, "SELECT id, max(s) OVER (PARTITION BY g ORDER BY id), min(s) OVER (ORDER BY"
                   " s DESC ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING), sum(CAST(x AS "
                   "DECIMAL(6,2))) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)"
                   " FROM t ORDER BY id") == [
        "1\tp\tp\t10.00", "2\tq\tp\t10.00", "3\tq\tp\t30.00", "4\tr\tq\t35.00",
        "5\tr\tp\t10.00", "6\tz\ty\t-2.00", "7\ty\tr\t-6.00"]


def test_running_min_max(t):
    """Running min/max of strings, decimals and doubles with NaN (one-pass paths)."""
    nan = "CASE WHEN id = 3 THEN CAST('NaN' AS DOUBLE) ELSE f END"
    assert rows(t, f"SELECT id, min(s) OVER (PARTITION BY g ORDER BY id), "
                   f"max(CAST(x AS DECIMAL(6,2))) OVER (ORDER BY id DESC ROWS BETWEEN CURRENT "
                   f"ROW AND UNBOUNDED FOLLOWING), max({nan}) OVER (ORDER BY id), "
                   f"min({nan}) OVER (ORDER BY id) FROM t ORDER BY id") == [
        "1\tp\t10.00\t1.5\t1.5", "2\tp\t10.00\t2.5\t1.5", "3\tp\t30.00\tNaN\t1.5",
        "4\tr\t30.00\tNaN\t0.5", "5\tp\t30.00\tNaN\t0.5", "6\tp\t30.00\tNaN\t-1.0",
        "7\ty\t30.00\tNaN\t-1.0"]
