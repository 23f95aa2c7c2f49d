"""Text forms and parsing of single date, timestamp and interval values, as Spark does them.

Internal representations (shared by literals, casts and the engine):
- date: days since 1970-01-01 (int)
- timestamp / timestamp_ntz: microseconds since the epoch (int; UTC for timestamp)
- day-time interval: microseconds (int); year-month interval: months (int)
"""
from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import Optional, Tuple

EPOCH_DATE = _dt.date(1970, 1, 1)
EPOCH = _dt.datetime(1970, 1, 1)
MICROS_PER_SECOND = 1_000_000
MICROS_PER_MINUTE = 60 * MICROS_PER_SECOND
MICROS_PER_HOUR = 60 * MICROS_PER_MINUTE
MICROS_PER_DAY = 24 * MICROS_PER_HOUR


@functools.lru_cache(maxsize=64)
def zone(name: str):
    """A tzinfo for a Spark time zone id (region ids, offsets like +08:00, 'UTC', 'Z')."""
    from zoneinfo import ZoneInfo
    if name in ("UTC", "Z", "GMT", "UT"):
        return _dt.timezone.utc
    m = re.fullmatch(r"(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?", name)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        delta = _dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0),
                              seconds=int(m.group(4) or 0))
        return _dt.timezone(sign * delta)
    return ZoneInfo(name)


# ---------------------------------------------------------------------------- dates
def days_to_date(days: int) -> _dt.date:
    return EPOCH_DATE + _dt.timedelta(days=days)


def date_to_days(d: _dt.date) -> int:
    return (d - EPOCH_DATE).days


def format_date(days: int) -> str:
    d = days_to_date(days)
    return f"{d.year:04d}-{d.month:02d}-{d.day:02d}"


_DATE_RE = re.compile(r"([+-]?\d{4,7})(?:-(\d{1,2})(?:-(\d{1,2})(?:[ T].*)?)?)?")


def parse_date(text: str) -> Optional[int]:
    """Spark's stringToDate: `yyyy`, `yyyy-[m]m`, `yyyy-[m]m-[d]d`, then optional ` ...`/`T...`.
    Returns days, or None when the text is not a valid date."""
    s = text.strip()
    m = _DATE_RE.fullmatch(s)
    if not m:
        return None
    try:
        year = int(m.group(1))
        month = int(m.group(2) or 1)
        day = int(m.group(3) or 1)
        if not 1 <= year <= 9999:
            return _days_from_civil(year, month, day)
        return date_to_days(_dt.date(year, month, day))
    except ValueError:
        return None


def _days_from_civil(y: int, m: int, d: int) -> Optional[int]:
    """Proleptic Gregorian day count for years outside Python's date range."""
    if not (1 <= m <= 12 and 1 <= d <= 31):
        return None
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


# ---------------------------------------------------------------------------- timestamps
def format_timestamp(micros: int, tz: Optional[str] = None) -> str:
    """`yyyy-MM-dd HH:mm:ss[.ffffff]` with trailing zeros of the fraction dropped."""
    if tz is not None:
        dt = _dt.datetime.fromtimestamp(0, _dt.timezone.utc) + _dt.timedelta(microseconds=micros)
        dt = dt.astimezone(zone(tz)).replace(tzinfo=None)
    else:
        dt = EPOCH + _dt.timedelta(microseconds=micros)
    text = f"{dt.year:04d}-{dt.month:02d}-{dt.day:02d} {dt.hour:02d}:{dt.minute:02d}:{dt.second:02d}"
    if dt.microsecond:
        text += "." + f"{dt.microsecond:06d}".rstrip("0")
    return text


_TS_RE = re.compile(
    r"([+-]?\d{4,7})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T](\d{1,2})(?::(\d{1,2})(?::(\d{1,2})(?:\.(\d{0,9}))?)?)?)?"
    r"\s*(Z|[+-]\d{1,2}(?::?\d{2})?(?::?\d{2})?|(?:UTC|GMT|UT)(?:[+-]\d{1,2}(?::?\d{2})?)?|[A-Za-z][A-Za-z_/+-]*)?")
_TS_DATE_ONLY = re.compile(r"([+-]?\d{4,7})(?:-(\d{1,2}))?")


