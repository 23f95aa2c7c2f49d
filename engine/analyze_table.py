"""ANALYZE TABLE ... [PARTITION (...)] COMPUTE STATISTICS [NOSCAN | FOR COLUMNS ... | FOR ALL
COLUMNS] (Spark's AnalyzeTableCommand, AnalyzePartitionCommand, AnalyzeColumnCommand):
table and partition size and row count, and per-column statistics shown by
DESCRIBE EXTENDED t col, formatted as Spark's ColumnStat.toExternalString."""
from __future__ import annotations

import datetime as _dt
import math
import os
from decimal import Decimal
from typing import Dict, List

import pyarrow as pa

from ember import types as T
from ember.errors import AnalysisException


def _q(*parts) -> str:
    return ".".join("`" + str(p).replace("`", "``") + "`" for p in parts)


def folder_size(location: str) -> int:
    size = 0
    for root, dirs, files in os.walk(location or ""):
        dirs[:] = [d for d in dirs if not d.startswith((".", "_"))]
        size += sum(os.path.getsize(os.path.join(root, f)) for f in files
                    if not f.startswith((".", "_")))
    return size


def analyze_table(cmd, session) -> None:
    from ember.engine.catalog_commands import _get_table, _ms
    catalog = session._catalog
    parts = list(cmd.name)
    wants_columns = bool(cmd.columns) or cmd.all_columns
    temp = None
    if len(parts) == 1:
        temp = catalog.get_temp_view(parts[0])
    elif len(parts) == 2 and parts[0].lower() == "global_temp":
        temp = catalog.global_temp_views.get(parts[1])
    if temp is not None:
        if not wants_columns:
            raise AnalysisException("EXPECT_PERMANENT_VIEW_NOT_TEMP", viewName=_q(*parts),
                                    operation="ANALYZE TABLE")
        if not _is_cached(session, parts):
            raise AnalysisException("UNSUPPORTED_FEATURE.ANALYZE_UNCACHED_TEMP_VIEW",
                                    viewName=_q(*parts))
        return
    meta = _get_table(session, parts)
    if meta["type"] == "VIEW":
        if _is_cached(session, parts):
            return              # Spark analyses the cached rows of a cached view
        raise AnalysisException("UNSUPPORTED_FEATURE.ANALYZE_VIEW")
    ms = _ms(session)
    db, name = meta["db"], meta["name"]
    if wants_columns:
        _analyze_columns(session, cmd, meta)
        return
    if cmd.partition is not None:
        _analyze_partitions(session, cmd, meta)
        return
    size = folder_size(meta["location"])
    old = ms.get_table_stats(db, name)
    if cmd.noscan:
        if old is None or old["size_bytes"] != size:
            ms.set_table_stats(db, name, 0, size)
        return
    ms.set_table_stats(db, name, _count(session, meta), size)


def _is_cached(session, parts) -> bool:
    cm = getattr(session, "_cache_manager", None)
    if cm is None or cm.is_empty():
        return False
    from ember.engine.cache_commands import is_cached
    return is_cached(session, parts)


def _table_rows(session, meta) -> pa.Table:
    from ember.engine.query_execution import QueryExecution
    from ember.optimizer.plans import logical as L
    return QueryExecution(session, L.UnresolvedRelation(
        ["spark_catalog", meta["db"], meta["name"]])).to_arrow()


def _count(session, meta) -> int:
    return _table_rows(session, meta).num_rows


