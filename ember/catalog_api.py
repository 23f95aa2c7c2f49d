"""spark.catalog: the session catalog seen from Python (pyspark.sql.Catalog)."""
from __future__ import annotations

from collections import namedtuple
from typing import List, Optional

from ember.errors import AnalysisException

Table = namedtuple("Table", "name catalog namespace description tableType isTemporary")
Database = namedtuple("Database", "name catalog description locationUri")
Column = namedtuple("Column", "name description dataType nullable isPartition isBucket")


class Catalog:
    def __init__(self, session):
        self._session = session
        self._catalog = session._catalog

    def _sql(self, text: str):
        return self._session.sql(text)

    # ------------------------------------------------------------------ databases
    def currentDatabase(self) -> str:
        return self._catalog.current_database

    def setCurrentDatabase(self, dbName: str) -> None:
        self._sql(f"USE {_quote(dbName)}")

    def currentCatalog(self) -> str:
        return "spark_catalog"

    def listDatabases(self, pattern: Optional[str] = None) -> List[Database]:
        from ember.engine.catalog_commands import pattern_matches
        ms = self._catalog.metastore
        out = []
        for name in ms.list_databases():
            if pattern_matches(pattern, name):
                meta = ms.get_database(name)
                loc = meta["location"]
                out.append(Database(name, "spark_catalog", meta["description"],
                                    loc if loc.startswith("file:") else "file:" + loc))
        return out

    def databaseExists(self, dbName: str) -> bool:
        return self._catalog.metastore.database_exists(dbName)

    # ------------------------------------------------------------------ tables
    def listTables(self, dbName: Optional[str] = None,
                   pattern: Optional[str] = None) -> List[Table]:
        from ember.engine.catalog_commands import pattern_matches
        db = dbName or self._catalog.current_database
        out = []
        if db.lower() != "global_temp":
            if not self._catalog.metastore.database_exists(db):
                raise AnalysisException("SCHEMA_NOT_FOUND", schemaName=f"`{db}`")
            for meta in self._catalog.metastore.list_table_rows(db):
                if pattern_matches(pattern, meta["name"]):
                    out.append(Table(meta["name"], "spark_catalog", [meta["db"]],
                                     meta.get("comment"), meta["type"], False))
        else:
            for name in self._catalog.global_temp_views.names():
                if pattern_matches(pattern, name):
                    out.append(Table(name, None, ["global_temp"], None, "TEMPORARY", True))
        for name in sorted(self._catalog.temp_views):
            if pattern_matches(pattern, name):
                out.append(Table(name, None, [], None, "TEMPORARY", True))
        return out

    def listColumns(self, tableName: str, dbName: Optional[str] = None) -> List[Column]:
        from ember.engine.catalog_commands import _relation_columns
        from ember.session import _split_name
        parts = [dbName, tableName] if dbName else _split_name(tableName)
        cols, pcols, _ = _relation_columns(self._session, parts)
        pset = {p.lower() for p in pcols}
        return [Column(n, c, dt.simpleString(), True, n.lower() in pset, False)
                for n, dt, c in cols]

    def tableExists(self, tableName: str, dbName: Optional[str] = None) -> bool:
        from ember.session import _split_name
        parts = [dbName, tableName] if dbName else _split_name(tableName)
        return self._catalog.lookup_relation(parts) is not None

    def createTable(self, tableName: str, path: Optional[str] = None,
                    source: Optional[str] = None, schema=None, description=None, **options):
        from ember.engine.catalog_commands import _create_table, _statement_node
        from ember.parser.build_statements import Clause
        from ember.session import _split_name
        if schema is None and path is None:
            raise AnalysisException("UNABLE_TO_INFER_SCHEMA",
                                    format=(source or "parquet").upper())
        if schema is None:
            from ember.engine.sources.files import FileSource
            schema = FileSource(source or "parquet", [path]).schema
        columns = [Clause("create_col", f.name, f.dataType) for f in schema.fields]
        _create_table(_statement_node(
            "create_table", "CREATE TABLE", name=_split_name(tableName), if_not_exists=False,
            or_replace=False, external=path is not None, columns=columns,
            provider=source or "parquet", options=options, partitioning=None, location=path,
            comment=description, properties={}, clauses={}, query=None), self._session)
        return self._session.table(tableName)

    # ------------------------------------------------------------------ views
    def dropTempView(self, viewName: str) -> bool:
        return self._catalog.drop_temp_view(viewName)

    def dropGlobalTempView(self, viewName: str) -> bool:
        return self._catalog.global_temp_views.drop(viewName)

    # ------------------------------------------------------------------ cache
    def isCached(self, tableName: str) -> bool:
        self._session.table(tableName)
        return False

    def cacheTable(self, tableName: str, storageLevel=None) -> None:
        self._session.table(tableName)

    def uncacheTable(self, tableName: str) -> None:
        self._session.table(tableName)

    def clearCache(self) -> None:
        pass

    def refreshTable(self, tableName: str) -> None:
        self._session.table(tableName)


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
