"""Java's text forms of numbers, which Spark's output and column names use.

`Double.toString` / `Float.toString`: shortest digits that round-trip, plain notation for
1e-3 <= |x| < 1e7 (always with a fractional digit: `1.0`), otherwise `d.dddE[-]n`.
"""
from __future__ import annotations

import math



def _java_digits(digits: str, exp10: int, negative: bool) -> str:
    """Format decimal `digits` (no leading zeros) scaled so value = 0.digits * 10**exp10."""
    sign = "-" if negative else ""
    # value = d1.d2d3... * 10**(exp10-1)
    sci_exp = exp10 - 1
    if -3 <= sci_exp < 7:
        if exp10 <= 0:
            text = "0." + "0" * (-exp10) + digits
        elif exp10 >= len(digits):
            text = digits + "0" * (exp10 - len(digits)) + ".0"
        else:
            text = digits[:exp10] + "." + digits[exp10:]
        return sign + text
    mantissa = digits[0] + "." + (digits[1:] or "0")
    return f"{sign}{mantissa}E{sci_exp}"


def _split_repr(text: str):
    """Digits and decimal exponent of a Python shortest repr such as '1.2345e-05'."""
    if "e" in text or "E" in text:
        mant, exp = text.lower().split("e")
        exp = int(exp)
    else:
        mant, exp = text, 0
    if "." in mant:
        whole, frac = mant.split(".")
    else:
        whole, frac = mant, ""
    digits = (whole + frac).lstrip("0")
    # position of the decimal point relative to the start of `whole + frac`
    point = len(whole) + exp
    lead = len(whole + frac) - len((whole + frac).lstrip("0"))
    exp10 = point - lead
    digits = digits.rstrip("0") or "0"
    return digits, exp10


def java_double_str(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x == 0.0:
        return "-0.0" if math.copysign(1.0, x) < 0 else "0.0"
    digits, exp10 = _split_repr(repr(abs(x)))
    return _java_digits(digits, exp10, x < 0)


def java_float_str(x) -> str:
    import numpy as np      # float32's shortest repr; imported on first use (parser start-up)
    f = np.float32(x)
    if np.isnan(f):
        return "NaN"
    if np.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    if f == 0:
        return "-0.0" if np.signbit(f) else "0.0"
    text = np.format_float_scientific(abs(f), unique=True, trim="-")
    digits, exp10 = _split_repr(text)
    return _java_digits(digits, exp10, bool(f < 0))
