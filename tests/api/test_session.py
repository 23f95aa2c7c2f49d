"""The PySpark-compatible Python API: SparkSession, DataFrame, Row, conf, errors."""
from __future__ import annotations

import datetime
import decimal
import os
import re

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ember import Row, SparkSession
from ember import types as T
from ember.errors import AnalysisException, EmberException, ParseException, PySparkException


def test_builder_get_or_create_returns_active_session(tmp_path):
    s1 = SparkSession.builder.appName("a").config("spark.sql.warehouse.dir",
                                                    str(tmp_path)).getOrCreate()
    s2 = SparkSession.builder.config("spark.ember.x", "1").getOrCreate()
    assert s1 is s2 and s1.conf.get("spark.ember.x") == "1"
    assert s1.conf.get("spark.app.name") == "a"
    s1.stop()
    assert SparkSession.builder.getOrCreate() is not s1
    SparkSession.builder.getOrCreate().stop()


def test_sql_collect_rows_and_python_types(spark):
    row = spark.sql("SELECT 1 AS i, 2L AS l, 1.50BD AS d, 'x' AS s, DATE'2024-01-31' AS dt, "
                    "TIMESTAMP'2024-01-31 10:00:00' AS ts, NULL AS n, 2.5D AS f").collect()[0]
    assert row == Row(i=1, l=2, d=decimal.Decimal("1.50"), s="x",
                      dt=datetime.date(2024, 1, 31),
                      ts=datetime.datetime(2024, 1, 31, 10), n=None, f=2.5)
    assert row.s == "x" and row["i"] == 1 and row.asDict()["l"] == 2


def test_schema_columns_and_print_schema(spark, capsys):
    df = spark.sql("SELECT 1 AS a, 'b' AS b")
    assert df.columns == ["a", "b"]
    assert df.schema == T.StructType([T.StructField("a", T.IntegerType(), False),
                                      T.StructField("b", T.StringType(), False)])
    df.printSchema()
    assert capsys.readouterr().out == (
        "root\n |-- a: integer (nullable = false)\n |-- b: string (nullable = false)\n")


def test_show_and_explain(spark, capsys):
    spark.sql("SELECT 1 AS x").show()
    assert capsys.readouterr().out == "+---+\n|  x|\n+---+\n|  1|\n+---+\n"
    df = spark.sql("SELECT a + 1 FROM VALUES (1) t(a) WHERE a > 0")
    df.explain(extended=True)
    out = capsys.readouterr().out
    sections = [line for line in out.splitlines() if line.startswith("== ")]
    assert sections == ["== Parsed Logical Plan ==", "== Analyzed Logical Plan ==",
                        "== Optimized Logical Plan ==", "== Physical Plan =="]
    assert "(a + 1): int" in out
    text = spark.sql("EXPLAIN SELECT a FROM VALUES (1) t(a)").collect()[0][0]
    assert text.startswith("== Physical Plan ==\n") and "LocalTableScan" in text


def test_to_arrow_and_to_pandas(spark):
    df = spark.sql("SELECT id, id * 2 AS twice FROM range(3)")
    assert df.toArrow().to_pydict() == {"id": [0, 1, 2], "twice": [0, 2, 4]}
    pd = pytest.importorskip("pandas")
    assert df.toPandas()["twice"].tolist() == [0, 2, 4]


def test_temp_views_table_and_range(spark):
    spark.range(1, 7, 2).createOrReplaceTempView("odds")
    assert [r.id for r in spark.table("odds").collect()] == [1, 3, 5]
    assert spark.sql("SELECT sum(id) FROM odds").collect()[0][0] == 9
    with pytest.raises(AnalysisException) as info:
        spark.range(1).createTempView("odds")
    assert info.value.getCondition() == "TEMP_TABLE_OR_VIEW_ALREADY_EXISTS"


def test_create_data_frame_from_rows_pandas_and_arrow(spark):
    df = spark.createDataFrame([(1, "a"), (2, None)], "id INT, s STRING")
    assert df.collect() == [Row(id=1, s="a"), Row(id=2, s=None)]
    df = spark.createDataFrame([Row(x=1.5, y=True)])
    assert df.dtypes == [("x", "double"), ("y", "boolean")]
    tbl = pa.table({"k": pa.array([1, 2], pa.int32()), "v": ["p", "q"]})
    assert spark.createDataFrame(tbl).collect() == [Row(k=1, v="p"), Row(k=2, v="q")]
    pd = pytest.importorskip("pandas")
    assert spark.createDataFrame(pd.DataFrame({"a": [3]})).collect() == [Row(a=3)]


def test_read_parquet_and_sql_on_file(spark, tmp_path):
    path = str(tmp_path / "d.parquet")
    pq.write_table(pa.table({"a": [1, 2, 3], "b": pa.array(["x", "y", "z"], pa.string_view())}),
                   path)
    df = spark.read.parquet(path)
    assert df.schema.simpleString() == "struct<a:bigint,b:string>"
    assert [r.b for r in df.collect()] == ["x", "y", "z"]
    assert spark.sql(f"SELECT sum(a) FROM parquet.`{path}` WHERE b <> 'y'").collect()[0][0] == 4


def test_conf_get_set_and_sql_set(spark):
    spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
    assert spark.sql("SET spark.sql.session.timeZone").collect() == [
        Row(key="spark.sql.session.timeZone", value="America/Los_Angeles")]
    spark.sql("SET spark.sql.session.timeZone=UTC")
    assert spark.conf.get("spark.sql.session.timeZone") == "UTC"


def test_errors_expose_condition_and_sql_state(spark):
    with pytest.raises(ParseException) as info:
        spark.sql("SELEC 1")
    assert info.value.getCondition() == "PARSE_SYNTAX_ERROR"
    assert info.value.getSqlState() == "42601"
    assert isinstance(info.value, PySparkException)
    with pytest.raises(EmberException) as info:
        spark.sql("SELECT 1 / 0").collect()
    assert info.value.getCondition() == "DIVIDE_BY_ZERO"
    assert str(info.value).startswith("[DIVIDE_BY_ZERO] Division by zero.")


def test_unsupported_construct_names_itself(spark):
    with pytest.raises(EmberException) as info:
        spark.sql("SELECT TRANSFORM(1) USING 'cat'").collect()
    assert info.value.getCondition() == "UNSUPPORTED_FEATURE.EMBER"
    assert "SELECT TRANSFORM" in str(info.value)
