"""The session catalog: Spark's name resolution order over temp views, global temp views and
the metastore, plus the current database.

Views are `ViewDefinition`s: either SQL text (re-analysed on every use, as Spark does for SQL
views) or a plan object handed in by the DataFrame API. The catalog never looks inside them.
"""
from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from ember.errors import AnalysisException

GLOBAL_TEMP_DB = "global_temp"


@dataclass
class ViewDefinition:
    name: str
    sql_text: Optional[str] = None           # view text, re-parsed on use
    plan: Any = None                          # or an already-built logical plan
    column_names: Optional[List[str]] = None
    column_comments: Optional[List[Optional[str]]] = None
    captured_conf: Dict[str, str] = field(default_factory=dict)
    schema: Any = None                        # StructType at creation time
    comment: Optional[str] = None
    properties: Dict[str, str] = field(default_factory=dict)
    is_global: bool = False


class GlobalTempViews:
    """Global temp views: shared by every session of the process, under `global_temp`."""

    def __init__(self):
        self._views: Dict[str, ViewDefinition] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> Optional[ViewDefinition]:
        with self._lock:
            return self._views.get(name.lower())

    def create(self, view: ViewDefinition, replace: bool) -> None:
        with self._lock:
            key = view.name.lower()
            if key in self._views and not replace:
                raise AnalysisException("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                                        relationName=f"`{GLOBAL_TEMP_DB}`.`{view.name}`")
            self._views[key] = view

    def drop(self, name: str) -> bool:
        with self._lock:
            return self._views.pop(name.lower(), None) is not None

    def names(self) -> List[str]:
        with self._lock:
            return sorted(self._views)


GLOBAL_TEMP_VIEWS = GlobalTempViews()


class SessionCatalog:
    def __init__(self, warehouse_dir: str, metastore_path: Optional[str] = None,
                 case_sensitive: bool = False):
        self.warehouse_dir = os.path.abspath(warehouse_dir)
        self.metastore_path = metastore_path or os.path.join(self.warehouse_dir, "metastore.db")
        self.current_database = "default"
        self.temp_views: Dict[str, ViewDefinition] = {}
        self.global_temp_views = GLOBAL_TEMP_VIEWS
        self.case_sensitive = case_sensitive
        self._metastore = None

    @property
    def metastore(self):
        """Opened on first use, so queries that never touch persistent tables create no files."""
        if self._metastore is None:
            from ember.catalog.metastore import Metastore
            self._metastore = Metastore(self.metastore_path, self.warehouse_dir)
        return self._metastore

    def _key(self, name: str) -> str:
        return name if self.case_sensitive else name.lower()

    # ------------------------------------------------------------------ temp views
    def create_temp_view(self, view: ViewDefinition, replace: bool) -> None:
        key = self._key(view.name)
        if key in self.temp_views and not replace:
            raise AnalysisException("TEMP_TABLE_OR_VIEW_ALREADY_EXISTS",
                                    relationName=f"`{view.name}`")
        self.temp_views[key] = view

    def get_temp_view(self, name: str) -> Optional[ViewDefinition]:
        return self.temp_views.get(self._key(name))

    def drop_temp_view(self, name: str) -> bool:
        return self.temp_views.pop(self._key(name), None) is not None

    # ------------------------------------------------------------------ resolution
    def lookup_relation(self, name_parts: Sequence[str]):
        """('temp', view) | ('global', view) | ('table', metadata) | None, in Spark's order."""
        parts = list(name_parts)
        if len(parts) == 1:
            view = self.get_temp_view(parts[0])
            if view is not None:
                return ("temp", view)
            db, name = self.current_database, parts[0]
        elif len(parts) == 2:
            db, name = parts
            if db.lower() == GLOBAL_TEMP_DB:
                view = self.global_temp_views.get(name)
                return ("global", view) if view is not None else None
        elif len(parts) == 3 and parts[0].lower() == "spark_catalog":
            db, name = parts[1], parts[2]
        else:
            return None
        if not os.path.exists(self.metastore_path) and self._metastore is None:
            return None          # no metastore yet: no persistent tables either
        table = self.metastore.get_table(db, name)
        return ("table", table) if table is not None else None

    def search_path_text(self) -> str:
        return (f"[`system`.`builtin`, `system`.`session`, "
                f"`spark_catalog`.`{self.current_database}`]")
