"""WITH RECURSIVE through SQL; answers verified against Spark 4 (`sq`)."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows, schema


def test_counter(spark):
    sql = "WITH RECURSIVE r AS (SELECT 1 AS n, 'x' AS s UNION ALL " \
          "SELECT n + 1, s || 'x' FROM r WHERE n < 3) SELECT * FROM r"
    assert schema(spark, sql) == "struct<n:int,s:string>"
    assert sorted(rows(spark, sql)) == ["1\tx", "2\txx", "3\txxx"]


def test_referenced_twice(spark):
    assert sorted(rows(spark, "WITH RECURSIVE r(n) AS (SELECT 1L UNION ALL SELECT n + 1 FROM r "
                              "WHERE n < 3) SELECT a.n, b.n FROM r a JOIN r b ON a.n = b.n + 1")) \
        == ["2\t1", "3\t2"]


def test_level_limit(spark):
    with pytest.raises(EmberException) as e:
        rows(spark, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) "
                    "SELECT count(*) FROM r")
    assert e.value.getCondition() == "RECURSION_LEVEL_LIMIT_EXCEEDED"


def test_recursive_rows_must_fit_anchor_types(spark):
    with pytest.raises(EmberException) as e:
        rows(spark, "WITH RECURSIVE r(n) AS (SELECT CAST(1 AS TINYINT) UNION ALL "
                    "SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r")
    assert e.value.getCondition() == "CANNOT_MERGE_INCOMPATIBLE_DATA_TYPE"