# ---------------------------------------------------------------------------- partitions
def _analyze_partitions(session, cmd, meta) -> None:
    from ember.engine.catalog_commands import _ms, _partition_values, _text
    ms = _ms(session)
    db, name = meta["db"], meta["name"]
    pcols = meta["partition_columns"]
    by_lower = {c.lower(): c for c in pcols}
    spec = {}
    for col, value in _partition_values(cmd.partition):
        if col.lower() not in by_lower:
            raise AnalysisException("PARTITIONS_NOT_FOUND", partitionList=_q(col),
                                    tableName=_q("spark_catalog", db, name))
        spec[by_lower[col.lower()]] = None if _is_dynamic(value) else _text(value)
    wanted = {k: v for k, v in spec.items() if v is not None}
    matches = [p for p in ms.list_partitions(db, name)
               if all(str(p["spec"].get(k)) == v for k, v in wanted.items())]
    if not matches:
        listed = ", ".join(f"{_q(k)} = {v}" for k, v in wanted.items())
        raise AnalysisException("PARTITIONS_NOT_FOUND", partitionList=f"PARTITION ({listed})",
                                tableName=_q(db, name))
    rows = None if cmd.noscan else _partition_counts(session, meta)
    for p in matches:
        size = folder_size(p["location"])
        old = p.get("stats") or {}
        if cmd.noscan:
            if old.get("size_bytes") == size:
                continue
            new = {"size_bytes": size}
        else:
            key = tuple(str(p["spec"].get(c)) for c in pcols)
            new = {"size_bytes": size, "row_count": rows.get(key, 0)}
        ms.set_partition_stats(db, name, p["spec"], new)


def _is_dynamic(value) -> bool:
    from ember.engine import catalog_commands as cc
    return value is getattr(cc, "_DYNAMIC", object()) or value is None


def _partition_counts(session, meta) -> Dict[tuple, int]:
    from ember.engine.catalog_commands import _text
    table = _table_rows(session, meta)
    names = [f.name.lower() for f in table.schema]
    cols = [table.column(names.index(c.lower())).to_pylist()
            for c in meta["partition_columns"]]
    out: Dict[tuple, int] = {}
    for key in zip(*cols):
        k = tuple(_partition_key_text(v, _text) for v in key)
        out[k] = out.get(k, 0) + 1
    return out


def _partition_key_text(v, text) -> str:
    return "__HIVE_DEFAULT_PARTITION__" if v is None else str(text(v))


# ---------------------------------------------------------------------------- columns
_SUPPORTED = (T.NumericType, T.StringType, T.BinaryType, T.BooleanType, T.DateType,
              T.TimestampType, T.TimestampNTZType)


def _analyze_columns(session, cmd, meta) -> None:
    from ember.engine.catalog_commands import _ms, schema_from_json
    db, name = meta["db"], meta["name"]
    schema = schema_from_json(meta["schema"])
    names = [f.name for f in schema.fields]
    if cmd.all_columns:
        wanted = list(range(len(names)))
    else:
        wanted = []
        for c in cmd.columns:
            match = [i for i, n in enumerate(names) if n.lower() == c.lower()]
            if not match:
                raise AnalysisException("COLUMN_NOT_FOUND", colName=_q(c),
                                        caseSensitiveConfig='"spark.sql.caseSensitive"')
            if match[0] in wanted:
                raise AnalysisException("COLUMN_ALREADY_EXISTS", columnName=_q(c.lower()))
            wanted.append(match[0])
    for i in wanted:
        dt = schema.fields[i].dataType
        if not isinstance(dt, _SUPPORTED) or isinstance(dt, T.StringType) and \
                getattr(dt, "collation", "UTF8_BINARY") not in (None, "UTF8_BINARY"):
            raise AnalysisException("UNSUPPORTED_FEATURE.ANALYZE_UNSUPPORTED_COLUMN_TYPE",
                                    columnType=f'"{dt.sql()}"', columnName=_q(names[i]),
                                    tableName=_q("spark_catalog", db, name))
    table = _table_rows(session, meta)
    tz = session._conf.time_zone
    col_stats = {names[i].lower(): column_stats(table.column(i), schema.fields[i].dataType, tz)
                 for i in wanted}
    _ms(session).set_table_stats(db, name, table.num_rows, folder_size(meta["location"]),
                                 col_stats)


