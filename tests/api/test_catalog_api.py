"""spark.catalog (pyspark.sql.Catalog): the named tuples and field values PySpark 4 returns,
and its errors (each checked against PySpark 4)."""
from __future__ import annotations

import os

import pytest

from ember.catalog_api import CatalogMetadata, Column, Database, Function, Table
from ember.errors import EmberException


def _cond(fn):
    with pytest.raises(EmberException) as info:
        fn()
    return info.value.getCondition()


@pytest.fixture
def s(spark):
    spark.sql("CREATE DATABASE d1 COMMENT 'my db'")
    spark.sql("CREATE TABLE pt (a INT COMMENT 'col a', b STRING, k INT) USING parquet "
              "PARTITIONED BY (k) COMMENT 'tbl comment'")
    spark.sql("CREATE TABLE d1.t2 (x DOUBLE NOT NULL) USING parquet")
    spark.sql("CREATE VIEW pv AS SELECT a FROM pt")
    spark.sql("CREATE TEMP VIEW tv AS SELECT 1 AS one")
    spark.sql("CREATE GLOBAL TEMP VIEW gv AS SELECT 2 AS two")
    return spark


def test_catalogs_and_databases(s):
    c = s.catalog
    wh = os.path.abspath(s.conf.get("spark.sql.warehouse.dir"))
    assert c.currentCatalog() == "spark_catalog"
    c.setCurrentCatalog("spark_catalog")
    assert _cond(lambda: c.setCurrentCatalog("foo")) == "CATALOG_NOT_FOUND"
    assert c.listCatalogs() == [CatalogMetadata(name="spark_catalog", description=None)]
    assert c.listCatalogs("x*") == []
    d1 = Database(name="d1", catalog="spark_catalog", description="my db",
                  locationUri=f"file:{wh}/d1.db")
    default = Database(name="default", catalog="spark_catalog", description="default database",
                       locationUri=f"file:{wh}")
    assert c.listDatabases() == [d1, default]
    assert c.listDatabases("d1") == [d1]
    assert c.getDatabase("d1") == d1 and c.getDatabase("spark_catalog.d1") == d1
    assert _cond(lambda: c.getDatabase("nope")) == "SCHEMA_NOT_FOUND"
    assert (c.databaseExists("d1"), c.databaseExists("nope"),
            c.databaseExists("spark_catalog.d1")) == (True, False, True)
    assert _cond(lambda: c.setCurrentDatabase("nope")) == "SCHEMA_NOT_FOUND"
    c.setCurrentDatabase("d1")
    assert c.currentDatabase() == "d1"


def test_tables(s):
    c = s.catalog
    pt = Table(name="pt", catalog="spark_catalog", namespace=["default"],
               description="tbl comment", tableType="MANAGED", isTemporary=False)
    pv = Table(name="pv", catalog="spark_catalog", namespace=["default"], description=None,
               tableType="VIEW", isTemporary=False)
    tv = Table(name="tv", catalog=None, namespace=[], description=None, tableType="TEMPORARY",
               isTemporary=True)
    gv = Table(name="gv", catalog=None, namespace=["global_temp"], description=None,
               tableType="TEMPORARY", isTemporary=True)
    t2 = Table(name="t2", catalog="spark_catalog", namespace=["d1"], description=None,
               tableType="MANAGED", isTemporary=False)
    assert c.listTables() == [pt, pv, tv]
    assert c.listTables("d1") == [t2, tv]
    assert c.listTables("default", "p*") == [pt, pv]
    assert c.listTables("global_temp") == [gv, tv]
    assert _cond(lambda: c.listTables("nope")) == "SCHEMA_NOT_FOUND"
    assert c.getTable("pt") == pt and c.getTable("default.pt") == pt
    assert c.getTable("spark_catalog.d1.t2") == t2
    assert (c.getTable("pv"), c.getTable("tv"), c.getTable("global_temp.gv")) == (pv, tv, gv)
    assert _cond(lambda: c.getTable("nope")) == "TABLE_OR_VIEW_NOT_FOUND"
    assert _cond(lambda: c.getTable("d1.nope")) == "TABLE_OR_VIEW_NOT_FOUND"
    assert (c.tableExists("pt"), c.tableExists("tv"), c.tableExists("t2", "d1"),
            c.tableExists("d1.t2"), c.tableExists("nope"),
            c.tableExists("global_temp.gv")) == (True, True, True, True, False, True)


