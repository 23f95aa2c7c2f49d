"""The checks Spark's AstBuilder makes while it builds a statement: clause combinations the
grammar accepts but Spark rejects at parse time, each with Spark's error condition."""
from __future__ import annotations

import re
from typing import Iterable, List, Optional

from lark import Token

from ember import types as T
from ember._java import java_double_str
from ember.errors import ParseException


def _kind(x) -> Optional[str]:
    return getattr(x, "kind", None)


def _tokens(payload, *types) -> List[Token]:
    return [x for x in payload if isinstance(x, Token) and (not types or x.type in types)]


def statement_not_valid(operation: str) -> ParseException:
    return ParseException("INVALID_STATEMENT_OR_CLAUSE", operation=operation)


def operation_not_allowed(message: str) -> ParseException:
    return ParseException("_LEGACY_ERROR_TEMP_0035", message=message)


def hive_style_not_supported(operation: str, command: str, msg: str = "") -> ParseException:
    # `command` is also ParseException's SQL-text argument: pass the parameters as a dict
    return ParseException("_LEGACY_ERROR_TEMP_0034", parameters={
        "operation": operation, "command": command, "msg": msg})


def spark_type_name(dt: T.DataType) -> str:
    """How Spark's error messages print a DataType (`ShortType`, `DecimalType(10,0)`)."""
    if isinstance(dt, T.DecimalType):
        return f"DecimalType({dt.precision},{dt.scale})"
    return type(dt).__name__


# ------------------------------------------------------------------------- column definitions
_CREATE_DESCRIPTORS = {"col_not_null": "NOT NULL", "col_default": "DEFAULT",
                       "col_generated": "GENERATED ALWAYS AS",
                       "col_identity": "GENERATED ALWAYS AS", "col_comment": "COMMENT"}


def check_create_column(name: str, data_type: T.DataType, options: Iterable) -> None:
    """CREATE/REPLACE TABLE column: each descriptor once; IDENTITY options valid."""
    seen = set()
    for opt in options:
        label = _CREATE_DESCRIPTORS.get(_kind(opt))
        if label is None:
            continue
        if label in seen:
            raise ParseException("CREATE_TABLE_COLUMN_DESCRIPTOR_DUPLICATE", columnName=name,
                                 optionName=label)
        seen.add(label)
        if _kind(opt) == "col_identity":
            _check_identity(data_type, [x for x in opt.payload if _kind(x) == "identity_option"])


def _check_identity(data_type: T.DataType, options) -> None:
    if not isinstance(data_type, (T.IntegerType, T.LongType)):
        raise ParseException("IDENTITY_COLUMNS_UNSUPPORTED_DATA_TYPE",
                             dataType=spark_type_name(data_type))
    seen = set()
    for opt in options:
        which = "START" if _tokens(opt.payload, "START") else "STEP"
        if which in seen:
            raise ParseException("IDENTITY_COLUMNS_DUPLICATED_SEQUENCE_GENERATOR_OPTION",
                                 sequenceGeneratorOption=which)
        seen.add(which)
        number = [x for x in opt.payload if _kind(x) == "number_or_signed"][0]
        if which == "STEP" and int(_tokens(number.payload, "INTEGER_VALUE")[0]) == 0:
            raise ParseException("IDENTITY_COLUMNS_ILLEGAL_STEP")


def _descriptor_label(desc) -> Optional[str]:
    payload = desc.payload
    if _tokens(payload, "NOT", "NOT_NULL"):
        return "NOT NULL"
    if _tokens(payload, "DEFAULT"):
        return "DEFAULT"
    if _tokens(payload, "COMMENT"):
        return "COMMENT"
    if any(_kind(x) == "col_position" for x in payload):
        return "FIRST|AFTER"
    return None


