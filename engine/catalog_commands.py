"""Running the catalog statements: databases, tables, views, INSERT, SHOW and DESCRIBE.

Each runner takes the parsed `Statement` and the session and returns an Arrow table shaped like
the statement's output attributes (see optimizer.plans.commands._statement_output).
"""
from __future__ import annotations

import os
import re
from typing import Callable, Dict, List, Optional, Sequence

import pyarrow as pa

from ember import types as T
from ember.errors import AnalysisException, EmberException, not_supported
from ember.catalog.session_catalog import GLOBAL_TEMP_DB, ViewDefinition

STATEMENTS: Dict[str, Callable] = {}


def statement(*kinds):
    def wrap(fn):
        for k in kinds:
            STATEMENTS[k] = fn
        return fn
    return wrap


def run_statement(cmd, session) -> pa.Table:
    fn = STATEMENTS.get(cmd.kind)
    if fn is None:
        raise not_supported(cmd.feature)
    if cmd.kind in ("alter_table", "repair_table", "load_data"):
        # the table's data or schema may change: its caches are dropped or recomputed
        from ember.engine.cache_commands import around_table_change
        return around_table_change(cmd, session, lambda: fn(cmd, session))
    return fn(cmd, session)


# ---------------------------------------------------------------------------- helpers
def _q(*parts) -> str:
    return ".".join(f"`{p}`" for p in parts)


def _empty() -> pa.Table:
    return pa.table({})


def _result(cmd, rows) -> pa.Table:
    attrs = cmd.output
    cols = list(zip(*rows)) if rows else [[] for _ in attrs]
    return pa.Table.from_arrays([pa.array(list(c), T.to_arrow(a.data_type))
                                 for c, a in zip(cols, attrs)],
                                names=[a.name for a in attrs])


def pattern_matches(pattern: Optional[str], name: str) -> bool:
    """SHOW ... LIKE: `*` any characters, `|` alternatives, case-insensitive (Spark's
    StringUtils.filterPattern)."""
    if pattern is None:
        return True
    for alt in pattern.split("|"):
        regex = "".join(".*" if ch == "*" else re.escape(ch) for ch in alt.strip())
        if re.fullmatch(regex, name, flags=re.IGNORECASE):
            return True
    return False


def _catalog(session):
    return session._catalog


def _ms(session):
    return session._catalog.metastore


def check_name(name: str) -> None:
    """Object names never escape the warehouse."""
    if not re.fullmatch(r"\w+", name or "", flags=re.ASCII):
        raise AnalysisException("INVALID_SCHEMA_OR_RELATION_NAME", name=_q(name))


def _split(session, parts: Sequence[str]):
    """(database, name) of a table identifier."""
    parts = list(parts)
    if len(parts) == 1:
        return _catalog(session).current_database, parts[0]
    if len(parts) == 2:
        return parts[0], parts[1]
    if len(parts) == 3 and parts[0].lower() == "spark_catalog":
        return parts[1], parts[2]
    raise AnalysisException("REQUIRES_SINGLE_PART_NAMESPACE", sessionCatalog="spark_catalog",
                            namespace=_q(*parts[:-1]))


def _require_db(session, db: str) -> None:
    if db.lower() == GLOBAL_TEMP_DB:
        return
    if not _ms(session).database_exists(db):
        raise AnalysisException("SCHEMA_NOT_FOUND", schemaName=_q("spark_catalog", db))


def _not_found(session, parts) -> AnalysisException:
    return AnalysisException("TABLE_OR_VIEW_NOT_FOUND", relationName=_q(*parts),
                             searchPath=_catalog(session).search_path_text())


def _get_table(session, parts, allow_view=True):
    db, name = _split(session, parts)
    meta = _ms(session).get_table(db, name)
    if meta is None:
        raise _not_found(session, parts)
    return meta


def schema_to_json(schema: T.StructType, comments: Optional[List] = None) -> List[Dict]:
    out = []
    for i, f in enumerate(schema.fields):
        comment = comments[i] if comments and comments[i] is not None else \
            (f.metadata or {}).get("comment")
        out.append({"name": f.name, "type": f.dataType.catalogString(),
                    "nullable": f.nullable, "comment": comment})
    return out


def schema_from_json(cols: List[Dict]) -> T.StructType:
    from ember.parser import parse_data_type
    return T.StructType([T.StructField(c["name"], parse_data_type(c["type"]),
                                       c.get("nullable", True)) for c in cols])


def table_location(session, db: str, name: str) -> str:
    check_name(name)
    warehouse = _catalog(session).warehouse_dir
    if db.lower() == "default":
        return os.path.join(warehouse, name.lower())
    dbmeta = _ms(session).get_database(db)
    base = dbmeta["location"] if dbmeta else os.path.join(warehouse, f"{db.lower()}.db")
    return os.path.join(_path(base), name.lower())


def _user() -> str:
    import getpass
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _path(location: str) -> str:
    return location[5:] if location.startswith("file:") else location


# ---------------------------------------------------------------------------- databases
@statement("create_namespace")
def _create_database(cmd, session):
    parts = cmd.name
    if len(parts) > 1:
        if len(parts) == 2 and parts[0].lower() == "spark_catalog":
            parts = parts[1:]
        else:
            raise AnalysisException("REQUIRES_SINGLE_PART_NAMESPACE",
                                    sessionCatalog="spark_catalog", namespace=_q(*parts))
    name = parts[0]
    check_name(name)
    if name.lower() == GLOBAL_TEMP_DB:
        raise AnalysisException("SCHEMA_ALREADY_EXISTS", schemaName=_q(name))
    warehouse = _catalog(session).warehouse_dir
    location = cmd.location or os.path.join(warehouse, f"{name.lower()}.db")
    location = "file:" + os.path.abspath(_path(location))
    if not _ms(session).create_database(name, cmd.comment, location, cmd.properties or {}):
        if cmd.if_not_exists:
            return _empty()
        raise AnalysisException("SCHEMA_ALREADY_EXISTS", schemaName=_q(name))
    os.makedirs(_path(location), exist_ok=True)
    return _empty()


@statement("drop_namespace")
def _drop_database(cmd, session):
    parts = cmd.name
    if len(parts) == 2 and parts[0].lower() == "spark_catalog":
        parts = parts[1:]
    name = parts[-1]
    ms = _ms(session)
    if len(parts) > 1 or not ms.database_exists(name):
        if cmd.if_exists:
            return _empty()
        raise AnalysisException("SCHEMA_NOT_FOUND", schemaName=_q("spark_catalog", *parts))
    if name.lower() == "default":
        raise AnalysisException("UNSUPPORTED_FEATURE.DROP_DATABASE",
                                database=_q("spark_catalog", "default"))
    tables = ms.list_table_rows(name)
    if tables and not cmd.cascade:
        raise AnalysisException("SCHEMA_NOT_EMPTY", schemaName=_q(name))
    location = _path(ms.get_database(name)["location"])
    ms.drop_database(name)
    import shutil
    shutil.rmtree(location, ignore_errors=True)
    if _catalog(session).current_database.lower() == name.lower():
        _catalog(session).current_database = "default"
    return _empty()


@statement("show_namespaces")
def _show_databases(cmd, session):
    if cmd.namespace:
        return _result(cmd, [])
    names = [n for n in _ms(session).list_databases() if pattern_matches(cmd.pattern, n)]
    return _result(cmd, [(n,) for n in names])


@statement("use")
def _use(cmd, session):
    parts = list(cmd.name)
    if len(parts) == 2 and parts[0].lower() == "spark_catalog":
        parts = parts[1:]
    if len(parts) != 1 or not _ms(session).database_exists(parts[0]):
        raise AnalysisException("SCHEMA_NOT_FOUND", schemaName=_q("spark_catalog", *parts))
    _catalog(session).current_database = parts[0].lower()
    return _empty()


