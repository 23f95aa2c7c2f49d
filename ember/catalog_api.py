"""spark.catalog: the session catalog seen from Python (pyspark.sql.Catalog), returning the
same named tuples, with the same field values, as PySpark 4."""
from __future__ import annotations

from collections import namedtuple
from typing import List, Optional

from ember.errors import AnalysisException, IllegalArgumentException

CatalogMetadata = namedtuple("CatalogMetadata", "name description")
Database = namedtuple("Database", "name catalog description locationUri")
Table = namedtuple("Table", "name catalog namespace description tableType isTemporary")
Column = namedtuple("Column", "name description dataType nullable isPartition isBucket isCluster")
Function = namedtuple("Function", "name catalog namespace description className isTemporary")

SESSION_CATALOG = "spark_catalog"


class Catalog:
    def __init__(self, session):
        self._session = session
        self._catalog = session._catalog

    def _sql(self, text: str):
        return self._session.sql(text)

    # ------------------------------------------------------------------ catalogs
    def currentCatalog(self) -> str:
        return SESSION_CATALOG

    def setCurrentCatalog(self, catalogName: str) -> None:
        if catalogName.lower() != SESSION_CATALOG:
            raise AnalysisException("CATALOG_NOT_FOUND", catalogName=_quote(catalogName),
                                    config=f'"spark.sql.catalog.{catalogName}"')

    def listCatalogs(self, pattern: Optional[str] = None) -> List[CatalogMetadata]:
        from ember.engine.catalog_commands import pattern_matches
        return [CatalogMetadata(SESSION_CATALOG, None)] \
            if pattern_matches(pattern, SESSION_CATALOG) else []

    # ------------------------------------------------------------------ databases
    def currentDatabase(self) -> str:
        return self._catalog.current_database

    def setCurrentDatabase(self, dbName: str) -> None:
        self._sql(f"USE {_quote(_db_name(dbName))}")

    def listDatabases(self, pattern: Optional[str] = None) -> List[Database]:
        from ember.engine.catalog_commands import pattern_matches
        ms = self._catalog.metastore
        return [self._database(name) for name in ms.list_databases()
                if pattern_matches(pattern, name)]

    def _database(self, name: str) -> Database:
        meta = self._catalog.metastore.get_database(name)
        loc = meta["location"]
        return Database(meta.get("name", name), SESSION_CATALOG, meta["description"],
                        loc if loc.startswith("file:") else "file:" + loc)

    def getDatabase(self, dbName: str) -> Database:
        name = _db_name(dbName)
        if not self._catalog.metastore.database_exists(name):
            raise AnalysisException("SCHEMA_NOT_FOUND",
                                    schemaName=f"{_quote(SESSION_CATALOG)}.{_quote(name)}")
        return self._database(name)

    def databaseExists(self, dbName: str) -> bool:
        return self._catalog.metastore.database_exists(_db_name(dbName))

    # ------------------------------------------------------------------ tables
    def listTables(self, dbName: Optional[str] = None,
                   pattern: Optional[str] = None) -> List[Table]:
        from ember.engine.catalog_commands import pattern_matches
        db = _db_name(dbName) if dbName else self._catalog.current_database
        out = []
        if db.lower() != "global_temp":
            if not self._catalog.metastore.database_exists(db):
                raise AnalysisException("SCHEMA_NOT_FOUND",
                                        schemaName=f"{_quote(SESSION_CATALOG)}.{_quote(db)}")
            for meta in self._catalog.metastore.list_table_rows(db):
                if pattern_matches(pattern, meta["name"]):
                    out.append(_table_of(meta))
        else:
            for name in self._catalog.global_temp_views.names():
                if pattern_matches(pattern, name):
                    out.append(Table(name, None, ["global_temp"], None, "TEMPORARY", True))
        for key in sorted(self._catalog.temp_views):
            name = self._catalog.temp_views[key].name
            if pattern_matches(pattern, name):
                out.append(Table(name, None, [], None, "TEMPORARY", True))
        return out

    def getTable(self, tableName: str) -> Table:
        parts = _parts(tableName)
        found = self._catalog.lookup_relation(parts)
        if found is None:
            from ember.engine.catalog_commands import _not_found
            raise _not_found(self._session, parts)
        kind, obj = found
        if kind == "temp":
            return Table(obj.name, None, [], None, "TEMPORARY", True)
        if kind == "global":
            return Table(obj.name, None, ["global_temp"], None, "TEMPORARY", True)
        return _table_of(obj)

    def tableExists(self, tableName: str, dbName: Optional[str] = None) -> bool:
        parts = [dbName, tableName] if dbName else _parts(tableName)
        return self._catalog.lookup_relation(parts) is not None

    def listColumns(self, tableName: str, dbName: Optional[str] = None) -> List[Column]:
        from ember.engine.catalog_commands import _relation_columns, _view_schema
        parts = [dbName, tableName] if dbName else _parts(tableName)
        cols, pcols, meta = _relation_columns(self._session, parts)
        nullable = [True] * len(cols)
        if meta is None:                      # temporary views keep their nullability
            found = self._catalog.lookup_relation(parts)
            schema = _view_schema(self._session, found[1])
            nullable = [f.nullable for f in schema.fields]
        pset = {p.lower() for p in pcols}
        return [Column(n, c, dt.simpleString(), nl, n.lower() in pset, False, False)
                for (n, dt, c), nl in zip(cols, nullable)]

    def createTable(self, tableName: str, path: Optional[str] = None,
                    source: Optional[str] = None, schema=None, description=None, **options):
        from ember.engine.catalog_commands import _create_table, _statement_node
        from ember.parser.build_statements import Clause
        source = source or self._session._conf.get("spark.sql.sources.default") or "parquet"
        if schema is None and path is None:
            raise AnalysisException("UNABLE_TO_INFER_SCHEMA",
                                    format=_format_name(source))
        if schema is None:
            from ember.engine.sources.files import FileSource
            schema = FileSource(source, [path], options).schema
        columns = [Clause("create_col", f.name, f.dataType) for f in schema.fields]
        _create_table(_statement_node(
            "create_table", "CREATE TABLE", name=_parts(tableName), if_not_exists=False,
            or_replace=False, external=path is not None, columns=columns,
            provider=source, options=options, partitioning=None, location=path,
            comment=description, properties={}, clauses={}, query=None), self._session)
        return self._session.table(tableName)

    def createExternalTable(self, tableName: str, path: Optional[str] = None,
                            source: Optional[str] = None, schema=None, **options):
        return self.createTable(tableName, path, source, schema, **options)

    def recoverPartitions(self, tableName: str) -> None:
        parts = _parts(tableName)
        found = self._catalog.lookup_relation(parts)
        if found is None:
            from ember.engine.catalog_commands import _not_found
            raise _not_found(self._session, parts)
        kind, obj = found
        if kind != "table" or obj["type"] == "VIEW":
            name = obj.name if kind != "table" else \
                ".".join(_quote(p) for p in (SESSION_CATALOG, obj["db"], obj["name"]))
            raise AnalysisException("EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE",
                                    viewName=name if kind == "table" else _quote(name),
                                    operation="recoverPartitions()")
        self._sql("ALTER TABLE " + ".".join(_quote(p) for p in (SESSION_CATALOG, obj["db"],
                                                               obj["name"]))
                  + " RECOVER PARTITIONS")

    # ------------------------------------------------------------------ functions
    def listFunctions(self, dbName: Optional[str] = None,
                      pattern: Optional[str] = None) -> List[Function]:
        from ember.engine.catalog_commands import pattern_matches
        if dbName is not None:
            self.getDatabase(dbName)
        return [self._function(n) for n in self._session._functions.names()
                if pattern_matches(pattern, n)]

    def functionExists(self, functionName: str, dbName: Optional[str] = None) -> bool:
        if dbName is not None or "." in functionName:
            return False                  # no persistent functions in Ember's catalog
        return self._session._functions.exists(functionName)

    def getFunction(self, functionName: str) -> Function:
        if "." not in functionName and self._session._functions.exists(functionName):
            return self._function(functionName.lower())
        raise AnalysisException("UNRESOLVED_ROUTINE",
                                routineName=".".join(_quote(p) for p in _parts(functionName)),
                                searchPath=self._catalog.search_path_text())

    def _function(self, name: str) -> Function:
        from ember.catalog.function_docs import function_doc
        info = self._session._functions.lookup(name)
        description, class_name = function_doc(name)
        if description is None and info is not None and info.usage:
            description = info.usage
        return Function(name, None, None, description, class_name, True)

    # ------------------------------------------------------------------ views
    def dropTempView(self, viewName: str) -> bool:
        if self._catalog.drop_temp_view(viewName):
            from ember.engine.cache_commands import view_dropped
            view_dropped(self._session, viewName)
            return True
        return False

    def dropGlobalTempView(self, viewName: str) -> bool:
        if self._catalog.global_temp_views.drop(viewName):
            from ember.engine.cache_commands import view_dropped
            view_dropped(self._session, "global_temp." + viewName)
            return True
        return False

    # ------------------------------------------------------------------ cache
    def isCached(self, tableName: str) -> bool:
        from ember.engine.cache_commands import is_cached
        return is_cached(self._session, _parts(tableName))

    def cacheTable(self, tableName: str, storageLevel=None) -> None:
        from ember.engine.cache_manager import cache_manager
        from ember.engine.cache_commands import _analyzed
        from ember.storagelevel import StorageLevel
        if storageLevel is not None and not isinstance(storageLevel, StorageLevel):
            raise IllegalArgumentException(
                "NOT_STORAGELEVEL", "storageLevel must be of type pyspark.StorageLevel")
        plan = _analyzed(self._session, _parts(tableName))
        cache_manager(self._session).cache_query(self._session, plan, tableName, storageLevel)

    def uncacheTable(self, tableName: str) -> None:
        from ember.engine.cache_commands import uncache_table
        uncache_table(self._session, _parts(tableName))

    def clearCache(self) -> None:
        from ember.engine.cache_commands import clear_cache
        clear_cache(self._session)

    def refreshTable(self, tableName: str) -> None:
        from ember.engine.cache_commands import refresh_table
        refresh_table(self._session, _parts(tableName))

    def refreshByPath(self, path: str) -> None:
        import os
        from ember.engine.cache_manager import cache_manager
        cache_manager(self._session).recache_tables([os.path.abspath(
            path[5:] if path.startswith("file:") else path)])


def _table_of(meta) -> Table:
    return Table(meta["name"], SESSION_CATALOG, [meta["db"]], meta.get("comment"),
                 meta["type"], False)


def _parts(name: str) -> List[str]:
    from ember.session import _split_name
    return _split_name(name)


def _db_name(name: str) -> str:
    """`db` or `spark_catalog.db` -> `db`."""
    parts = _parts(name)
    if len(parts) == 2 and parts[0].lower() == SESSION_CATALOG:
        return parts[1]
    return parts[-1] if len(parts) == 1 else name


def _format_name(source: str) -> str:
    return {"parquet": "Parquet", "orc": "ORC", "json": "JSON", "csv": "CSV",
            "text": "Text", "avro": "Avro"}.get(source.lower(), source)


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"
