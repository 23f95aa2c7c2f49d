"""Persistent databases, tables and views in the SQLite metastore: SQL in, Spark 4's answer out
(each answer checked against Spark), plus what must hold on disk across processes."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from ember.errors import AnalysisException, EmberException
from tests.conftest import rows, schema


def _cond(fn):
    with pytest.raises(EmberException) as info:
        fn()
    return info.value.getCondition()


def test_databases_and_use(spark):
    spark.sql("CREATE DATABASE d1 COMMENT 'x'")
    spark.sql("CREATE DATABASE IF NOT EXISTS d1")
    assert _cond(lambda: spark.sql("CREATE DATABASE d1")) == "SCHEMA_ALREADY_EXISTS"
    assert sorted(rows(spark, "SHOW DATABASES")) == ["d1", "default"]
    assert rows(spark, "SHOW DATABASES LIKE 'd1|x*'") == ["d1"]
    assert schema(spark, "SELECT current_database()") == "struct<current_schema():string>"
    spark.sql("USE d1")
    assert rows(spark, "SELECT current_database(), current_schema()") == ["d1\td1"]
    assert _cond(lambda: spark.sql("USE nope")) == "SCHEMA_NOT_FOUND"
    assert _cond(lambda: spark.sql("DROP DATABASE default")) == "UNSUPPORTED_FEATURE.DROP_DATABASE"
    spark.sql("CREATE TABLE t (a INT) USING parquet")
    assert _cond(lambda: spark.sql("DROP DATABASE d1")) == "SCHEMA_NOT_EMPTY"
    spark.sql("DROP DATABASE d1 CASCADE")
    assert rows(spark, "SHOW DATABASES") == ["default"]
    assert rows(spark, "SELECT current_database()") == ["default"]


def test_managed_table_layout_and_insert(spark):
    wh = spark.conf.get("spark.sql.warehouse.dir")
    spark.sql("CREATE TABLE people (id INT, name STRING, score DOUBLE) USING parquet")
    assert os.path.isdir(os.path.join(wh, "people"))
    spark.sql("INSERT INTO people VALUES (1, 'ann', 9.5), (2, 'bob', NULL)")
    spark.sql("INSERT INTO people SELECT id + 10, upper(name), score * 2 FROM people")
    assert rows(spark, "SELECT * FROM people ORDER BY id") == [
        "1\tann\t9.5", "2\tbob\tNULL", "11\tANN\t19.0", "12\tBOB\tNULL"]
    assert not [n for n in os.listdir(os.path.join(wh, "people")) if n.startswith(".")]
    spark.sql("CREATE DATABASE sh")
    spark.sql("CREATE TABLE sh.t (a INT) USING parquet")
    assert os.path.isdir(os.path.join(wh, "sh.db", "t"))
    assert _cond(lambda: spark.sql("CREATE TABLE people (x INT) USING parquet")) == \
        "TABLE_OR_VIEW_ALREADY_EXISTS"


@pytest.mark.parametrize("sql,cond", [
    ("INSERT INTO p VALUES (4)", "INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS"),
    ("INSERT INTO p VALUES (4, 'x', 1)", "INSERT_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS"),
    ("INSERT INTO p VALUES ('abc', 'y')", "INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST"),
    ("INSERT INTO p SELECT true, 'y'", "INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST"),
    ("INSERT INTO p SELECT 3000000000L, 'big'", "CAST_OVERFLOW_IN_TABLE_INSERT"),
    ("DESCRIBE p nope", "COLUMN_NOT_FOUND"),
])
def test_insert_errors(spark, sql, cond):
    spark.sql("CREATE TABLE p (id INT, name STRING) USING parquet")
    assert _cond(lambda: spark.sql(sql)) == cond
    assert rows(spark, "SELECT count(*) FROM p") == ["0"]


def test_partitioned_table(spark):
    spark.sql("CREATE TABLE sales (item STRING, yr INT, amount INT) USING parquet "
              "PARTITIONED BY (yr)")
    assert rows(spark, "DESCRIBE sales") == [
        "item                \tstring              \t                    ",
        "amount              \tint                 \t                    ",
        "yr                  \tint                 \t                    ",
        "# Partition Information\t                    \t                    ",
        "# col_name          \tdata_type           \tcomment             ",
        "yr                  \tint                 \t                    "]
    spark.sql("INSERT INTO sales PARTITION (yr = 2020) VALUES ('apple', 3)")
    spark.sql("INSERT INTO sales PARTITION (yr) VALUES ('kiwi', 7, 2021), ('fig', 1, NULL)")
    assert rows(spark, "SHOW PARTITIONS sales") == [
        "yr=2020", "yr=2021", "yr=__HIVE_DEFAULT_PARTITION__"]
    spark.sql("INSERT OVERWRITE sales PARTITION (yr = 2020) VALUES ('banana', 10)")
    assert rows(spark, "SELECT * FROM sales ORDER BY yr NULLS FIRST") == [
        "fig\t1\tNULL", "banana\t10\t2020", "kiwi\t7\t2021"]
    assert _cond(lambda: spark.sql("INSERT INTO sales PARTITION (item = 'x') VALUES (1, 2)")) \
        == "PARTITIONS_NOT_FOUND"


def test_ctas_alter_rename_truncate_drop(spark):
    wh = spark.conf.get("spark.sql.warehouse.dir")
    spark.sql("CREATE TABLE src USING parquet AS SELECT 1 AS id, 'a' AS s")
    assert rows(spark, "DESCRIBE src name" if False else "SHOW COLUMNS IN src") == ["id", "s"]
    spark.sql("ALTER TABLE src ADD COLUMNS (tag STRING COMMENT 'later')")
    assert rows(spark, "SELECT * FROM src") == ["1\ta\tNULL"]
    assert rows(spark, "DESCRIBE src tag") == ["col_name\ttag", "data_type\tstring",
                                                "comment\tlater"]
    spark.sql("ALTER TABLE src SET TBLPROPERTIES ('k' = 'v')")
    assert rows(spark, "SHOW TBLPROPERTIES src ('k')") == ["k\tv"]
    spark.sql("ALTER TABLE src RENAME TO dst")
    assert os.path.isdir(os.path.join(wh, "dst")) and not os.path.exists(os.path.join(wh, "src"))
    assert rows(spark, "SHOW TABLES") == ["dst"]
    assert schema(spark, "SHOW TABLES") == \
        "struct<namespace:string,tableName:string,isTemporary:boolean>"
    spark.sql("TRUNCATE TABLE dst")
    assert rows(spark, "SELECT count(*) FROM dst") == ["0"]
    spark.sql("DROP TABLE dst")
    assert not os.path.exists(os.path.join(wh, "dst"))
    assert _cond(lambda: spark.sql("DROP TABLE dst")) == "TABLE_OR_VIEW_NOT_FOUND"
    spark.sql("DROP TABLE IF EXISTS dst")


def test_external_table_keeps_data_on_drop(spark, tmp_path):
    loc = str(tmp_path / "ext")
    spark.sql(f"CREATE TABLE ext (a INT) USING parquet LOCATION '{loc}'")
    spark.sql("INSERT INTO ext VALUES (1), (2)")
    spark.sql("DROP TABLE ext")
    assert os.listdir(loc)
    spark.sql(f"CREATE TABLE ext2 (a INT) USING parquet LOCATION '{loc}'")
    assert rows(spark, "SELECT sum(a) FROM ext2") == ["3"]


def test_persistent_views(spark):
    spark.sql("CREATE TABLE emp (name STRING, salary INT) USING parquet")
    spark.sql("INSERT INTO emp VALUES ('a', 10), ('b', 20)")
    spark.sql("CREATE VIEW pay (who COMMENT 'name', amount) AS SELECT name, salary FROM emp")
    assert rows(spark, "SELECT * FROM pay ORDER BY who") == ["a\t10", "b\t20"]
    spark.sql("INSERT INTO emp VALUES ('c', 30)")
    assert rows(spark, "SELECT count(*) FROM pay") == ["3"]          # re-resolved on use
    spark.sql("CREATE TEMPORARY VIEW tv AS SELECT * FROM emp")
    assert _cond(lambda: spark.sql("CREATE VIEW bad AS SELECT * FROM tv")) == \
        "INVALID_TEMP_OBJ_REFERENCE"
    assert _cond(lambda: spark.sql("DROP VIEW emp")) == "WRONG_COMMAND_FOR_OBJECT_TYPE"
    assert rows(spark, "SHOW VIEWS") == ["pay", "tv"]
    spark.sql("ALTER VIEW pay AS SELECT name FROM emp WHERE salary > 15")
    assert rows(spark, "SELECT * FROM pay ORDER BY name") == ["b", "c"]
    spark.sql("DROP VIEW pay")
    assert _cond(lambda: spark.sql("SELECT * FROM pay")) == "TABLE_OR_VIEW_NOT_FOUND"


def test_temp_view_shadows_table(spark):
    spark.sql("CREATE TABLE t (a INT) USING parquet")
    spark.sql("INSERT INTO t VALUES (1)")
    spark.sql("CREATE TEMPORARY VIEW t AS SELECT 99 AS a")
    assert rows(spark, "SELECT * FROM t") == ["99"]
    assert rows(spark, "SELECT * FROM default.t") == ["1"]


def test_table_names_cannot_escape_the_warehouse(spark):
    for name in ("`a/b`", "`..`", "`x y`"):
        assert _cond(lambda: spark.sql(f"CREATE TABLE {name} (a INT) USING parquet")) == \
            "INVALID_SCHEMA_OR_RELATION_NAME"
    assert _cond(lambda: spark.sql("CREATE DATABASE `a/b`")) == "INVALID_SCHEMA_OR_RELATION_NAME"


_CHILD = textwrap.dedent("""
    from ember.session import SparkSession
    spark = (SparkSession.builder.config("spark.sql.warehouse.dir", {wh!r}).create())
    {body}
