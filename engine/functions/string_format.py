"""Encoding and formatting string functions: encode/decode, format_number,
format_string/printf (Java's Formatter), sentences, UTF-8 validation."""
from __future__ import annotations

import re

import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin
from ember.errors import SparkRuntimeException
from ember.optimizer.expressions import Literal
from ember.optimizer.analyzer.type_coercion import cast, coerce
from ember.engine.functions.scalar_base import (BINARY, BOOLEAN, INT, STRING, Fn, arity,
                                                arity_at_least, called, rowwise, rowwise_nullable)
from ember.engine.functions.strings import _s, STR_OR_BIN  # noqa: F401


# ---------------------------------------------------------------------------- encode / decode
_CHARSETS = {"utf-8": "utf-8", "utf8": "utf-8", "us-ascii": "ascii", "iso-8859-1": "latin-1",
             "utf-16be": "utf-16-be", "utf-16le": "utf-16-le", "utf-16": "utf-16",
             "utf-32": "utf-32"}


def _charset(name: str, fn: str) -> str:
    cs = _CHARSETS.get(name.lower())
    if cs is None:
        raise SparkRuntimeException("INVALID_PARAMETER_VALUE.CHARSET", parameter="`charset`",
                                    functionName=f"`{fn}`", charset=name)
    return cs


class Encode(Fn):
    name = "encode"
    input_types = (T.StringType(), T.StringType())
    result_type = BINARY

    def evaluate(self, args, n):
        return rowwise(lambda s, cs: s.encode(_charset(cs, "encode")), args, pa.binary())


class Decode(Fn):
    name = "decode"
    input_types = (T.BinaryType(), T.StringType())
    result_type = STRING

    def evaluate(self, args, n):
        return rowwise(lambda b, cs: b.decode(_charset(cs, "decode"), errors="replace"), args,
                       pa.string())


@builtin("encode", group="string_funcs")
def _encode(args, call):
    arity("encode", args, 2)
    return coerce(Encode(*args))


@builtin("decode", group="string_funcs")
def _decode(args, call):
    if len(args) == 2:
        return coerce(Decode(*args))
    arity_at_least("decode", args, 3)
    # decode(expr, search, result [, search, result]* [, default]): a CASE.
    from ember.optimizer.expressions import CaseWhen, EqualNullSafe, RuntimeReplaceable
    value = args[0]
    rest = list(args[1:])
    default = rest.pop() if len(rest) % 2 == 1 else None
    branches = [(coerce(EqualNullSafe(value, rest[i])), rest[i + 1])
                for i in range(0, len(rest), 2)]
    return RuntimeReplaceable("decode", args, coerce(CaseWhen(branches, default)))


# ---------------------------------------------------------------------------- format_number
def _java_round_half_even(value, digits: int):
    import decimal
    q = decimal.Decimal(1).scaleb(-digits)
    return decimal.Decimal(value).quantize(q, rounding=decimal.ROUND_HALF_EVEN)


class FormatNumber(Fn):
    name = "format_number"
    result_type = STRING

    def evaluate(self, args, n):
        import decimal

        def f(x, d):
            # Java's DecimalFormat rounds the exact binary value HALF_EVEN, as Python's
            # float formatting does (format_number(2.675D, 2) is 2.67)
            if isinstance(x, float):
                if x != x:
                    return "NaN"
                if x in (float("inf"), float("-inf")):
                    return ("-" if x < 0 else "") + "\u221e"
            if isinstance(d, str):
                return _decimal_format(decimal.Decimal(x), d)
            if d < 0:
                return None
            return format(x, f",.{d}f")
        return rowwise(f, args, pa.string())


def _decimal_format(x, pattern: str) -> str:
    """A subset of Java's DecimalFormat patterns: `#,##0.00`, `#.###`."""
    if not pattern:
        pattern = "#,###,###,###,###,###,##0"
    int_part, _, frac_part = pattern.partition(".")
    grouping = "," in int_part
    min_frac = frac_part.count("0")
    max_frac = len(frac_part.replace(",", ""))
    min_int = int_part.replace(",", "").count("0")
    v = _java_round_half_even(x, max_frac)
    neg = v < 0
    text = format(abs(v), f"{',' if grouping else ''}.{max_frac}f")
    if max_frac:
        ip, fp = text.split(".")
        fp = fp.rstrip("0")
        fp = fp + "0" * (min_frac - len(fp))
    else:
        ip, fp = text, ""
    if ip.replace(",", "") == "0" and min_int == 0:
        ip = ""
    text = ip + ("." + fp if fp else "")
    return ("-" if neg else "") + (text or "0")


@builtin("format_number", group="string_funcs")
def _format_number(args, call):
    arity("format_number", args, 2)
    x, d = args
    if isinstance(x.data_type, T.StringType):
        x = cast(x, T.DoubleType())
    if not _s(d.data_type) and not isinstance(d.data_type, T.IntegerType):
        d = cast(d, INT)
    return FormatNumber(x, d)


# ---------------------------------------------------------------------------- format_string
_FMT = re.compile(r"%(\d+\$)?([-#+ 0,(<]*)(\d+)?(\.\d+)?([a-zA-Z%])")


def java_format(fmt: str, values: list, types: list) -> str:
    out = []
    pos = 0
    ordinary = 0
    for m in _FMT.finditer(fmt):
        out.append(fmt[pos:m.start()])
        pos = m.end()
        index, flags, width, prec, conv = m.groups()
        if conv == "%":
            out.append("%")
            continue
        if conv == "n":
            out.append("\n")
            continue
        if index:
            i = int(index[:-1]) - 1
        else:
            i = ordinary
            ordinary += 1
        if i >= len(values):
            raise SparkRuntimeException("INTERNAL_ERROR",
                                        message=f"Format specifier '{m.group(0)}'")
        v, dt = values[i], types[i]
        out.append(_format_one(v, dt, flags, width, prec, conv))
    out.append(fmt[pos:])
    return "".join(out)


