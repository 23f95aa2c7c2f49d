"""Property: whatever text comes in, the parser answers with a plan or a ParseException, never
another exception and never an internal error dressed as a syntax error.

Inputs are Spark's own conformance statements, mutated (tokens dropped, duplicated, swapped,
cut short, replaced by odd characters), plus soups of random SQL tokens."""
from __future__ import annotations

import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ember.errors import ParseException
from ember.parser import parse_data_type, parse_expression, parse_statement
from tests.conformance.corpus import corpus_dir, corpus_files, read_cases, read_parser_cases


def _seed_texts():
    root = corpus_dir()
    texts = [c.text for c in read_parser_cases(root)]
    for rel in corpus_files(root):
        texts += [c.query for c in read_cases(os.path.join(root, rel), rel)]
    return sorted(set(texts))


SEEDS = _seed_texts()
WORDS = ("SELECT FROM WHERE GROUP BY ORDER HAVING JOIN ON USING AS NOT NULL IN IS LIKE CASE WHEN "
         "THEN END CAST INTERVAL DATE TIMESTAMP TABLE CREATE INSERT INTO VALUES WITH UNION ALL "
         "DISTINCT OVER PARTITION LATERAL VIEW ARRAY MAP STRUCT DEFAULT TABLESAMPLE PERCENT "
         "BUCKET IDENTIFIER SECOND DAY TO YEAR x y 1 1.5 1e10 1L 128Y 1e400 99999999999999999999 "
         "'a' '' X'0' ( ) , . ; * + - / = <> < > || :: [ ] { } ' \" ` /* */ -- \\ => -> |> ? : "
         "$ @ # % ^ & ~ !").split()
ODD_CHARS = "\x00\x07\n\r'\"\\`\u2028\ufeff\U0001F600é中"


def _tokens(text: str):
    return re.findall(r"\w+|\s+|.", text, re.S)


@st.composite
def mutated_statement(draw):
    toks = _tokens(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 3))):
        if not toks:
            toks = [draw(st.sampled_from(WORDS))]
        i = draw(st.integers(0, len(toks) - 1))
        op = draw(st.integers(0, 5))
        if op == 0:
            del toks[i]
        elif op == 1:
            toks.insert(i, draw(st.sampled_from(WORDS)) + " ")
        elif op == 2:
            toks[i:i + 2] = toks[i:i + 2][::-1]
        elif op == 3:
            toks = toks[:i]
        elif op == 4:
            toks.insert(i, toks[draw(st.integers(0, len(toks) - 1))])
        else:
            toks[i] = draw(st.sampled_from(ODD_CHARS))
    return "".join(toks)


token_soup = st.lists(st.sampled_from(WORDS), min_size=1, max_size=14).map(" ".join)


def _answers_cleanly(parse, text: str) -> None:
    try:
        parse(text)
    except ParseException as e:
        internal = getattr(e, "internal_error", None)
        assert internal is None, f"internal error {internal!r} for {text!r}"


_SETTINGS = settings(max_examples=1500, deadline=None, derandomize=False, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@_SETTINGS
@given(mutated_statement())
def test_mutated_statements_parse_or_raise_parse_exception(text):
    _answers_cleanly(parse_statement, text)


@settings(_SETTINGS, max_examples=500)
@given(st.one_of(mutated_statement(), token_soup))
def test_expressions_and_types_parse_or_raise_parse_exception(text):
    _answers_cleanly(parse_expression, text)
    _answers_cleanly(parse_data_type, text)


@settings(_SETTINGS, max_examples=1000)
@given(token_soup)
def test_token_soup_parses_or_raises_parse_exception(text):
    _answers_cleanly(parse_statement, text)


@pytest.mark.parametrize("text", [
    "interval '' month to second", "1E99999999BD", "SELECT a FROM t |> ORDER BY 1",
    "interval 'x' week", "-129Y", "1e400", "\x00", "SELECT '\\", "/* unclosed",
])
def test_inputs_that_once_broke_the_builder(text):
    _answers_cleanly(parse_statement, text)
    _answers_cleanly(parse_expression, text)