@statement("show_current_namespace")
def _show_current(cmd, session):
    return _result(cmd, [("spark_catalog", _catalog(session).current_database)])


@statement("describe_namespace")
def _describe_database(cmd, session):
    parts = list(cmd.name)
    if len(parts) == 2 and parts[0].lower() == "spark_catalog":
        parts = parts[1:]
    meta = _ms(session).get_database(parts[-1]) if len(parts) == 1 else None
    if meta is None:
        raise AnalysisException("SCHEMA_NOT_FOUND", schemaName=_q("spark_catalog", *parts))
    rows = [("Catalog Name", "spark_catalog"), ("Namespace Name", meta["name"]),
            ("Comment", meta["description"] or ""), ("Location", meta["location"]),
            ("Owner", _user())]
    if cmd.extended:
        props = meta["properties"]
        rows.append(("Properties", "(" + ", ".join(f"({k},{v})" for k, v in
                                                    sorted(props.items())) + ")"
                     if props else ""))
    return _result(cmd, rows)


# ---------------------------------------------------------------------------- tables
def _column_defs(columns):
    """(StructType, comments) of a CREATE TABLE column list."""
    fields, comments = [], []
    for col in columns:
        name, dt = col.payload[0], col.payload[1]
        nullable, comment = True, None
        for extra in col.payload[2:]:
            kind = getattr(extra, "kind", None)
            if kind == "col_not_null":
                pass          # Spark keeps a data source table's columns nullable
            elif kind in ("col_comment", "col_descriptor"):
                tail = extra.payload[-1]
                if isinstance(tail, str):
                    comment = tail
        fields.append(T.StructField(name, dt, nullable))
        comments.append(comment)
    return T.StructType(fields), comments


def _partition_names(partitioning) -> List[str]:
    out = []
    for f in partitioning or []:
        x = f.payload[0] if f.kind == "partition_field" else f
        if getattr(x, "kind", None) == "identity_transform":
            out.append(".".join(x.payload[0]))
        elif getattr(x, "kind", None) == "partition_column":
            out.append(x.payload[0].payload[0])
        else:
            raise not_supported("partition transforms in CREATE TABLE")
    return out


def _check_duplicates(names: List[str], what="in the table definition") -> None:
    seen = set()
    for n in names:
        if n.lower() in seen:
            raise AnalysisException("COLUMN_ALREADY_EXISTS", columnName=_q(n.lower()))
        seen.add(n.lower())


@statement("create_table")
def _create_table(cmd, session):
    db, name = _split(session, cmd.name)
    check_name(name)
    _require_db(session, db)
    provider = (cmd.provider or "parquet").lower()
    if provider not in ("parquet",):
        raise not_supported(f"CREATE TABLE ... USING {provider}")
    ms = _ms(session)
    existing = ms.get_table(db, name)
    if existing is not None and not cmd.or_replace:
        if cmd.if_not_exists:
            return _empty()
        raise AnalysisException("TABLE_OR_VIEW_ALREADY_EXISTS",
                                relationName=_q("spark_catalog", db.lower(), name.lower()))
    query_plan = None
    if cmd.query is not None:
        if cmd.columns:
            raise AnalysisException("_LEGACY_ERROR_TEMP_0035",
                                    message="Schema may not be specified in a Create Table As "
                                            "Select (CTAS) statement")
        from ember.engine.query_execution import QueryExecution
        qe = QueryExecution(session, cmd.query)
        query_plan = qe
        out = qe.analyzed.output
        from ember.optimizer.plans.logical import comment_metadata
        schema = T.StructType([T.StructField(a.name, a.data_type, True, comment_metadata(a))
                               for a in out])
        comments = [f.comment for f in schema.fields]
    else:
        schema, comments = _column_defs(cmd.columns or [])
    _check_duplicates([f.name for f in schema.fields])
    parts = _partition_names(cmd.partitioning)
    names_lower = {f.name.lower(): f for f in schema.fields}
    for p in parts:
        if p.lower() not in names_lower:
            raise AnalysisException("COLUMN_NOT_DEFINED_IN_TABLE", colType="partition",
                                    colName=_q(p), tableName=_q("spark_catalog", db, name),
                                    tableCols=", ".join(_q(f.name) for f in schema.fields))
    if parts:   # Spark keeps partition columns last
        keep = [(f, c) for f, c in zip(schema.fields, comments) if f.name.lower() not in
                {p.lower() for p in parts}]
        pcols = [(names_lower[p.lower()], comments[schema.fields.index(names_lower[p.lower()])])
                 for p in parts]
        schema = T.StructType([f for f, _ in keep + pcols])
        comments = [c for _, c in keep + pcols]
        parts = [names_lower[p.lower()].name for p in parts]
    if cmd.location:
        location = os.path.abspath(_path(cmd.location))
        kind = "EXTERNAL"
    else:
        location = table_location(session, db, name)
        kind = "MANAGED"
        from ember.engine.sources.commit import has_data
        if existing is None and query_plan is not None and has_data(location):
            raise AnalysisException("LOCATION_ALREADY_EXISTS",
                                    location=_q("file:" + location),
                                    identifier=_q("spark_catalog", db.lower(), name.lower()))
    meta = {"db": db, "name": name, "type": kind, "provider": provider,
            "location": location, "schema": schema_to_json(schema, comments),
            "partition_columns": parts, "properties": dict(cmd.properties or {}),
            "options": dict(cmd.options or {}), "comment": cmd.comment}
    table = None
    if query_plan is not None:
        table = query_plan.to_arrow()
        table = pa.Table.from_arrays(table.columns, names=[f.name for f in
                                                           query_plan.analyzed.schema.fields])
        if parts:
            table = table.select([f.name for f in schema.fields])
    if existing is not None:          # CREATE OR REPLACE
        _drop_table_and_data(session, existing)
    _commit_new_table(session, meta, table)
    return _empty()


def _commit_new_table(session, meta, table: Optional[pa.Table]) -> None:
    """Create the metastore entry of a new table, with its data for CTAS (`table`), so that a
    crash at any point leaves either the whole table or no entry (commit.py's protocol): the
    folder is marked uncommitted until the entry exists, and a marked folder without an entry
    is wiped by the next CREATE of the name."""
    from ember.engine.sources import commit
    from ember.engine.sources.table import partition_path, write_table_data
    ms = _ms(session)
    db, name, location = meta["db"], meta["name"], meta["location"]
    exists = AnalysisException("TABLE_OR_VIEW_ALREADY_EXISTS",
                               relationName=_q("spark_catalog", db.lower(), name.lower()))
    with commit.table_lock(location):
        if ms.get_table(db, name) is not None:      # created meanwhile by another session
            raise exists
        commit.discard_uncommitted(location)         # left by a killed CTAS or DROP TABLE
        if table is None:
            if not ms.create_table(meta):
                raise exists
            return
        if meta["type"] == "MANAGED" and commit.has_data(location):
            raise AnalysisException("LOCATION_ALREADY_EXISTS",
                                    location=_q("file:" + location),
                                    identifier=_q("spark_catalog", db.lower(), name.lower()))
        marked = not commit.has_data(location)     # never wipe data an external folder had
        if marked:
            commit.mark_uncommitted(location)
        written = write_table_data(location, table, meta["partition_columns"],
                                   overwrite_all=True)
        commit.crash_point("ctas_files")
        partitions = [(dict(s), os.path.join(location, partition_path(s))) for s in written] \
            if meta["partition_columns"] else []
        if not ms.create_table(meta, partitions):    # the commit point
            if marked:
                commit.discard_uncommitted(location)
            raise exists
        commit.crash_point("ctas_metastore")
        if marked:
            commit.unmark(location)
    from ember.engine.cache_commands import table_data_changed
    table_data_changed(session, meta)


