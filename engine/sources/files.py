"""File data sources (Parquet for now): schema discovery and column-pruned batch reads.

Files are read with pyarrow.dataset; every column is converted to the Arrow type Ember uses
for its Spark type (string_view -> string, other timestamp units -> microseconds).
"""
from __future__ import annotations

import glob
import os
from typing import Iterator, List, Optional, Sequence

import pyarrow as pa

from ember import types as T
from ember.errors import AnalysisException, EmberException
from ember.optimizer.expressions import AttributeReference
from ember.optimizer.plans.logical import LogicalRelation


class FileSource:
    def __init__(self, fmt: str, paths: Sequence[str], options: Optional[dict] = None):
        self.format = fmt
        self.paths = list(paths)
        self.options = dict(options or {})
        self._dataset = None
        self._schema: Optional[T.StructType] = None

    # ------------------------------------------------------------------ metadata
    def dataset(self):
        if self._dataset is None:
            import pyarrow.dataset as ds
            files = []
            for p in self.paths:
                if not os.path.exists(p) and not glob.glob(p):
                    raise AnalysisException("PATH_NOT_FOUND", path=_uri(p))
                if os.path.isdir(p):
                    for root, dirs, names in os.walk(p):
                        dirs[:] = [d for d in dirs if not d.startswith(("_", "."))]
                        files.extend(os.path.join(root, n) for n in sorted(names)
                                     if not n.startswith(("_", ".")))
                elif os.path.exists(p):
                    files.append(p)
                else:
                    files.extend(sorted(glob.glob(p)))
            if self.format != "parquet":
                from ember.errors import not_supported
                raise not_supported(f"reading {self.format} files")
            try:
                self._dataset = ds.dataset(files, format="parquet") if files else None
            except (pa.ArrowInvalid, OSError) as e:
                raise EmberException("FAILED_READ_FILE.NO_HINT", path=_uri(self.paths[0]),
                                     cause=e) from None
        return self._dataset

    @property
    def schema(self) -> T.StructType:
        if self._schema is None:
            d = self.dataset()
            if d is None:
                raise AnalysisException("UNABLE_TO_INFER_SCHEMA", format=self.format.upper())
            self._schema = T.StructType([T.StructField(f.name, T.from_arrow(f.type), True)
                                         for f in d.schema])
        return self._schema

    def location_text(self) -> str:
        return ", ".join(_uri(p) for p in self.paths)

    def smallest_column(self, attrs):
        return min(attrs, key=lambda a: a.data_type.defaultSize())

    # ------------------------------------------------------------------ reading
    def read(self, columns: List[str], batch_size: int) -> Iterator[pa.RecordBatch]:
        d = self.dataset()
        if d is None:
            return
        types = {f.name: T.to_arrow(f.dataType) for f in self.schema.fields}
        try:
            scanner = d.scanner(columns=columns, batch_size=max(batch_size, 1 << 16),
                                use_threads=True)
            for batch in scanner.to_batches():
                if batch.num_rows == 0:
                    continue
                cols = []
                for name, col in zip(columns, batch.columns):
                    want = types[name]
                    cols.append(col if col.type == want else col.cast(want))
                yield pa.RecordBatch.from_arrays(cols, names=columns)
        except (pa.ArrowInvalid, OSError) as e:
            raise EmberException("FAILED_READ_FILE.NO_HINT", path=self.location_text(),
                                 cause=e) from None


def _uri(p: str) -> str:
    return "file:" + os.path.abspath(p)


def file_relation(fmt: str, path: str, options=None) -> LogicalRelation:
    source = FileSource(fmt, [path], options)
    attrs = [AttributeReference(f.name, f.dataType, f.nullable) for f in source.schema.fields]
    return LogicalRelation(source, attrs)
