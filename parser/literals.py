"""Turning literal tokens into values, as Spark's parser does (strings, numbers, intervals)."""
from __future__ import annotations

import decimal
import re
from typing import List, Optional, Tuple

from ember import types as T
from ember.errors import ParseException
from ember._values import (MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE,
                           MICROS_PER_SECOND)

_OCTAL = re.compile(r"[0-3][0-7]{2}")


def unescape_sql_string(token: str) -> str:
    """Spark's unescapeSQLString: the body of a quoted literal with backslash escapes applied.
    `r'...'` literals are raw."""
    if token[0] in "rR":
        quote = token[1]
        return token[2:-1].replace(quote + quote, quote)
    quote = token[0]
    body = token[1:-1]
    if "\\" not in body:
        return body.replace(quote + quote, quote)      # a doubled quote stands for one
    out = []
    i, n = 0, len(body)
    while i < n:
        ch = body[i]
        if ch == quote and i + 1 < n and body[i + 1] == quote:
            out.append(quote)
            i += 2
            continue
        if ch != "\\" or i + 1 >= n:
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "u" and i + 6 <= n and re.fullmatch(r"[0-9a-fA-F]{4}", body[i + 2:i + 6]):
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
            continue
        if nxt == "U" and i + 10 <= n and re.fullmatch(r"[0-9a-fA-F]{8}", body[i + 2:i + 10]):
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
            continue
        if _OCTAL.fullmatch(body[i + 1:i + 4] or ""):
            out.append(chr(int(body[i + 1:i + 4], 8)))
            i += 4
            continue
        mapped = {"0": "\0", "'": "'", '"': '"', "b": "\b", "n": "\n", "r": "\r", "t": "\t",
                  "Z": "\x1a", "\\": "\\", "%": "\\%", "_": "\\_"}.get(nxt)
        out.append(mapped if mapped is not None else nxt)
        i += 2
    return "".join(out)


