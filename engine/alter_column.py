"""ALTER TABLE t ALTER|CHANGE COLUMN c ... on session-catalog (v1) tables, as Spark's
AlterTableChangeColumnCommand: only the comment may change (a TYPE must name the column's
current type); positions, nullability, several columns at once and partition columns are
refused with Spark's conditions."""
from __future__ import annotations

from ember.errors import AnalysisException, not_supported


def _q(*parts) -> str:
    return ".".join("`" + p.replace("`", "``") + "`" for p in parts)


def _items(action):
    """[(column name parts, [action clauses])] of ALTER COLUMN, or of Hive's CHANGE COLUMN
    (whose `col_type` carries the new name, type and comment)."""
    if action.kind == "hive_change_column":
        name = next(x for x in action.payload if isinstance(x, list))
        col_type = next(x for x in action.payload if getattr(x, "kind", None) == "col_type")
        position = [x for x in action.payload if getattr(x, "kind", None) == "col_position"]
        values = list(col_type.payload)
        comment = None
        for i, v in enumerate(values):
            if getattr(v, "type", None) == "COMMENT":
                comment = values[i + 1]
        return [(name, {"type": values[1], "comment": comment,
                        "position": bool(position)})]
    out = []
    for item in action.payload:
        if getattr(item, "kind", None) != "alter_column_item":
            continue
        name = item.payload[0]
        change = {}
        for act in item.payload[1:]:
            kind = getattr(act, "kind", None)
            if kind == "alter_type":
                change["type"] = act.payload[-1]
            elif kind == "alter_comment":
                change["comment"] = act.payload[-1]
            elif kind == "alter_position":
                change["position"] = True
            elif kind == "alter_nullability":
                change["nullability"] = True
            elif kind in ("alter_set_default", "alter_drop_default"):
                change["default"] = kind
        out.append((name, change))
    return out


def alter_column(session, meta, action, ms) -> None:
    from ember.engine.catalog_commands import schema_from_json
    db, name = meta["db"], meta["name"]
    table = _q("spark_catalog", db, name)
    items = _items(action)

    def refuse(operation):
        raise AnalysisException("UNSUPPORTED_FEATURE.TABLE_OPERATION", tableName=table,
                                operation=operation)
    if len(items) > 1:
        refuse("ALTER COLUMN in bulk")
    col_parts, change = items[0]
    if change.get("position"):
        refuse("ALTER COLUMN ... FIRST | AFTER")
    if change.get("nullability"):
        refuse("ALTER COLUMN ... SET NOT NULL")
    if change.get("default"):
        raise not_supported("ALTER TABLE ... ALTER COLUMN ... DEFAULT")
    cols = [dict(c) for c in meta["schema"]]
    schema = schema_from_json(cols)
    if len(col_parts) > 1:
        raise not_supported("ALTER TABLE ... ALTER COLUMN of nested fields")
    target = col_parts[0]
    match = [i for i, c in enumerate(cols) if c["name"].lower() == target.lower()]
    if not match:
        from ember.optimizer.analyzer.resolve_references import unresolved_column_error
        from ember.optimizer.expressions.named import AttributeReference
        from ember.optimizer.expressions import UnresolvedAttribute
        attrs = [AttributeReference(f.name, f.dataType) for f in schema.fields]
        raise unresolved_column_error(UnresolvedAttribute([target]), attrs)
    i = match[0]
    column = cols[i]
    if column["name"].lower() in {p.lower() for p in meta["partition_columns"]}:
        raise AnalysisException("CANNOT_ALTER_PARTITION_COLUMN", columnName=_q(column["name"]),
                                tableName=table)
    old_type = schema.fields[i].dataType
    new_type = change.get("type")
    if new_type is not None and new_type.catalogString() != old_type.catalogString():
        raise AnalysisException("NOT_SUPPORTED_CHANGE_COLUMN", table=table,
                                originName=_q(column["name"]),
                                originType=f'"{old_type.sql()}"',
                                newName=_q(column["name"]), newType=f'"{new_type.sql()}"')
    if change.get("comment") is not None:
        column["comment"] = change["comment"]
        cols[i] = column
        ms.alter_table(db, name, schema=cols)
