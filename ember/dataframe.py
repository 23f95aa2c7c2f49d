"""DataFrame: a lazily evaluated query (pyspark.sql.DataFrame's core API)."""
from __future__ import annotations

import datetime as _dt
from typing import Any, List, Optional

import pyarrow as pa

from ember import types as T
from ember.conf import use_conf
from ember.row import Row


class DataFrame:
    def __init__(self, session, plan):
        from ember.engine.query_execution import QueryExecution
        self.sparkSession = session
        self._qe = QueryExecution(session, plan)
        _ = self._qe.analyzed            # analysis errors surface at creation, as in Spark

    def _materialize(self) -> None:
        """Run a command now (Spark runs DDL and SET eagerly); the DataFrame then stands for
        the command's result rows (Spark's CommandResult)."""
        from ember.engine.query_execution import QueryExecution
        from ember.optimizer.plans.commands import Command
        from ember.optimizer.plans.logical import LocalRelation
        analyzed = self._qe.analyzed
        if isinstance(analyzed, Command):
            table = self._qe.to_arrow()
            attrs = list(analyzed.output)
            self._hive_format = _hive_format_of(analyzed)
            self._qe = QueryExecution(self.sparkSession, LocalRelation(attrs, table if attrs
                                                                         else None))

    def _table(self) -> pa.Table:
        return self._qe.to_arrow()

    # ------------------------------------------------------------------ schema
    @property
    def schema(self) -> T.StructType:
        return self._qe.schema

    @property
    def columns(self) -> List[str]:
        return [f.name for f in self.schema.fields]

    @property
    def dtypes(self):
        return [(f.name, f.dataType.simpleString()) for f in self.schema.fields]

    def printSchema(self, level: Optional[int] = None) -> None:
        print(self.schema.treeString(), end="")

    # ------------------------------------------------------------------ actions
    def toArrow(self) -> pa.Table:
        table = self._table()
        kind = getattr(self, "_hive_format", None)
        if kind:     # how the spark-sql shell prints this command's rows (HiveResult)
            table = table.replace_schema_metadata({b"ember.hive_format": kind.encode()})
        return table

    def collect(self) -> List[Row]:
        table = self._table()
        schema = self.schema
        tz = self.sparkSession._conf.time_zone
        names = [f.name for f in schema.fields]
        cols = [_python_column(table.column(i), f.dataType, tz)
                for i, f in enumerate(schema.fields)]
        return [Row._with_fields(names, vals) for vals in zip(*cols)] if cols else \
            [Row._with_fields([], ()) for _ in range(table.num_rows)]

    def toPandas(self):
        try:
            import pandas  # noqa: F401
        except ImportError:
            from ember.errors import EmberException
            raise EmberException("PACKAGE_NOT_INSTALLED", package_name="pandas",
                                 minimum_version="1.4.4",
                                 message="pandas is required for toPandas()") from None
        return self._table().to_pandas()

    def count(self) -> int:
        return self._table().num_rows

    def head(self, n: Optional[int] = None):
        rows = self.limit(n if n is not None else 1).collect()
        return rows[0] if n is None and rows else (None if n is None else rows)

    def first(self):
        return self.head()

    def take(self, num: int) -> List[Row]:
        return self.limit(num).collect()

    def show(self, n: int = 20, truncate=True, vertical: bool = False) -> None:
        print(self._show_string(n, truncate, vertical), end="")

    def _show_string(self, n: int = 20, truncate=True, vertical: bool = False) -> str:
        from ember.engine.result_format import show_string
        table = self.limit(n + 1)._table() if n >= 0 else self._table()
        return show_string(table, self.schema, self.sparkSession._conf.time_zone, n, truncate,
                           vertical)

    def explain(self, extended=None, mode: Optional[str] = None) -> None:
        if isinstance(extended, str):
            mode, extended = extended, None
        if mode is None:
            mode = "extended" if extended else "simple"
        with use_conf(self.sparkSession._conf):
            print(self._qe.explain_string(mode))

    # ------------------------------------------------------------------ transformations
    def limit(self, num: int) -> "DataFrame":
        from ember.optimizer.plans.logical import GlobalLimit, LocalLimit
        from ember.optimizer.expressions import Literal
        lit = Literal(int(num), T.IntegerType())
        return DataFrame(self.sparkSession, GlobalLimit(lit, LocalLimit(lit, self._qe.analyzed)))

    # ------------------------------------------------------------------ caching
    def cache(self) -> "DataFrame":
        from ember.storagelevel import StorageLevel
        return self.persist(StorageLevel.MEMORY_AND_DISK_DESER)

    def persist(self, storageLevel=None) -> "DataFrame":
        """Keep this DataFrame's rows in memory on first use; later queries containing its
        plan read them (engine/cache_manager.py)."""
        from ember.engine.cache_manager import cache_manager
        from ember.storagelevel import StorageLevel
        cache_manager(self.sparkSession).cache_query(
            self.sparkSession, self._qe.analyzed, None,
            storageLevel or StorageLevel.MEMORY_AND_DISK_DESER)
        self._qe._optimized = self._qe._physical = None
        return self

    def unpersist(self, blocking: bool = False) -> "DataFrame":
        from ember.engine.cache_manager import cache_manager
        cache_manager(self.sparkSession).uncache_query(self._qe.analyzed, cascade=False)
        self._qe._optimized = self._qe._physical = None
        return self

    def _cache_entry(self):
        cm = getattr(self.sparkSession, "_cache_manager", None)
        return cm.lookup(self._qe.analyzed) if cm is not None and not cm.is_empty() else None

    @property
    def is_cached(self) -> bool:
        return self._cache_entry() is not None

    @property
    def storageLevel(self):
        from ember.storagelevel import StorageLevel
        entry = self._cache_entry()
        return entry.storage_level if entry is not None else StorageLevel.NONE

    # ------------------------------------------------------------------ writing
    @property
    def write(self):
        from ember.readwriter import DataFrameWriter
        return DataFrameWriter(self)

    # ------------------------------------------------------------------ views
    def createOrReplaceTempView(self, name: str) -> None:
        self._create_view(name, replace=True, is_global=False)

    def createTempView(self, name: str) -> None:
        self._create_view(name, replace=False, is_global=False)

    def createOrReplaceGlobalTempView(self, name: str) -> None:
        self._create_view(name, replace=True, is_global=True)

    def createGlobalTempView(self, name: str) -> None:
        self._create_view(name, replace=False, is_global=True)

    def _create_view(self, name: str, replace: bool, is_global: bool) -> None:
        from ember.catalog.session_catalog import ViewDefinition
        view = ViewDefinition(name=name, plan=self._qe.analyzed, schema=self.schema,
                              is_global=is_global)
        catalog = self.sparkSession._catalog
        if replace:
            from ember.engine.cache_commands import view_replaced
            view_replaced(self.sparkSession, name, is_global)
        if is_global:
            catalog.global_temp_views.create(view, replace)
        else:
            catalog.create_temp_view(view, replace)

    def __repr__(self) -> str:
        return "DataFrame[" + ", ".join(f"{n}: {t}" for n, t in self.dtypes) + "]"


