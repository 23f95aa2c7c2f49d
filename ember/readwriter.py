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