def _write(session, meta, table: pa.Table, overwrite_specs=None, overwrite_all=False):
    """Write into an existing table: the files commit atomically (commit.py); the rows of new
    partitions are registered under the table lock just before the commit point (a partition
    row without its folder is harmless: SHOW PARTITIONS skips it)."""
    from ember.engine.sources.table import partition_path, write_table_data
    ms = _ms(session)
    db, name, pcols = meta["db"], meta["name"], meta["partition_columns"]

    def check():            # under the table lock: the table is still there, at this location
        now = ms.get_table(db, name)
        if now is None or now.get("location") != meta["location"]:
            raise _not_found(session, [db, name])

    def register(written):
        if pcols:
            ms.add_partitions(db, name, [dict(s) for s in written],
                              [os.path.join(meta["location"], partition_path(s))
                               for s in written])

    write_table_data(meta["location"], table, pcols, overwrite_specs, overwrite_all,
                     check=check, before_commit=register)
    from ember.engine.cache_commands import table_data_changed
    table_data_changed(session, meta)
    # Spark drops a table's statistics when its data changes (size auto-update is off)
    ms.clear_table_stats(db, name)


def _drop_table_and_data(session, meta) -> None:
    """Drop a table's metastore entry and (managed) its folder: the folder is marked
    uncommitted before the entry goes (the commit point), so a crash in between leaves a folder
    the next CREATE of the name wipes, never half a table."""
    ms = _ms(session)
    loc = meta.get("location")
    if meta["type"] != "MANAGED" or not loc or not os.path.isdir(loc):
        ms.drop_table(meta["db"], meta["name"])
        return
    from ember.engine.sources import commit
    from ember.engine.sources.table import remove_data
    with commit.table_lock(loc, create=False) as locked:
        if locked:
            commit.mark_uncommitted(loc)
        ms.drop_table(meta["db"], meta["name"])
        commit.crash_point("drop_metastore")
        remove_data(loc)


@statement("drop_table")
def _drop_table(cmd, session):
    parts = cmd.name
    from ember.engine.cache_commands import view_dropped
    if len(parts) == 1 and _catalog(session).drop_temp_view(parts[0]):
        view_dropped(session, parts[0])
        return _empty()
    if len(parts) == 2 and parts[0].lower() == GLOBAL_TEMP_DB:
        if _catalog(session).global_temp_views.drop(parts[1]):
            view_dropped(session, f"{GLOBAL_TEMP_DB}.{parts[1]}")
            return _empty()
        if cmd.if_exists:
            return _empty()
        raise _not_found(session, parts)
    db, name = _split(session, parts)
    meta = _ms(session).get_table(db, name)
    if meta is None:
        if cmd.if_exists:
            return _empty()
        raise _not_found(session, parts)
    _drop_table_and_data(session, meta)
    from ember.engine.cache_commands import table_dropped
    table_dropped(session, meta)
    return _empty()


def drop_persistent_view(session, parts, if_exists) -> bool:
    """DROP VIEW of a catalog view (True when handled)."""
    if len(parts) == 2 and parts[0].lower() == GLOBAL_TEMP_DB:
        return False
    try:
        db, name = _split(session, parts)
    except AnalysisException:
        return False
    meta = _ms(session).get_table(db, name)
    if meta is None:
        return False
    if meta["type"] != "VIEW":
        raise AnalysisException("WRONG_COMMAND_FOR_OBJECT_TYPE", alternative="DROP TABLE",
                                foundType=meta["type"], objectName=_q("spark_catalog", db, name),
                                operation="DROP VIEW", requiredType="VIEW")
    _ms(session).drop_table(db, name)
    from ember.engine.cache_commands import table_dropped
    table_dropped(session, meta)
    return True


@statement("truncate_table")
def _truncate(cmd, session):
    meta = _get_table(session, cmd.name)
    if meta["type"] == "VIEW":
        raise AnalysisException("EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE",
                                viewName=_q("spark_catalog", meta["db"], meta["name"]),
                                operation="TRUNCATE TABLE")
    from ember.engine.sources.commit import clear_data
    loc = meta["location"]
    clear_data(loc, lambda: [os.path.join(loc, n) for n in sorted(os.listdir(loc))
                             if not n.startswith((".", "_"))])
    _ms(session).clear_table_stats(meta["db"], meta["name"])
    from ember.engine.cache_commands import table_data_changed
    table_data_changed(session, meta)
    return _empty()


# ---------------------------------------------------------------------------- INSERT
def _partition_values(clause) -> List[tuple]:
    """[(column, value or _DYNAMIC)] of a PARTITION (...) spec."""
    out = []
    if clause is None:
        return out
    for v in clause.payload:
        if getattr(v, "kind", None) != "partition_val":
            continue
        if len(v.payload) == 1:
            out.append((str(v.payload[0]), _DYNAMIC))
        else:
            value = v.payload[-1]
            value = getattr(value, "value", value)
            out.append((str(v.payload[0]), value))
    return out


_DYNAMIC = object()


def _safe_cast_ok(src: T.DataType, dst: T.DataType) -> bool:
    """Spark's Cast.canANSIStoreAssign."""
    if src == dst or isinstance(src, T.NullType):
        return True
    num = (T.NumericType,)
    if isinstance(src, num) and isinstance(dst, num):
        return True
    if isinstance(dst, T.StringType) and not isinstance(src, (T.ArrayType, T.MapType,
                                                               T.StructType, T.BinaryType)):
        return True
    dt = (T.DateType, T.TimestampType, T.TimestampNTZType)
    if isinstance(src, dt) and isinstance(dst, dt):
        return True
    if isinstance(src, T.ArrayType) and isinstance(dst, T.ArrayType):
        return _safe_cast_ok(src.elementType, dst.elementType)
    if isinstance(src, T.MapType) and isinstance(dst, T.MapType):
        return _safe_cast_ok(src.keyType, dst.keyType) and \
            _safe_cast_ok(src.valueType, dst.valueType)
    if isinstance(src, T.StructType) and isinstance(dst, T.StructType):
        return len(src.fields) == len(dst.fields) and all(
            _safe_cast_ok(a.dataType, b.dataType) for a, b in zip(src.fields, dst.fields))
    return type(src) == type(dst)


