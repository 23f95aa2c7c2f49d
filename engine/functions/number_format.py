"""to_number / try_to_number / to_char / to_varchar / to_binary / try_to_binary (Spark's
ToNumberParser formats: `0`/`9` digits, `.`/`D` point, `,`/`G` grouping, `$`, `S`/`MI`
sign, `PR` angle brackets)."""
from __future__ import annotations

import base64
import binascii
import decimal
import re

import pyarrow as pa

from ember import types as T
from ember.catalog.functions import builtin, BUILTINS
from ember.errors import AnalysisException, SparkRuntimeException
from ember.optimizer.expressions import Literal, RuntimeReplaceable
from ember.optimizer.analyzer.type_coercion import cast, coerce
from ember.engine.functions.scalar_base import (BINARY, STRING, Fn, arity, called,
                                                constant_value, rowwise)

_TOKEN = re.compile(r"MI|PR|[09]|[.D]|[,G]|\$|S", re.IGNORECASE)


class NumberFormat:
    def __init__(self, fmt: str):
        self.fmt = fmt
        up = fmt.upper()
        self.tokens = []
        pos = 0
        while pos < len(up):
            m = _TOKEN.match(up, pos)
            if m is None:
                raise AnalysisException("INVALID_FORMAT.UNEXPECTED_TOKEN", format="'" + fmt + "'",
                                        token="'" + fmt[pos] + "'", position=str(pos))
            tok = m.group(0)
            tok = {"D": ".", "G": ","}.get(tok, tok)
            self.tokens.append(tok)
            pos = m.end()
        if not self.tokens:
            raise AnalysisException("INVALID_FORMAT.EMPTY", format="''")
        point = self.tokens.index(".") if "." in self.tokens else len(self.tokens)
        self.int_digits = sum(1 for t in self.tokens[:point] if t in "09")
        self.frac_digits = sum(1 for t in self.tokens[point:] if t in "09")
        self.has_point = "." in self.tokens

    @property
    def decimal_type(self) -> T.DecimalType:
        return T.DecimalType(max(self.int_digits + self.frac_digits, 1), self.frac_digits)

    # ------------------------------------------------------------------ parse
    def parse(self, s: str):
        """The decimal value of `s`, or None when it does not match the format."""
        text = s.strip()
        neg = False
        if "PR" in self.tokens and text.startswith("<") and text.endswith(">"):
            neg, text = True, text[1:-1]
        for sign_tok in ("S", "MI"):
            if sign_tok in self.tokens:
                if text[:1] in "+-" and text:
                    neg, text = text[0] == "-", text[1:]
                elif text[-1:] in "+-" and text:
                    neg, text = text[-1] == "-", text[:-1]
        if "$" in self.tokens:
            if "$" not in text:
                return None
            text = text.replace("$", "", 1)
        elif "$" in text:
            return None
        if "," in self.tokens:
            text = text.replace(",", "")
        if not re.fullmatch(r"\d*(\.\d*)?", text) or text in ("", "."):
            return None
        ip, _, fp = text.partition(".")
        if len(ip.lstrip("0")) > self.int_digits or len(fp) > self.frac_digits:
            return None
        if fp and not self.has_point:
            return None
        v = decimal.Decimal(text)
        v = v.quantize(decimal.Decimal(1).scaleb(-self.frac_digits))
        return -v if neg else v

    # ------------------------------------------------------------------ format
    def format(self, v: decimal.Decimal) -> str:
        neg = v < 0
        v = abs(v).quantize(decimal.Decimal(1).scaleb(-self.frac_digits),
                            rounding=decimal.ROUND_HALF_UP)
        text = format(v, "f")
        ip, _, fp = text.partition(".")
        ip = ip.lstrip("0")
        if len(ip) > self.int_digits:
            return "".join("#" if t in "09" else t for t in self.tokens if t not in ("S", "MI",
                                                                                   "PR"))
        fp = fp.ljust(self.frac_digits, "0")
        digits = list(ip.rjust(self.int_digits, " "))
        out = []
        di = 0
        fi = 0
        in_frac = False
        started = False
        zero_pad = False
        for t in self.tokens:
            if t in "09":
                if not in_frac:
                    d = digits[di]
                    di += 1
                    if d == " ":
                        if t == "0" or zero_pad:
                            zero_pad = True
                            out.append("0")
                            started = True
                        else:
                            out.append(" ")
                    else:
                        started = True
                        out.append(d)
                else:
                    out.append(fp[fi])
                    fi += 1
            elif t == ".":
                in_frac = True
                if not started and self.int_digits:
                    # Spark prints a zero before the point when no integer digit printed
                    if out and out[-1] == " ":
                        out[-1] = "0"
                out.append(".")
            elif t == ",":
                out.append("," if started else " ")
            elif t == "$":
                out.append("$")
            elif t == "S":
                out.append("-" if neg else "+")
            elif t == "MI":
                out.append("-" if neg else " ")
        result = "".join(out)
        if "PR" in self.tokens:
            result = "<" + result + ">" if neg else result
        return result


