"""String matching helpers (LIKE with Spark's escape rules)."""
from __future__ import annotations

import re

import pyarrow as pa
import pyarrow.compute as pc

from ember.errors import AnalysisException


def like_to_regex(pattern: str, escape: str = "\\") -> str:
    """Spark's StringUtils.escapeLikeRegex: `%` any run, `_` one char, escape char quotes the
    next `%`, `_` or itself; an escape before anything else is an error."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == escape:
            if i + 1 >= n:
                raise AnalysisException("INVALID_FORMAT.ESC_AT_THE_END", format="'" + pattern + "'")
            nxt = pattern[i + 1]
            if nxt in ("_", "%", escape):
                out.append(re.escape(nxt))
                i += 2
                continue
            raise AnalysisException("INVALID_FORMAT.ESC_IN_THE_MIDDLE", format="'" + pattern + "'",
                                    char="'" + nxt + "'")
        if c == "%":
            out.append(".*")
        elif c == "_":
            out.append(".")
        else:
            out.append(re.escape(c))
        i += 1
    return "(?s)^" + "".join(out) + "$"


def like(values: pa.Array, patterns: pa.Array, escape: str = "\\") -> pa.Array:
    if patterns.null_count == len(patterns) or values.null_count == len(values):
        return pa.nulls(len(values), pa.bool_())
    if not pa.types.is_string(values.type):
        values = values.cast(pa.string())
    uniq = pc.unique(patterns.drop_null()).to_pylist()
    if len(uniq) == 1 and patterns.null_count == 0:
        regex = like_to_regex(uniq[0], escape)
        return pc.match_substring_regex(values, regex)
    out = []
    cache = {}
    for v, p in zip(values.to_pylist(), patterns.to_pylist()):
        if v is None or p is None:
            out.append(None)
            continue
        rx = cache.get(p)
        if rx is None:
            rx = cache[p] = re.compile(like_to_regex(p, escape))
        out.append(rx.match(v) is not None)
    return pa.array(out, pa.bool_())
