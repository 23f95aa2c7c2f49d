"""The corpus ratchet: every statement of ../shared/conformance either passes or is listed in
known_failures.txt -- and every listed statement still fails, so the list only shrinks.

Regenerate the list (after fixing things) with:
    python -m tests.conformance --write-known-failures tests/conformance/known_failures.txt
"""
from __future__ import annotations

import os

import pytest

from tests.conformance.corpus import corpus_dir, corpus_files, read_parser_cases
from tests.conformance.runner import check_parser_case, load_known_failures, run_file

ROOT = corpus_dir()
KNOWN = load_known_failures(os.path.join(os.path.dirname(__file__), "known_failures.txt"))

if not os.path.isdir(ROOT):
    pytest.skip(f"conformance corpus not found at {ROOT} (set EMBER_CONFORMANCE_DIR)",
                allow_module_level=True)


def _check(outcomes, prefix):
    failing = {o.case.key: o.reason for o in outcomes if not o.passed}
    listed = {k for k in KNOWN if k.startswith(prefix)}
    unexpected = sorted(set(failing) - listed, key=_order)
    fixed = sorted(listed - set(failing), key=_order)
    problems = []
    for key in unexpected:
        problems.append(f"NEW FAILURE {key}: {failing[key]}")
    for key in fixed:
        problems.append(f"NOW PASSES {key}: remove it from known_failures.txt")
    assert not problems, "\n".join(problems)


def _order(key: str):
    name, _, number = key.rpartition(":")
    return name, int(number)


@pytest.mark.parametrize("rel", corpus_files(ROOT))
def test_corpus_file(rel):
    _check(run_file(ROOT, rel), rel + ":")


def test_parser_corpus():
    cases = read_parser_cases(ROOT)
    if not cases:
        pytest.skip("no parser.jsonl")
    _check([check_parser_case(c) for c in cases], "parser.jsonl:")


def test_known_failures_name_real_statements():
    """Every entry points at an existing statement (a typo would hide nothing forever)."""
    from tests.conformance.corpus import read_cases
    existing = set()
    for rel in corpus_files(ROOT):
        existing |= {c.key for c in read_cases(os.path.join(ROOT, rel), rel)}
    existing |= {c.key for c in read_parser_cases(ROOT)}
    stale = sorted(k for k in KNOWN if k not in existing)
    assert not stale, f"known_failures.txt names statements that do not exist: {stale[:10]}"