@statement("insert")
def _insert(cmd, session):
    target = cmd.target
    if target.get("directory"):
        from ember.engine.query_execution import QueryExecution
        fmt = str(target.get("options", {}).get("format", "parquet")).lower()
        save_to_path(session, QueryExecution(session, cmd.query).analyzed, target["path"],
                     "overwrite", fmt, [])
        return _empty()
    if target.get("replace") is not None:
        raise not_supported("INSERT ... REPLACE")
    parts = target["name"]
    found = _catalog(session).lookup_relation(parts)
    if found is not None and found[0] in ("temp", "global"):
        raise AnalysisException("EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE",
                                viewName=_q(*parts), operation="INSERT")
    meta = _get_table(session, parts)
    if meta["type"] == "VIEW":
        raise AnalysisException("EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE",
                                viewName=_q("spark_catalog", meta["db"], meta["name"]),
                                operation="INSERT")
    schema = schema_from_json(meta["schema"])
    pcols = meta["partition_columns"]
    table_name = _q("spark_catalog", meta["db"], meta["name"])
    spec = _partition_values(target.get("partition"))
    pnames = {p.lower(): p for p in pcols}
    for k, _ in spec:
        if k.lower() not in pnames:
            raise AnalysisException("PARTITIONS_NOT_FOUND", partitionList=_q(k),
                                    tableName=table_name)
    static = {pnames[k.lower()]: v for k, v in spec if v is not _DYNAMIC}

    from ember.engine.query_execution import QueryExecution
    from ember.optimizer.expressions import Alias, Cast, Literal
    from ember.optimizer.plans import logical as L
    qe = QueryExecution(session, cmd.query)
    plan = qe.analyzed
    out = plan.output
    if target["overwrite"] and _reads_location(plan, meta["location"]):
        raise AnalysisException("UNSUPPORTED_OVERWRITE.TABLE", table=table_name)
    # the columns the query must supply: the table's, minus the static partition columns
    target_fields = [f for f in schema.fields if f.name not in static]
    if target.get("columns"):
        by = {f.name.lower(): f for f in target_fields}
        cols = []
        for c in target["columns"]:
            if c.lower() not in by:
                raise AnalysisException("UNRESOLVED_COLUMN.WITH_SUGGESTION", objectName=_q(c),
                                        proposal=", ".join(_q(f.name) for f in target_fields))
            cols.append(by[c.lower()])
        target_fields_q = cols
    elif target.get("by_name"):
        by = {a.name.lower(): a for a in out}
        target_fields_q = [f for f in target_fields if f.name.lower() in by]
        out = [by[f.name.lower()] for f in target_fields_q]
    else:
        target_fields_q = target_fields
    if len(out) != len(target_fields_q):
        cond = ("INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS"
                if len(out) < len(target_fields_q) else
                "INSERT_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS")
        raise AnalysisException(cond, tableName=table_name,
                                tableColumns=", ".join(_q(f.name) for f in target_fields_q),
                                dataColumns=", ".join(_q(a.name) for a in out))
    items = {}
    for a, f in zip(out, target_fields_q):
        if not _safe_cast_ok(a.data_type, f.dataType):
            raise AnalysisException("INCOMPATIBLE_DATA_FOR_TABLE.CANNOT_SAFELY_CAST",
                                    tableName=table_name, colName=_q(f.name),
                                    srcType='"' + a.data_type.sql() + '"',
                                    targetType='"' + f.dataType.sql() + '"')
        items[f.name] = Alias(a if a.data_type == f.dataType else Cast(a, f.dataType), f.name)
    projection = []
    for f in schema.fields:
        if f.name in items:
            projection.append(items[f.name])
        elif f.name in static:
            v = static[f.name]
            lit = Literal(None, T.StringType()) if v is None else \
                Literal(_text(v), T.StringType())
            projection.append(Alias(Cast(lit, f.dataType), f.name))
        else:
            projection.append(Alias(Literal(None, f.dataType), f.name))
    writer = QueryExecution(session, L.Project(projection, plan))
    try:
        table = writer.to_arrow()
    except EmberException as e:
        if getattr(e, "condition", "").startswith("CAST_OVERFLOW"):
            raise EmberException("CAST_OVERFLOW_IN_TABLE_INSERT",
                                 **_overflow_params(e, table_name)) from None
        raise
    table = pa.Table.from_arrays(table.columns, names=[f.name for f in schema.fields])
    for f in schema.fields:
        if not f.nullable and table.column(f.name).null_count:
            raise EmberException("NOT_NULL_ASSERT_VIOLATION", walkedTypePath=f"`{f.name}`")
    if target["overwrite"]:
        if pcols:
            if static and len(static) == len(spec):
                specs = [{k: _text(v) for k, v in static.items()}]
                _write(session, meta, table, overwrite_specs=specs)
            elif static:
                specs = [{k: _text(v) for k, v in static.items()}]
                _write(session, meta, table, overwrite_specs=specs)
            else:
                _write(session, meta, table, overwrite_all=True)
                _ms(session).drop_partitions(meta["db"], meta["name"],
                                             [p["spec"] for p in _ms(session).list_partitions(
                                                 meta["db"], meta["name"])
                                              if not _present(meta, p["spec"])])
        else:
            _write(session, meta, table, overwrite_all=True)
    else:
        _write(session, meta, table)
    return _empty()


def _reads_location(plan, location: str) -> bool:
    """Whether the plan scans the table at `location` (subqueries included)."""
    from ember.engine.sources.table import TableSource
    from ember.optimizer.plans import logical as L
    hit = []

    def visit(p):
        if isinstance(p, L.LogicalRelation) and isinstance(p.source, TableSource) and \
                os.path.abspath(p.source.location) == os.path.abspath(location):
            hit.append(p)
        for c in p.children:
            visit(c)
        for e in p.expressions():
            _visit_expr(e, visit)
    visit(plan)
    return bool(hit)


def _present(meta, spec) -> bool:
    from ember.engine.sources.table import partition_path
    return os.path.isdir(os.path.join(meta["location"],
                                      partition_path(list(spec.items()))))


def _text(v) -> str:
    from ember.engine.sources.table import partition_text
    return partition_text(v)


def _overflow_params(e, table_name):
    p = dict(getattr(e, "parameters", {}) or {})
    return {"sourceType": p.get("sourceType", ""), "targetType": p.get("targetType", ""),
            "columnName": table_name, "value": p.get("value", "")}


# ---------------------------------------------------------------------------- ALTER TABLE
@statement("alter_table")
def _alter_table(cmd, session):
    action = cmd.action
    if action.kind in ("alter_column", "hive_change_column") and len(cmd.name) == 1 and \
            _catalog(session).get_temp_view(cmd.name[0]) is not None:
        raise AnalysisException("EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE", viewName=_q(*cmd.name),
                                operation=cmd.feature)
    meta = _get_table(session, cmd.name)
    ms = _ms(session)
    db, name = meta["db"], meta["name"]
    if action.kind in ("alter_column", "hive_change_column"):
        if meta["type"] == "VIEW":
            raise AnalysisException("EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE",
                                    viewName=_q("spark_catalog", db, name),
                                    operation=cmd.feature)
        from ember.engine.alter_column import alter_column
        alter_column(session, meta, action, ms)
        return _empty()
    if meta["type"] == "VIEW" and action.kind != "rename_table" and \
            action.kind not in ("set_properties", "unset_properties"):
        raise AnalysisException("EXPECT_TABLE_NOT_VIEW.USE_ALTER_VIEW",
                                viewName=_q("spark_catalog", db, name),
                                operation=f"ALTER TABLE ... {action.kind.upper()}")
    if action.kind == "add_columns":
        cols = meta["schema"]
        new = []
        for qc in action.payload[-1].payload:
            cname = qc.payload[0]
            if isinstance(cname, list):
                if len(cname) > 1:
                    raise not_supported("ALTER TABLE ... ADD COLUMNS of nested fields")
                cname = cname[0]
            dt = qc.payload[1]
            comment = None
            for extra in qc.payload[2:]:
                for x in getattr(extra, "payload", ()):
                    if isinstance(x, str) and not hasattr(x, "type"):
                        comment = x
            new.append({"name": cname, "type": dt.catalogString(), "nullable": True,
                        "comment": comment})
        _check_duplicates([c["name"] for c in cols] + [c["name"] for c in new])
        pcount = len(meta["partition_columns"])
        if pcount:
            cols = cols[:len(cols) - pcount] + new + cols[len(cols) - pcount:]
        else:
            cols = cols + new
        ms.alter_table(db, name, schema=cols)
        return _empty()
    if action.kind == "rename_table":
        new_parts = list(action.payload[-1])
        new_db, new_name = (db, new_parts[-1]) if len(new_parts) == 1 else _split(session,
                                                                                  new_parts)
        check_name(new_name)
        if ms.get_table(new_db, new_name) is not None:
            raise AnalysisException("TABLE_OR_VIEW_ALREADY_EXISTS",
                                    relationName=_q("spark_catalog", new_db, new_name))
        changes = {"new_name": new_name}
        if meta["type"] == "MANAGED":
            from ember.engine.sources import commit
            new_loc = table_location(session, db, new_name)
            # no commit of the table runs while its folder moves
            with commit.table_lock(meta["location"], create=False):
                if os.path.exists(meta["location"]):
                    if commit.is_marked(new_loc) or \
                            (os.path.isdir(new_loc) and not commit.data_entries(new_loc)):
                        commit.remove_folder(new_loc)   # left by a killed CTAS or DROP
                    os.rename(meta["location"], new_loc)
                changes["location"] = new_loc
                ms.alter_table(db, name, **changes)
            return _empty()
        ms.alter_table(db, name, **changes)
        return _empty()
    if action.kind == "set_properties":
        props = dict(meta["properties"])
        props.update(action.payload[-1])
        ms.alter_table(db, name, properties=props)
        return _empty()
    if action.kind == "unset_properties":
        props = dict(meta["properties"])
        keys = [x for x in action.payload if isinstance(x, (dict, list))]
        for k in (list(keys[-1]) if keys else []):
            props.pop(k, None)
        ms.alter_table(db, name, properties=props)
        return _empty()
    if action.kind in ("add_partition", "drop_partition", "recover_partitions"):
        return _partition_action(session, meta, action)
    if action.kind == "set_location" and meta["type"] != "VIEW":
        ms.alter_table(db, name, location=os.path.abspath(_path(action.payload[-1])))
        return _empty()
    if action.kind in ("rename_column", "drop_columns", "replace_columns"):
        raise AnalysisException("UNSUPPORTED_FEATURE.TABLE_OPERATION",
                                tableName=_q("spark_catalog", db, name),
                                operation=cmd.feature.split("... ")[-1])
    raise not_supported(cmd.feature)