def _python_column(col, dt: T.DataType, tz: str) -> List[Any]:
    """Arrow values as the Python objects PySpark's collect() returns."""
    if isinstance(dt, T.TimestampType):
        from ember._values import zone
        micros = col.cast(pa.int64()).to_pylist()
        z = zone(tz)
        out = []
        for m in micros:
            if m is None:
                out.append(None)
                continue
            utc = _dt.datetime(1970, 1, 1, tzinfo=_dt.timezone.utc) + _dt.timedelta(microseconds=m)
            out.append(utc.astimezone(z).replace(tzinfo=None))
        return out
    if isinstance(dt, T.BinaryType):
        return [None if v is None else bytearray(v) for v in col.to_pylist()]
    if isinstance(dt, T.StructType):
        names = [f.name for f in dt.fields]
        return [None if v is None else Row._with_fields(names, [v[n] for n in names])
                for v in col.to_pylist()]
    if isinstance(dt, T.MapType):
        return [None if v is None else dict(v) for v in col.to_pylist()]
    return col.to_pylist()


def _hive_format_of(cmd):
    """Commands whose rows Spark's HiveResult prints specially: DESCRIBE TABLE (padded
    columns) and SHOW TABLES (table names only)."""
    kind = getattr(cmd, "kind", None) if type(cmd).__name__ == "Statement" else None
    if kind == "describe_table" and not cmd.fields.get("column") or kind == "describe_query":
        return "describe"
    if kind in ("show_tables", "show_views"):
        return "show_tables"
    return None
