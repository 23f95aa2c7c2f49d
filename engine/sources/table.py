"""Catalog tables on disk: reading a table's folder (Hive-style `key=value` partition folders)
against the schema the metastore holds, and writing into it atomically.

Reading: every data file is read with the columns it has; columns a file lacks (added later by
ALTER TABLE ADD COLUMNS) read as NULL; partition columns come from the folder names.

Writing: the rows go to a staging folder inside the table folder (names starting with `.` are
never read), then a crash-safe commit (commit.py: table lock, journal, roll-forward recovery)
renames the replaced files aside and the new ones into place. A failed or killed write leaves
no partial rows visible; scans hold the table's lock shared, so they never see half a commit.
"""
from __future__ import annotations

import os
import uuid
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import pyarrow as pa

from ember import types as T
from ember.errors import EmberException

DEFAULT_PARTITION = "__HIVE_DEFAULT_PARTITION__"
_ESCAPE = set('"#%\'*/:=?\\\x7f{[]^')


def escape_path_name(s: str) -> str:
    """Hive's ExternalCatalogUtils.escapePathName."""
    return "".join(f"%{ord(ch):02X}" if ch in _ESCAPE or ord(ch) < 0x20 else ch for ch in s)


def unescape_path_name(s: str) -> str:
    out, i = [], 0
    while i < len(s):
        if s[i] == "%" and i + 2 < len(s):
            try:
                out.append(chr(int(s[i + 1:i + 3], 16)))
                i += 3
                continue
            except ValueError:
                pass
        out.append(s[i])
        i += 1
    return "".join(out)


def partition_text(value) -> str:
    """A partition value as Spark writes it in a folder name (and SHOW PARTITIONS)."""
    if value is None:
        return DEFAULT_PARTITION
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def partition_path(spec: Sequence[Tuple[str, str]]) -> str:
    return "/".join(f"{escape_path_name(k)}={escape_path_name(v)}" for k, v in spec)


def _data_files(folder: str) -> List[str]:
    out = []
    if not os.path.isdir(folder):
        return out
    for n in sorted(os.listdir(folder)):
        if n.startswith(("_", ".")):
            continue
        p = os.path.join(folder, n)
        if os.path.isfile(p):
            out.append(p)
    return out


class TableSource:
    """A catalog table as a scan source (same interface as files.FileSource)."""

    def __init__(self, location: str, schema: T.StructType, partition_columns: List[str],
                 fmt: str = "parquet"):
        self.format = fmt
        self.location = location
        self.paths = [location]
        self.schema = schema
        self.partition_columns = list(partition_columns)

    def location_text(self) -> str:
        return "file:" + os.path.abspath(self.location)

    def smallest_column(self, attrs):
        return min(attrs, key=lambda a: a.data_type.defaultSize())

    def _files(self) -> List[Tuple[str, Dict[str, Optional[str]]]]:
        """(file, {partition column: value text or None}) for every data file."""
        found: List[Tuple[str, Dict]] = []

        def walk(folder, depth, values):
            if depth == len(self.partition_columns):
                found.extend((f, dict(values)) for f in _data_files(folder))
                return
            if not os.path.isdir(folder):
                return
            for n in sorted(os.listdir(folder)):
                p = os.path.join(folder, n)
                if n.startswith(("_", ".")) or "=" not in n or not os.path.isdir(p):
                    continue
                k, v = n.split("=", 1)
                v = unescape_path_name(v)
                walk(p, depth + 1, values + [(self.partition_columns[depth],
                                              None if v == DEFAULT_PARTITION else v)])
        walk(self.location, 0, [])
        return found

    def read(self, columns: List[str], batch_size: int) -> Iterator[pa.RecordBatch]:
        # the scan runs under the table's shared lock (see commit.py): it sees the files of
        # complete commits only, and no commit removes a file while it is read
        from ember.engine.sources.commit import read_lock
        with read_lock(self.location):
            batches = list(self._read_files(columns, batch_size))
        yield from batches

    def _read_files(self, columns: List[str], batch_size: int) -> Iterator[pa.RecordBatch]:
        import pyarrow.parquet as pq
        fields = {f.name.lower(): f for f in self.schema.fields}
        parts = {c.lower() for c in self.partition_columns}
        for path, values in self._files():
            try:
                pf = pq.ParquetFile(path)
                have = {n.lower(): n for n in pf.schema_arrow.names}
                wanted = [have[c.lower()] for c in columns
                          if c.lower() not in parts and c.lower() in have]
                if wanted:
                    batches = list(pf.iter_batches(batch_size=max(batch_size, 1 << 16),
                                                   columns=wanted))
                else:
                    n = pf.metadata.num_rows
                    batches = [pa.RecordBatch.from_pydict({"__n": pa.nulls(n)})] if n else []
            except (pa.ArrowInvalid, OSError) as e:
                raise EmberException("FAILED_READ_FILE.NO_HINT", path="file:" + path,
                                     cause=e) from None
            lvalues = {k.lower(): v for k, v in values.items()}
            for batch in batches:
                n = batch.num_rows
                if n == 0:
                    continue
                cols = []
                for c in columns:
                    f = fields[c.lower()]
                    want = T.to_arrow(f.dataType)
                    if c.lower() in parts:
                        text = lvalues.get(c.lower())
                        col = pa.array([text] * n, pa.string()).cast(want)
                    elif c.lower() in have and have[c.lower()] in batch.schema.names:
                        col = batch.column(batch.schema.get_field_index(have[c.lower()]))
                        if col.type != want:
                            col = col.cast(want)
                    else:
                        col = pa.nulls(n, want)
                    cols.append(col)
                yield pa.RecordBatch.from_arrays(cols, names=list(columns))