def _spec_of(meta, clause) -> Dict[str, str]:
    """A full partition spec {column: value text} in the table's partition column order."""
    values = _partition_values(clause)
    pcols = meta["partition_columns"]
    by = {k.lower(): (k, v) for k, v in values}
    table_name = _q(meta["db"], meta["name"])
    if not pcols:
        raise AnalysisException("INVALID_PARTITION_OPERATION.PARTITION_SCHEMA_IS_EMPTY",
                                name=_q("spark_catalog", meta["db"], meta["name"]))
    unknown = [k for k, _ in values if k.lower() not in {p.lower() for p in pcols}]
    if unknown or len(values) != len(pcols) or any(v is _DYNAMIC for _, v in values):
        raise AnalysisException("PARTITIONS_NOT_FOUND",
                                partitionList=", ".join(_q(k) for k in unknown) or
                                _spec_text({k: _text(v) for k, v in values}),
                                tableName=table_name)
    return {p: _text(by[p.lower()][1]) for p in pcols}


def _spec_text(spec) -> str:
    return "PARTITION (" + ", ".join(f"`{k}` = {v}" for k, v in spec.items()) + ")"


def _partition_action(session, meta, action):
    from ember.engine.sources.table import partition_path
    ms = _ms(session)
    db, name = meta["db"], meta["name"]
    table_name = _q(db, name)
    current = {json_key(p["spec"]): p for p in ms.list_partitions(db, name)}
    if action.kind == "recover_partitions":
        return _recover(session, meta)
    flag = any(getattr(x, "kind", None) in ("if_not_exists", "if_exists")
               for x in action.payload)
    specs, locations = [], []
    items = list(action.payload)
    for i, x in enumerate(items):
        if getattr(x, "kind", None) == "partition_spec":
            spec = _spec_of(meta, x)
            loc = None
            if i + 2 < len(items) and getattr(items[i + 1], "type", None) == "LOCATION":
                loc = _path(items[i + 2])
            specs.append(spec)
            locations.append(loc or os.path.join(meta["location"],
                                                 partition_path(list(spec.items()))))
    if action.kind == "add_partition":
        dup = [s for s in specs if json_key(s) in current]
        if dup and not flag:
            raise AnalysisException("PARTITIONS_ALREADY_EXIST",
                                    partitionList=", ".join(_spec_text(s) for s in dup),
                                    tableName=table_name)
        new = [(s, l) for s, l in zip(specs, locations) if json_key(s) not in current]
        for _, loc in new:
            os.makedirs(loc, exist_ok=True)
        ms.add_partitions(db, name, [s for s, _ in new], [l for _, l in new])
        return _empty()
    missing = [s for s in specs if json_key(s) not in current]
    if missing and not flag:
        raise AnalysisException("PARTITIONS_NOT_FOUND",
                                partitionList=", ".join(_spec_text(s) for s in missing),
                                tableName=table_name)
    gone = [current[json_key(s)] for s in specs if json_key(s) in current]
    outside = [p["location"] for p in gone]
    if meta["type"] == "MANAGED":
        # the data inside the table folder goes first, atomically (commit.py); a partition row
        # whose folder is gone is harmless (SHOW PARTITIONS skips it)
        from ember.engine.sources.commit import clear_data
        root = os.path.abspath(meta["location"]) + os.sep
        inside = [l for l in outside if os.path.abspath(l).startswith(root)]
        outside = [l for l in outside if l not in inside]
        clear_data(meta["location"], lambda: [l for l in inside if os.path.lexists(l)])
    ms.drop_partitions(db, name, [p["spec"] for p in gone])
    if meta["type"] == "MANAGED":
        import shutil
        for loc in outside:
            shutil.rmtree(loc, ignore_errors=True)
    return _empty()


def json_key(spec) -> str:
    import json
    return json.dumps({k.lower(): v for k, v in spec.items()}, sort_keys=True)


def _recover(session, meta, operation="ALTER TABLE RECOVER PARTITIONS"):
    """ALTER TABLE ... RECOVER PARTITIONS / MSCK REPAIR TABLE: register the partition folders
    found on disk (and, for SYNC/DROP, forget entries whose folder is gone)."""
    from ember.engine.sources.table import unescape_path_name
    pcols = meta["partition_columns"]
    if not pcols:
        raise AnalysisException("NOT_A_PARTITIONED_TABLE", operation=operation,
                                tableIdentWithDB=_q("spark_catalog", meta["db"], meta["name"]))
    found = []

    def walk(folder, depth, spec):
        if depth == len(pcols):
            found.append((dict(spec), folder))
            return
        for n in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            p = os.path.join(folder, n)
            if n.startswith((".", "_")) or "=" not in n or not os.path.isdir(p):
                continue
            k, v = n.split("=", 1)
            if k.lower() != pcols[depth].lower():
                continue
            walk(p, depth + 1, spec + [(pcols[depth], unescape_path_name(v))])
    walk(meta["location"], 0, [])
    _ms(session).add_partitions(meta["db"], meta["name"], [s for s, _ in found],
                                [f for _, f in found])
    return _empty()


@statement("repair_table")
def _repair_table(cmd, session):
    meta = _get_table(session, cmd.name)
    if cmd.option in ("ADD", "SYNC"):
        _recover(session, meta, "MSCK REPAIR TABLE")
    if cmd.option in ("DROP", "SYNC"):
        ms = _ms(session)
        ms.drop_partitions(meta["db"], meta["name"],
                           [p["spec"] for p in ms.list_partitions(meta["db"], meta["name"])
                            if not os.path.isdir(p["location"])])
    return _empty()


@statement("create_table_like")
def _create_table_like(cmd, session):
    cols, pcols, src = _relation_columns(session, cmd.source)
    db, name = _split(session, cmd.name)
    check_name(name)
    _require_db(session, db)
    ms = _ms(session)
    if ms.get_table(db, name) is not None:
        if cmd.if_not_exists:
            return _empty()
        raise AnalysisException("TABLE_OR_VIEW_ALREADY_EXISTS",
                                relationName=_q("spark_catalog", db.lower(), name.lower()))
    provider = "parquet"
    location = None
    for cl in cmd.clauses:
        if cl.kind == "table_provider":
            from ember.parser.build_statements import names as _names
            provider = ".".join(_names(cl.payload)[0]).lower()
        elif cl.kind == "tc_location":
            location = cl.payload[-1]
    if src is not None and src["type"] != "VIEW":
        provider = src.get("provider") or provider
    schema = [{"name": n, "type": dt.catalogString(), "nullable": True, "comment": c}
              for n, dt, c in cols]
    loc = os.path.abspath(_path(location)) if location else table_location(session, db, name)
    os.makedirs(loc, exist_ok=True)
    ms.create_table({"db": db, "name": name, "type": "EXTERNAL" if location else "MANAGED",
                     "provider": provider, "location": loc, "schema": schema,
                     "partition_columns": list(pcols), "properties": {}, "options": {},
                     "comment": None})
    return _empty()


