"""ALTER TABLE ... ALTER/CHANGE COLUMN on session-catalog tables and ANALYZE TABLE statistics
(table, partition and column level) as DESCRIBE EXTENDED shows them; answers from Spark 4."""
from __future__ import annotations

import re

import pytest

from ember.errors import EmberException
from tests.conftest import rows


def _cond(fn):
    with pytest.raises(EmberException) as info:
        fn()
    return info.value.getCondition()


def _describe(spark, sql):
    return [r.split("\t") for r in rows(spark, sql)]


def _stat_line(spark, sql, key="Statistics"):
    found = [r[1].strip() for r in _describe(spark, sql) if r[0].strip() == key]
    return re.sub(r"^\d+ bytes", "N bytes", found[0]) if found else None


def test_alter_column_comment_only(spark):
    spark.sql("CREATE TABLE t (a INT, b STRING, k INT) USING parquet PARTITIONED BY (k)")
    spark.sql("ALTER TABLE t ALTER COLUMN b COMMENT 'bee'")
    spark.sql("ALTER TABLE t CHANGE COLUMN a a INT COMMENT 'ay'")
    spark.sql("ALTER TABLE t ALTER COLUMN b TYPE STRING")          # same type: allowed
    spark.sql("ALTER TABLE t ALTER COLUMN A COMMENT 'x2'")
    assert [r[:3] for r in _describe(spark, "DESCRIBE t")][:3] == [
        ["a                   ", "int                 ", "x2                  "],
        ["b                   ", "string              ", "bee                 "],
        ["k                   ", "int                 ", "                    "]]
    assert rows(spark, "SELECT * FROM t") == []
    cases = {
        "ALTER TABLE t ALTER COLUMN b TYPE INT": "NOT_SUPPORTED_CHANGE_COLUMN",
        "ALTER TABLE t CHANGE COLUMN a a BIGINT": "NOT_SUPPORTED_CHANGE_COLUMN",
        "ALTER TABLE t ALTER COLUMN nope COMMENT 'x'": "UNRESOLVED_COLUMN.WITH_SUGGESTION",
        "ALTER TABLE t ALTER COLUMN a FIRST": "UNSUPPORTED_FEATURE.TABLE_OPERATION",
        "ALTER TABLE t ALTER COLUMN a DROP NOT NULL": "UNSUPPORTED_FEATURE.TABLE_OPERATION",
        "ALTER TABLE t ALTER COLUMN a COMMENT 'c1', b COMMENT 'c2'":
            "UNSUPPORTED_FEATURE.TABLE_OPERATION",
        "ALTER TABLE t ALTER COLUMN k COMMENT 'kay'": "CANNOT_ALTER_PARTITION_COLUMN",
        "ALTER TABLE t CHANGE COLUMN a a INT COMMENT 'x' FIRST":
            "UNSUPPORTED_FEATURE.TABLE_OPERATION",
        "ALTER TABLE t RENAME COLUMN a TO z": "UNSUPPORTED_FEATURE.TABLE_OPERATION",
    }
    for sql, cond in cases.items():
        assert _cond(lambda: spark.sql(sql)) == cond, sql
    with pytest.raises(EmberException) as info:
        spark.sql("ALTER TABLE t ALTER COLUMN b TYPE INT")
    assert str(info.value).startswith(
        "[NOT_SUPPORTED_CHANGE_COLUMN] ALTER TABLE ALTER/CHANGE COLUMN is not supported for "
        "changing `spark_catalog`.`default`.`t`'s column `b` with type \"STRING\" to `b` with "
        "type \"INT\".")
    spark.sql("CREATE VIEW v AS SELECT 1 x")
    spark.sql("CREATE TEMP VIEW tv AS SELECT 1 x")
    for name in ("v", "tv"):
        assert _cond(lambda: spark.sql(f"ALTER TABLE {name} ALTER COLUMN x COMMENT 'c'")) \
            == "EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE"


