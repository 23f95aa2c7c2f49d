"""Column comments travel with the column (Spark's attribute metadata): through references
and `col AS x` aliases into DESCRIBE QUERY, CTAS tables and views (answers from Spark 4)."""
from __future__ import annotations

from tests.conftest import rows


def _comments(spark, sql):
    return [[x.strip() for x in r.split("\t")] for r in rows(spark, sql)]


def test_comments_follow_columns(spark):
    spark.sql("CREATE TABLE zm (a INT COMMENT 'col a', b INT) USING parquet")
    assert _comments(spark, "DESCRIBE QUERY SELECT a, a + 1 AS c, a AS z FROM zm") == [
        ["a", "int", "col a"], ["c", "int", ""], ["z", "int", "col a"]]
    spark.sql("CREATE TABLE zm2 AS SELECT a, b FROM zm")
    assert _comments(spark, "DESCRIBE zm2") == [["a", "int", "col a"], ["b", "int", ""]]
    spark.sql("CREATE TEMP VIEW zmv AS SELECT a FROM zm")
    assert _comments(spark, "DESCRIBE zmv") == [["a", "int", "col a"]]
    spark.sql("CREATE VIEW zpv AS SELECT a FROM zm")
    assert _comments(spark, "DESCRIBE zpv") == [["a", "int", "col a"]]
    spark.sql("CREATE VIEW zpv2 (x COMMENT 'xx', y) AS SELECT a, b FROM zm")
    assert _comments(spark, "DESCRIBE zpv2") == [["x", "int", "xx"], ["y", "int", ""]]
    spark.sql("CREATE VIEW zpv3 (x, y) AS SELECT a, b FROM zm")
    assert _comments(spark, "DESCRIBE zpv3") == [["x", "int", "col a"], ["y", "int", ""]]