@statement("comment_table")
def _comment_table(cmd, session):
    meta = _get_table(session, cmd.name)
    _ms(session).alter_table(meta["db"], meta["name"], comment=cmd.comment)
    return _empty()


@statement("alter_namespace_properties")
def _alter_database_properties(cmd, session):
    parts = list(cmd.name)
    meta = _ms(session).get_database(parts[-1]) if len(parts) == 1 else None
    if meta is None:
        raise AnalysisException("SCHEMA_NOT_FOUND", schemaName=_q("spark_catalog", *parts))
    props = dict(meta["properties"])
    props.update(cmd.properties)
    _ms(session).set_database_properties(parts[-1], props)
    return _empty()


# ---------------------------------------------------------------------------- SHOW / DESCRIBE
@statement("show_tables")
def _show_tables(cmd, session):
    catalog = _catalog(session)
    db = cmd.namespace[-1] if cmd.namespace else catalog.current_database
    rows = []
    if db.lower() == GLOBAL_TEMP_DB:
        rows = [(GLOBAL_TEMP_DB, n, True) for n in catalog.global_temp_views.names()
                if pattern_matches(cmd.pattern, n)]
    else:
        _require_db(session, db)
        rows = [(db.lower(), n, False) for n in _ms(session).list_tables(db)
                if pattern_matches(cmd.pattern, n)]
    rows += [("", v.name, True) for k, v in sorted(catalog.temp_views.items())
             if pattern_matches(cmd.pattern, v.name)]
    return _result(cmd, rows)


@statement("show_views")
def _show_views(cmd, session):
    catalog = _catalog(session)
    db = cmd.namespace[-1] if cmd.namespace else catalog.current_database
    rows = []
    if db.lower() == GLOBAL_TEMP_DB:
        rows = [(GLOBAL_TEMP_DB, n, True) for n in catalog.global_temp_views.names()
                if pattern_matches(cmd.pattern, n)]
    else:
        _require_db(session, db)
        rows = [(db.lower(), t["name"], False) for t in _ms(session).list_table_rows(db)
                if t["type"] == "VIEW" and pattern_matches(cmd.pattern, t["name"])]
    rows += [("", v.name, True) for k, v in sorted(catalog.temp_views.items())
             if pattern_matches(cmd.pattern, v.name)]
    return _result(cmd, rows)


def _relation_columns(session, parts):
    """[(name, type, comment)] and partition columns of a table or view, temp views first."""
    catalog = _catalog(session)
    found = catalog.lookup_relation(parts)
    if found is None:
        raise _not_found(session, parts)
    kind, obj = found
    if kind in ("temp", "global"):
        schema = _view_schema(session, obj)
        comments = obj.column_comments or [f.comment for f in schema.fields]
        return [(f.name, f.dataType, c) for f, c in zip(schema.fields, comments)], [], None
    cols = [(c["name"], schema_from_json([c]).fields[0].dataType, c.get("comment"))
            for c in obj["schema"]]
    return cols, obj["partition_columns"], obj


def _view_schema(session, view):
    if view.schema is not None:
        return view.schema
    from ember.engine.query_execution import QueryExecution
    from ember.optimizer.plans import logical as L
    return QueryExecution(session, L.UnresolvedRelation([view.name])).analyzed.schema


@statement("describe_table")
def _describe_table(cmd, session):
    cols, pcols, meta = _relation_columns(session, cmd.name)
    if cmd.column:
        want = cmd.column
        match = [c for c in cols if c[0].lower() == want[-1].lower()]
        if len(want) > 1 and want[0].lower() != cmd.name[-1].lower() or not match:
            raise AnalysisException("COLUMN_NOT_FOUND", colName=_q(*want),
                                    caseSensitiveConfig='"spark.sql.caseSensitive"')
        n, dt, comment = match[0]
        out = [("col_name", n), ("data_type", dt.simpleString()),
               ("comment", comment if comment is not None else "NULL")]
        if cmd.extended and meta is not None:
            stats = _ms(session).get_table_stats(meta["db"], meta["name"])
            cs = (stats or {}).get("columns", {}).get(n.lower())
            for key in ("min", "max", "num_nulls", "distinct_count", "avg_col_len",
                        "max_col_len"):
                v = cs.get(key) if cs else None
                out.append((key, "NULL" if v is None else str(v)))
            out.append(("histogram", "NULL"))
        return _result(cmd, out)
    rows = [(n, dt.simpleString(), comment) for n, dt, comment in cols]
    if pcols:
        rows.append(("# Partition Information", "", ""))
        rows.append(("# col_name", "data_type", "comment"))
        by = {c[0].lower(): c for c in cols}
        for p in pcols:
            n, dt, comment = by[p.lower()]
            rows.append((n, dt.simpleString(), comment))
    if meta is not None and getattr(cmd, "partition", None) is not None and \
            meta["type"] != "VIEW":
        from ember.engine.analyze_table import describe_partition_rows
        extra = describe_partition_rows(session, meta, cmd.partition)    # checks the spec
        return _result(cmd, rows + extra if cmd.extended else rows)
    if cmd.extended and meta is not None:
        rows.append(("", "", ""))
        rows.append(("# Detailed Table Information", "", ""))
        rows += [("Catalog", "spark_catalog", ""), ("Database", meta["db"], ""),
                 ("Table", meta["name"], ""),
                 ("Created Time", _java_date(meta.get("created_ms")), ""),
                 ("Last Access", "UNKNOWN", ""), ("Created By", "Spark 4.3.0", ""),
                 ("Type", meta["type"], "")]
        if meta["type"] != "VIEW":
            rows.append(("Provider", meta["provider"] or "", ""))
        if meta.get("comment"):
            rows.append(("Comment", meta["comment"], ""))
        if meta["type"] == "VIEW":
            rows.append(("View Text", meta["view_text"] or "", ""))
        props = {k: v for k, v in meta["properties"].items() if not k.startswith("__ember")}
        if props:
            rows.append(("Table Properties",
                         "[" + ", ".join(f"{k}={v}" for k, v in sorted(props.items())) + "]",
                         ""))
        if meta["type"] != "VIEW":
            stats = _ms(session).get_table_stats(meta["db"], meta["name"])
            if stats is not None:
                text = f"{stats['size_bytes']} bytes"
                if stats["row_count"] is not None:
                    text += f", {stats['row_count']} rows"
                rows.append(("Statistics", text, ""))
            rows.append(("Location", "file:" + meta["location"], ""))
            if pcols:
                rows.append(("Partition Provider", "Catalog", ""))
    return _result(cmd, rows)


def _java_date(ms) -> str:
    """java.util.Date.toString in the process's zone: `Sun Nov 22 08:59:53 UTC 2026`."""
    import time
    t = time.localtime((ms or 0) / 1000)
    return time.strftime("%a %b %d %H:%M:%S %Z %Y", t)


def _type_sql(dt) -> str:
    """A column type as SHOW CREATE TABLE prints it (strings with their collation)."""
    text = dt.sql()
    if isinstance(dt, T.StringType) and "COLLATE" not in text:
        text += " COLLATE UTF8_BINARY"
    return text