def _format_arg(e, name):
    if not e.foldable:
        raise AnalysisException("DATATYPE_MISMATCH.NON_FOLDABLE_INPUT",
                                sqlExpr=f'"{name}"', inputName="`format`",
                                inputType='"STRING"', inputExpr='"' + e.pretty_sql() + '"')
    return constant_value(e)


class ToNumber(Fn):
    name = "to_number"
    input_types = (T.StringType(), T.StringType())
    try_mode = False

    @property
    def number_format(self) -> NumberFormat:
        nf = self.__dict__.get("_nf")
        if nf is None:
            nf = self.__dict__["_nf"] = NumberFormat(constant_value(self.children[1]) or "9")
        return nf

    @property
    def data_type(self):
        return self.number_format.decimal_type

    @property
    def nullable(self):
        return True

    def evaluate(self, args, n):
        nf = self.number_format

        def f(s, _fmt):
            v = nf.parse(s)
            if v is None and not self.try_mode:
                raise SparkRuntimeException("INVALID_FORMAT.MISMATCH_INPUT", inputType='"STRING"',
                                            input=s, format=nf.fmt)
            return v
        return rowwise(f, args, T.to_arrow(self.data_type))


def _to_number_builder(name, try_mode):
    def build(args, call):
        arity(name, args, 2)
        _format_arg(args[1], name)
        e = ToNumber(*args, display=name)
        e.try_mode = try_mode
        return coerce(e)
    return build


builtin("to_number", group="string_funcs")(_to_number_builder("to_number", False))
builtin("try_to_number", group="string_funcs")(_to_number_builder("try_to_number", True))


class ToCharacter(Fn):
    name = "to_char"
    result_type = STRING

    def evaluate(self, args, n):
        nf = NumberFormat(constant_value(self.children[1]))
        dt = self.children[0].data_type

        def f(v, _fmt):
            if isinstance(v, float):
                v = decimal.Decimal(repr(v))
            return nf.format(decimal.Decimal(v))
        return rowwise(f, args, pa.string())


def _call(name, args, call):
    return BUILTINS.lookup(name).builder(args, call)


@builtin("to_char", "to_varchar", group="string_funcs")
def _to_char(args, call):
    name = called(call, "to_char")
    arity(name, args, 2)
    x, fmt = args
    dt = x.data_type
    if isinstance(dt, (T.DateType, T.TimestampType, T.TimestampNTZType)):
        return _call("date_format", [x, fmt], call)
    if isinstance(dt, T.BinaryType):
        f = str(_format_arg(fmt, name)).lower()
        out = None
        if f == "hex":
            out, shown = _call("hex", [x], call), [x]
        elif f == "base64":
            out, shown = _call("base64", [x], call), [x]
        elif f in ("utf-8", "utf8"):
            out, shown = _call("decode", [x, Literal("utf-8", STRING)], call), [x, fmt]
        if out is not None:
            # Spark names to_varchar by its call, to_char by the replacement
            return RuntimeReplaceable(name, shown, out) if name == "to_varchar" else out
        raise AnalysisException("INVALID_PARAMETER_VALUE.BINARY_FORMAT", parameter="`format`",
                                functionName=f"`{name}`", invalidFormat="'" + f + "'")
    if not isinstance(dt, T.NumericType):
        x = cast(x, T.DoubleType())
    _format_arg(fmt, name)
    NumberFormat(constant_value(fmt))
    return ToCharacter(x, fmt)


class ToBinary(Fn):
    name = "to_binary"
    input_types = (T.StringType(), T.StringType())
    result_type = BINARY
    try_mode = False

    @property
    def nullable(self):
        return True

    def evaluate(self, args, n):
        def f(s, fmt):
            kind = fmt.lower()
            try:
                if kind == "hex":
                    if len(s) % 2:
                        s = "0" + s
                    return bytes.fromhex(s)
                if kind in ("utf-8", "utf8"):
                    return s.encode("utf-8")
                if kind == "base64":
                    return base64.b64decode(s, validate=True)
            except (ValueError, binascii.Error) as err:
                if self.try_mode:
                    return None
                raise SparkRuntimeException(
                    "CONVERSION_INVALID_INPUT", str="'" + s + "'", fmt="'" + fmt + "'",
                    targetType='"BINARY"', suggestion="`try_to_binary`") from err
            if self.try_mode:
                return None
            raise SparkRuntimeException("INVALID_PARAMETER_VALUE.BINARY_FORMAT",
                                        parameter="`format`", functionName="`to_binary`",
                                        invalidFormat="'" + kind + "'")
        return rowwise(f, args, pa.binary())


def _to_binary_builder(name, try_mode):
    def build(args, call):
        arity(name, args, 1, 2)
        if len(args) == 1:
            args = list(args) + [Literal("hex", STRING)]
        e = ToBinary(*args, display=name)
        e.try_mode = try_mode
        return coerce(e)
    return build


builtin("to_binary", group="string_funcs")(_to_binary_builder("to_binary", False))
builtin("try_to_binary", group="string_funcs")(_to_binary_builder("try_to_binary", True))
