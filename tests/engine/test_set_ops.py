"""INTERSECT / EXCEPT (DISTINCT and ALL) through SQL; answers verified against Spark 4."""
from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

from ember.errors import AnalysisException
from ember.engine.encoding import joint_ids
from ember.engine.operators.set_ops import set_operation_rows
from tests.conftest import rows, schema


@pytest.fixture
def tt(spark):
    spark.sql("CREATE TEMPORARY VIEW t1(a, b) AS VALUES (1, 'x'), (2, 'y'), (2, 'y'), "
              "(3, NULL), (NULL, 'z'), (NULL, NULL), (NULL, NULL), (4, '')")
    spark.sql("CREATE TEMPORARY VIEW t2(a, b) AS VALUES (2, 'y'), (3, NULL), (3, NULL), "
              "(NULL, NULL), (5, 'w'), (4, ' ')")
    spark.sql("CREATE TEMPORARY VIEW t3(c) AS VALUES (1), (2), (2), (2), (6), (NULL)")
    return spark


@pytest.mark.parametrize("op,expected", [
    ("INTERSECT", ["2\ty", "3\tNULL", "NULL\tNULL"]),
    ("INTERSECT ALL", ["2\ty", "3\tNULL", "NULL\tNULL"]),
    ("EXCEPT", ["1\tx", "4\t", "NULL\tz"]),
    ("MINUS", ["1\tx", "4\t", "NULL\tz"]),
    ("EXCEPT ALL", ["1\tx", "2\ty", "4\t", "NULL\tNULL", "NULL\tz"]),
    ("MINUS ALL", ["1\tx", "2\ty", "4\t", "NULL\tNULL", "NULL\tz"]),
])
def test_nulls_compare_equal(tt, op, expected):
    assert sorted(rows(tt, f"SELECT a, b FROM t1 {op} SELECT a, b FROM t2")) == expected


def test_all_forms_count_multiplicities(tt):
    assert sorted(rows(tt, "SELECT c FROM t3 INTERSECT ALL SELECT a FROM t1")) == \
        ["1", "2", "2", "NULL"]
    assert rows(tt, "SELECT c FROM t3 EXCEPT ALL SELECT a FROM t1 EXCEPT ALL SELECT a FROM t2") \
        == ["6"]
    assert sorted(rows(tt, "SELECT a, b FROM t2 EXCEPT ALL SELECT a, b FROM t1")) == \
        ["3\tNULL", "4\t ", "5\tw"]


def test_precedence_and_names(tt):
    # INTERSECT binds tighter than UNION / EXCEPT; names come from the first query
    assert sorted(rows(tt, "SELECT a FROM t1 EXCEPT SELECT a FROM t2 INTERSECT SELECT c FROM t3")) \
        == ["1", "3", "4"]
    assert schema(tt, "SELECT c FROM t3 INTERSECT SELECT a FROM t1") == "struct<c:int>"
    assert sorted(rows(tt, "TABLE t1 EXCEPT TABLE t2")) == ["1\tx", "4\t", "NULL\tz"]
    assert rows(tt, "SELECT a FROM t1 EXCEPT SELECT a FROM t2 ORDER BY a") == ["1"]


def test_widening_and_empty_sides(tt):
    assert rows(tt, "SELECT 1 INTERSECT SELECT '1'") == ["1"]
    assert schema(tt, "SELECT CAST(1 AS TINYINT) INTERSECT SELECT CAST(1 AS DECIMAL(10,2))") \
        == "struct<CAST(1 AS TINYINT):decimal(10,2)>"
    assert rows(tt, "SELECT a, b FROM t1 INTERSECT SELECT a, b FROM t1 WHERE a > 100") == []
    assert len(rows(tt, "SELECT a, b FROM t2 EXCEPT SELECT a, b FROM t1 WHERE false")) == 5
    assert rows(tt, "SELECT NULL EXCEPT ALL SELECT 1") == ["NULL"]


def test_floats_nan_and_signed_zero(tt):
    assert rows(tt, "SELECT -0.0D INTERSECT SELECT 0.0D") == ["-0.0"]
    assert rows(tt, "SELECT -0.0D EXCEPT SELECT 0.0D") == []
    assert sorted(rows(tt, "SELECT x FROM VALUES (1.0D), (CAST('NaN' AS DOUBLE)), "
                           "(CAST('NaN' AS DOUBLE)) AS v(x) EXCEPT ALL "
                           "SELECT CAST('NaN' AS DOUBLE)")) == ["1.0", "NaN"]


@pytest.mark.parametrize("sql,condition", [
    ("SELECT a FROM t1 INTERSECT SELECT a, b FROM t2", "NUM_COLUMNS_MISMATCH"),
    ("SELECT a, b FROM t1 EXCEPT SELECT * FROM t3", "NUM_COLUMNS_MISMATCH"),
    ("SELECT true INTERSECT SELECT 1", "INCOMPATIBLE_COLUMN_TYPE"),
])
def test_errors(tt, sql, condition):
    with pytest.raises(AnalysisException) as e:
        tt.sql(sql).collect()
    assert e.value.getCondition() == condition


def test_map_columns_are_rejected(tt):
    try:
        tt.sql("SELECT map(1, 2) AS m").schema
    except AnalysisException:
        pytest.skip("map() not available")
    for sql in ["SELECT map(1, 2) AS m INTERSECT SELECT map(1, 2)",
                "SELECT map(1, 2) AS m EXCEPT ALL SELECT map(1, 2)"]:
        with pytest.raises(AnalysisException) as e:
            tt.sql(sql).collect()
        assert e.value.getCondition() == "UNSUPPORTED_FEATURE.SET_OPERATION_ON_MAP_TYPE"
    assert len(rows(tt, "SELECT map(1, 2) UNION ALL SELECT map(1, 2)")) == 2


def test_nested_rows(tt):
    list_type = pa.list_(pa.float64())
    left = [pa.array([[1.0, 0.0], [1.0, None], None, [float("nan")]], list_type)]
    right = [pa.array([[1.0, -0.0], None, [float("nan")]], list_type)]
    lids, rids, n = joint_ids(left, right, [True])
    assert list(set_operation_rows(lids, rids, n, True, False)) == [0, 2, 3]
    assert list(set_operation_rows(lids, rids, n, False, False)) == [1]


@pytest.mark.parametrize("seed", range(5))
def test_row_selection_matches_multiset_reference(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 8))
    lids = rng.integers(0, n, int(rng.integers(0, 30)))
    rids = rng.integers(0, n, int(rng.integers(0, 30)))
    lc, rc = Counter(lids.tolist()), Counter(rids.tolist())
    reference = {
        (True, True): lc & rc, (False, True): lc - rc,
        (True, False): Counter({k: 1 for k in lc if k in rc}),
        (False, False): Counter({k: 1 for k in lc if k not in rc}),
    }
    for (intersect, is_all), expected in reference.items():
        got = Counter(lids[set_operation_rows(lids, rids, n, intersect, is_all)].tolist())
        assert got == expected
