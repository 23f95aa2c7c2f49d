"""Arrays, maps, structs, higher-order functions and generators: Spark's answers (checked
with Spark 4)."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows


@pytest.mark.parametrize("sql,expected", [
    ("SELECT stack(2, 1, 'a', 2, 'b'), 5 AS z", ["1\ta\t5", "2\tb\t5"]),
    ("SELECT posexplode(map('a', 1, 'b', 2))", ["0\ta\t1", "1\tb\t2"]),
    ("SELECT transform(array(array(1, 2), array(3)), a -> transform(a, x -> x + size(a)))",
     ["[[3,4],[4]]"]),
    ("SELECT id, t.x FROM VALUES (1, array(1, 2)), (2, array(3)) AS s(id, xs) "
     "LATERAL VIEW explode(xs) t AS x WHERE t.x > 1 ORDER BY x DESC", ["2\t3", "1\t2"]),
    ("SELECT id, transform(xs, x -> x + id), CAST(xs AS ARRAY<STRING>), CAST(xs AS STRING), "
     "xs[0], element_at(xs, -1) FROM VALUES (1, array(1, 2)), (2, array(3)) AS s(id, xs) "
     "ORDER BY id",
     ['1\t[2,3]\t["1","2"]\t[1, 2]\t1\t2', '2\t[5]\t["3"]\t[3]\t3\t3']),
    ("SELECT s.p.name, p.age FROM VALUES (named_struct('name', 'a', 'age', 3)) AS s(p)",
     ["a\t3"]),
    ("SELECT explode(xs) AS (a), id FROM VALUES (1, array(1, 2)) AS s(id, xs)",
     ["1\t1", "2\t1"]),
    ("SELECT explode(m) AS (k, v) FROM (SELECT map('a', 1) AS m)", ["a\t1"]),
    ("SELECT inline_outer(CAST(NULL AS ARRAY<STRUCT<a:INT,b:STRING>>)), 1", ["NULL\tNULL\t1"]),
    ("SELECT x FROM (SELECT 1 AS id) LATERAL VIEW OUTER explode(array()) t AS x", ["NULL"]),
    ("SELECT sort_array(array('b', NULL, 'a'), false), "
     "array_distinct(array(1.0D, CAST('NaN' AS DOUBLE), CAST('NaN' AS DOUBLE))), "
     "array_union(array(0.0D), array(-0.0D))", ['["b","a",null]\t[1.0,NaN]\t[0.0]']),
    ("SELECT array_insert(array(1), -3, 9), array_insert(array(1), 4, 9), get(array(1, 2), 5), "
     "map_from_arrays(array(1, 2), array('a', NULL)), str_to_map('a=1;b=2', ';', '='), "
     "to_json(map('k', CAST(NULL AS INT)))",
     ['[9,null,1]\t[1,null,null,9]\tNULL\t{1:"a",2:null}\t{"a":"1","b":"2"}\t{"k":null}']),
    ("SELECT aggregate(array(1, 2, 3), 0L, (acc, x) -> acc + x, acc -> acc * 10), "
     "zip_with(array(1), array(2, 3), (x, y) -> coalesce(x, 0) + y), "
     "exists(array(1, NULL), x -> x > 5)", ["60\t[3,3]\tNULL"]),
    ("SELECT array(INTERVAL '2' SECOND), array(INTERVAL '1-2' YEAR TO MONTH), "
     "map('b', 1, 'a', 2), array(DATE '2024-01-01')",
     ['[0 00:00:02.000000000]\t[1-2]\t{"a":2,"b":1}\t[2024-01-01]']),
    ("SELECT k, explode(collect_list(x)) AS v, count(*) FROM VALUES (1, 'a'), (2, 'a'), "
     "(3, 'b') AS t(x, k) GROUP BY k ORDER BY k, v", ["a\t1\t2", "a\t2\t2", "b\t3\t1"]),
    ("SELECT to_json(named_struct('t', TIMESTAMP'2015-08-26 01:02:03.5', "
     "'d', DATE'2015-08-26'))", ['{"t":"2015-08-26T01:02:03.500Z","d":"2015-08-26"}']),
    ("SELECT to_csv(named_struct('a', 'x,y', 'b', CAST(NULL AS INT), "
     "'c', TIMESTAMP'2020-01-01 10:00:00', 'd', DATE'2020-01-02')), "
     "from_csv('x,,3', 'a STRING, b INT, c INT'), schema_of_csv('1,2.5,true,abc,99999999999')",
     ['"x,y",,2020-01-01T10:00:00.000Z,2020-01-02\t{"a":"x","b":null,"c":3}\t'
      'STRUCT<_c0: INT, _c1: DOUBLE, _c2: BOOLEAN, _c3: STRING, _c4: BIGINT>']),
    ("SELECT t.* FROM stack(2, 'a', 1, 'b', 2) t ORDER BY col1 DESC", ["b\t2", "a\t1"]),
    ("SELECT * FROM inline(array(struct(1, 'a'))) AS t(x, y)", ["1\ta"]),
])
def test_complex_results(spark, sql, expected):
    assert rows(spark, sql) == expected


def test_column_names(spark):
    df = spark.sql("SELECT size(CAST(NULL AS ARRAY<INT>)), struct(1, 'x'), (1, 'x'), "
                   "transform(array(1), x -> x + 1), explode(array(1))")
    assert df.columns == [
        "size(NULL)", "struct(1, x)", "named_struct(col1, 1, col2, x)",
        "transform(array(1), lambdafunction((namedlambdavariable() + 1), "
        "namedlambdavariable()))", "col"]


@pytest.mark.parametrize("sql,condition", [
    ("SELECT explode(array(1, 2)) + 1", "UNSUPPORTED_GENERATOR.NESTED_IN_EXPRESSIONS"),
    ("SELECT explode(array(1, 2)) AS (a, b)", "UDTF_ALIAS_NUMBER_MISMATCH"),
    ("SELECT transform(array(1), (x, y, z) -> x)",
     "INVALID_LAMBDA_FUNCTION_CALL.NUM_ARGS_MISMATCH"),
    ("SELECT array(1, 2, 3)[3]", "INVALID_ARRAY_INDEX"),
    ("SELECT element_at(array(1), 0)", "INVALID_INDEX_OF_ZERO"),
    ("SELECT map(1, 2) = map(1, 2)", "DATATYPE_MISMATCH.INVALID_ORDERING_TYPE"),
    ("SELECT map('a', 1, 'a', 2)", "DUPLICATED_MAP_KEY"),
    ("SELECT named_struct('a', 1).b", "FIELD_NOT_FOUND"),
    ("SELECT * FROM VALUES (array(1)) AS t(xs) WHERE explode(xs) > 1",
     "UNSUPPORTED_GENERATOR.OUTSIDE_SELECT"),
])
def test_complex_errors(spark, sql, condition):
    with pytest.raises(EmberException) as info:
        rows(spark, sql)
    assert info.value.getCondition() == condition