# ---------------------------------------------------------------------------- writing
def write_table_data(location: str, table: pa.Table, partition_columns: List[str],
                     overwrite_specs: Optional[List[Dict[str, str]]] = None,
                     overwrite_all: bool = False, check=None,
                     before_commit=None) -> List[List[Tuple[str, str]]]:
    """Write `table` (the table's columns, partition columns last) under `location`.

    overwrite_all replaces every existing file; overwrite_specs replaces the partitions whose
    values match one of the given (partial) specs. Returns the partition specs written, as
    lists of (column, value text). The files are staged, then committed atomically (commit.py);
    `check()` runs under the table lock before the commit (it raises to abandon it) and
    `before_commit(specs)` right before the commit point."""
    import pyarrow.parquet as pq
    from ember.engine.sources import commit
    os.makedirs(location, exist_ok=True)
    stage = commit.Staging(location)
    staging = stage.path
    written: List[List[Tuple[str, str]]] = []
    moves: List[Tuple[str, str]] = []
    try:
        data_names = [n for n in table.column_names if n not in partition_columns]
        if partition_columns:
            groups = _group_partitions(table, partition_columns)
        else:
            groups = [([], table)]      # even with no rows: the file carries the schema
        for spec, rows in groups:
            rel = partition_path(spec)
            folder = os.path.join(staging, rel) if rel else staging
            os.makedirs(folder, exist_ok=True)
            name = f"part-00000-{uuid.uuid4()}.c000.snappy.parquet"
            if rows.num_rows or not partition_columns:
                pq.write_table(rows.select(data_names), os.path.join(folder, name),
                               compression="snappy")
                moves.append((os.path.join(folder, name),
                              os.path.join(location, rel, name) if rel
                              else os.path.join(location, name)))
            written.append(spec)
        # the new files are complete: commit them
        stage.sync()
        commit.crash_point("staged")
        commit.commit_files(
            location, moves,
            lambda: _replaced(location, partition_columns, overwrite_specs, overwrite_all),
            check, (lambda: before_commit(written)) if before_commit is not None else None)
    finally:
        stage.close()
    return written


def _replaced(location, partition_columns, specs, overwrite_all) -> List[str]:
    if overwrite_all:
        out = _data_files(location)
        if partition_columns:
            out += [os.path.join(location, n) for n in os.listdir(location)
                    if "=" in n and not n.startswith((".", "_"))]
        return out
    if not specs:
        return []
    out = []
    for spec in specs:
        folder = location
        for c in partition_columns:
            if c not in spec:
                break
            folder = os.path.join(folder, f"{escape_path_name(c)}={escape_path_name(spec[c])}")
        if folder != location and os.path.exists(folder):
            out.append(folder)
    return out


def _group_partitions(table: pa.Table, partition_columns: List[str]):
    keys = [table.column(c).to_pylist() for c in partition_columns]
    order: Dict[tuple, List[int]] = {}
    for i, k in enumerate(zip(*keys)):
        order.setdefault(tuple(partition_text(v) for v in k), []).append(i)
    out = []
    for k, idx in order.items():
        out.append((list(zip(partition_columns, k)), table.take(pa.array(idx, pa.int64()))))
    return out


def remove_data(location: str) -> None:
    """Remove a table's folder (its data first, atomically)."""
    from ember.engine.sources.commit import remove_folder
    remove_folder(location)
