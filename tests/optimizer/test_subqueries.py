"""Scalar, EXISTS and IN subqueries and LATERAL joins through SQL; every answer verified
against Spark 4 (`sq`)."""
from __future__ import annotations

import pytest

from ember.errors import AnalysisException, EmberException
from tests.conftest import rows, schema


@pytest.fixture
def s(spark):
    spark.sql("CREATE TEMPORARY VIEW emp(id, name, dept, salary) AS VALUES "
              "(1, 'ann', 'eng', 100), (2, 'ben', 'eng', 80), (5, 'eli', NULL, 60), "
              "(6, 'fay', 'hr', NULL), (7, 'gus', 'eng', 120)")
    spark.sql("CREATE TEMPORARY VIEW dept(dname, budget, head_id) AS VALUES "
              "('eng', 1000, 7), ('ops', 300, 3), (NULL, 0, 5)")
    spark.sql("CREATE TEMPORARY VIEW dup(dname, budget) AS VALUES ('eng', 1000), ('eng', 300)")
    return spark


def q(spark, sql):
    return sorted(rows(spark, sql))


def test_outer_reference_in_select_list(s):
    sql = "SELECT name, (SELECT e.salary + 1) FROM emp e"
    assert schema(s, sql) == "struct<name:string,scalarsubquery(salary):int>"
    assert q(s, sql) == ["ann\t101", "ben\t81", "eli\t61", "fay\tNULL", "gus\t121"]


def test_correlated_scalar_without_aggregate(s):
    assert q(s, "SELECT name, (SELECT d.budget FROM dept d WHERE d.dname = e.dept) FROM emp e") \
        == ["ann\t1000", "ben\t1000", "eli\tNULL", "fay\tNULL", "gus\t1000"]


def test_correlated_scalar_too_many_rows(s):
    with pytest.raises(EmberException) as e:
        rows(s, "SELECT name, (SELECT d.budget FROM dup d WHERE d.dname = e.dept) FROM emp e")
    assert e.value.getCondition() == "SCALAR_SUBQUERY_TOO_MANY_ROWS"


def test_non_equality_correlation_under_aggregate(s):
    assert q(s, "SELECT name, (SELECT max(d.budget) FROM dept d WHERE d.budget > e.salary) "
                "FROM emp e") == ["ann\t1000", "ben\t1000", "eli\t1000", "fay\tNULL",
                                  "gus\t1000"]


def test_count_bug(s):
    assert q(s, "SELECT name, (SELECT count(*) + 1 FROM dept d WHERE d.dname = e.dept) c "
                "FROM emp e") == ["ann\t2", "ben\t2", "eli\t1", "fay\t1", "gus\t2"]


def test_in_and_not_in_in_select_list(s):
    # Spark's existence join: never NULL
    assert q(s, "SELECT name, dept IN (SELECT dname FROM dept), "
                "dept NOT IN (SELECT dname FROM dept WHERE budget > 0) FROM emp e") == [
        "ann\ttrue\tfalse", "ben\ttrue\tfalse", "eli\tfalse\tfalse", "fay\tfalse\ttrue",
        "gus\ttrue\tfalse"]


def test_in_under_or(s):
    assert q(s, "SELECT name FROM emp e WHERE dept IN (SELECT dname FROM dept) "
                "OR salary IS NULL") == ["ann", "ben", "fay", "gus"]


def test_correlated_not_in(s):
    assert q(s, "SELECT name FROM emp e WHERE id NOT IN "
                "(SELECT head_id FROM dept d WHERE d.dname = e.dept)") == [
        "ann", "ben", "eli", "fay"]


def test_exists_over_global_aggregate_is_true(s):
    assert q(s, "SELECT name FROM emp e WHERE EXISTS "
                "(SELECT count(*) FROM dept d WHERE d.dname = e.dept)") == [
        "ann", "ben", "eli", "fay", "gus"]
    assert q(s, "SELECT name FROM emp e WHERE NOT EXISTS "
                "(SELECT max(budget) FROM dept d WHERE d.dname = e.dept)") == []


def test_in_subquery_in_join_condition(s):
    assert q(s, "SELECT e.name FROM emp e JOIN dept d ON e.dept = d.dname "
                "AND e.id IN (SELECT head_id FROM dept)") == ["gus"]


def test_exists_in_having(s):
    assert q(s, "SELECT dept, sum(salary) FROM emp e GROUP BY dept HAVING EXISTS "
                "(SELECT 1 FROM dept d WHERE d.dname = e.dept AND d.budget > 500)") == [
        "eng\t300"]


def test_outer_names_resolve_one_level_up(s):
    with pytest.raises(AnalysisException) as e:
        rows(s, "SELECT name FROM emp e WHERE EXISTS (SELECT 1 FROM dept d WHERE "
                "d.dname = e.dept AND EXISTS (SELECT 1 FROM emp x WHERE x.id = d.head_id "
                "AND x.salary > e.salary))")
    assert e.value.getCondition() == "UNRESOLVED_COLUMN.WITH_SUGGESTION"


