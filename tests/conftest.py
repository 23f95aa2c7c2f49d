"""Shared fixtures: a fresh session per test, in a temporary warehouse, as the corpus runs."""
from __future__ import annotations

import pytest


@pytest.fixture
def spark(tmp_path):
    from ember.catalog.session_catalog import GlobalTempViews
    from ember.session import SparkSession
    session = (SparkSession.builder
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.warehouse.dir", str(tmp_path / "spark-warehouse"))
               .create())
    session._catalog.global_temp_views = GlobalTempViews()
    yield session
    session.stop()


def rows(spark, sql):
    """The statement's rows as spark-sql prints them (tab-separated)."""
    from ember.engine.result_format import hive_strings
    df = spark.sql(sql)
    return ["\t".join(r) for r in hive_strings(df.toArrow(), df.schema, "UTC")]


def schema(spark, sql):
    return spark.sql(sql).schema.catalogString()
