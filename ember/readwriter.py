"""spark.read: loading files into DataFrames."""
from __future__ import annotations

from typing import Dict, Optional


class DataFrameReader:
    def __init__(self, session):
        self._session = session
        self._format = "parquet"
        self._options: Dict[str, str] = {}
        self._schema = None

    def format(self, source: str) -> "DataFrameReader":
        self._format = source.lower()
        return self

    def option(self, key: str, value) -> "DataFrameReader":
        self._options[key] = str(value)
        return self

    def options(self, **options) -> "DataFrameReader":
        for k, v in options.items():
            self.option(k, v)
        return self

    def schema(self, schema) -> "DataFrameReader":
        self._schema = schema
        return self

    def load(self, path: Optional[str] = None, format: Optional[str] = None, **options):
        from ember.dataframe import DataFrame
        from ember.engine.sources.files import file_relation
        if format:
            self.format(format)
        self.options(**options)
        return DataFrame(self._session, file_relation(self._format, path, self._options))

    def parquet(self, *paths, **options):
        from ember.dataframe import DataFrame
        from ember.engine.sources.files import FileSource
        from ember.optimizer.expressions import AttributeReference
        from ember.optimizer.plans.logical import LogicalRelation
        self.options(**options)
        source = FileSource("parquet", list(paths), self._options)
        attrs = [AttributeReference(f.name, f.dataType, f.nullable) for f in source.schema.fields]
        return DataFrame(self._session, LogicalRelation(source, attrs))

    def table(self, tableName: str):
        return self._session.table(tableName)


class DataFrameWriter:
    """df.write: saving a DataFrame as a catalog table or as files (pyspark.sql.DataFrameWriter).
    Tables go through the same code as SQL's CREATE TABLE AS SELECT and INSERT."""

    _MODES = {"error": "error", "errorifexists": "error", "default": "error",
              "append": "append", "overwrite": "overwrite", "ignore": "ignore"}

    def __init__(self, df):
        self._df = df
        self._mode = "error"
        self._format = "parquet"
        self._options: Dict[str, str] = {}
        self._partition_by = []

    def mode(self, saveMode: Optional[str]) -> "DataFrameWriter":
        if saveMode is None:
            return self
        key = saveMode.lower()
        if key not in self._MODES:
            from ember.errors import IllegalArgumentException
            raise IllegalArgumentException("INVALID_SAVE_MODE", mode=f'"{saveMode}"')
        self._mode = self._MODES[key]
        return self

    def format(self, source: str) -> "DataFrameWriter":
        self._format = source.lower()
        return self

    def option(self, key: str, value) -> "DataFrameWriter":
        self._options[key] = str(value)
        return self

    def options(self, **options) -> "DataFrameWriter":
        for k, v in options.items():
            self.option(k, v)
        return self

    def partitionBy(self, *cols) -> "DataFrameWriter":
        if len(cols) == 1 and isinstance(cols[0], (list, tuple)):
            cols = cols[0]
        self._partition_by = list(cols)
        return self

    def _plan(self):
        return self._df._qe.analyzed

    def saveAsTable(self, name: str, format: Optional[str] = None, mode: Optional[str] = None,
                    partitionBy=None, **options) -> None:
        from ember.engine.catalog_commands import save_as_table
        from ember.session import _split_name
        if format:
            self.format(format)
        self.mode(mode)
        if partitionBy:
            self.partitionBy(partitionBy)
        self.options(**options)
        save_as_table(self._df.sparkSession, self._plan(), _split_name(name), self._mode,
                      self._format, self._partition_by, self._options)

    def insertInto(self, tableName: str, overwrite: Optional[bool] = None) -> None:
        from ember.engine.catalog_commands import insert_into
        from ember.session import _split_name
        insert_into(self._df.sparkSession, self._plan(), _split_name(tableName),
                    bool(overwrite) if overwrite is not None else self._mode == "overwrite")

    def save(self, path: Optional[str] = None, format: Optional[str] = None,
             mode: Optional[str] = None, partitionBy=None, **options) -> None:
        from ember.engine.catalog_commands import save_to_path
        if format:
            self.format(format)
        self.mode(mode)
        if partitionBy:
            self.partitionBy(partitionBy)
        self.options(**options)
        path = path or self._options.get("path")
        save_to_path(self._df.sparkSession, self._plan(), path, self._mode, self._format,
                     self._partition_by)

    def parquet(self, path: str, mode: Optional[str] = None, partitionBy=None,
                compression=None) -> None:
        self.save(path, "parquet", mode, partitionBy)
