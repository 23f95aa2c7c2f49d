"""Parser: SQL text in, Spark's unresolved plan (or Spark's parse error) out."""
from __future__ import annotations

import re

import pytest

from ember import types as T
from ember.errors import ParseException
from ember.parser import parse_data_type, parse_expression, parse_statement, split_statements


def tree(sql: str) -> str:
    """The plan's tree string with expression ids normalised (`b#12` -> `b#N`)."""
    return re.sub(r"#\d+", "#N", parse_statement(sql).tree_string())


def test_select_builds_catalyst_shaped_plan():
    assert tree("SELECT a + 1 AS b FROM t WHERE a > 0 ORDER BY b LIMIT 3") == (
        "'GlobalLimit 3\n"
        "+- 'LocalLimit 3\n"
        "   +- 'Sort ['b ASC NULLS FIRST], true\n"
        "      +- 'Project [('a + 1) AS b#N]\n"
        "         +- 'Filter ('a > 0)\n"
        "            +- 'UnresolvedRelation [t], [], false\n")


@pytest.mark.parametrize("text,value,type_", [
    ("1", 1, T.IntegerType()), ("2147483648", 2147483648, T.LongType()),
    ("-2147483648", -2147483648, T.IntegerType()), ("1L", 1, T.LongType()),
    ("1S", 1, T.ShortType()), ("1Y", 1, T.ByteType()), ("1.5", None, T.DecimalType(2, 1)),
    (".5", None, T.DecimalType(1, 1)), ("1e3", 1000.0, T.DoubleType()),
    ("1.5e3BD", None, T.DecimalType(4, 0)), ("1.0D", 1.0, T.DoubleType()),
    ("1.0F", 1.0, T.FloatType()), ("TRUE", True, T.BooleanType()),
    ("'it' 's'", "its", T.StringType()), ("'a\\tb'", "a\tb", T.StringType()),
    ("'it''s'", "it's", T.StringType()), ('"say ""hi"""', 'say "hi"', T.StringType()),
    ("X'0A'", b"\n", T.BinaryType()), ("NULL", None, T.NullType()),
])
def test_literals(text, value, type_):
    e = parse_expression(text)
    assert e.data_type == type_
    if value is not None:
        assert e.value == value


def test_typed_and_interval_literals():
    assert parse_expression("DATE '2024-02-29'").sql() == "DATE '2024-02-29'"
    assert parse_expression("INTERVAL '3' DAY").data_type == T.DayTimeIntervalType(0, 0)
    assert parse_expression("INTERVAL '68 days'").sql() == "INTERVAL '68' DAY"
    assert parse_expression("INTERVAL '1-2' YEAR TO MONTH").value == 14
    assert parse_expression("INTERVAL 1 DAY 2 HOURS").data_type == T.DayTimeIntervalType(0, 1)


def test_operator_precedence_matches_spark():
    assert str(parse_expression("1 + 2 * 3")) == "(1 + (2 * 3))"
    assert str(parse_expression("NOT a = 1 AND b OR c")) == "((NOT ('a = 1) AND 'b) OR 'c)"
    assert str(parse_expression("a BETWEEN 1 AND 2 AND b")) == "('between('a, 1, 2) AND 'b)"
    assert str(parse_expression("-a * b")) == "(-'a * 'b)"
    assert str(parse_expression("a <> 1")) == "NOT ('a = 1)"


def test_keywords_work_as_identifiers():
    p = parse_statement("SELECT date, timestamp, first FROM t")
    assert [str(e.child) for e in p.project_list] == ["'date", "'timestamp", "'first"]
    assert "left" in tree("SELECT left(s, 2) FROM t")


def test_nested_type_closing_brackets():
    assert parse_data_type("array<map<int, struct<a:int,b:string>>>") == T.ArrayType(
        T.MapType(T.IntegerType(), T.StructType([T.StructField("a", T.IntegerType()),
                                                 T.StructField("b", T.StringType())])))
    assert parse_data_type("decimal(10, 2)") == T.DecimalType(10, 2)
    assert parse_data_type("INTERVAL YEAR TO MONTH") == T.YearMonthIntervalType(0, 1)


def test_syntax_error_has_condition_position_and_caret():
    with pytest.raises(ParseException) as info:
        parse_statement("SELECT 1,\n  2 3 4")
    e = info.value
    assert e.getCondition() == "PARSE_SYNTAX_ERROR"
    assert (e.line, e.pos) == (2, 4)
    assert "Syntax error at or near '3'" in str(e)
    assert str(e).endswith("  2 3 4\n----^^^")


@pytest.mark.parametrize("sql,condition", [
    ("", "PARSE_EMPTY_STATEMENT"), ("  -- only a comment", "PARSE_SYNTAX_ERROR"),
    ("SELECT 1 /* open", "UNCLOSED_BRACKETED_COMMENT"),
    ("SELECT DATE '2024-13-45'", "INVALID_TYPED_LITERAL"),
    ("SELECT (1", "PARSE_SYNTAX_ERROR"),
])
def test_parse_error_conditions(sql, condition):
    with pytest.raises(ParseException) as info:
        parse_statement(sql)
    assert info.value.getCondition() == condition


def test_comments_nest_and_hints_survive():
    assert tree("SELECT /* a /* nested */ comment */ 1 -- trailing") == tree("SELECT 1")
    assert "UnresolvedHint BROADCAST" in tree("SELECT /*+ BROADCAST(t) */ * FROM t")


def test_statements():
    create = parse_statement("CREATE OR REPLACE TEMPORARY VIEW v(a, b) AS VALUES (1, 2)")
    assert (create.replace, create.temporary, create.column_names) == (True, True, ["a", "b"])
    assert create.sql_text == "VALUES (1, 2)"
    assert parse_statement("EXPLAIN EXTENDED SELECT 1").mode == "extended"
    s = parse_statement("SET spark.sql.shuffle.partitions = 10")
    assert (s.key, s.value) == ("spark.sql.shuffle.partitions", "10")
    assert parse_statement("SET").key is None


def test_split_statements_like_the_cli():
    script = "SELECT ';'; SELECT 1 -- x; y\n; /* ; */ SELECT `a;b`;;"
    assert [s.strip() for s in split_statements(script)] == [
        "SELECT ';'", "SELECT 1 -- x; y", "/* ; */ SELECT `a;b`"]
