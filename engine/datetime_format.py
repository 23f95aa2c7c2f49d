"""Spark's datetime patterns (`yyyy-MM-dd HH:mm:ss`, `EEE`, `MMM`, `a`, `SSS`, ...): formatting
local date-times to text and parsing text back, as Spark's DateTimeFormatter-based helpers do.

A pattern is split once into tokens (letter runs, quoted literals, other characters); the
formatter renders each token, the parser turns the tokens into one anchored regex."""
from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import List, Optional, Tuple

from ember.errors import DateTimeException, SparkRuntimeException, SparkUpgradeException

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_LETTERS = set("GyYuMLdDQqEeacFhKkHmsSnAVzOXxZwW")


@functools.lru_cache(maxsize=256)
def tokenize(pattern: str) -> Tuple[Tuple[str, str], ...]:
    """(kind, text) tokens: ('field', 'yyyy'), ('lit', '-')."""
    out: List[Tuple[str, str]] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "'":
            j = i + 1
            buf = []
            while j < n:
                if pattern[j] == "'":
                    if j + 1 < n and pattern[j + 1] == "'":
                        buf.append("'")
                        j += 2
                        continue
                    break
                buf.append(pattern[j])
                j += 1
            out.append(("lit", "".join(buf) if (buf or j >= n or j > i + 1) else "'"))
            if j == i + 1:          # '' is a quote character
                out[-1] = ("lit", "'")
            i = j + 1
        elif c.isalpha():
            if c in "YWwuecAnNp":
                # Spark 3+ rejects week-based and a few other letters (DateTimeFormatterHelper)
                raise SparkUpgradeException(
                    "INCONSISTENT_BEHAVIOR_CROSS_VERSION.DATETIME_PATTERN_RECOGNITION",
                    pattern="'" + pattern + "'", config='"spark.sql.legacy.timeParserPolicy"',
                    docroot="https://spark.apache.org/docs/latest")
            if c not in _LETTERS:
                raise SparkRuntimeException("INVALID_DATETIME_PATTERN.ILLEGAL_CHARACTER",
                                            c=c, pattern=pattern)
            j = i
            while j < n and pattern[j] == c:
                j += 1
            out.append(("field", pattern[i:j]))
            i = j
        else:
            out.append(("lit", c))
            i += 1
    return tuple(out)


# ---------------------------------------------------------------------------- formatting
def format_local(dt: _dt.datetime, pattern: str, tz: Optional[str] = None) -> str:
    """Render a local date-time (naive datetime with microseconds) with a Spark pattern."""
    parts = []
    for kind, text in tokenize(pattern):
        if kind == "lit":
            parts.append(text)
        else:
            parts.append(_format_field(dt, text[0], len(text), tz))
    return "".join(parts)


def _num(v: int, width: int) -> str:
    return f"{v:0{width}d}" if v >= 0 else "-" + f"{-v:0{width}d}"


