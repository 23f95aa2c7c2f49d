"""Reading the corpus: `.sql.out` blocks and parser.jsonl entries."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import List, Optional


def corpus_dir() -> str:
    env = os.environ.get("EMBER_CONFORMANCE_DIR")
    if env:
        return env
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    return os.path.join(os.path.dirname(repo), "shared", "conformance")


@dataclass
class Case:
    file: str                    # relative path, e.g. sql/basics_a.sql.out
    number: int                  # 1-based position of the statement in its file
    query: str
    error: Optional[str] = None  # expected error condition
    schema: Optional[str] = None
    ordered: bool = False
    rows: List[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.file}:{self.number}"


_BLOCK = re.compile(r"^-- !query\n(.*?)\n-- !(schema|error)\n(.*?)^-- !end$", re.S | re.M)


def read_cases(path: str, rel: str) -> List[Case]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    cases = []
    for i, m in enumerate(_BLOCK.finditer(text), start=1):
        query, kind, body = m.group(1), m.group(2), m.group(3)
        if kind == "error":
            cases.append(Case(rel, i, query, error=body.strip().splitlines()[0].strip()))
            continue
        lines = body.split("\n")
        schema = lines[0]
        order_line = lines[1] if len(lines) > 1 else "-- !output unordered"
        ordered = order_line.strip().endswith("ordered") and not order_line.strip().endswith(
            "unordered")
        rows = lines[2:]
        if rows and rows[-1] == "":
            rows = rows[:-1]
        cases.append(Case(rel, i, query, schema=schema, ordered=ordered, rows=rows))
    return cases


def corpus_files(root: str) -> List[str]:
    """Relative paths of every .sql.out file under sql/, functions/ and tpch/."""
    out = []
    for folder in ("sql", "functions", "tpch"):
        d = os.path.join(root, folder)
        if os.path.isdir(d):
            out.extend(f"{folder}/{n}" for n in sorted(os.listdir(d)) if n.endswith(".sql.out"))
    return out


@dataclass
class ParserCase:
    number: int
    kind: str
    text: str
    spark: str

    @property
    def key(self) -> str:
        return f"parser.jsonl:{self.number}"


def read_parser_cases(root: str) -> List[ParserCase]:
    path = os.path.join(root, "parser.jsonl")
    if not os.path.exists(path):
        return []
    out = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, start=1):
            if line.strip():
                d = json.loads(line)
                out.append(ParserCase(i, d["kind"], d["text"], d["spark"]))
    return out
