"""The runner is exactly as strict as the corpus README: a changed row, a missing row, a
changed column name or type, and a different error condition each fail a statement."""
from __future__ import annotations

import os
import textwrap

from tests.conformance.runner import compare_rows, run_file

GOOD = textwrap.dedent("""\
    -- Answers of Apache Spark 4.3.0 to t.sql
    -- !query
    CREATE OR REPLACE TEMPORARY VIEW v(a, b) AS VALUES (1, 'x'), (2, 'y'), (3, NULL)
    -- !schema
    struct<>
    -- !output unordered
    -- !end

    -- !query
    SELECT a, b FROM v ORDER BY a
    -- !schema
    struct<a:int,b:string>
    -- !output ordered
    1\tx
    2\ty
    3\tNULL
    -- !end

    -- !query
    SELECT a / 0 FROM v
    -- !error
    DIVIDE_BY_ZERO
    -- !end

    -- !query
    SELECT b, a * 1.5D FROM v
    -- !schema
    struct<b:string,(a * 1.5):double>
    -- !output unordered
    y\t3.0
    x\t1.5
    NULL\t4.5
    -- !end
    """)


def _write(tmp_path, text):
    folder = tmp_path / "sql"
    folder.mkdir(exist_ok=True)
    (folder / "t.sql.out").write_text(text)
    return str(tmp_path)


def _results(tmp_path, text):
    return [o.passed for o in run_file(_write(tmp_path, text), "sql/t.sql.out")]


def test_correct_answers_pass(tmp_path):
    assert _results(tmp_path, GOOD) == [True, True, True, True]


def test_changed_row_fails(tmp_path):
    assert _results(tmp_path, GOOD.replace("2\ty\n", "2\tz\n")) == [True, False, True, True]


def test_missing_row_fails(tmp_path):
    assert _results(tmp_path, GOOD.replace("3\tNULL\n", "")) == [True, False, True, True]


def test_changed_order_fails_only_when_ordered(tmp_path):
    swapped = GOOD.replace("1\tx\n2\ty\n", "2\ty\n1\tx\n")
    assert _results(tmp_path, swapped) == [True, False, True, True]


def test_changed_column_name_fails(tmp_path):
    assert _results(tmp_path, GOOD.replace("struct<a:int,b:string>",
                                           "struct<A:int,b:string>")) == [True, False, True, True]


def test_changed_column_type_fails(tmp_path):
    assert _results(tmp_path, GOOD.replace("struct<a:int,b:string>",
                                           "struct<a:bigint,b:string>")) == [True, False, True, True]


def test_different_error_condition_fails(tmp_path):
    assert _results(tmp_path, GOOD.replace("DIVIDE_BY_ZERO", "ARITHMETIC_OVERFLOW")) == \
        [True, True, False, True]


def test_expected_error_but_result_fails(tmp_path):
    text = GOOD.replace("SELECT a / 0 FROM v", "SELECT a FROM v")
    assert _results(tmp_path, text) == [True, True, False, True]


def test_float_tolerance_is_relative_1e9():
    assert compare_rows(["1.0000000000000002"], ["1.0"], True, [0]) is None
    assert compare_rows(["1.00001"], ["1.0"], True, [0]) is not None
    # tolerance applies to double/float columns only
    assert compare_rows(["1.0000000000000002"], ["1.0"], True, []) is not None