def test_columns(s):
    c = s.catalog
    assert c.listColumns("pt") == [
        Column(name="a", description="col a", dataType="int", nullable=True,
               isPartition=False, isBucket=False, isCluster=False),
        Column(name="b", description=None, dataType="string", nullable=True,
               isPartition=False, isBucket=False, isCluster=False),
        Column(name="k", description=None, dataType="int", nullable=True,
               isPartition=True, isBucket=False, isCluster=False)]
    x = [Column(name="x", description=None, dataType="double", nullable=True,
                isPartition=False, isBucket=False, isCluster=False)]
    assert c.listColumns("d1.t2") == x and c.listColumns("t2", "d1") == x
    assert c.listColumns("tv") == [Column(name="one", description=None, dataType="int",
                                          nullable=False, isPartition=False, isBucket=False,
                                          isCluster=False)]
    # a view's column keeps the comment of the table column it reads
    assert c.listColumns("pv") == [Column(name="a", description="col a", dataType="int",
                                          nullable=True, isPartition=False, isBucket=False,
                                          isCluster=False)]
    assert _cond(lambda: c.listColumns("nope")) == "TABLE_OR_VIEW_NOT_FOUND"


def test_functions(s):
    c = s.catalog
    abs_ = Function(name="abs", catalog=None, namespace=None,
                    description="abs(expr) - Returns the absolute value of the numeric or "
                                "interval value.",
                    className="org.apache.spark.sql.catalyst.expressions.Abs", isTemporary=True)
    assert c.getFunction("abs") == abs_
    assert c.listFunctions("d1", "abs") == [abs_]
    assert [f.name for f in c.listFunctions(pattern="array_a*")][:2] == \
        ["array_agg", "array_append"]
    assert _cond(lambda: c.listFunctions("nope")) == "SCHEMA_NOT_FOUND"
    assert (c.functionExists("abs"), c.functionExists("nope_f"),
            c.functionExists("abs", "d1")) == (True, False, False)
    assert _cond(lambda: c.getFunction("nope_f")) == "UNRESOLVED_ROUTINE"


def test_views_and_cache(s):
    c = s.catalog
    assert (c.dropTempView("tv"), c.dropTempView("tv")) == (True, False)
    assert (c.dropGlobalTempView("gv"), c.dropGlobalTempView("gv")) == (True, False)
    for fn in (c.isCached, c.cacheTable, c.uncacheTable, c.refreshTable):
        assert _cond(lambda: fn("nope")) == "TABLE_OR_VIEW_NOT_FOUND"
    c.uncacheTable("pt")                                 # not cached: fine
    c.cacheTable("pt")
    assert c.isCached("pt") and c.isCached("default.pt")
    assert _cond(lambda: c.cacheTable("pt", "DISK")) == "NOT_STORAGELEVEL"
    c.refreshTable("pt")
    assert c.isCached("pt")
    c.clearCache()
    assert not c.isCached("pt")


def test_recover_partitions(s, tmp_path):
    c = s.catalog
    s.sql("INSERT INTO pt VALUES (1, 'x', 7)")
    loc = s.sql("DESCRIBE EXTENDED pt").collect()
    location = [r[1] for r in loc if r[0] == "Location"][0][len("file:"):]
    import shutil
    shutil.copytree(os.path.join(location, "k=7"), os.path.join(location, "k=8"))
    c.recoverPartitions("pt")
    assert [r[0] for r in s.sql("SHOW PARTITIONS pt").collect()] == ["k=7", "k=8"]
    assert s.sql("SELECT count(*) FROM pt").collect()[0][0] == 2
    assert _cond(lambda: c.recoverPartitions("d1.t2")) == "NOT_A_PARTITIONED_TABLE"
    assert _cond(lambda: c.recoverPartitions("pv")) == "EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE"
    assert _cond(lambda: c.recoverPartitions("nope")) == "TABLE_OR_VIEW_NOT_FOUND"


def test_create_table(s, tmp_path):
    from ember.types import IntegerType, StructField, StructType
    c = s.catalog
    assert _cond(lambda: c.createTable("ct0")) == "UNABLE_TO_INFER_SCHEMA"
    df = c.createTable("ct1", schema=StructType([StructField("i", IntegerType())]),
                       description="desc1")
    assert df.columns == ["i"]
    assert c.getTable("ct1") == Table(name="ct1", catalog="spark_catalog",
                                      namespace=["default"], description="desc1",
                                      tableType="MANAGED", isTemporary=False)
    assert _cond(lambda: c.createTable(
        "ct1", schema=StructType([StructField("i", IntegerType())]))) == \
        "TABLE_OR_VIEW_ALREADY_EXISTS"
    path = str(tmp_path / "pdata")
    s.range(3).write.parquet(path)
    assert c.createTable("ct3", path=path).count() == 3
    assert c.getTable("ct3").tableType == "EXTERNAL"
    assert c.createExternalTable("ct4", path=path).columns == ["id"]
    assert c.listColumns("ct3") == [Column(name="id", description=None, dataType="bigint",
                                           nullable=True, isPartition=False, isBucket=False,
                                           isCluster=False)]