def column_stats(col, dt, tz: str = "UTC") -> Dict:
    """Spark's column statistics of one column: min/max (atomic non-string types), nulls,
    distinct values, average and maximum length (ceil of the mean length for strings and
    binaries, the type's default size otherwise)."""
    values = [v for v in col.to_pylist() if v is not None]
    out = {"num_nulls": col.null_count, "distinct_count": len(set(values)),
           "avg_col_len": dt.defaultSize(), "max_col_len": dt.defaultSize(),
           "min": None, "max": None}
    if isinstance(dt, (T.StringType, T.BinaryType)):
        lens = [len(v) for v in values]
        if lens:
            out["avg_col_len"] = math.ceil(sum(lens) / len(lens))
            out["max_col_len"] = max(lens)
    elif values:
        lo, hi = min(values), max(values)
        out["min"] = _external(lo, dt, tz)
        out["max"] = _external(hi, dt, tz)
    return out


def _external(v, dt, tz: str) -> str:
    """ColumnStat.toExternalString: how DESCRIBE EXTENDED t col prints min and max."""
    from ember._java import java_double_str, java_float_str
    if isinstance(dt, T.BooleanType):
        return "true" if v else "false"
    if isinstance(dt, T.DoubleType):
        return java_double_str(float(v))
    if isinstance(dt, T.FloatType):
        return java_float_str(v)
    if isinstance(dt, T.DecimalType):
        return format(Decimal(v), "f")
    if isinstance(dt, T.DateType):
        return v.isoformat()
    if isinstance(dt, T.TimestampNTZType):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(dt, T.TimestampType):
        from ember._values import zone
        if v.tzinfo is None:
            v = v.replace(tzinfo=_dt.timezone.utc)
        return v.astimezone(zone(tz)).strftime("%Y-%m-%d %H:%M:%S.%f %z")
    return str(v)


def partition_stats_text(stats) -> str:
    text = f"{stats['size_bytes']} bytes"
    if stats.get("row_count") is not None:
        text += f", {stats['row_count']} rows"
    return text


def describe_partition_rows(session, meta, clause) -> List[tuple]:
    """The `# Detailed Partition Information` rows of DESCRIBE EXTENDED t PARTITION (...)."""
    from ember.engine.catalog_commands import _ms, _partition_values, _text, _java_date
    db, name = meta["db"], meta["name"]
    pcols = meta["partition_columns"]
    given = {k.lower(): _text(v) for k, v in _partition_values(clause)}
    if sorted(given) != sorted(c.lower() for c in pcols):
        raise AnalysisException("_LEGACY_ERROR_TEMP_1232", specKeys=", ".join(given),
                                partitionColumnNames=", ".join(pcols),
                                tableName=_q("spark_catalog", db, name))
    found = None
    for p in _ms(session).list_partitions(db, name):
        if all(str(p["spec"].get(c)) == given[c.lower()] for c in pcols):
            found = p
            break
    if found is None or not os.path.isdir(found["location"]):
        listed = ", ".join(f"{_q(c)} = {given[c.lower()]}" for c in pcols)
        raise AnalysisException("PARTITIONS_NOT_FOUND", partitionList=f"PARTITION ({listed})",
                                tableName=_q(db, name))
    values = ", ".join(f"{c}={found['spec'].get(c)}" for c in pcols)
    rows = [("", "", ""), ("# Detailed Partition Information", "", ""),
            ("Database", db, ""), ("Table", name, ""),
            ("Partition Values", f"[{values}]", ""),
            ("Location", "file:" + found["location"], ""),
            ("Created Time", _java_date(found.get("created_ms")), ""),
            ("Last Access", "UNKNOWN", "")]
    stats = found.get("stats") or {}
    if stats.get("size_bytes") is not None:
        rows.append(("Partition Statistics", partition_stats_text(stats), ""))
    rows += [("", "", ""), ("# Storage Information", "", ""),
             ("Location", "file:" + meta["location"], "")]
    return rows
