"""State shared by the analyzer's rules while one statement is analysed."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Sequence

from ember.conf import SQLConf


@dataclass
class AnalysisContext:
    catalog: Any                                 # ember.catalog.session_catalog.SessionCatalog
    functions: Any                               # ember.catalog.functions.FunctionRegistry
    conf: SQLConf
    evaluate: Callable[[Any], Any]               # folds a constant expression to a Python value
    parse: Callable[[str], Any]                  # parses view text
    outer: List[Sequence] = field(default_factory=list)   # attribute lists of enclosing queries
    ctes: Dict[str, Any] = field(default_factory=dict)    # name -> (column names, unresolved plan, ctes at definition)
    view_depth: int = 0
    file_relation: Optional[Callable] = None     # builds a LogicalRelation for `fmt`.`path`

    def nested(self, **changes) -> "AnalysisContext":
        values = dict(self.__dict__)
        values.update(changes)
        return AnalysisContext(**values)

    @property
    def case_sensitive(self) -> bool:
        return self.conf.case_sensitive

    def same_name(self, a: str, b: str) -> bool:
        return a == b if self.case_sensitive else a.lower() == b.lower()
