"""Analyzer: names, types and errors exactly as Spark's analyzer gives them."""
from __future__ import annotations

import pytest

from ember.errors import AnalysisException
from tests.conftest import schema


@pytest.fixture
def t(spark):
    spark.sql("CREATE TEMPORARY VIEW t(id, a, b, s, x) AS VALUES "
              "(1, 10, 20L, 'p', 1.50BD), (2, NULL, 7L, NULL, NULL)")
    return spark


@pytest.mark.parametrize("select,expected", [
    ("a + 1, a - b, a / 2, a div 3, -a", "(a + 1):int,(a - b):bigint,(a / 2):double,"
                                         "(a div 3):bigint,(- a):int"),
    # x is decimal(3,2): Spark's precision rules, an integer literal counting as its digits
    ("x + 1, x * x, x / 4", "(x + 1):decimal(4,2),(x * x):decimal(7,4),(x / 4):decimal(7,6)"),
    ("CAST(a AS STRING), CAST('1' AS INT), TRY_CAST('x' AS INT)",
     "a:string,CAST(1 AS INT):int,TRY_CAST(x AS INT):int"),
    ("a IS NULL, a <=> 1, a <> 1, NOT a > 0", "(a IS NULL):boolean,(a <=> 1):boolean,"
                                              "(NOT (a = 1)):boolean,(NOT (a > 0)):boolean"),
    ("coalesce(a, b), nvl(s, 'z'), a BETWEEN 1 AND 5", "coalesce(a, b):bigint,nvl(s, z):string,"
                                                       "between(a, 1, 5):boolean"),
    ("count(*), count(a), sum(a), avg(x), min(s), max(b)",
     "count(1):bigint,count(a):bigint,sum(a):bigint,avg(x):decimal(7,6),min(s):string,"
     "max(b):bigint"),
    ("ID, T.A", "ID:int,A:int"),
])
def test_names_and_types(t, select, expected):
    assert schema(t, f"SELECT {select} FROM t") == f"struct<{expected}>"


def test_implicit_casts_are_hidden_in_names(t):
    assert schema(t, "SELECT a + b, '1' + a, a = 1.5BD FROM t") == \
        "struct<(a + b):bigint,(1 + a):bigint,(a = 1.5):boolean>"


@pytest.mark.parametrize("sql,condition", [
    ("SELECT nope FROM t", "UNRESOLVED_COLUMN.WITH_SUGGESTION"),
    ("SELECT * FROM missing", "TABLE_OR_VIEW_NOT_FOUND"),
    ("SELECT id FROM t x JOIN t y ON x.id = y.id", "AMBIGUOUS_REFERENCE"),
    ("SELECT s, count(*) FROM t", "MISSING_AGGREGATION"),
    ("SELECT a FROM t GROUP BY 3", "GROUP_BY_POS_OUT_OF_RANGE"),
    ("SELECT a FROM t ORDER BY 9", "ORDER_BY_POS_OUT_OF_RANGE"),
    ("SELECT sum(max(a)) FROM t", "NESTED_AGGREGATE_FUNCTION"),
    ("SELECT 1 = true", "DATATYPE_MISMATCH.BINARY_OP_DIFF_TYPES"),
    ("SELECT s * 2 FROM t WHERE s = 'x' AND 'a' * 'b' = 1", "DATATYPE_MISMATCH.BINARY_OP_WRONG_TYPE"),
    ("SELECT CAST(DATE'2024-01-01' AS INT)", "DATATYPE_MISMATCH.CAST_WITH_FUNC_SUGGESTION"),
    ("SELECT a FROM t UNION SELECT a, b FROM t", "NUM_COLUMNS_MISMATCH"),
    ("SELECT s FROM t GROUP BY s HAVING a > 0", "UNRESOLVED_COLUMN.WITH_SUGGESTION"),
    ("SELECT upper_case(s) FROM t", "UNRESOLVED_ROUTINE"),
])
def test_analysis_errors(t, sql, condition):
    with pytest.raises(AnalysisException) as info:
        t.sql(sql)
    assert info.value.getCondition() == condition


def test_error_carries_position_and_suggestion(t):
    with pytest.raises(AnalysisException) as info:
        t.sql("SELECT id,\n  nope FROM t")
    e = info.value
    assert (e.line, e.pos) == (2, 2)
    assert "Did you mean one of the following? [" in str(e)


def test_order_by_alias_missing_column_and_aggregate(t):
    from tests.conftest import rows
    assert rows(t, "SELECT a AS z FROM t ORDER BY z NULLS LAST") == ["10", "NULL"]
    assert rows(t, "SELECT s FROM t ORDER BY id DESC") == ["NULL", "p"]
    assert rows(t, "SELECT s, count(*) FROM t GROUP BY s ORDER BY max(id)") == ["p\t1", "NULL\t1"]
    assert rows(t, "SELECT s FROM t GROUP BY s HAVING max(id) > 1") == ["NULL"]


def test_group_by_alias_and_ordinal(t):
    from tests.conftest import rows
    assert sorted(rows(t, "SELECT coalesce(s, 'none') AS k, count(*) FROM t GROUP BY k")) == \
        ["none\t1", "p\t1"]
    assert sorted(rows(t, "SELECT s, sum(a) FROM t GROUP BY 1")) == ["NULL\tNULL", "p\t10"]


def test_using_join_columns(spark):
    from tests.conftest import rows
    spark.sql("CREATE TEMPORARY VIEW l(k, v) AS VALUES (1, 'a'), (2, 'b')")
    spark.sql("CREATE TEMPORARY VIEW r(k, w) AS VALUES (2, 'x'), (3, 'y')")
    assert schema(spark, "SELECT * FROM l JOIN r USING (k)") == "struct<k:int,v:string,w:string>"
    assert sorted(rows(spark, "SELECT k, l.k, r.k FROM l FULL JOIN r USING (k)")) == [
        "1\t1\tNULL", "2\t2\t2", "3\tNULL\t3"]