@statement("show_create_table")
def _show_create_table(cmd, session):
    meta = _get_table(session, cmd.name)
    ident = f"spark_catalog.{meta['db']}.{meta['name']}"
    if meta["type"] == "VIEW":
        cols = ",\n  ".join(c["name"] + (f" COMMENT '{c['comment']}'" if c.get("comment") else "")
                            for c in meta["schema"])
        text = f"CREATE VIEW {ident} (\n  {cols})\n"
        if meta.get("comment"):
            text += f"COMMENT '{meta['comment']}'\n"
        text += f"AS {meta['view_text']}\n"
        return pa.table({"createtab_stmt": pa.array([text], pa.string())})
    schema = schema_from_json(meta["schema"])
    cols = []
    for c, f in zip(meta["schema"], schema.fields):
        item = f"{f.name} {_type_sql(f.dataType)}"
        if c.get("comment"):
            item += f" COMMENT '{c['comment']}'"
        cols.append(item)
    text = f"CREATE TABLE {ident} (\n  " + ",\n  ".join(cols) + ")\n"
    text += f"USING {meta['provider'] or 'parquet'}\n"
    if meta["options"]:
        text += "OPTIONS (\n  " + ",\n  ".join(
            f"'{k}' = '{v}'" for k, v in sorted(meta["options"].items())) + ")\n"
    if meta["partition_columns"]:
        text += "PARTITIONED BY (" + ", ".join(meta["partition_columns"]) + ")\n"
    if meta.get("comment"):
        text += f"COMMENT '{meta['comment']}'\n"
    if meta["type"] == "EXTERNAL":
        text += f"LOCATION 'file:{meta['location']}'\n"
    props = {k: v for k, v in meta["properties"].items() if not k.startswith("__ember")}
    if props:
        text += "TBLPROPERTIES (\n  " + ",\n  ".join(
            f"'{k}' = '{v}'" for k, v in sorted(props.items())) + ")\n"
    return pa.table({"createtab_stmt": pa.array([text], pa.string())})


@statement("analyze_table")
def _analyze_table(cmd, session):
    """ANALYZE TABLE ... COMPUTE STATISTICS (engine/analyze_table.py)."""
    from ember.engine.analyze_table import analyze_table
    analyze_table(cmd, session)
    return _empty()


@statement("describe_query")
def _describe_query(cmd, session):
    from ember.engine.query_execution import QueryExecution
    schema = QueryExecution(session, cmd.query).analyzed.schema
    return _result(cmd, [(f.name, f.dataType.simpleString(), (f.metadata or {}).get("comment"))
                         for f in schema.fields])


@statement("show_columns")
def _show_columns(cmd, session):
    parts = list(cmd.name)
    if cmd.namespace:
        if len(parts) > 1 and [p.lower() for p in parts[:-1]] != [p.lower() for p in
                                                                   cmd.namespace]:
            raise AnalysisException("SHOW_COLUMNS_WITH_CONFLICT_NAMESPACE",
                                    namespaceA=_q(*cmd.namespace), namespaceB=_q(*parts[:-1]))
        parts = list(cmd.namespace) + parts[-1:]
    cols, _, _ = _relation_columns(session, parts)
    return _result(cmd, [(c[0],) for c in cols])


@statement("show_partitions")
def _show_partitions(cmd, session):
    meta = _get_table(session, cmd.name)
    table_name = _q("spark_catalog", meta["db"], meta["name"])
    if meta["type"] == "VIEW":
        raise AnalysisException("EXPECT_TABLE_NOT_VIEW.NO_ALTERNATIVE", viewName=table_name,
                                operation="SHOW PARTITIONS")
    pcols = meta["partition_columns"]
    if not pcols:
        raise AnalysisException("INVALID_PARTITION_OPERATION.PARTITION_SCHEMA_IS_EMPTY",
                                name=table_name)
    spec = {k.lower(): _text(v) for k, v in _partition_values(cmd.partition)}
    rows = []
    from ember.engine.sources.table import escape_path_name
    for p in _ms(session).list_partitions(meta["db"], meta["name"]):
        values = p["spec"]
        lv = {k.lower(): v for k, v in values.items()}
        if any(lv.get(k) != v for k, v in spec.items()):
            continue
        if not os.path.isdir(p["location"]):
            continue
        rows.append("/".join(f"{escape_path_name(c)}={escape_path_name(values[c])}"
                             for c in pcols))
    return _result(cmd, [(r,) for r in sorted(rows)])


@statement("show_tblproperties")
def _show_tblproperties(cmd, session):
    meta = _get_table(session, cmd.name)
    props = {k: v for k, v in meta["properties"].items() if not k.startswith("__ember")}
    if cmd.key is not None:
        if cmd.key in props:
            return _result(cmd, [(cmd.key, props[cmd.key])])
        return _result(cmd, [(cmd.key, f"Table spark_catalog.{meta['db']}.{meta['name']}"
                                       f" does not have property: {cmd.key}")])
    return _result(cmd, sorted(props.items()))


# ---------------------------------------------------------------------------- views
def create_persistent_view(cmd, session, analyzed, schema) -> None:
    """CREATE VIEW (not temporary): stored as its SQL text plus its schema."""
    db, name = _split(session, cmd.name_parts)
    check_name(name)
    _require_db(session, db)
    _check_no_temp_refs(session, analyzed, cmd.name_parts)
    ms = _ms(session)
    existing = ms.get_table(db, name)
    ident = _q("spark_catalog", db.lower(), name.lower())
    if existing is not None:
        if cmd.if_not_exists:
            return
        if not cmd.replace:
            raise AnalysisException("TABLE_OR_VIEW_ALREADY_EXISTS", relationName=ident)
        if existing["type"] != "VIEW":
            raise AnalysisException("EXPECT_VIEW_NOT_TABLE.NO_ALTERNATIVE", tableName=ident,
                                    operation="CREATE OR REPLACE VIEW")
        ms.drop_table(db, name)
        from ember.engine.cache_commands import table_dropped
        table_dropped(session, existing)
    from ember.engine.commands import _captured_conf
    comments = cmd.column_comments
    props = dict(cmd.properties or {})
    props["__ember_view"] = _encode_view(cmd, session)
    meta = {"db": db, "name": name, "type": "VIEW", "provider": None, "location": None,
            "schema": schema_to_json(schema, comments), "partition_columns": [],
            "properties": props, "view_text": cmd.sql_text, "comment": cmd.comment}
    if not ms.create_table(meta):
        raise AnalysisException("TABLE_OR_VIEW_ALREADY_EXISTS", relationName=ident)


def _encode_view(cmd, session) -> str:
    return _encode_view_parts(cmd.column_names, session)


def _encode_view_parts(columns, session) -> str:
    import json
    from ember.engine.commands import _captured_conf
    return json.dumps({"columns": columns, "conf": _captured_conf(session),
                       "db": _catalog(session).current_database})


def view_definition(meta) -> ViewDefinition:
    """The ViewDefinition of a catalog view row."""
    import json
    props = dict(meta["properties"])
    extra = json.loads(props.pop("__ember_view", "{}") or "{}")
    schema = schema_from_json(meta["schema"])
    view = ViewDefinition(name=meta["name"], sql_text=meta["view_text"],
                          column_names=extra.get("columns"),
                          column_comments=[c.get("comment") for c in meta["schema"]],
                          captured_conf={k: v for k, v in (extra.get("conf") or {}).items()
                                         if v is not None},
                          schema=schema, comment=meta.get("comment"), properties=props)
    view.database = extra.get("db") or meta["db"]
    return view


def _check_no_temp_refs(session, analyzed, view_parts) -> None:
    """Spark refuses a persistent view over temporary views (INVALID_TEMP_OBJ_REFERENCE):
    look for temporary View nodes in the analysed query, subqueries included, without going
    into the persistent views it uses."""
    from ember.optimizer.plans import logical as L

    def visit(p):
        if isinstance(p, L.View):
            if p.is_temp:
                raise AnalysisException("INVALID_TEMP_OBJ_REFERENCE", obj="VIEW",
                                        objName=_q("spark_catalog",
                                                   *_split(session, view_parts)),
                                        tempObj="VIEW", tempObjName=p.name)
            return
        for c in p.children:
            visit(c)
        for e in p.expressions():
            _visit_expr(e, visit)
    visit(analyzed)