def parse_timestamp(text: str, tz: Optional[str]) -> Optional[int]:
    """Spark's stringToTimestamp. `tz` is the zone for texts without one; None parses a
    timestamp_ntz (any zone in the text makes it invalid... as Spark, it is ignored)."""
    s = text.strip()
    m = _TS_RE.fullmatch(s)
    if not m:
        m2 = _TS_DATE_ONLY.fullmatch(s)
        if not m2:
            return None
        parts = (m2.group(1), m2.group(2) or "1", "1", None, None, None, None, None)
    else:
        parts = m.groups()
    year, month, day, hh, mm, ss, frac, zone_text = parts
    try:
        base = _dt.datetime(int(year), int(month), int(day), int(hh or 0), int(mm or 0),
                            int(ss or 0))
    except (ValueError, OverflowError):
        return None
    micros = 0
    if frac:
        micros = int((frac + "000000")[:6])
    local = (base - EPOCH) // _dt.timedelta(microseconds=1) + micros
    if tz is None:
        return local
    zone_id = zone_text or tz
    try:
        tzinfo = zone(zone_id if zone_id != "Z" else "UTC")
    except Exception:
        return None
    aware = base.replace(tzinfo=tzinfo)
    offset = aware.utcoffset() or _dt.timedelta(0)
    return local - offset // _dt.timedelta(microseconds=1)


# ---------------------------------------------------------------------------- intervals
def format_day_time_hive(micros: int) -> str:
    """HIVE_STYLE day-time interval: `3 00:00:00.000000000` (as spark-sql prints)."""
    sign = "-" if micros < 0 else ""
    v = abs(micros)
    days, rem = divmod(v, MICROS_PER_DAY)
    hours, rem = divmod(rem, MICROS_PER_HOUR)
    minutes, rem = divmod(rem, MICROS_PER_MINUTE)
    seconds, us = divmod(rem, MICROS_PER_SECOND)
    return f"{sign}{days} {hours:02d}:{minutes:02d}:{seconds:02d}.{us:06d}000"


def format_year_month_hive(months: int) -> str:
    sign = "-" if months < 0 else ""
    y, m = divmod(abs(months), 12)
    return f"{sign}{y}-{m}"


_DT_FIELDS = ("DAY", "HOUR", "MINUTE", "SECOND")


def format_day_time_ansi(micros: int, start: int, end: int) -> str:
    """ANSI_STYLE, e.g. `INTERVAL '1 02:03:04' DAY TO SECOND` (literal SQL, cast to string)."""
    sign = "-" if micros < 0 else ""
    v = abs(micros)
    # the leading field absorbs everything above it
    unit = (MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND)
    lead, rest = divmod(v, unit[start])
    parts = [str(lead) if start == 0 else f"{lead:02d}"]   # Spark pads a leading h/m/s
    seconds_frac = ""
    for f in range(start + 1, end + 1):
        q, rest = divmod(rest, unit[f])
        parts.append(f"{q:02d}")
    if end == 3:
        frac = rest if start < 3 else v % MICROS_PER_SECOND
        if start == 3:
            parts = [f"{v // MICROS_PER_SECOND:02d}"]
        if frac:
            seconds_frac = "." + f"{frac:06d}".rstrip("0")
    text = parts[0]
    if len(parts) > 1:
        sep_day = " " if start == 0 else ":"
        text = parts[0] + sep_day + ":".join(parts[1:]) if start == 0 else ":".join(parts)
    text += seconds_frac
    fields = _DT_FIELDS[start] if start == end else f"{_DT_FIELDS[start]} TO {_DT_FIELDS[end]}"
    return f"INTERVAL '{sign}{text}' {fields}"


def format_year_month_ansi(months: int, start: int, end: int) -> str:
    sign = "-" if months < 0 else ""
    v = abs(months)
    if start == end == 0:
        return f"INTERVAL '{sign}{v // 12}' YEAR"
    if start == end == 1:
        return f"INTERVAL '{sign}{v}' MONTH"
    return f"INTERVAL '{sign}{v // 12}-{v % 12}' YEAR TO MONTH"


def split_micros(micros: int) -> Tuple[int, int, int, int, int]:
    """(days, hours, minutes, seconds, micros) of a non-negative duration."""
    days, rem = divmod(micros, MICROS_PER_DAY)
    hours, rem = divmod(rem, MICROS_PER_HOUR)
    minutes, rem = divmod(rem, MICROS_PER_MINUTE)
    seconds, us = divmod(rem, MICROS_PER_SECOND)
    return days, hours, minutes, seconds, us


