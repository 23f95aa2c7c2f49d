"""spark.catalog: the session catalog seen from Python (pyspark.sql.Catalog)."""
from __future__ import annotations

from collections import namedtuple
from typing import List, Optional

Table = namedtuple("Table", "name catalog namespace description tableType isTemporary")


class Catalog:
    def __init__(self, session):
        self._session = session
        self._catalog = session._catalog

    def currentDatabase(self) -> str:
        return self._catalog.current_database

    def currentCatalog(self) -> str:
        return "spark_catalog"

    def listTables(self, dbName: Optional[str] = None) -> List[Table]:
        out = []
        for name in sorted(self._catalog.temp_views):
            out.append(Table(name, None, [], None, "TEMPORARY", True))
        return out

    def tableExists(self, tableName: str, dbName: Optional[str] = None) -> bool:
        parts = [dbName, tableName] if dbName else tableName.split(".")
        return self._catalog.lookup_relation(parts) is not None

    def dropTempView(self, viewName: str) -> bool:
        return self._catalog.drop_temp_view(viewName)

    def dropGlobalTempView(self, viewName: str) -> bool:
        return self._catalog.global_temp_views.drop(viewName)