def check_alter_columns(columns, command: str) -> None:
    """ALTER TABLE ADD/REPLACE COLUMNS: each descriptor once per column; Hive-style REPLACE
    COLUMNS takes neither nested names, positions, NOT NULL nor DEFAULT."""
    for col in columns:
        name_parts = col.payload[0]
        descriptors = [x for x in col.payload if _kind(x) == "col_descriptor"]
        labels = [_descriptor_label(d) for d in descriptors]
        if command == "REPLACE" and "DEFAULT" in labels:
            raise ParseException("UNSUPPORTED_DEFAULT_VALUE.WITHOUT_SUGGESTION")
        seen = set()
        for label in labels:
            if label in seen:
                raise ParseException("ALTER_TABLE_COLUMN_DESCRIPTOR_DUPLICATE", type=command,
                                     columnName=name_parts[-1], optionName=label)
            seen.add(label)
        if command != "REPLACE":
            continue
        if len(name_parts) > 1:
            raise hive_style_not_supported("Replacing with a nested column", "REPLACE COLUMNS")
        if "FIRST|AFTER" in seen:
            raise hive_style_not_supported("Column position", "REPLACE COLUMNS")
        if "NOT NULL" in seen:
            raise hive_style_not_supported("NOT NULL", "REPLACE COLUMNS")


def check_hive_change_column(partition, old_name: List[str], new_name: str) -> None:
    if partition is not None:
        raise statement_not_valid("ALTER TABLE ... PARTITION ... CHANGE COLUMN")
    if old_name[-1].lower() != new_name.lower():
        raise hive_style_not_supported("Renaming column", "ALTER COLUMN",
                                       ", please run RENAME COLUMN instead")


# ------------------------------------------------------------------------- CREATE TABLE clauses
_FORMATS_WITHOUT_SERDE = ("sequencefile", "textfile", "rcfile")


def _file_format(stored):
    fmt = [x for x in stored.payload if _kind(x) in ("file_format_io", "file_format_name")]
    return fmt[0] if fmt else None


def _strings(payload) -> List[str]:
    return [x for x in payload if isinstance(x, str) and not isinstance(x, Token)]


def _stored_as_text(stored) -> str:
    fmt = _file_format(stored)
    if fmt.kind == "file_format_io":
        inp, out = _strings(fmt.payload)[:2]
        return f"INPUTFORMAT {inp.upper()} OUTPUTFORMAT {out.upper()} "
    return str(fmt.payload[0]).upper() + " "


def check_table_clauses(tc: dict, using: bool, statement: str) -> None:
    """Spark's rules for combining USING, STORED AS/BY, ROW FORMAT, SKEWED BY, PARTITIONED BY,
    CLUSTERED BY and CLUSTER BY in CREATE/REPLACE TABLE."""
    if "tc_cluster_by" in tc:
        if "tc_partitioned" in tc:
            raise ParseException("SPECIFY_CLUSTER_BY_WITH_PARTITIONED_BY_IS_NOT_ALLOWED")
        if "tc_bucket" in tc:
            raise ParseException("SPECIFY_CLUSTER_BY_WITH_BUCKETING_IS_NOT_ALLOWED")
    if "tc_skewed" in tc:
        raise statement_not_valid("CREATE TABLE ... SKEWED BY")
    stored = tc.get("tc_stored")
    if stored is not None and stored.kind == "tc_stored_by":
        raise statement_not_valid("STORED BY")
    row_format = tc.get("tc_row_format")
    row_kind = None
    if row_format is not None:
        row_kind = row_format.payload[0]
    if using:
        if row_kind is not None:
            if row_kind.kind == "row_format_delimited":
                # Spark names the clause only when it has delimiter settings
                tail = "ROW FORMAT DELIMITED" if any(_kind(x) == "row_format_delimited"
                                                     for x in row_kind.payload) else ""
                raise statement_not_valid(f"{statement} ... USING ... {tail}")
            serde = _strings(row_kind.payload)[0]
            raise statement_not_valid(f"{statement} ... USING ... ROW FORMAT SERDE "
                                      f"{serde.upper()}")
        if stored is not None:
            raise statement_not_valid(f"{statement} ... USING ... STORED AS "
                                      f"{_stored_as_text(stored)}")
        return
    if stored is None or row_kind is None:
        return
    fmt = _file_format(stored)
    if fmt is None or fmt.kind == "file_format_io":
        return
    name = str(fmt.payload[0]).lower()
    if row_kind.kind == "row_format_delimited" and name != "textfile":
        raise operation_not_allowed(
            f"ROW FORMAT DELIMITED is only compatible with 'textfile', not '{name}'")
    if row_kind.kind == "row_format_serde" and name not in _FORMATS_WITHOUT_SERDE:
        raise operation_not_allowed(
            f"ROW FORMAT SERDE is incompatible with format '{name}', which also specifies "
            "a serde")


