"""Spark SQL keywords.

Every upper-case name the grammar uses without defining it is a keyword terminal; its text is
the name itself unless listed in SPELLING. Terminals are generated case-insensitive.
"""
import re

# Keyword terminals whose text differs from their name.
SPELLING = {
    "IDENTIFIER_KW": "IDENTIFIER",
    "SETMINUS": "MINUS",
    "PERCENTLIT": "PERCENT",
}

# Spark's strict non-reserved keywords: never usable as a table alias.
STRICT_NON_RESERVED = {
    "ANTI", "CROSS", "EXCEPT", "FULL", "INNER", "INTERSECT", "JOIN", "LATERAL", "LEFT", "MINUS",
    "NATURAL", "ON", "RIGHT", "SEMI", "UNION", "USING",
}

_DEFINED = re.compile(r"^([A-Z_][A-Z0-9_]*)(?:\.\d+)?\s*:", re.M)
_DECLARED = re.compile(r"^%declare\s+([A-Z_][A-Z0-9_ ]*)", re.M)
_USED = re.compile(r"\b([A-Z][A-Z0-9_]*)\b")


def keyword_terminals(grammar: str) -> str:
    """Lark definitions for the keywords `grammar` uses."""
    body = re.sub(r'"(?:[^"\\]|\\.)*"|/(?:[^/\\\n]|\\.)+/[a-z]*|//[^\n]*', " ", grammar)
    defined = set(_DEFINED.findall(grammar)) | {n for d in _DECLARED.findall(grammar) for n in d.split()}
    used = set(_USED.findall(body)) - defined
    lines = []
    for name in sorted(used):
        text = SPELLING.get(name, name)
        lines.append(f'{name}: "{text}"i')
    return "\n".join(lines) + "\n"