def test_correlated_scalar_in_aggregate_output(s):
    with pytest.raises(AnalysisException) as e:
        rows(s, "SELECT dept, (SELECT max(budget) FROM dept d WHERE d.dname = e.dept) "
                "FROM emp e GROUP BY dept")
    assert e.value.getCondition() == "SCALAR_SUBQUERY_IS_IN_GROUP_BY_OR_AGGREGATE_FUNCTION"


def test_left_lateral_join_with_count(s):
    assert q(s, "SELECT e.name, s.c FROM emp e LEFT JOIN LATERAL "
                "(SELECT count(*) c FROM dept d WHERE d.dname = e.dept) s ON true") == [
        "ann\t1", "ben\t1", "eli\t0", "fay\t0", "gus\t1"]


def test_uncorrelated_scalar_subqueries(s):
    assert q(s, "SELECT name, (SELECT 1 FROM dept LIMIT 1), "
                "(SELECT max(salary) FROM emp) - salary FROM emp WHERE id < 3") == [
        "ann\t1\t20", "ben\t1\t40"]
    with pytest.raises(EmberException) as e:
        rows(s, "SELECT name FROM emp WHERE salary > (SELECT budget FROM dept)")
    assert e.value.getCondition() == "SCALAR_SUBQUERY_TOO_MANY_ROWS"


def test_two_column_in_select_list(s):
    assert q(s, "SELECT name, (dept, id) IN (SELECT dname, head_id FROM dept) FROM emp") == [
        "ann\tfalse", "ben\tfalse", "eli\tfalse", "fay\tfalse", "gus\ttrue"]


def test_outer_reference_in_inner_join_condition(s):
    assert q(s, "SELECT name FROM emp e WHERE EXISTS "
                "(SELECT 1 FROM dept d JOIN dept d2 ON d.dname = e.dept)") == [
        "ann", "ben", "gus"]


def test_grouping_by_a_correlated_subquery(s):
    sub = "(SELECT max(budget) FROM dept d WHERE d.dname = e.dept)"
    assert q(s, f"SELECT {sub} b, count(*) FROM emp e GROUP BY {sub}") == ["1000\t3", "NULL\t2"]
    assert q(s, f"SELECT dept, sum({sub}) FROM emp e GROUP BY dept") == [
        "NULL\tNULL", "eng\t3000", "hr\tNULL"]


def test_correlated_scalar_subquery_in_order_by(s):
    with pytest.raises(AnalysisException) as e:
        rows(s, "SELECT name, dept FROM emp e ORDER BY "
                "(SELECT max(budget) FROM dept d WHERE d.dname = e.dept), name")
    assert e.value.getCondition() == \
        "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.UNSUPPORTED_CORRELATED_SCALAR_SUBQUERY"


@pytest.fixture
def s2(s):
    s.sql("CREATE TEMPORARY VIEW dept2(dname, budget, head_id) AS VALUES "
          "('eng', 1000, 7), ('ops', 300, 3), (NULL, 0, 5), ('eng', 500, 1)")
    return s


def test_limit_in_correlated_subqueries(s2):
    assert q(s2, "SELECT name, (SELECT d.budget FROM dept2 d WHERE d.dname = e.dept "
                 "ORDER BY d.head_id LIMIT 1) b FROM emp e") == [
        "ann\t500", "ben\t500", "eli\tNULL", "fay\tNULL", "gus\t500"]
    assert q(s2, "SELECT e.name, s.* FROM emp e, LATERAL (SELECT d.budget FROM dept2 d "
                 "WHERE d.dname = e.dept ORDER BY d.budget LIMIT 2) s") == [
        "ann\t1000", "ann\t500", "ben\t1000", "ben\t500", "gus\t1000", "gus\t500"]
    assert q(s2, "SELECT name, (SELECT count(*) FROM dept2 d WHERE d.dname = e.dept LIMIT 1) "
                 "FROM emp e") == ["ann\t2", "ben\t2", "eli\t0", "fay\t0", "gus\t2"]


def test_having_subquery_reads_a_grouping_column_not_selected(s):
    assert q(s, "SELECT count(*) FROM emp e GROUP BY dept HAVING EXISTS "
                "(SELECT 1 FROM dept d WHERE d.dname = e.dept)") == ["3"]


def test_predicate_subqueries_inside_aggregate_functions(s):
    assert q(s, "SELECT dept, count(*) FILTER (WHERE id IN (SELECT head_id FROM dept)) "
                "FROM emp GROUP BY dept") == ["NULL\t1", "eng\t1", "hr\t0"]
    assert q(s, "SELECT dept, sum(CASE WHEN EXISTS (SELECT 1 FROM dept d WHERE "
                "d.head_id = e.id) THEN salary END) s FROM emp e GROUP BY dept") == [
        "NULL\t60", "eng\t120", "hr\tNULL"]


def test_in_subquery_in_order_by(s):
    with pytest.raises(AnalysisException) as e:
        rows(s, "SELECT name FROM emp e ORDER BY id IN (SELECT head_id FROM dept), name")
    assert e.value.getCondition() == \
        "UNSUPPORTED_SUBQUERY_EXPRESSION_CATEGORY.UNSUPPORTED_IN_EXISTS_SUBQUERY"