def _visit_expr(e, visit):
    from ember.optimizer.plans.logical import LogicalPlan
    plan = getattr(e, "plan", None)
    if isinstance(plan, LogicalPlan):
        visit(plan)
    for c in getattr(e, "children", ()):
        _visit_expr(c, visit)


@statement("alter_view")
def _alter_view(cmd, session):
    action = cmd.action
    parts = cmd.name
    catalog = _catalog(session)
    found = catalog.lookup_relation(parts)
    if found is None:
        raise _not_found(session, parts)
    kind, obj = found
    if kind == "table" and obj["type"] != "VIEW":
        raise AnalysisException("EXPECT_VIEW_NOT_TABLE.USE_ALTER_TABLE",
                                tableName=_q("spark_catalog", obj["db"], obj["name"]),
                                operation=f"ALTER VIEW ... {cmd.feature.split('... ')[-1]}")
    if action.kind == "alter_view_query":
        query, sql_text = action.payload[0], action.payload[1]
        if sql_text is None:
            raise not_supported("ALTER VIEW ... without AS")
        from ember.engine.query_execution import QueryExecution
        analyzed = QueryExecution(session, query).analyzed
        schema = T.StructType([T.StructField(a.name, a.data_type, a.nullable)
                               for a in analyzed.output])
        if kind in ("temp", "global"):
            from ember.engine.commands import _captured_conf
            view = ViewDefinition(name=obj.name, sql_text=sql_text, schema=schema,
                                  captured_conf=_captured_conf(session),
                                  is_global=kind == "global")
            if kind == "global":
                catalog.global_temp_views.create(view, replace=True)
            else:
                catalog.create_temp_view(view, replace=True)
            return _empty()
        _check_no_temp_refs(session, analyzed, parts)
        props = dict(obj["properties"])
        props["__ember_view"] = _encode_view_parts(None, session)
        _ms(session).alter_table(obj["db"], obj["name"], view_text=sql_text,
                                 schema=schema_to_json(schema), properties=props)
        return _empty()
    if kind == "table" and action.kind in ("set_properties", "unset_properties"):
        return _alter_table(cmd, session)
    raise not_supported(cmd.feature)


# ---------------------------------------------------------------------------- cache
@statement("cache_table")
def _cache_table(cmd, session):
    from ember.engine.cache_commands import cache_table
    cache_table(session, list(cmd.name), cmd.query, cmd.lazy, cmd.options,
                cmd.fields.get("sql_text"))
    return _empty()


@statement("uncache_table")
def _uncache_table(cmd, session):
    from ember.engine.cache_commands import uncache_table
    uncache_table(session, list(cmd.name), cmd.if_exists)
    return _empty()


@statement("refresh_table")
def _refresh_table(cmd, session):
    from ember.engine.cache_commands import refresh_table
    refresh_table(session, list(cmd.name))
    return _empty()


@statement("clear_cache")
def _clear_cache(cmd, session):
    from ember.engine.cache_commands import clear_cache
    clear_cache(session)
    return _empty()


# ---------------------------------------------------------------------------- functions
def register_session_functions(registry, catalog) -> None:
    """current_database()/current_schema(): the session's current database, fixed when the
    query is analysed (Spark's ReplaceCurrentLike)."""
    from ember.optimizer.expressions.functions import ScalarFunction

    class CurrentDatabase(ScalarFunction):
        name = "current_schema"
        null_intolerant = False

        def __init__(self, db: str = "default"):
            super().__init__()
            self.db = db

        @property
        def data_type(self):
            return T.StringType()

        @property
        def nullable(self):
            return False

        @property
        def foldable(self):
            return True

        def evaluate(self, args, num_rows):
            return pa.array([self.db] * num_rows, pa.string())

    def build(args, call):
        if args:
            from ember.errors import AnalysisException as AE
            name = getattr(call, "name", "current_database")
            raise AE("WRONG_NUM_ARGS.WITHOUT_SUGGESTION",
                     functionName=_q(str(name).split(".")[-1].lower()), expectedNum="0",
                     actualNum=str(len(args)), docroot="https://spark.apache.org/docs/latest")
        return CurrentDatabase(catalog.current_database)

    registry.register(["current_database", "current_schema"], build, group="misc_funcs")


# ---------------------------------------------------------------------------- DataFrame API
def _statement_node(kind, feature, **fields):
    from ember.optimizer.plans.commands import Statement
    return Statement(kind, feature, **fields)


def _identity_partitioning(cols):
    from ember.parser.build_statements import Clause
    return [Clause("partition_field", Clause("identity_transform", [c])) for c in cols] \
        if cols else None


def save_as_table(session, plan, parts, mode, fmt, partition_by, options) -> None:
    """df.write.saveAsTable: CTAS, or an append/overwrite of an existing table."""
    db, name = _split(session, parts)
    existing = _ms(session).get_table(db, name)
    if existing is not None:
        if mode == "ignore":
            return
        if mode == "error":
            raise AnalysisException("TABLE_OR_VIEW_ALREADY_EXISTS",
                                    relationName=_q("spark_catalog", db.lower(), name.lower()))
        if mode == "append":
            # saveAsTable appends by column name
            schema = schema_from_json(existing["schema"])
            by = {a.name.lower(): a for a in plan.output}
            missing = [f.name for f in schema.fields if f.name.lower() not in by]
            if missing or len(by) != len(schema.fields):
                raise AnalysisException(
                    "INSERT_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS" if missing or
                    len(by) < len(schema.fields) else
                    "INSERT_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS",
                    tableName=_q("spark_catalog", existing["db"], existing["name"]),
                    tableColumns=", ".join(_q(f.name) for f in schema.fields),
                    dataColumns=", ".join(_q(a.name) for a in plan.output))
            from ember.optimizer.plans import logical as L
            plan = L.Project([by[f.name.lower()] for f in schema.fields], plan)
            insert_into(session, plan, [db, name], overwrite=False)
            return
        _drop_table(_statement_node("drop_table", "DROP TABLE", name=[db, name],
                                    if_exists=True, purge=False), session)
    _create_table(_statement_node(
        "create_table", "CREATE TABLE", name=[db, name], if_not_exists=False, or_replace=False,
        external=False, columns=None, provider=fmt, options=options,
        partitioning=_identity_partitioning(partition_by), location=options.get("path"),
        comment=None, properties={}, clauses={}, query=plan), session)


def insert_into(session, plan, parts, overwrite: bool) -> None:
    """df.write.insertInto: INSERT [OVERWRITE] by position."""
    target = {"name": list(parts), "overwrite": overwrite, "partition": None, "columns": None,
              "by_name": False, "replace": None, "if_not_exists": False}
    _insert(_statement_node("insert", "INSERT", target=target, query=plan), session)


def save_to_path(session, plan, path, mode, fmt, partition_by) -> None:
    """df.write.save/parquet: files at a path (no catalog entry)."""
    from ember.engine.query_execution import QueryExecution
    from ember.engine.sources.table import write_table_data
    if fmt != "parquet":
        raise not_supported(f"writing {fmt} files")
    if not path:
        raise not_supported("DataFrameWriter.save without a path")
    path = _path(path)
    exists = os.path.exists(path) and bool(os.listdir(path))
    if exists and mode == "error":
        raise AnalysisException("PATH_ALREADY_EXISTS", outputPath="file:" + os.path.abspath(path))
    if exists and mode == "ignore":
        return
    qe = QueryExecution(session, plan)
    table = qe.to_arrow()
    names = [f.name for f in qe.analyzed.schema.fields]
    table = pa.Table.from_arrays(table.columns, names=names)
    if partition_by:
        table = table.select([n for n in names if n not in partition_by] + list(partition_by))
    write_table_data(path, table, list(partition_by or []),
                     overwrite_all=mode == "overwrite")
    cm = getattr(session, "_cache_manager", None)
    if cm is not None:          # Spark's recacheByPath: caches reading the files recompute
        cm.recache_tables([os.path.abspath(path)])
