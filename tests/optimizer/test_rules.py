"""Optimizer rules: each changes the plan's shape, never its result or schema."""
from __future__ import annotations

import re

import pytest

from ember.errors import EmberException
from ember.optimizer.rule_executor import Batch, RuleExecutor
from tests.conftest import rows


def optimized(spark, sql):
    return re.sub(r"#\d+L?", "", spark.sql(sql)._qe.optimized.tree_string())


@pytest.fixture
def tt(spark):
    spark.sql("CREATE TEMPORARY VIEW a(k, v, w) AS VALUES (1, 10, 'x'), (2, 20, 'y')")
    spark.sql("CREATE TEMPORARY VIEW b(k, z) AS VALUES (1, 'p'), (3, 'q')")
    return spark


def test_constant_folding(tt):
    plan = optimized(tt, "SELECT v + (1 + 2) AS r FROM a WHERE v > 2 * 5")
    assert "(col2 + 3) AS r" in plan and "(col2 > 10)" in plan


def test_constant_folding_keeps_failing_branch_unfolded(tt):
    assert rows(tt, "SELECT CASE WHEN 1 > 0 THEN 1 ELSE 1 / 0 END") == ["1.0"]


def test_predicate_pushdown_through_project_and_join(tt):
    plan = optimized(tt, "SELECT * FROM (SELECT k AS kk, v FROM a) s JOIN b ON s.kk = b.k "
                         "WHERE s.v > 10 AND b.z = 'p'")
    # both single-side predicates sit below the join, on their relations
    below_join = plan.split("Join Inner")[1]
    assert "Filter (col2 > 10)" in below_join and "Filter (col2 = p)" in below_join
    assert rows(tt, "SELECT * FROM (SELECT k AS kk, v FROM a) s JOIN b ON s.kk = b.k "
                    "WHERE s.v > 10 AND b.z = 'p'") == []


def test_left_join_keeps_right_side_filter_above(tt):
    plan = optimized(tt, "SELECT * FROM a LEFT JOIN b ON a.k = b.k WHERE b.z IS NULL")
    assert plan.index("Filter isnull(z)") < plan.index("Join LeftOuter")
    assert rows(tt, "SELECT a.k FROM a LEFT JOIN b ON a.k = b.k WHERE b.z IS NULL") == ["2"]


def test_column_pruning_reaches_the_relation(tt):
    plan = optimized(tt, "SELECT v FROM a WHERE k = 1")
    assert "LocalRelation [col1, col2]" in plan
    assert rows(tt, "SELECT count(*) FROM a") == ["2"]


def test_or_factoring_creates_equi_join(tt):
    sql = ("SELECT a.v FROM a, b WHERE (a.k = b.k AND a.v > 5) OR (a.k = b.k AND b.z = 'q')")
    plan = optimized(tt, sql)
    assert "Join Inner, ((k = k) AND ((v > 5) OR (z = q)))" in plan
    assert "BroadcastHashJoin" in tt.sql(sql)._qe.physical.tree_string()
    assert rows(tt, sql) == ["10"]


def test_rule_executor_rejects_schema_changes(tt):
    from ember.optimizer.plans.logical import Project
    plan = tt.sql("SELECT k, v FROM a")._qe.analyzed

    def drop_column(p, ctx):
        return Project(p.output[:1], p) if isinstance(p, Project) else p
    with pytest.raises(EmberException) as info:
        RuleExecutor([Batch("bad", "once", [drop_column])]).execute(plan, None)
    assert "changed the plan's output schema" in str(info.value)
