"""Session catalog: temp views, global temp views, and the embedded SQLite metastore."""
from __future__ import annotations

import os
import sqlite3

import pytest

from ember.errors import AnalysisException
from tests.conftest import rows


def test_temp_view_is_reanalysed_on_use(spark):
    spark.sql("CREATE TEMPORARY VIEW base(x) AS VALUES (1), (2)")
    spark.sql("CREATE TEMPORARY VIEW doubled AS SELECT x * 2 AS y FROM base")
    assert rows(spark, "SELECT * FROM doubled") == ["2", "4"]
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW base(x) AS VALUES (10)")
    assert rows(spark, "SELECT * FROM doubled") == ["20"]


def test_view_self_join_gets_distinct_columns(spark):
    spark.sql("CREATE TEMPORARY VIEW v(k, n) AS VALUES (1, 'a'), (2, 'b')")
    assert sorted(rows(spark, "SELECT x.n, y.n FROM v x JOIN v y ON x.k + 1 = y.k")) == ["a\tb"]


def test_global_temp_views_live_in_global_temp(spark):
    spark.sql("CREATE GLOBAL TEMPORARY VIEW g AS SELECT 1 AS one")
    assert rows(spark, "SELECT * FROM global_temp.g") == ["1"]
    with pytest.raises(AnalysisException) as info:
        spark.sql("SELECT * FROM g")
    assert info.value.getCondition() == "TABLE_OR_VIEW_NOT_FOUND"
    other = spark.newSession()
    other._catalog.global_temp_views = spark._catalog.global_temp_views
    assert rows(other, "SELECT * FROM global_temp.g") == ["1"]


def test_drop_view(spark):
    spark.sql("CREATE TEMPORARY VIEW d AS SELECT 1")
    spark.sql("DROP VIEW d")
    spark.sql("DROP VIEW IF EXISTS d")
    with pytest.raises(AnalysisException):
        spark.sql("DROP VIEW d")


def test_metastore_created_with_default_database(spark):
    ms = spark._catalog.metastore
    assert os.path.exists(spark._catalog.metastore_path)
    assert ms.list_databases() == ["default"]
    conn = sqlite3.connect(spark._catalog.metastore_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT value FROM ember_meta WHERE key='schema_version'").fetchone()[0] == "1"


def test_queries_without_tables_create_no_files(spark, tmp_path):
    rows(spark, "SELECT 1")
    assert not os.path.exists(spark._catalog.metastore_path)