def _format_one(v, dt, flags, width, prec, conv) -> str:
    lower = conv.lower()
    if lower in ("s", "b", "h", "c") or v is None:
        if v is None:
            text = "null" if lower != "b" else "false"
        elif lower == "b":
            text = "true" if not isinstance(v, bool) or v else "false"
        elif lower == "c":
            text = chr(v) if isinstance(v, int) else str(v)
        else:
            from ember.engine.result_format import hive_value
            text = v if isinstance(v, str) else hive_value(v, dt, "UTC")
        if prec:
            text = text[:int(prec[1:])]
        if conv.isupper():
            text = text.upper()
        if width:
            text = text.ljust(int(width)) if "-" in flags else text.rjust(int(width))
        return text
    spec = ""
    if "-" in flags:
        spec += "<"
    if "+" in flags:
        spec += "+"
    elif " " in flags:
        spec += " "
    if "#" in flags and lower in ("x", "o"):
        spec += "#"
    if "0" in flags and "-" not in flags:
        spec += "0"
    if width:
        spec += width
    if "," in flags:
        spec += ","
    if lower in ("d", "x", "o"):
        import decimal
        if isinstance(v, float) or isinstance(v, decimal.Decimal) and lower != "d":
            raise SparkRuntimeException("INTERNAL_ERROR",
                                        message=f"IllegalFormatConversionException: {conv}")
        iv = int(v)
        if lower in ("x", "o") and iv < 0:
            bits = 64 if isinstance(dt, T.LongType) else 32
            iv += 1 << bits
        text = format(iv, spec + {"d": "d", "x": "x", "o": "o"}[lower])
    elif lower in ("f", "e", "g"):
        import decimal
        fv = decimal.Decimal(v) if isinstance(v, decimal.Decimal) else float(v)
        p = prec if prec else ".6"
        text = format(fv, spec + p + lower)
        if lower == "e":
            text = re.sub(r"e([+-])(\d)$", r"e\g<1>0\2", text)
    else:
        text = str(v)
    if conv.isupper():
        text = text.upper()
    return text


class FormatString(Fn):
    name = "format_string"
    result_type = STRING
    null_intolerant = False

    @property
    def nullable(self):
        return self.children[0].nullable

    def evaluate(self, args, n):
        types = [c.data_type for c in self.children[1:]]
        from ember.engine.arrow_util import arrow_to_python
        cols = [[arrow_to_python(a[i], c.data_type) for i in range(len(a))]
                for a, c in zip(args, self.children)]
        out = []
        for vals in zip(*cols):
            if vals[0] is None:
                out.append(None)
                continue
            out.append(java_format(vals[0], list(vals[1:]), types))
        return pa.array(out, pa.string())


@builtin("format_string", "printf", group="string_funcs")
def _format_string(args, call):
    name = called(call, "format_string")
    arity_at_least(name, args, 1)
    fmt = args[0] if _s(args[0].data_type) else cast(args[0], STRING)
    return FormatString(fmt, *args[1:], display=name)


# ---------------------------------------------------------------------------- sentences
class Sentences(Fn):
    name = "sentences"
    input_types = (T.StringType(), T.StringType(), T.StringType())
    result_type = T.ArrayType(T.ArrayType(STRING, True), True)
    null_intolerant = False

    def evaluate(self, args, n):
        def f(s, *_):
            if s is None:
                return None
            out = []
            for sent in re.split(r"(?<=[.!?])\s+", s.strip()):
                words = re.findall(r"[\w']+", sent)
                if words:
                    out.append(words)
            return out
        return rowwise_nullable(f, args, T.to_arrow(self.result_type))


@builtin("sentences", group="string_funcs")
def _sentences(args, call):
    arity("sentences", args, 1, 2, 3)
    args = list(args) + [Literal("", STRING)] * (3 - len(args))
    return coerce(Sentences(*args))


# ---------------------------------------------------------------------------- utf8 checks
class Utf8Check(Fn):
    name = "is_valid_utf8"
    input_types = (STR_OR_BIN,)
    mode = "is_valid"

    @property
    def data_type(self):
        return BOOLEAN if self.mode == "is_valid" else STRING

    def evaluate(self, args, n):
        a = args[0]
        vals = a.to_pylist() if not pa.types.is_string(a.type) else [
            None if v is None else v.encode() for v in a.to_pylist()]
        out = []
        for b in vals:
            if b is None:
                out.append(None)
                continue
            try:
                s = b.decode("utf-8")
                ok = True
            except UnicodeDecodeError:
                s, ok = b.decode("utf-8", errors="replace"), False
            if self.mode == "is_valid":
                out.append(ok)
            elif self.mode == "make_valid":
                out.append(s)
            elif self.mode == "validate":
                if not ok:
                    raise SparkRuntimeException("INVALID_UTF8_STRING", str=_hex_bytes(b))
                out.append(s)
            else:
                out.append(s if ok else None)
        return pa.array(out, T.to_arrow(self.data_type))


def _hex_bytes(b: bytes) -> str:
    return "\\x" + "\\x".join(f"{x:02X}" for x in b)


for _n, _mode in (("is_valid_utf8", "is_valid"), ("make_valid_utf8", "make_valid"),
                  ("validate_utf8", "validate"), ("try_validate_utf8", "try_validate")):
    def _utf8_builder(args, call, _n=_n, _mode=_mode):
        arity(_n, args, 1)
        e = Utf8Check(*args, display=_n)
        e.mode = _mode
        return coerce(e)
    builtin(_n, group="string_funcs")(_utf8_builder)