# ---------------------------------------------------------------------------- interval text
_ANSI_IV = re.compile(r"INTERVAL\s+([+-])?\s*'([^']*)'\s+(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)"
                      r"(?:\s+TO\s+(MONTH|HOUR|MINUTE|SECOND))?", re.I)
_YM_NAMES = ("YEAR", "MONTH")


def _unwrap_ansi(text: str, names, start: int, end: int):
    """The value inside `INTERVAL [+|-]'...' <fields>` (fields must be the target's), the
    sign in front of the quote, or (text, 1) for a bare value; None when it does not fit."""
    m = _ANSI_IV.fullmatch(text)
    if not m:
        if text.upper().startswith("INTERVAL"):
            return None
        return text, 1
    s, e = m.group(3).upper(), (m.group(4) or m.group(3)).upper()
    if s not in names or e not in names or names.index(s) != start or names.index(e) != end:
        return None
    return m.group(2).strip(), -1 if m.group(1) == "-" else 1


def parse_year_month_interval(text: str, start: int, end: int) -> Optional[int]:
    """CAST(string AS INTERVAL YEAR TO MONTH ...): months, or None when malformed."""
    got = _unwrap_ansi(text.strip(), _YM_NAMES, start, end)
    if got is None:
        return None
    value, outer = got
    if start != end:
        m = re.fullmatch(r"([+-])?(\d+)-(\d+)", value)
        if not m or int(m.group(3)) > 11:
            return None
        v = int(m.group(2)) * 12 + int(m.group(3))
    else:
        m = re.fullmatch(r"([+-])?(\d+)", value)
        if not m:
            return None
        v = int(m.group(2)) * (12 if start == 0 else 1)
    v *= outer * (-1 if m.group(1) == "-" else 1)
    return v if -2 ** 31 <= v < 2 ** 31 else None


_DT_UNITS = (MICROS_PER_DAY, MICROS_PER_HOUR, MICROS_PER_MINUTE, MICROS_PER_SECOND)
_DT_LIMITS = (None, 23, 59, 59)


def parse_day_time_interval(text: str, start: int, end: int) -> Optional[int]:
    """CAST(string AS INTERVAL DAY TO SECOND ...): microseconds, or None when malformed."""
    got = _unwrap_ansi(text.strip(), _DT_FIELDS, start, end)
    if got is None:
        return None
    value, outer = got
    m = re.fullmatch(r"([+-])?(.*)", value)
    sign = -1 if m.group(1) == "-" else 1
    body = m.group(2)
    fields = list(range(start, end + 1))
    parts = []
    rest = body
    if start == 0 and end > 0:
        dm = re.fullmatch(r"(\d+)\s+(.*)", rest)
        if not dm:
            return None
        parts.append(dm.group(1))
        rest = dm.group(2)
        parts.extend(rest.split(":"))
    else:
        parts = rest.split(":")
    if len(parts) != len(fields):
        return None
    total = 0
    for i, (f, p) in enumerate(zip(fields, parts)):
        if f == 3:
            sm = re.fullmatch(r"(\d+)(?:\.(\d{0,9}))?", p)
            if not sm:
                return None
            whole = int(sm.group(1))
            frac = int(((sm.group(2) or "") + "000000")[:6])
            if i > 0 and whole > 59:
                return None
            total += whole * MICROS_PER_SECOND + frac
            continue
        if not re.fullmatch(r"\d+", p):
            return None
        v = int(p)
        if i > 0 and v > _DT_LIMITS[f]:
            return None
        total += v * _DT_UNITS[f]
    total *= sign * outer
    return total if -2 ** 63 <= total < 2 ** 63 else None


def format_calendar_interval(months: int, days: int, micros: int) -> str:
    """CalendarInterval.toString: `1 years 2 months 3 days 4 hours 5.5 seconds`."""
    parts = []
    if months:
        y = int(months / 12)
        m = months - y * 12
        if y:
            parts.append(f"{y} years")
        if m:
            parts.append(f"{m} months")
    if days:
        parts.append(f"{days} days")
    if micros:
        h = int(micros / MICROS_PER_HOUR)
        rest = micros - h * MICROS_PER_HOUR
        mi = int(rest / MICROS_PER_MINUTE)
        rest -= mi * MICROS_PER_MINUTE
        if h:
            parts.append(f"{h} hours")
        if mi:
            parts.append(f"{mi} minutes")
        if rest:
            import decimal
            s = decimal.Decimal(rest).scaleb(-6).normalize()
            parts.append(f"{s:f} seconds")
    return " ".join(parts) if parts else "0 seconds"
