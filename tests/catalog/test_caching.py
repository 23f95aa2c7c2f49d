"""CACHE TABLE / UNCACHE TABLE / CLEAR CACHE / REFRESH TABLE and DataFrame.cache(): cached
rows answer later queries (EXPLAIN shows Spark's InMemoryRelation), writes recompute them,
drops remove them. Each answer checked against Spark 4."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows


def _cond(fn):
    with pytest.raises(EmberException) as info:
        fn()
    return info.value.getCondition()


def _plan(spark, sql):
    return spark.sql("EXPLAIN " + sql).collect()[0][0]


@pytest.fixture
def t(spark):
    spark.sql("CREATE TABLE t (a INT, b STRING) USING parquet")
    spark.sql("INSERT INTO t VALUES (1, 'x'), (2, 'y')")
    return spark


def test_cache_table_reads_memory_and_explain(t):
    t.sql("CACHE TABLE t")
    plan = _plan(t, "SELECT * FROM t")
    lines = plan.splitlines()
    assert lines[1].startswith("Scan In-memory table t [a#")
    assert lines[2].startswith("   +- InMemoryRelation [a#")
    assert lines[2].endswith("StorageLevel(disk, memory, deserialized, 1 replicas)")
    assert lines[3].startswith("         +- ")
    # pruned columns: the scan reads only `a`, the relation still lists all cached columns
    plan = _plan(t, "SELECT a FROM t WHERE a > 1")
    assert "Scan In-memory table t [a#" in plan and ", b#" in plan
    assert sorted(rows(t, "SELECT * FROM t")) == ["1\tx", "2\ty"]
    assert t.catalog.isCached("t")
    # the data now comes from memory: files removed behind Spark's back are not seen
    entry = t._cache_manager.entries[0]
    assert entry.is_materialized


def test_insert_recaches_lazily(t):
    t.sql("CACHE TABLE t")
    assert rows(t, "SELECT count(*) FROM t") == ["2"]
    t.sql("INSERT INTO t VALUES (3, 'z')")
    assert t.catalog.isCached("t")
    assert sorted(rows(t, "SELECT a FROM t")) == ["1", "2", "3"]
    t.sql("INSERT OVERWRITE t VALUES (9, 'q')")
    assert rows(t, "SELECT * FROM t") == ["9\tq"]
    t.sql("TRUNCATE TABLE t")
    assert rows(t, "SELECT * FROM t") == []
    assert "In-memory table t" in _plan(t, "SELECT * FROM t")


def test_cache_as_select_creates_temp_view(t):
    t.sql("CACHE TABLE v AS SELECT a, count(*) c FROM t GROUP BY a")
    assert rows(t, "SHOW TABLES") == ["t", "v"]
    assert "Scan In-memory table v" in _plan(t, "SELECT * FROM v")
    # the same query elsewhere reads the cache too (Spark's sameResult)
    assert "In-memory table v" in _plan(t, "SELECT a, count(*) c FROM t GROUP BY a")
    assert _cond(lambda: t.sql("CACHE TABLE v AS SELECT 2")) == \
        "TEMP_TABLE_OR_VIEW_ALREADY_EXISTS"
    assert _cond(lambda: t.sql("CACHE TABLE default.w AS SELECT 1")) == \
        "_LEGACY_ERROR_TEMP_0037"
    t.sql("INSERT INTO t VALUES (1, 'z')")
    assert sorted(rows(t, "SELECT * FROM v")) == ["1\t2", "2\t1"]


def test_uncache_cascades_and_errors(t):
    t.sql("CACHE TABLE t")
    t.sql("CACHE TABLE v AS SELECT * FROM t WHERE a > 1")
    t.sql("UNCACHE TABLE t")
    assert "In-memory" not in _plan(t, "SELECT * FROM v")
    t.sql("UNCACHE TABLE t")                            # not cached: no error
    t.sql("UNCACHE TABLE IF EXISTS nope")
    for sql in ("UNCACHE TABLE nope", "CACHE TABLE nope", "REFRESH TABLE nope",
                "CACHE LAZY TABLE nope"):
        assert _cond(lambda: t.sql(sql)) == "TABLE_OR_VIEW_NOT_FOUND"
    assert _cond(lambda: t.sql("CACHE TABLE t OPTIONS ('storageLevel' 'FOO')")) == \
        "INVALID_STORAGE_LEVEL"


def test_lazy_options_clear_and_drop(t):
    t.sql("CACHE LAZY TABLE t OPTIONS ('storageLevel' 'DISK_ONLY')")
    entry = t._cache_manager.entries[0]
    assert not entry.is_materialized
    assert "InMemoryRelation [a#" in _plan(t, "SELECT * FROM t")
    assert "StorageLevel(disk, 1 replicas)" in _plan(t, "SELECT * FROM t")
    assert sorted(rows(t, "SELECT b FROM t")) == ["x", "y"]
    assert entry.is_materialized
    t.sql("CLEAR CACHE")
    assert not t.catalog.isCached("t")
    t.sql("CACHE TABLE t")
    t.sql("DROP TABLE t")
    assert t._cache_manager.entries == []


def test_views_replaced_or_dropped_leave_the_cache(t):
    t.sql("CREATE TEMP VIEW tv AS SELECT a FROM t")
    t.sql("CACHE TABLE tv")
    t.sql("CREATE OR REPLACE TEMP VIEW tv AS SELECT a + 1 AS a FROM t")
    assert "In-memory" not in _plan(t, "SELECT * FROM tv")
    t.sql("CACHE TABLE tv")
    t.sql("DROP VIEW tv")
    assert t._cache_manager.entries == []


def test_alter_table_uncaches_or_renames(t):
    t.sql("CACHE TABLE t")
    t.sql("ALTER TABLE t ADD COLUMNS (c INT)")
    assert not t.catalog.isCached("t")
    t.sql("CACHE TABLE t")
    t.sql("ALTER TABLE t RENAME TO t2")
    assert t.catalog.isCached("t2")
    assert "Scan In-memory table t2" in _plan(t, "SELECT * FROM t2")
    assert sorted(rows(t, "SELECT a, c FROM t2")) == ["1\tNULL", "2\tNULL"]


def test_refresh_table_recomputes(t):
    t.sql("CACHE TABLE t")
    t.sql("REFRESH TABLE t")
    entry = t._cache_manager.entries[0]
    assert not entry.is_materialized
    assert sorted(rows(t, "SELECT a FROM t")) == ["1", "2"]


def test_dataframe_cache_persist_unpersist(t):
    from ember.storagelevel import StorageLevel
    df = t.sql("SELECT a, b FROM t WHERE a > 0")
    assert not df.is_cached
    assert df.storageLevel == StorageLevel.NONE
    df.cache()
    assert df.is_cached
    assert repr(df.storageLevel) == "StorageLevel(True, True, False, True, 1)"
    assert df.count() == 2
    assert t.sql("EXPLAIN SELECT a, b FROM t WHERE a > 0").collect()[0][0] \
        .splitlines()[1].startswith("InMemoryTableScan [a#")
    assert rows(t, "SELECT count(*) FROM (SELECT a, b FROM t WHERE a > 0)") == ["2"]
    df.unpersist()
    assert not df.is_cached
    df.persist(StorageLevel.DISK_ONLY)
    assert df.storageLevel == StorageLevel.DISK_ONLY
    assert "StorageLevel(disk, 1 replicas)" in \
        t.sql("EXPLAIN SELECT a, b FROM t WHERE a > 0").collect()[0][0]


def test_uncache_of_a_temp_view_keeps_dependents(t):
    t.sql("CREATE TEMP VIEW tv AS SELECT a FROM t")
    t.sql("CACHE TABLE tv")
    t.sql("CACHE TABLE tw AS SELECT * FROM tv WHERE a > 1")
    t.sql("UNCACHE TABLE tv")
    assert "Scan In-memory table tw" in _plan(t, "SELECT * FROM tw")
    assert not t.catalog.isCached("tv")
    assert rows(t, "SELECT * FROM tw") == ["2"]


def test_cache_as_select_view_is_sql_text(t):
    # the view keeps its text: it reads `tv` by name, so dropping `tv` breaks it (as in Spark)
    t.sql("CREATE TEMP VIEW tv AS SELECT a FROM t")
    t.sql("CACHE TABLE tw AS SELECT * FROM tv WHERE a > 1")
    t.sql("DROP VIEW tv")
    assert _cond(lambda: t.sql("SELECT * FROM tw")) == "TABLE_OR_VIEW_NOT_FOUND"


def test_writes_to_a_path_recache_readers_of_it(spark, tmp_path):
    path = str(tmp_path / "pdata")
    spark.range(3).write.parquet(path)
    df = spark.read.parquet(path)
    df.cache()
    assert df.count() == 3
    spark.range(5).write.mode("overwrite").parquet(path)
    assert df.is_cached and df.count() == 5
    spark.range(7).write.mode("overwrite").parquet(path)
    spark.catalog.refreshByPath(path)
    assert spark.read.parquet(path).count() == 7
