"""Spark's description and implementing class of each built-in function, as
spark.catalog.listFunctions()/getFunction() report them (function_docs.json was taken from
Spark 4's own catalog)."""
from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Dict, Optional, Tuple


@lru_cache(maxsize=1)
def _docs() -> Dict[str, list]:
    path = os.path.join(os.path.dirname(__file__), "function_docs.json")
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except OSError:
        return {}


def function_doc(name: str) -> Tuple[Optional[str], Optional[str]]:
    """(description, className) of a built-in function, (None, None) when unknown."""
    entry = _docs().get(name.lower())
    return (entry[0], entry[1]) if entry else (None, None)