_WIDE = decimal.Context(prec=100_000, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


def decimal_type_of(value: decimal.Decimal) -> Tuple[decimal.Decimal, T.DecimalType]:
    """Spark's type for an exact decimal literal (negative scales normalised to 0)."""
    sign, digits, exp = value.as_tuple()
    if exp > 0 and len(digits) + exp > 38:      # too wide for any DecimalType: callers reject it
        return value, T.DecimalType(len(digits) + exp, 0)
    if exp > 0:
        value = value.quantize(decimal.Decimal(1), context=_WIDE)
        sign, digits, exp = value.as_tuple()
    scale = -exp
    precision = max(len(digits), scale, 1)
    return value, T.DecimalType(precision, scale)


# ---------------------------------------------------------------------------- intervals
_YM_UNITS = {"YEAR": 0, "MONTH": 1}
_DT_UNITS = {"DAY": 0, "HOUR": 1, "MINUTE": 2, "SECOND": 3}
_UNIT_MICROS = {"WEEK": 7 * MICROS_PER_DAY, "DAY": MICROS_PER_DAY, "HOUR": MICROS_PER_HOUR,
                "MINUTE": MICROS_PER_MINUTE, "SECOND": MICROS_PER_SECOND,
                "MILLISECOND": 1000, "MICROSECOND": 1, "NANOSECOND": 0}
_UNIT_FIELD = {"WEEK": 0, "DAY": 0, "HOUR": 1, "MINUTE": 2, "SECOND": 3, "MILLISECOND": 3,
               "MICROSECOND": 3, "NANOSECOND": 3}


def normalize_unit(unit: str) -> str:
    u = unit.upper()
    if u.endswith("S") and u[:-1] in (set(_UNIT_MICROS) | {"YEAR", "MONTH"}):
        u = u[:-1]
    return u


def multi_unit_interval(pairs: List[Tuple[str, str]]):
    """`INTERVAL 1 DAY 2 HOURS` (or the same inside a string): a year-month or day-time
    interval literal value and type. `pairs` are (value text, unit)."""
    months = 0
    micros = 0
    ym_fields, dt_fields = [], []
    for value_text, unit in pairs:
        _check_interval_number(value_text, unit)
        unit = normalize_unit(unit)
        if unit in _YM_UNITS:
            v = int(value_text)
            months += v * (12 if unit == "YEAR" else 1)
            ym_fields.append(_YM_UNITS[unit])
        elif unit in _UNIT_MICROS:
            d = decimal.Decimal(value_text)
            if unit == "NANOSECOND":
                micros += int(d / 1000)
            else:
                micros += int(d * _UNIT_MICROS[unit])
            dt_fields.append(_UNIT_FIELD[unit])
        else:
            raise ParseException("INVALID_INTERVAL_FORMAT.INVALID_UNIT",
                                 input=f" {value_text} {unit}", unit=unit)
    if ym_fields and dt_fields:
        raise ParseException(
            "_LEGACY_ERROR_TEMP_0029",
            literal="interval " + " ".join(f"{v} {u.lower()}" for v, u in pairs))
    if ym_fields:
        return months, T.YearMonthIntervalType(min(ym_fields), max(ym_fields))
    return micros, T.DayTimeIntervalType(min(dt_fields), max(dt_fields))


_INTERVAL_NUMBER = re.compile(r"[+-]?\d*(?:\.\d*)?")


def _check_interval_number(value_text: str, unit: str) -> None:
    """The value of one `value unit` pair must be a number (Spark rejects any letter outright,
    then reads `' value unit'` as an interval string); only seconds take a fraction."""
    if any(ch.isalpha() for ch in value_text):
        raise ParseException("_LEGACY_ERROR_TEMP_0026", value=value_text)
    value = value_text.strip()
    text = f" {value} {unit}"
    if not value:
        raise ParseException("INVALID_INTERVAL_FORMAT.UNRECOGNIZED_NUMBER", input=text,
                             number=unit)
    if not _INTERVAL_NUMBER.fullmatch(value) or value in ("+", "-"):
        raise ParseException("INVALID_INTERVAL_FORMAT.INVALID_VALUE", input=text, value=value)
    if "." in value and normalize_unit(unit) != "SECOND":
        raise ParseException("INVALID_INTERVAL_FORMAT.INVALID_FRACTION", input=text, unit=unit)


_INTERVAL_WORD = re.compile(r"\s*([+-]?\s*\d+(?:\.\d*)?|[+-]?\.\d+)\s*([A-Za-z]+)")


def interval_from_string(text: str):
    """`INTERVAL '1 day 2 hours'`: the string holds a multi-unit interval."""
    s = text.strip()
    if s.lower().startswith("interval"):
        s = s[8:]
    pairs = []
    pos = 0
    while pos < len(s):
        m = _INTERVAL_WORD.match(s, pos)
        if not m:
            if s[pos:].strip() == "":
                break
            raise ParseException("INVALID_TYPED_LITERAL", valueType='"INTERVAL"',
                                 value="'" + text + "'")
        pairs.append((m.group(1).replace(" ", ""), m.group(2)))
        pos = m.end()
    if not pairs:
        raise ParseException("INVALID_TYPED_LITERAL", valueType='"INTERVAL"',
                             value="'" + text + "'")
    try:
        return multi_unit_interval(pairs)
    except ParseException:
        raise ParseException("INVALID_TYPED_LITERAL", valueType='"INTERVAL"',
                             value="'" + text + "'")


def unit_to_unit_interval(text: str, start: str, end: str):
    """`INTERVAL '1-2' YEAR TO MONTH`, `INTERVAL '1 02:03:04' DAY TO SECOND`."""
    start, end = start.upper(), end.upper()
    s = text.strip()
    sign = 1
    if s[:1] and s[0] in "+-":
        sign = -1 if s[0] == "-" else 1
        s = s[1:].strip()
    if start in _YM_UNITS and end in _YM_UNITS:
        if _YM_UNITS[start] >= _YM_UNITS[end]:
            raise _unit_range_error(text, start, end)
        m = re.fullmatch(r"(\d+)-(\d+)", s)
        if not m:
            raise _unmatched_format(text, start, end)
        years, months = int(m.group(1)), int(m.group(2))
        if months > 11:
            raise ParseException("INVALID_INTERVAL_FORMAT.INTERVAL_PARSING", input=text,
                                 interval="year-month")
        return sign * (years * 12 + months), T.YearMonthIntervalType(0, 1)
    if start in _DT_UNITS and end in _DT_UNITS:
        a, b = _DT_UNITS[start], _DT_UNITS[end]
        if a >= b:
            raise _unit_range_error(text, start, end)
        patterns = {
            (0, 1): r"(?P<d>\d+)\s+(?P<h>\d+)",
            (0, 2): r"(?P<d>\d+)\s+(?P<h>\d+):(?P<m>\d+)",
            (0, 3): r"(?P<d>\d+)\s+(?P<h>\d+):(?P<m>\d+):(?P<s>\d+(?:\.\d*)?)",
            (1, 2): r"(?P<h>\d+):(?P<m>\d+)",
            (1, 3): r"(?P<h>\d+):(?P<m>\d+):(?P<s>\d+(?:\.\d*)?)",
            (2, 3): r"(?P<m>\d+):(?P<s>\d+(?:\.\d*)?)",
        }
        m = re.fullmatch(patterns[(a, b)], s)
        if not m:
            raise _unmatched_format(text, start, end)
        g = m.groupdict()
        micros = int(g.get("d") or 0) * MICROS_PER_DAY + int(g.get("h") or 0) * MICROS_PER_HOUR \
            + int(g.get("m") or 0) * MICROS_PER_MINUTE
        if g.get("s"):
            micros += int(decimal.Decimal(g["s"]) * MICROS_PER_SECOND)
        return sign * micros, T.DayTimeIntervalType(a, b)
    raise _unit_range_error(text, start, end)


def _unit_range_error(text: str, start: str, end: str) -> ParseException:
    return ParseException("INVALID_INTERVAL_FORMAT.UNSUPPORTED_FROM_TO_EXPRESSION", input=text,
                          **{"from": start.lower(), "to": end.lower()})


_DT_FORMATS = {("DAY", "HOUR"): "d h", ("DAY", "MINUTE"): "d h:m", ("DAY", "SECOND"): "d h:m:s.n",
               ("HOUR", "MINUTE"): "h:m", ("HOUR", "SECOND"): "h:m:s.n",
               ("MINUTE", "SECOND"): "m:s.n"}


def _unmatched_format(text: str, start: str, end: str) -> ParseException:
    """Spark's message for a `'...' <start> TO <end>` string in the wrong shape."""
    if start in _YM_UNITS:
        return ParseException(
            "INVALID_INTERVAL_FORMAT.UNMATCHED_FORMAT_STRING", input=text,
            intervalStr="year-month",
            supportedFormat="`[+|-]y-m`, `INTERVAL [+|-]'[+|-]y-m' YEAR TO MONTH`",
            typeName="interval year to month")
    fmt = _DT_FORMATS[(start, end)]
    return ParseException(
        "INVALID_INTERVAL_FORMAT.UNMATCHED_FORMAT_STRING_WITH_NOTICE", input=text,
        intervalStr="day-time",
        supportedFormat=f"`[+|-]{fmt}`, `INTERVAL [+|-]'[+|-]{fmt}' {start} TO {end}`",
        typeName=f"interval {start.lower()} to {end.lower()}")


def single_unit_interval(value_text: str, unit: str, is_string: bool):
    """`INTERVAL '3' DAY` / `INTERVAL 3 DAYS`: one unit."""
    return multi_unit_interval([(value_text, unit)])