def _format_field(dt, c, k, tz):
    if c in "yu":
        if k == 2:
            return f"{dt.year % 100:02d}"
        return _num(dt.year, k)
    if c == "Y":
        y = dt.isocalendar()[0]
        return f"{y % 100:02d}" if k == 2 else _num(y, k)
    if c in "ML":
        if k >= 4:
            return MONTHS[dt.month - 1]
        if k == 3:
            return MONTHS[dt.month - 1][:3]
        return _num(dt.month, k)
    if c == "d":
        return _num(dt.day, k)
    if c == "D":
        return _num(dt.timetuple().tm_yday, k)
    if c in "Qq":
        q = (dt.month - 1) // 3 + 1
        if k >= 4:
            return ["1st", "2nd", "3rd", "4th"][q - 1] + " quarter"
        if k == 3:
            return f"Q{q}"
        return _num(q, k)
    if c == "E" or (c in "ec" and k >= 3):
        name = DAYS[dt.weekday()]
        return name if k >= 4 else name[:3]
    if c in "ec":
        return _num((dt.weekday() + 1) % 7 + 1, k)
    if c == "a":
        return "AM" if dt.hour < 12 else "PM"
    if c == "h":
        return _num((dt.hour % 12) or 12, k)
    if c == "K":
        return _num(dt.hour % 12, k)
    if c == "k":
        return _num(dt.hour or 24, k)
    if c == "H":
        return _num(dt.hour, k)
    if c == "m":
        return _num(dt.minute, k)
    if c == "s":
        return _num(dt.second, k)
    if c == "S":
        return f"{dt.microsecond:06d}{'0' * 3}"[:k].ljust(k, "0")
    if c == "n":
        return str(dt.microsecond * 1000)
    if c == "A":
        return str((dt.hour * 3600 + dt.minute * 60 + dt.second) * 1000 + dt.microsecond // 1000)
    if c == "G":
        return "AD" if k <= 3 else "Anno Domini"
    if c == "w":
        return _num(dt.isocalendar()[1], k)
    if c == "F":
        return _num((dt.day - 1) // 7 + 1, k)
    offset = _offset_seconds(dt, tz)
    if c == "V":
        return tz or "UTC"
    if c == "z":
        if tz in (None, "UTC", "Z", "GMT"):
            return "UTC" if tz != "GMT" else "GMT"
        from ember._values import zone
        name = dt.replace(tzinfo=zone(tz)).tzname()
        return name or tz
    if c == "O":
        if offset == 0:
            return "GMT"
        return "GMT" + _offset_text(offset, ":", k >= 4, short=k < 4)
    if c in "Xx":
        if offset == 0 and c == "X":
            return "Z"
        if k == 1:
            return _offset_text(offset, "", False, hours_only=True)
        return _offset_text(offset, ":" if k in (3, 5) else "", False)
    if c == "Z":
        if k == 4:
            return "GMT" if offset == 0 else "GMT" + _offset_text(offset, ":", False)
        if k == 5:
            return "Z" if offset == 0 else _offset_text(offset, ":", False)
        return _offset_text(offset, "", False)
    return ""


def _offset_seconds(dt, tz) -> int:
    if tz is None:
        return 0
    from ember._values import zone
    off = dt.replace(tzinfo=zone(tz)).utcoffset()
    return int(off.total_seconds()) if off else 0


def _offset_text(seconds, sep, full, hours_only=False, short=False):
    sign = "-" if seconds < 0 else "+"
    s = abs(seconds)
    h, m = divmod(s // 60, 60)
    if short:
        return f"{sign}{h}" + (f":{m:02d}" if m else "")
    if hours_only:
        return f"{sign}{h:02d}" + (f"{m:02d}" if m else "")
    return f"{sign}{h:02d}{sep}{m:02d}"


# ---------------------------------------------------------------------------- parsing
_NUM_WIDTH = {"M": 2, "L": 2, "d": 2, "H": 2, "h": 2, "k": 2, "K": 2, "m": 2, "s": 2, "D": 3,
              "Q": 1, "q": 1, "F": 1, "w": 2}


@functools.lru_cache(maxsize=256)
def _compile(pattern: str):
    groups: List[Tuple[str, int]] = []
    rx = []
    for kind, text in tokenize(pattern):
        if kind == "lit":
            rx.append(re.escape(text))
            continue
        c, k = text[0], len(text)
        if c in "yuY":
            rx.append(r"(\d{2})" if k == 2 else (r"([+-]?\d{%d,9})" % max(k, 1) if k != 1
                                                  else r"([+-]?\d{1,9})"))
        elif c in "ML" and k >= 3:
            names = MONTHS if k >= 4 else [m[:3] for m in MONTHS]
            rx.append("(" + "|".join(names) + ")")
        elif c == "E" or (c in "ec" and k >= 3):
            names = DAYS if k >= 4 else [d[:3] for d in DAYS]
            rx.append("(" + "|".join(names) + ")")
        elif c == "a":
            rx.append("(AM|PM)")
        elif c == "S":
            rx.append(r"(\d{1,%d})" % k)
        elif c == "G":
            rx.append("(AD|BC|Anno Domini|Before Christ)")
        elif c in "XxZOzV":
            rx.append(r"(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?(?::?\d{2})?|GMT[+-]\d{1,2}(?::?\d{2})?"
                      r"|[A-Za-z]+/[A-Za-z_]+(?:/[A-Za-z_]+)?|[A-Z]{2,5})")
        elif c in _NUM_WIDTH:
            w = _NUM_WIDTH[c]
            rx.append(r"(\d{%d})" % k if k > 1 else r"(\d{1,%d})" % w)
        else:
            rx.append(r"(\S+)")
        groups.append((c, k))
    return re.compile("".join(rx), re.IGNORECASE), groups


class ParseFailure(Exception):
    pass


def parse_local(text: str, pattern: str) -> Tuple[_dt.datetime, Optional[str]]:
    """Parse `text` with a Spark pattern into a naive local datetime and the zone text found
    in it (None when the pattern has no zone). Raises ParseFailure when it does not fit."""
    rx, groups = _compile(pattern)
    m = rx.fullmatch(text)
    if not m:
        raise ParseFailure(f"Text '{text}' could not be parsed at index 0")
    year, month, day, doy = 1970, 1, 1, None
    hour, minute, second, micro = 0, 0, 0, 0
    hour12, pm = None, None
    zone_text = None
    for (c, k), v in zip(groups, m.groups()):
        if c in "yuY":
            year = 2000 + int(v) if k == 2 else int(v)
        elif c in "ML":
            if k >= 3:
                low = v.lower()
                month = next(i + 1 for i, name in enumerate(MONTHS)
                             if name.lower() == low or name[:3].lower() == low)
            else:
                month = int(v)
        elif c == "d":
            day = int(v)
        elif c == "D":
            doy = int(v)
        elif c == "H":
            hour = int(v)
        elif c == "k":
            hour = int(v) % 24
        elif c in "hK":
            hour12 = int(v)
        elif c == "a":
            pm = v.upper() == "PM"
        elif c == "m":
            minute = int(v)
        elif c == "s":
            second = int(v)
        elif c == "S":
            micro = int((v + "000000")[:6])
        elif c in "XxZOzV":
            zone_text = v
    if hour12 is not None:
        if hour12 > 12:
            raise ParseFailure(f"Text '{text}' could not be parsed: Invalid value for "
                               f"ClockHourOfAmPm (valid values 1 - 12): {hour12}")
        hour = hour12 % 12 + (12 if pm else 0)
    try:
        if doy is not None:
            base = _dt.datetime(year, 1, 1) + _dt.timedelta(days=doy - 1)
            if base.year != year:
                raise ValueError("day of year")
            month, day = base.month, base.day
        return _dt.datetime(year, month, day, hour, minute, second, micro), zone_text
    except (ValueError, OverflowError) as ex:
        raise ParseFailure(f"Text '{text}' could not be parsed: {ex}")


def cannot_parse(message: str, func: str = "`try_to_timestamp`"):
    return DateTimeException("CANNOT_PARSE_TIMESTAMP", message=message, func=func)