""")


def _child(wh, body):
    code = _CHILD.format(wh=wh, body=body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=os.path.dirname(wh))


def test_table_survives_the_process(tmp_path):
    wh = str(tmp_path / "wh")
    first = _child(wh, 'spark.sql("CREATE DATABASE keep"); '
                       'spark.sql("CREATE TABLE keep.t (a INT, b STRING) USING parquet"); '
                       'spark.sql("INSERT INTO keep.t VALUES (1, \'x\'), (2, NULL)"); '
                       'spark.sql("CREATE VIEW keep.v AS SELECT a * 10 AS a10 FROM keep.t")')
    assert first.returncode == 0, first.stderr
    second = _child(wh, 'print(sorted(tuple(r) for r in spark.sql('
                        '"SELECT t.a, t.b, v.a10 FROM keep.t JOIN keep.v ON t.a * 10 = v.a10")'
                        '.collect()))')
    assert second.returncode == 0, second.stderr
    assert second.stdout.strip() == "[(1, 'x', 10), (2, None, 20)]"


def test_killed_insert_leaves_table_unchanged(tmp_path):
    wh = str(tmp_path / "wh")
    assert _child(wh, 'spark.sql("CREATE TABLE k (a INT) USING parquet"); '
                      'spark.sql("INSERT INTO k VALUES (1)")').returncode == 0
    # the writer dies after staging its file, before renaming it into place
    killed = _child(wh, 'import os, signal\n'
                        '    import ember.engine.sources.table as tbl\n'
                        '    def die(*a, **k): os.kill(os.getpid(), signal.SIGKILL)\n'
                        '    tbl._replaced = die\n'
                        '    spark.sql("INSERT OVERWRITE k VALUES (5), (6)")')
    assert killed.returncode != 0
    after = _child(wh, 'print(spark.sql("SELECT * FROM k").collect()[0][0])')
    assert after.stdout.strip() == "1", after.stderr


def test_concurrent_inserts_all_land(tmp_path):
    wh = str(tmp_path / "wh")
    assert _child(wh, 'spark.sql("CREATE TABLE c (w INT, i INT) USING parquet")').returncode == 0
    body = ('for i in range(5):\n'
            '        spark.sql(f"INSERT INTO c VALUES ({w}, {{i}})")')
    procs = []
    for w in (1, 2):
        code = _CHILD.format(wh=wh, body=body.format(w=w))
        procs.append(subprocess.Popen([sys.executable, "-c", code], cwd=str(tmp_path),
                                      stderr=subprocess.PIPE, text=True))
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    out = _child(wh, 'print(spark.sql("SELECT w, count(*) FROM c GROUP BY w ORDER BY w")'
                     '.collect())')
    assert out.stdout.strip() == "[Row(w=1, count(1)=5), Row(w=2, count(1)=5)]", out.stderr


def test_dataframe_writer_and_catalog_api(spark, tmp_path):
    df = spark.sql("SELECT id, CAST(id % 3 AS INT) AS g FROM range(6)")
    df.write.saveAsTable("w1")
    df.write.mode("append").saveAsTable("w1")
    assert rows(spark, "SELECT count(*), sum(id) FROM w1") == ["12\t30"]
    with pytest.raises(AnalysisException) as info:
        df.write.saveAsTable("w1")
    assert info.value.getCondition() == "TABLE_OR_VIEW_ALREADY_EXISTS"
    df.write.mode("overwrite").partitionBy("g").saveAsTable("w1")
    assert rows(spark, "SHOW PARTITIONS w1") == ["g=0", "g=1", "g=2"]
    df.write.insertInto("w1")
    assert rows(spark, "SELECT g, count(*) FROM w1 GROUP BY g ORDER BY g") == [
        "0\t4", "1\t4", "2\t4"]
    out = str(tmp_path / "files")
    df.write.parquet(out)
    assert spark.read.parquet(out).collect()[0] == (0, 0)
    with pytest.raises(AnalysisException) as info:
        df.write.parquet(out)
    assert info.value.getCondition() == "PATH_ALREADY_EXISTS"
    cat = spark.catalog
    assert [d.name for d in cat.listDatabases()] == ["default"]
    assert [t.name for t in cat.listTables()] == ["w1"]
    assert [(c.name, c.dataType, c.isPartition) for c in cat.listColumns("w1")] == [
        ("id", "bigint", False), ("g", "int", True)]
    assert cat.tableExists("w1") and not cat.tableExists("nope")
    spark.sql("CREATE DATABASE other")
    cat.setCurrentDatabase("other")
    assert cat.currentDatabase() == "other" and cat.databaseExists("other")


def test_partition_management(spark):
    wh = spark.conf.get("spark.sql.warehouse.dir")
    spark.sql("CREATE TABLE pt (a INT, p STRING) USING parquet PARTITIONED BY (p)")
    spark.sql("ALTER TABLE pt ADD PARTITION (p='x')")
    assert rows(spark, "SHOW PARTITIONS pt") == ["p=x"]
    assert _cond(lambda: spark.sql("ALTER TABLE pt ADD PARTITION (p='x')")) == \
        "PARTITIONS_ALREADY_EXIST"
    spark.sql("ALTER TABLE pt ADD IF NOT EXISTS PARTITION (p='x')")
    assert _cond(lambda: spark.sql("ALTER TABLE pt DROP PARTITION (p='y')")) == \
        "PARTITIONS_NOT_FOUND"
    spark.sql("INSERT INTO pt VALUES (1, 'z')")
    spark.sql("ALTER TABLE pt DROP PARTITION (p='z')")
    assert rows(spark, "SELECT count(*) FROM pt") == ["0"]
    os.makedirs(os.path.join(wh, "pt", "p=w"))
    spark.sql("MSCK REPAIR TABLE pt")
    assert rows(spark, "SHOW PARTITIONS pt") == ["p=w", "p=x"]


def test_show_create_table_and_statistics(spark):
    spark.sql("CREATE TABLE s6 (a INT NOT NULL COMMENT 'ca', b STRING, p INT) USING parquet "
              "PARTITIONED BY (p) COMMENT 'tc' TBLPROPERTIES ('x'='1', 'a'='2')")
    assert rows(spark, "SHOW CREATE TABLE s6") == [
        "CREATE TABLE spark_catalog.default.s6 (\n  a INT COMMENT 'ca',\n  b STRING COLLATE "
        "UTF8_BINARY,\n  p INT)\nUSING parquet\nPARTITIONED BY (p)\nCOMMENT 'tc'\n"
        "TBLPROPERTIES (\n  'a' = '2',\n  'x' = '1')\n"]
    spark.sql("INSERT INTO s6 VALUES (1, 'q', 3), (NULL, 'rr', 3)")
    spark.sql("ANALYZE TABLE s6 COMPUTE STATISTICS FOR ALL COLUMNS")
    desc = rows(spark, "DESCRIBE EXTENDED s6")
    assert any(r.startswith("Statistics") and ", 2 rows" in r for r in desc)
    assert "Table Properties    \t[a=2, x=1]          \t                    " in desc
    assert rows(spark, "DESCRIBE EXTENDED s6 a") == [
        "col_name\ta", "data_type\tint", "comment\tca", "min\t1", "max\t1", "num_nulls\t1",
        "distinct_count\t1", "avg_col_len\t4", "max_col_len\t4", "histogram\tNULL"]
    spark.sql("INSERT INTO s6 VALUES (2, 'q', 4)")          # data changed: statistics dropped
    assert not any(r.startswith("Statistics") for r in rows(spark, "DESCRIBE EXTENDED s6"))
    assert _cond(lambda: spark.sql("ALTER TABLE s6 RENAME COLUMN a TO c")) == \
        "UNSUPPORTED_FEATURE.TABLE_OPERATION"


def test_describe_database(spark):
    import getpass
    spark.sql("CREATE DATABASE dd COMMENT 'hello' WITH DBPROPERTIES ('k'='v', 'a'='b')")
    wh = spark.conf.get("spark.sql.warehouse.dir")
    assert rows(spark, "DESCRIBE DATABASE EXTENDED dd") == [
        "Catalog Name\tspark_catalog", "Namespace Name\tdd", "Comment\thello",
        f"Location\tfile:{os.path.abspath(wh)}/dd.db", f"Owner\t{getpass.getuser()}",
        "Properties\t((a,b), (k,v))"]


def test_insert_refusals(spark):
    spark.sql("CREATE TABLE o (a INT) USING parquet")
    assert _cond(lambda: spark.sql("INSERT OVERWRITE o SELECT a + 1 FROM o")) == \
        "UNSUPPORTED_OVERWRITE.TABLE"
    spark.sql("CREATE TEMPORARY VIEW ov AS SELECT 1 AS a")
    assert _cond(lambda: spark.sql("INSERT INTO ov VALUES (1)")) == \
        "EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE"
    spark.sql("INSERT INTO o (a) VALUES (3)")
    assert rows(spark, "SELECT * FROM o") == ["3"]


def test_view_text_resolves_in_its_own_database(spark):
    spark.sql("CREATE DATABASE vd")
    spark.sql("USE vd")
    spark.sql("CREATE TABLE base (a INT) USING parquet")
    spark.sql("INSERT INTO base VALUES (7)")
    spark.sql("CREATE VIEW vv AS SELECT a FROM base")
    spark.sql("USE default")
    assert rows(spark, "SELECT * FROM vd.vv") == ["7"]
    assert rows(spark, "SHOW VIEWS IN vd") == ["vv"]


def test_describe_query_unset_properties_and_directory(spark, tmp_path):
    assert rows(spark, "DESCRIBE QUERY SELECT 1 AS a, 'x' AS b") == [
        "a                   \tint                 \t                    ",
        "b                   \tstring              \t                    "]
    spark.sql("CREATE TABLE up (a INT) USING parquet TBLPROPERTIES ('k'='v', 'j'='w')")
    spark.sql("ALTER TABLE up UNSET TBLPROPERTIES IF EXISTS ('nokey', 'k')")
    assert rows(spark, "SHOW TBLPROPERTIES up") == ["j\tw"]
    out = str(tmp_path / "dir")
    spark.sql(f"INSERT OVERWRITE DIRECTORY '{out}' USING parquet SELECT 5 AS v")
    assert spark.read.parquet(out).collect()[0][0] == 5