# ------------------------------------------------------------------------- relations
def check_fraction(fraction: float) -> None:
    if not (-1e-6 <= fraction <= 1.0 + 1e-6):
        raise ParseException("INVALID_TABLESAMPLE_FRACTION", fraction=java_double_str(fraction))


def check_nearest_join(join_type: str, lateral: bool, k_text: Optional[str]) -> None:
    names = {"Cross": "CROSS", "FullOuter": "FULL OUTER", "RightOuter": "RIGHT OUTER",
             "LeftSemi": "LEFT SEMI", "LeftAnti": "LEFT ANTI"}
    if join_type in names:
        raise ParseException("NEAREST_BY_JOIN.UNSUPPORTED_JOIN_TYPE", joinType=names[join_type],
                             supported="'INNER', 'LEFT OUTER'")
    if lateral:
        raise ParseException("UNSUPPORTED_FEATURE.LATERAL_JOIN_NEAREST_BY")
    if k_text is not None and not 1 <= int(k_text) <= 100000:
        raise ParseException("NEAREST_BY_JOIN.NUM_RESULTS_OUT_OF_RANGE", numResults=k_text,
                             min="1", max="100000")


# ------------------------------------------------------------------------- DML
def check_no_column_aliases(alias, operation: str) -> None:
    """DELETE/UPDATE/MERGE targets (and MERGE sources) take a table alias, not column aliases."""
    if alias is not None and alias.payload[1]:
        raise ParseException("COLUMN_ALIASES_NOT_ALLOWED", op=operation)


_MERGE_LAST_RULE = {"when_matched": "NON_LAST_MATCHED_CLAUSE_OMIT_CONDITION",
                    "when_not_matched": "NON_LAST_NOT_MATCHED_BY_TARGET_CLAUSE_OMIT_CONDITION",
                    "when_not_matched_by_source":
                        "NON_LAST_NOT_MATCHED_BY_SOURCE_CLAUSE_OMIT_CONDITION"}


def check_merge_clauses(merge_clauses) -> None:
    """Of several clauses of one kind only the last may omit its condition; INSERT lists as many
    values as columns."""
    for kind, condition in _MERGE_LAST_RULE.items():
        same = [m for m in merge_clauses if m.kind == kind]
        if any(not _tokens(m.payload, "AND") for m in same[:-1]):
            raise ParseException(condition)
    for m in merge_clauses:
        for action in m.payload:
            if _kind(action) != "not_matched_action" or _tokens(action.payload, "ASTERISK"):
                continue
            columns = [x for x in action.payload if isinstance(x, list)]
            values_at = next(i for i, x in enumerate(action.payload)
                             if isinstance(x, Token) and x.type == "VALUES")
            values = [x for x in action.payload[values_at + 1:] if not isinstance(x, Token)]
            if len(values) != len(columns):
                raise ParseException("MERGE_INSERT_VALUE_COUNT_MISMATCH",
                                     actualCount=len(values), expectedCount=len(columns))