def test_table_statistics(spark):
    spark.sql("CREATE TABLE s (i INT) USING parquet")
    spark.sql("ANALYZE TABLE s COMPUTE STATISTICS NOSCAN")
    assert _stat_line(spark, "DESCRIBE EXTENDED s") == "N bytes, 0 rows"
    spark.sql("INSERT INTO s VALUES (1), (2)")
    assert _stat_line(spark, "DESCRIBE EXTENDED s") is None       # writes drop statistics
    spark.sql("ANALYZE TABLE s COMPUTE STATISTICS")
    assert _stat_line(spark, "DESCRIBE EXTENDED s") == "N bytes, 2 rows"
    spark.sql("ANALYZE TABLE s COMPUTE STATISTICS NOSCAN")        # size unchanged: kept
    assert _stat_line(spark, "DESCRIBE EXTENDED s") == "N bytes, 2 rows"


def test_column_statistics(spark):
    spark.sql("CREATE TABLE z (i INT, s STRING, d DOUBLE, dt DATE, b BOOLEAN, ts TIMESTAMP, "
              "dec DECIMAL(10,2), bin BINARY, f FLOAT, tn TIMESTAMP_NTZ, k INT) USING parquet "
              "PARTITIONED BY (k)")
    spark.sql("INSERT INTO z VALUES "
              "(1,'abc',1.5,DATE'2020-01-01',true,TIMESTAMP'2020-01-01 10:00:00',1.25,X'0102',"
              "0.1,TIMESTAMP_NTZ'2020-01-01 10:00:00.5',1),"
              "(2,'hello',NULL,DATE'2021-06-01',false,NULL,NULL,NULL,1.5,NULL,1),"
              "(NULL,NULL,1e20,NULL,NULL,TIMESTAMP'2019-05-05 00:00:00',-3.50,X'FF',NULL,NULL,2),"
              "(2,'abc',0.000001,DATE'2020-01-01',true,TIMESTAMP'2020-01-01 10:00:00',1.25,"
              "X'0102',NULL,NULL,2)")
    spark.sql("ANALYZE TABLE z COMPUTE STATISTICS FOR ALL COLUMNS")
    assert _stat_line(spark, "DESCRIBE EXTENDED z") == "N bytes, 4 rows"
    expected = {  # min, max, num_nulls, distinct_count, avg_col_len, max_col_len
        "i": ["1", "2", "1", "2", "4", "4"],
        "s": ["NULL", "NULL", "1", "2", "4", "5"],
        "d": ["1.0E-6", "1.0E20", "1", "3", "8", "8"],
        "dt": ["2020-01-01", "2021-06-01", "1", "2", "4", "4"],
        "b": ["false", "true", "1", "2", "1", "1"],
        "ts": ["2019-05-05 00:00:00.000000 +0000", "2020-01-01 10:00:00.000000 +0000",
               "1", "2", "8", "8"],
        "dec": ["-3.50", "1.25", "1", "2", "8", "8"],
        "bin": ["NULL", "NULL", "1", "2", "2", "2"],
        "f": ["0.1", "1.5", "2", "2", "4", "4"],
        "tn": ["2020-01-01 10:00:00.500000", "2020-01-01 10:00:00.500000", "3", "1", "8",
               "8"],
        "k": ["1", "2", "0", "2", "4", "4"],
    }
    for col, values in expected.items():
        got = rows(spark, f"DESCRIBE EXTENDED z {col}")
        assert got[3:] == [f"{k}\t{v}" for k, v in zip(
            ["min", "max", "num_nulls", "distinct_count", "avg_col_len", "max_col_len"],
            values)] + ["histogram\tNULL"], col


