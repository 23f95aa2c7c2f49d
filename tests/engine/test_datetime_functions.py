"""Datetime functions and interval arithmetic: Spark's answers (checked with Spark 4)."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows


@pytest.mark.parametrize("sql,expected", [
    ("SELECT date_add(DATE '2024-02-28', 2), date_sub('2024-03-01', 1), "
     "add_months(DATE '2024-01-31', 1), datediff(DATE '2024-03-01', DATE '2024-02-01')",
     "2024-03-01\t2024-02-29\t2024-02-29\t29"),
    ("SELECT months_between('2024-01-31', '2024-03-01'), "
     "months_between(DATE '2024-03-15', DATE '2024-01-01')", "-1.03225806\t2.4516129"),
    ("SELECT date_format(TIMESTAMP '2024-05-06 07:08:09.123456', "
     "'yyyy-MM-dd HH:mm:ss.SSS QQQ D a'), to_timestamp('2024-07-04T10:11:12', "
     "\"yyyy-MM-dd'T'HH:mm:ss\"), date_trunc('MILLISECOND', "
     "TIMESTAMP '2024-05-06 07:08:09.123456'), to_date('20240704', 'yyyyMMdd'), "
     "extract(DOW FROM DATE '2024-05-06'), weekday(DATE '2024-05-06')",
     "2024-05-06 07:08:09.123 Q2 127 AM\t2024-07-04 10:11:12\t2024-05-06 07:08:09.123\t"
     "2024-07-04\t2\t0"),
    ("SELECT trunc(DATE '2024-05-17', 'Q'), trunc(DATE '2024-05-17', 'QUARTER'), "
     "last_day(DATE '2024-02-10'), next_day(DATE '2024-01-15', 'MON')",
     "NULL\t2024-04-01\t2024-02-29\t2024-01-22"),
    ("SELECT INTERVAL '1-1' YEAR TO MONTH / 3, INTERVAL '1' SECOND * 0.0000015, "
     "INTERVAL '-3' MONTH / 2, make_ym_interval(1, 14), 2 * INTERVAL '1' DAY",
     "0-4\t0 00:00:00.000002000\t-0-2\t2-2\t2 00:00:00.000000000"),
    ("SELECT CAST('-1 02:03:04.5' AS INTERVAL DAY TO SECOND), CAST('10' AS INTERVAL HOUR), "
     "CAST(\"INTERVAL '1-2' YEAR TO MONTH\" AS INTERVAL YEAR TO MONTH), "
     "try_cast('abc' AS INTERVAL YEAR TO MONTH)",
     "-1 02:03:04.500000000\t0 10:00:00.000000000\t1-2\tNULL"),
    ("SELECT '2024-01-01' + INTERVAL '1' DAY, '2024-01-01' - INTERVAL '1' HOUR",
     "2024-01-02 00:00:00\t2023-12-31 23:00:00"),
    ("SELECT make_date(2024, 2, 29), make_timestamp(2024, 12, 31, 23, 59, 60), "
     "unix_timestamp('2024/01/01', 'yyyy/MM/dd'), from_unixtime(-86400, 'yyyy-MM-dd HH:mm')",
     "2024-02-29\t2025-01-01 00:00:00\t1704067200\t1969-12-31 00:00"),
    ("SELECT extract(SECOND FROM TIMESTAMP '2024-01-01 00:00:01.5'), "
     "date_part('HOUR', INTERVAL '5 06:07:08' DAY TO SECOND), "
     "extract(MONTH FROM INTERVAL '3-11' YEAR TO MONTH)", "1.500000\t6\t11"),
    ("SELECT try_divide(INTERVAL '1' DAY, 0), try_multiply(INTERVAL '1' MONTH, 2), "
     "INTERVAL '10' DAY / -3, INTERVAL '-1' MONTH * 0.5", "NULL\t0-2\t-3 08:00:00.000000000\t-0-1"),
    ("SELECT avg(x) FROM VALUES (INTERVAL '1' MONTH), (INTERVAL '2' YEAR) AS t(x)", "1-1"),
    ("SELECT CAST(1.5D AS TIMESTAMP), CAST(1.0000019BD AS TIMESTAMP), "
     "CAST(TIMESTAMP '1969-12-31 23:59:59.5' AS BIGINT), to_timestamp(1704067200)",
     "1970-01-01 00:00:01.5\t1970-01-01 00:00:01.000001\t-1\t2024-01-01 00:00:00"),
    ("SELECT date_trunc('HOUR', TIMESTAMP_NTZ '2024-01-01 10:11:12'), "
     "make_dt_interval(1, 12, 30, 01.001001), make_interval(100, 11, 1, 1, 12, 30, 01.001001)",
     "2024-01-01 10:00:00\t1 12:30:01.001001000\t"
     "100 years 11 months 8 days 12 hours 30 minutes 1.001001 seconds"),
    ("SELECT timestampadd(MONTH, 1, DATE '2024-01-31'), "
     "timestampdiff(MONTH, DATE '2024-01-31', DATE '2024-03-30'), "
     "datediff(HOUR, TIMESTAMP '2024-01-01 00:00:00', TIMESTAMP '2024-01-01 05:30:00')",
     "2024-02-29 00:00:00\t1\t5"),
    ("SELECT current_timestamp() = now(), unix_timestamp() > 0, typeof(current_date)",
     "true\ttrue\tdate"),
])
def test_datetime_results(spark, sql, expected):
    assert rows(spark, sql) == [expected]


def test_column_names(spark):
    df = spark.sql("SELECT months_between(DATE '2024-03-15', DATE '2024-01-01'), "
                   "unix_timestamp('2024-01-01 00:00:00'), extract(YEAR FROM DATE '2024-01-01'), "
                   "INTERVAL '10' DAY / 4, date_diff('2009-07-30', '2009-07-31')")
    assert df.columns == [
        "months_between(DATE '2024-03-15', DATE '2024-01-01', true)",
        "unix_timestamp(2024-01-01 00:00:00, yyyy-MM-dd HH:mm:ss)",
        "extract(YEAR FROM DATE '2024-01-01')", "(INTERVAL '10' DAY / 4)",
        "date_diff(2009-07-30, 2009-07-31)"]


@pytest.mark.parametrize("sql,condition", [
    ("SELECT INTERVAL '1' YEAR + INTERVAL '1' DAY", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"),
    ("SELECT 1 + INTERVAL '1' DAY", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"),
    ("SELECT INTERVAL '1' DAY * INTERVAL '1' DAY", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"),
    ("SELECT INTERVAL '1' DAY - INTERVAL '1' YEAR", "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES"),
    ("SELECT INTERVAL '1' DAY / 0", "INTERVAL_DIVIDED_BY_ZERO"),
    ("SELECT next_day(DATE '2024-01-15', 'Funday')", "ILLEGAL_DAY_OF_WEEK"),
    ("SELECT to_date('2024-07-04', 'dd/MM/yyyy')", "CANNOT_PARSE_TIMESTAMP"),
    ("SELECT make_date(2023, 2, 29)", "DATETIME_FIELD_OUT_OF_BOUNDS.WITHOUT_SUGGESTION"),
    ("SELECT extract(YEAR FROM INTERVAL '-13' MONTH)", "INVALID_EXTRACT_FIELD"),
    ("SELECT CAST('1-13' AS INTERVAL YEAR TO MONTH)",
     "INVALID_INTERVAL_FORMAT.UNMATCHED_FORMAT_STRING_WITH_NOTICE"),
])
def test_datetime_errors(spark, sql, condition):
    with pytest.raises(EmberException) as info:
        rows(spark, sql)
    assert info.value.getCondition() == condition


def test_group_by_time_window(spark):
    data = ("VALUES ('A1', '2021-01-01 00:00:00'), ('A1', '2021-01-01 00:04:30'), "
            "('A1', '2021-01-01 00:06:00'), ('A2', '2021-01-01 00:01:00') AS tab(a, b)")
    assert rows(spark, f"SELECT a, window.start, window.end, count(*) FROM {data} "
                       "GROUP BY a, window(b, '5 minutes') ORDER BY a, 2") == [
        "A1\t2021-01-01 00:00:00\t2021-01-01 00:05:00\t2",
        "A1\t2021-01-01 00:05:00\t2021-01-01 00:10:00\t1",
        "A2\t2021-01-01 00:00:00\t2021-01-01 00:05:00\t1"]
    assert rows(spark, f"SELECT a, window.start, count(*) FROM {data} "
                       "GROUP BY a, window(b, '10 minutes', '5 minutes') ORDER BY a, 2") == [
        "A1\t2020-12-31 23:55:00\t2", "A1\t2021-01-01 00:00:00\t3",
        "A1\t2021-01-01 00:05:00\t1", "A2\t2020-12-31 23:55:00\t1",
        "A2\t2021-01-01 00:00:00\t1"]


def test_group_by_session_window(spark):
    assert rows(spark, "SELECT k, session_window.start, session_window.end, sum(v) FROM VALUES "
                       "(1, TIMESTAMP '2021-01-01 00:00:00', 1), "
                       "(1, TIMESTAMP '2021-01-01 00:05:00', 2), "
                       "(1, TIMESTAMP '2021-01-01 00:20:00', 8), (1, NULL, 16), "
                       "(2, TIMESTAMP '2021-01-01 00:01:00', 4) AS t(k, b, v) "
                       "GROUP BY k, session_window(b, '5 minutes') ORDER BY 1, 2") == [
        "1\t2021-01-01 00:00:00\t2021-01-01 00:10:00\t3",
        "1\t2021-01-01 00:20:00\t2021-01-01 00:25:00\t8",
        "2\t2021-01-01 00:01:00\t2021-01-01 00:06:00\t4"]