def check_sample(method: str, spec, repeatable: bool) -> None:
    """TABLESAMPLE: SYSTEM samples only by PERCENT and without REPEATABLE; fractions lie in
    [0, 1]; Spark runs neither byte-length nor ON-column bucket sampling."""
    kind = _kind(spec)
    if method == "SYSTEM":
        names = {"sample_rows": "ROWS", "sample_bytes": "BYTES", "sample_bucket": "BUCKET"}
        if kind in names:
            raise ParseException("UNSUPPORTED_FEATURE.TABLESAMPLE_SYSTEM_SAMPLE_METHOD",
                                 sampleMethod=names[kind])
        if repeatable:
            raise ParseException("UNSUPPORTED_FEATURE.TABLESAMPLE_SYSTEM_REPEATABLE")
    if kind == "sample_percent":
        number = float(_tokens(spec.payload, "INTEGER_VALUE", "DECIMAL_VALUE")[0].value)
        sign = -1 if _tokens(spec.payload, "MINUS") else 1
        check_fraction(sign * number / 100.0)
    elif kind == "sample_bucket":
        num, den = (int(t.value) for t in _tokens(spec.payload, "INTEGER_VALUE"))
        if _tokens(spec.payload, "ON"):
            target = spec.payload[-1]
            what = "function" if isinstance(target, list) else "colname"
            raise ParseException("_LEGACY_ERROR_TEMP_0015", msg=f"BUCKET x OUT OF y ON {what}")
        check_fraction(num / den if den else float("inf"))
    elif kind == "sample_bytes":
        from ember.optimizer.expressions import UnresolvedAttribute
        expr = spec.payload[0]
        text = ".".join(expr.name_parts) if isinstance(expr, UnresolvedAttribute) else str(expr)
        if re.fullmatch(r"[0-9]+[bBkKmMgG]", text):
            raise ParseException("_LEGACY_ERROR_TEMP_0015", msg="byteLengthLiteral")
        raise ParseException("_LEGACY_ERROR_TEMP_0016", bytesStr=text)


# ------------------------------------------------------------------------- time travel, CDC
def _refers_to_columns(expr) -> bool:
    from ember.optimizer.expressions import UnresolvedAttribute
    return expr.exists(lambda e: isinstance(e, UnresolvedAttribute))


def _has_subquery(expr) -> bool:
    from ember.optimizer.expressions.subquery import SubqueryExpression
    return expr.exists(lambda e: isinstance(e, SubqueryExpression))


def check_time_travel_timestamp(expr) -> None:
    if _refers_to_columns(expr):
        raise ParseException("_LEGACY_ERROR_TEMP_0056",
                             reason="timestamp expression cannot refer to any columns")


def check_changes_timestamp(expr) -> None:
    if _has_subquery(expr):
        raise ParseException("INVALID_CDC_OPTION.INVALID_TIMESTAMP_EXPR")
    check_time_travel_timestamp(expr)


_DEDUPLICATION_MODES = ("none", "dropCarryovers", "netChanges")


def check_changes_options(options: dict) -> None:
    for key, value in options.items():
        if key.lower() == "deduplicationmode" and str(value).lower() not in [
                m.lower() for m in _DEDUPLICATION_MODES]:
            raise ParseException("INVALID_CDC_OPTION.INVALID_DEDUPLICATION_MODE", mode=value)


def check_from_extras(kinds) -> None:
    """A FROM clause takes LATERAL VIEW, PIVOT or UNPIVOT, not two of them."""
    if "pivot" in kinds and "unpivot" in kinds:
        raise ParseException("NOT_ALLOWED_IN_FROM.UNPIVOT_WITH_PIVOT")
    if "lateral_view" in kinds and "pivot" in kinds:
        raise ParseException("NOT_ALLOWED_IN_FROM.LATERAL_WITH_PIVOT")
    if "lateral_view" in kinds and "unpivot" in kinds:
        raise ParseException("NOT_ALLOWED_IN_FROM.LATERAL_WITH_UNPIVOT")