def test_column_statistics_edge_cases_and_errors(spark):
    spark.sql("CREATE TABLE n (s STRING, b BINARY, i INT, a ARRAY<INT>) USING parquet")
    spark.sql("INSERT INTO n VALUES (NULL, NULL, 1, array(1))")
    spark.sql("ANALYZE TABLE n COMPUTE STATISTICS FOR COLUMNS s, b")
    assert rows(spark, "DESCRIBE EXTENDED n s")[3:9] == [
        "min\tNULL", "max\tNULL", "num_nulls\t1", "distinct_count\t0", "avg_col_len\t20",
        "max_col_len\t20"]
    assert rows(spark, "DESCRIBE EXTENDED n b")[7:9] == ["avg_col_len\t100",
                                                         "max_col_len\t100"]
    assert rows(spark, "DESCRIBE EXTENDED n i")[3] == "min\tNULL"    # not analysed
    cases = {
        "ANALYZE TABLE n COMPUTE STATISTICS FOR COLUMNS nope": "COLUMN_NOT_FOUND",
        "ANALYZE TABLE n COMPUTE STATISTICS FOR COLUMNS i, I": "COLUMN_ALREADY_EXISTS",
        "ANALYZE TABLE n COMPUTE STATISTICS FOR COLUMNS a":
            "UNSUPPORTED_FEATURE.ANALYZE_UNSUPPORTED_COLUMN_TYPE",
        "ANALYZE TABLE n COMPUTE STATISTICS FOR ALL COLUMNS":
            "UNSUPPORTED_FEATURE.ANALYZE_UNSUPPORTED_COLUMN_TYPE",
        "ANALYZE TABLE nope COMPUTE STATISTICS": "TABLE_OR_VIEW_NOT_FOUND",
    }
    spark.sql("CREATE VIEW v AS SELECT i FROM n")
    spark.sql("CREATE TEMP VIEW tv AS SELECT 1 a")
    cases.update({
        "ANALYZE TABLE v COMPUTE STATISTICS": "UNSUPPORTED_FEATURE.ANALYZE_VIEW",
        "ANALYZE TABLE v COMPUTE STATISTICS FOR COLUMNS i": "UNSUPPORTED_FEATURE.ANALYZE_VIEW",
        "ANALYZE TABLE tv COMPUTE STATISTICS": "EXPECT_PERMANENT_VIEW_NOT_TEMP",
        "ANALYZE TABLE tv COMPUTE STATISTICS FOR COLUMNS a":
            "UNSUPPORTED_FEATURE.ANALYZE_UNCACHED_TEMP_VIEW",
        "ANALYZE TABLE n PARTITION (k=1) COMPUTE STATISTICS": "PARTITIONS_NOT_FOUND",
    })
    for sql, cond in cases.items():
        assert _cond(lambda: spark.sql(sql)) == cond, sql
    spark.sql("CACHE TABLE tv")
    spark.sql("ANALYZE TABLE tv COMPUTE STATISTICS FOR COLUMNS a")      # cached: allowed
    spark.sql("CACHE TABLE v")
    spark.sql("ANALYZE TABLE v COMPUTE STATISTICS")


def test_partition_statistics(spark):
    spark.sql("CREATE TABLE p (i INT, k INT, j STRING) USING parquet PARTITIONED BY (k, j)")
    spark.sql("INSERT INTO p VALUES (1, 1, 'a'), (2, 1, 'a'), (3, 2, 'b')")
    q = "DESCRIBE EXTENDED p PARTITION (k=1, j='a')"
    got = [r[0].strip() for r in _describe(spark, q)]
    assert got[7:] == ["", "# Detailed Partition Information", "Database", "Table",
                       "Partition Values", "Location", "Created Time", "Last Access", "",
                       "# Storage Information", "Location"]
    assert _describe(spark, q)[11][1].strip() == "[k=1, j=a]"
    spark.sql("ANALYZE TABLE p PARTITION (k=1, j='a') COMPUTE STATISTICS")
    assert _stat_line(spark, q, "Partition Statistics") == "N bytes, 2 rows"
    assert _stat_line(spark, "DESCRIBE EXTENDED p") is None     # the table's stay unset
    spark.sql("ANALYZE TABLE p PARTITION (k=2, j) COMPUTE STATISTICS NOSCAN")
    q2 = "DESCRIBE EXTENDED p PARTITION (k=2, j='b')"
    assert _stat_line(spark, q2, "Partition Statistics") == "N bytes"
    spark.sql("ANALYZE TABLE p PARTITION (k) COMPUTE STATISTICS")
    assert _stat_line(spark, q2, "Partition Statistics") == "N bytes, 1 rows"
    assert len(rows(spark, "DESCRIBE p PARTITION (k=1, j='a')")) == 7
    cases = {
        "DESCRIBE EXTENDED p PARTITION (k=1)": "_LEGACY_ERROR_TEMP_1232",
        "DESCRIBE EXTENDED p PARTITION (k=3, j='a')": "PARTITIONS_NOT_FOUND",
        "ANALYZE TABLE p PARTITION (k=9) COMPUTE STATISTICS": "PARTITIONS_NOT_FOUND",
        "ANALYZE TABLE p PARTITION (x=9) COMPUTE STATISTICS": "PARTITIONS_NOT_FOUND",
    }
    for sql, cond in cases.items():
        assert _cond(lambda: spark.sql(sql)) == cond, sql
