"""Running corpus files against Ember and comparing with Spark's answers, exactly as
../shared/conformance/README.md says:

- schema: equal catalog strings;
- rows: the spark-sql text of every value (newline written `\\n`, other control characters
  `\\xNN`), same order when the output is `ordered`, same multiset otherwise; fields of
  double/float columns may differ by a relative 1e-9;
- errors: the same error condition, raised as an Ember error (not some other exception).
"""
from __future__ import annotations

import math
import os
import shutil
import tempfile
import traceback
from dataclasses import dataclass
from typing import Dict, List, Optional

from tests.conformance.corpus import Case, ParserCase, read_cases

FLOAT_TOLERANCE = 1e-9


@dataclass
class Outcome:
    case: Case
    passed: bool
    reason: str = ""


def new_session(warehouse: str):
    """A fresh session as the corpus was produced: ANSI on, UTC, empty catalog."""
    from ember.catalog.session_catalog import GlobalTempViews
    from ember.session import SparkSession
    spark = (SparkSession.builder
             .config("spark.sql.ansi.enabled", "true")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.sql.warehouse.dir", os.path.join(warehouse, "spark-warehouse"))
             .create())
    spark._catalog.global_temp_views = GlobalTempViews()
    return spark


def escape_field(value: str) -> str:
    out = []
    for ch in value:
        if ch == "\n":
            out.append("\\n")
        elif ord(ch) < 32 and ch != "\t" or ord(ch) == 127:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return "".join(out)


def run_statement(spark, query: str):
    """(schema string, row lines) for a statement, or raise its error."""
    from ember.engine.result_format import hive_strings
    df = spark.sql(query)
    table = df.toArrow()
    schema = df.schema
    rows = hive_strings(table, schema, spark.conf.get("spark.sql.session.timeZone"))
    return schema, ["\t".join(escape_field(v) for v in row) for row in rows]


def _float_columns(schema_text: str) -> List[int]:
    from ember.parser import parse_data_type
    try:
        st = parse_data_type(schema_text)
    except Exception:
        return []
    return [i for i, f in enumerate(getattr(st, "fields", []))
            if f.dataType.simpleString() in ("double", "float")]


def _field_equal(a: str, b: str, is_float: bool) -> bool:
    if a == b:
        return True
    if not is_float:
        return False
    try:
        x, y = float(a), float(b)
    except ValueError:
        return False
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= FLOAT_TOLERANCE * max(abs(x), abs(y))


def _row_equal(a: str, b: str, floats: List[int]) -> bool:
    if a == b:
        return True
    if not floats:
        return False
    fa, fb = a.split("\t"), b.split("\t")
    if len(fa) != len(fb):
        return False
    fs = set(floats)
    return all(_field_equal(x, y, i in fs) for i, (x, y) in enumerate(zip(fa, fb)))


def compare_rows(expected: List[str], actual: List[str], ordered: bool,
                 floats: List[int]) -> Optional[str]:
    """None when the rows agree, else a short description of the first difference."""
    if len(expected) != len(actual):
        return f"expected {len(expected)} rows, got {len(actual)}"
    if ordered:
        for i, (e, a) in enumerate(zip(expected, actual)):
            if not _row_equal(e, a, floats):
                return f"row {i + 1}: expected {e!r}, got {a!r}"
        return None
    if sorted(expected) == sorted(actual):
        return None
    remaining = list(actual)
    for e in expected:
        for j, a in enumerate(remaining):
            if _row_equal(e, a, floats):
                del remaining[j]
                break
        else:
            return f"expected row {e!r} not found (got {sorted(actual)[:3]}...)"
    return None


def check_case(spark, case: Case) -> Outcome:
    from ember.errors import EmberException
    try:
        schema, rows = run_statement(spark, case.query)
    except EmberException as e:
        if case.error is None:
            return Outcome(case, False, f"unexpected error {e.getCondition()}: "
                                        f"{str(e).strip().splitlines()[0][:200]}")
        if e.getCondition() == case.error:
            return Outcome(case, True)
        return Outcome(case, False, f"expected error {case.error}, got {e.getCondition()}: "
                                    f"{str(e).strip().splitlines()[0][:200]}")
    except Exception as e:       # a crash: never acceptable, even where an error is expected
        tb = traceback.format_exception(type(e), e, e.__traceback__)
        return Outcome(case, False, "crash: " + "".join(tb[-3:])[-600:])
    if case.error is not None:
        return Outcome(case, False, f"expected error {case.error}, got a result")
    got = schema.catalogString()
    if got != case.schema:
        return Outcome(case, False, f"schema: expected {case.schema}, got {got}")
    diff = compare_rows(case.rows, rows, case.ordered, _float_columns(case.schema))
    if diff:
        return Outcome(case, False, diff)
    return Outcome(case, True)


def run_file(root: str, rel: str) -> List[Outcome]:
    """Run one corpus file top to bottom in one fresh session."""
    cases = read_cases(os.path.join(root, rel), rel)
    warehouse = tempfile.mkdtemp(prefix="ember-conformance-")
    try:
        spark = new_session(warehouse)
        if rel.startswith("tpch/"):
            from tests.conformance.tpch_data import register_tpch
            register_tpch(spark)
        outcomes = [check_case(spark, c) for c in cases]
        spark.stop()
        return outcomes
    finally:
        shutil.rmtree(warehouse, ignore_errors=True)


# ---------------------------------------------------------------------------- parser corpus
def check_parser_case(case: ParserCase) -> Outcome:
    from ember.errors import ParseException
    from ember.parser import parse_data_type, parse_expression, parse_statement
    fn = {"statement": parse_statement, "expression": parse_expression,
          "datatype": parse_data_type}[case.kind]
    dummy = Case("parser.jsonl", case.number, case.text)
    try:
        fn(case.text)
    except ParseException as e:
        if case.spark == "ok":
            return Outcome(dummy, False, f"rejected: {str(e).strip().splitlines()[0][:160]}")
        if case.spark not in ("error", e.getCondition()):
            return Outcome(dummy, False, f"expected {case.spark}, got {e.getCondition()}")
        return Outcome(dummy, True)
    except Exception as e:
        return Outcome(dummy, False, f"crash: {type(e).__name__}: {str(e)[:160]}")
    if case.spark != "ok":
        return Outcome(dummy, False, "accepted, Spark rejects it")
    return Outcome(dummy, True)


def load_known_failures(path: str) -> Dict[str, str]:
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, why = line.partition(" ")
            out[key] = why.strip()
    return out
