"""Aggregate functions beyond sum/avg/min/max, and GROUPING SETS / ROLLUP / CUBE: SQL in,
Spark 4's answer out (each checked against Spark)."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows, schema


@pytest.mark.parametrize("sql,expected", [
    ("SELECT stddev(x), var_pop(x), skewness(x), kurtosis(x) "
     "FROM VALUES (1.0D), (2.0D), (4.0D), (8.0D) t(x)",
     ["3.095695936834452\t7.1875\t0.656807734499699\t-1.09897920604915"]),
    ("SELECT stddev_samp(x), var_samp(x), stddev_pop(x) FROM VALUES (5) t(x)",
     ["NULL\tNULL\t0.0"]),
    ("SELECT corr(x, y), covar_samp(x, y), regr_slope(y, x), regr_intercept(y, x), "
     "regr_r2(y, x) FROM VALUES (1, 2.0D), (2, 4.5D), (3, 5.5D), (NULL, 1.0D) t(x, y)",
     ["0.9707253433941511\t1.75\t1.75\t0.5\t0.9423076923076925"]),
    ("SELECT g, bool_and(b), bool_or(b), count_if(b) "
     "FROM VALUES (1, true), (1, NULL), (2, NULL) t(g, b) GROUP BY g ORDER BY g",
     ["1\ttrue\ttrue\t1", "2\tNULL\tNULL\t0"]),
    ("SELECT bit_and(x), bit_or(x), bit_xor(x), typeof(bit_or(x)) "
     "FROM VALUES (CAST(12 AS TINYINT)), (CAST(10 AS TINYINT)) t(x)", ["8\t14\t6\ttinyint"]),
    ("SELECT first(x), last(x), first(x, true), last(x) IGNORE NULLS "
     "FROM VALUES (NULL), (2), (3), (NULL) t(x)", ["NULL\tNULL\t2\t3"]),
    ("SELECT max_by(x, y), min_by(x, y), max_by(x, y, 2) "
     "FROM VALUES ('a', 3), (NULL, 5), ('c', NULL), ('d', 1) t(x, y)",
     ['NULL\td\t[null,"a"]']),
    ("SELECT g, collect_list(x), collect_set(x) "
     "FROM VALUES (1, 3), (1, NULL), (1, 3), (2, NULL) t(g, x) GROUP BY g ORDER BY g",
     ["1\t[3,3]\t[3]", "2\t[]\t[]"]),
    ("SELECT percentile(x, 0.4), percentile(x, array(0, 1)), median(x), "
     "percentile_approx(x, 0.4) FROM VALUES (1), (2), (3), (10), (NULL) t(x)",
     ["2.2\t[1.0,10.0]\t2.5\t2"]),
    ("SELECT percentile(x, 0.5, f) FROM VALUES (1, 3), (10, 1) t(x, f)", ["1.0"]),
    ("SELECT percentile_cont(0.4) WITHIN GROUP (ORDER BY x DESC), "
     "percentile_disc(0.4) WITHIN GROUP (ORDER BY x) FROM VALUES (1), (2), (3), (10) t(x)",
     ["2.8\t2.0"]),
    ("SELECT listagg(x, '-') WITHIN GROUP (ORDER BY x), string_agg(x, ',') "
     "FROM VALUES ('b'), ('a'), (NULL) t(x)", ["a-b\tb,a"]),
    ("SELECT mode(x, true) FROM VALUES (3), (1), (1), (3), (2) t(x)", ["1"]),
    ("SELECT try_sum(x), try_avg(x) "
     "FROM VALUES (INTERVAL '2147483647' MONTH), (INTERVAL '1' MONTH) t(x)", ["NULL\tNULL"]),
    # grouping analytics
    ("SELECT a, b, count(*), grouping(a), grouping_id() FROM VALUES (1, 'x'), (1, 'y'), "
     "(2, 'x') t(a, b) GROUP BY ROLLUP(a, b) ORDER BY grouping_id(), a, b",
     ["1\tx\t1\t0\t0", "1\ty\t1\t0\t0", "2\tx\t1\t0\t0", "1\tNULL\t2\t0\t1",
      "2\tNULL\t1\t0\t1", "NULL\tNULL\t3\t1\t3"]),
    ("SELECT a, b, sum(a) FROM VALUES (1, 'x'), (2, 'x') t(a, b) GROUP BY CUBE(a, b) "
     "HAVING grouping(b) = 1 ORDER BY a", ["NULL\tNULL\t3", "1\tNULL\t1", "2\tNULL\t2"]),
    ("SELECT a, count(*) FROM VALUES (1), (2) t(a) GROUP BY GROUPING SETS ((a), (), ()) "
     "ORDER BY a, 2", ["NULL\t2", "NULL\t2", "1\t1", "2\t1"]),
    ("SELECT a + 1 AS k, count(*) FROM VALUES (1), (2) t(a) GROUP BY a + 1 WITH ROLLUP "
     "ORDER BY k", ["NULL\t2", "2\t1", "3\t1"]),
])
def test_aggregates(spark, sql, expected):
    assert rows(spark, sql) == expected


@pytest.mark.parametrize("sql,expected", [
    ("SELECT first(x, true), std(x), mean(x), array_agg(x) FROM VALUES (1) t(x)",
     "struct<first(x):int,std(x):double,mean(x):double,collect_list(x):array<int>>"),
    ("SELECT percentile(x, 0.5), approx_percentile(x, array(0.5), 100), median(x) "
     "FROM VALUES (INTERVAL '1' MONTH) t(x)",
     "struct<percentile(x, 0.5, 1):interval year to month,"
     "approx_percentile(x, array(0.5), 100):array<interval month>,"
     "median(x):interval year to month>"),
    ("SELECT a, grouping(a), sum(b) FROM VALUES (1, 2) t(a, b) GROUP BY CUBE(a)",
     "struct<a:int,grouping(a):tinyint,sum(b):bigint>"),
])
def test_names_and_types(spark, sql, expected):
    assert schema(spark, sql) == expected


@pytest.mark.parametrize("sql,condition", [
    ("SELECT grouping(a) FROM VALUES (1) t(a) GROUP BY a", "UNSUPPORTED_GROUPING_EXPRESSION"),
    ("SELECT a, grouping_id(b, a) FROM VALUES (1, 2) t(a, b) GROUP BY CUBE(a, b)",
     "GROUPING_ID_COLUMN_MISMATCH"),
    ("SELECT stddev(x) FROM VALUES (true) t(x)", "DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE"),
    ("SELECT sum(x) FROM VALUES (INTERVAL '2147483647' MONTH), (INTERVAL '1' MONTH) t(x)",
     "INTERVAL_ARITHMETIC_OVERFLOW.WITH_SUGGESTION"),
    ("SELECT a, name FROM VALUES (1, 'x') t(a, name) GROUP BY ROLLUP(a)",
     "MISSING_AGGREGATION"),
])
def test_errors(spark, sql, condition):
    with pytest.raises(EmberException) as e:
        rows(spark, sql)
    assert e.value.getCondition() == condition


@pytest.mark.parametrize("sql,expected", [
    # DataSketches' serialized form, byte for byte
    ("SELECT hex(tuple_sketch_agg_integer(key, summary)) "
     "FROM VALUES (1, 1), (1, 2), (2, 3) tab(key, summary)",
     ["02030901000ACC93020000000000000015F97DCBBD86A1050300000000C397FC1281709D1E0300000000"]),
    ("SELECT hex(tuple_sketch_agg_double(key, summary)) FROM VALUES (1, 1.0D) tab(key, summary)",
     ["01030901000ACC9315F97DCBBD86A105000000000000F03F00"]),
    ("SELECT tuple_sketch_summary_integer(tuple_sketch_agg_integer(k, v, 12, 'min'), 'max'), "
     "tuple_sketch_estimate_double(tuple_union_double(tuple_sketch_agg_double(k, 1.0D), "
     "tuple_sketch_agg_double(k + 1, 1.0D))) FROM VALUES (1, 5), (1, 2), (2, 9) t(k, v)",
     ["9\t3.0"]),
    ("SELECT hex(count_min_sketch(col, 0.5d, 0.5d, 1)) FROM VALUES ('a'), (NULL), ('b') t(col)",
     ["0000000100000000000000020000000100000004000000005D8D6AB9000000000000000000000000"
      "000000010000000000000000" "0000000000000001"]),
    ("SELECT histogram_numeric(x, 2) FROM VALUES (1), (2), (3), (4) t(x)",
     ['[{"x":2,"y":3.0},{"x":4,"y":1.0}]']),
    ("SELECT mode(x) FROM VALUES (3), (2), (1), (5), (4) t(x)", ["4"]),
    # ties: MaxBy/MinBy keep the later row; the k forms follow Spark's heap
    ("SELECT max_by(x, y), min_by(x, y), max_by(x, y, 1), min_by(x, y, 3) "
     "FROM VALUES ('a', 1), ('b', 1), ('c', 0), ('d', 0), ('e', 2), ('f', 0) t(x, y)",
     ['e\tf\t["e"]\t["f","d","c"]']),
])
def test_sketches_and_hash_order(spark, sql, expected):
    assert rows(spark, sql) == expected


def test_stat_kernels_match_reference():
    import numpy as np
    from ember.engine.kernels.aggregate_stats import central_moments, co_moments
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=200), rng.normal(size=200)
    ids = rng.integers(0, 3, size=200)
    valid = rng.random(200) > 0.2
    n, avg, m2, m3, m4 = central_moments(ids, x, valid, 4, 4)
    cn, xa, ya, ck, xm, ym = co_moments(ids, x, y, valid, 4)
    for g in range(3):
        v, w = x[(ids == g) & valid], y[(ids == g) & valid]
        d = v - v.mean()
        assert n[g] == len(v) and np.isclose(avg[g], v.mean())
        assert np.allclose([m2[g], m3[g], m4[g]], [(d ** 2).sum(), (d ** 3).sum(), (d ** 4).sum()])
        assert np.isclose(ck[g], (d * (w - w.mean())).sum())
        assert np.isclose(xm[g], (d ** 2).sum()) and np.isclose(ym[g], ((w - w.mean()) ** 2).sum())
    assert n[3] == 0 and cn[3] == 0        # an empty group
