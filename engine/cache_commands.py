"""CACHE TABLE, UNCACHE TABLE, CLEAR CACHE, REFRESH TABLE, and the cache invalidation that
writes and drops trigger (see engine/cache_manager.py)."""
from __future__ import annotations

from typing import Sequence

from ember.engine.cache_manager import cache_manager
from ember.optimizer.plans import logical as L


def _analyzed(session, parts: Sequence[str]):
    from ember.engine.query_execution import QueryExecution
    return QueryExecution(session, L.UnresolvedRelation(list(parts))).analyzed


def _level(options):
    from ember.engine.cache_manager import storage_level
    for k, v in (options or {}).items():
        if str(k).lower() == "storagelevel":
            return storage_level(str(v))
    return storage_level(None)


def cache_table(session, parts, query=None, lazy=False, options=None, sql_text=None):
    """CACHE [LAZY] TABLE name [OPTIONS (...)] [AS query]. With a query, `name` becomes a
    temporary view of it first (kept as its SQL text when known, as Spark keeps it; an
    existing view of that name is an error)."""
    level = _level(options)
    if query is not None:
        from ember.catalog.session_catalog import ViewDefinition
        from ember.engine.commands import _captured_conf
        from ember.engine.query_execution import QueryExecution
        analyzed = QueryExecution(session, query).analyzed
        view = ViewDefinition(name=parts[-1], sql_text=sql_text, schema=analyzed.schema,
                              captured_conf=_captured_conf(session)) if sql_text else \
            ViewDefinition(name=parts[-1], plan=analyzed, schema=analyzed.schema)
        session._catalog.create_temp_view(view, replace=False)
    plan = _analyzed(session, parts)
    entry = cache_manager(session).cache_query(session, plan, ".".join(parts), level)
    if not lazy:
        entry.data(session)


def uncache_table(session, parts, if_exists=False) -> None:
    """UNCACHE TABLE: dependents go too, except for temporary views (Spark's
    `cascade = !isTempView`)."""
    found = session._catalog.lookup_relation(parts)
    if if_exists and found is None:
        return
    temp = found is not None and found[0] in ("temp", "global")
    cache_manager(session).uncache_query(_analyzed(session, parts), cascade=not temp)


def is_cached(session, parts) -> bool:
    return cache_manager(session).lookup(_analyzed(session, parts)) is not None


def refresh_table(session, parts) -> None:
    """Forget the rows cached for the relation and for every query reading its tables; they
    are computed again on next use."""
    plan = _analyzed(session, parts)
    cm = cache_manager(session)
    entry = cm.lookup(plan)
    if entry is not None:
        entry.clear()
    cm.recache_tables(*_tables_of(plan))


def _tables_of(plan):
    locations, idents = [], []
    stack = [plan]
    while stack:
        p = stack.pop()
        if isinstance(p, L.LogicalRelation):
            locations.extend(getattr(p.source, "paths", ()) or ())
            if p.table_ident:
                idents.append(tuple(p.table_ident))
        stack.extend(p.children)
        stack.extend(p.subqueries())
    return locations, idents


def clear_cache(session) -> None:
    cache_manager(session).clear()


# ---------------------------------------------------------------------------- invalidation
def table_data_changed(session, meta) -> None:
    """A write to a catalog table: caches reading it recompute on next use."""
    cm = getattr(session, "_cache_manager", None)
    if cm is not None and not cm.is_empty():
        cm.recache_tables([meta.get("location")],
                          [("spark_catalog", meta["db"], meta["name"])])


def table_dropped(session, meta) -> None:
    cm = getattr(session, "_cache_manager", None)
    if cm is not None and not cm.is_empty():
        cm.uncache_tables([meta.get("location")] if meta.get("type") != "VIEW" else [],
                          [("spark_catalog", meta["db"], meta["name"])])
        if meta.get("type") == "VIEW":
            cm.uncache_views([f"spark_catalog.{meta['db']}.{meta['name']}"])


def view_replaced(session, name: str, is_global: bool) -> None:
    """CREATE OR REPLACE of a temporary view: the old definition's caches go."""
    catalog = session._catalog
    exists = catalog.global_temp_views.get(name) if is_global else catalog.get_temp_view(name)
    if exists is not None:
        view_dropped(session, "global_temp." + name if is_global else name)


def view_dropped(session, name: str) -> None:
    """A temporary view (`v`) or global one (`global_temp.v`) dropped or replaced."""
    cm = getattr(session, "_cache_manager", None)
    if cm is not None and not cm.is_empty():
        cm.uncache_views([name], cascade=False)


def around_table_change(cmd, session, run):
    """Run an ALTER TABLE / MSCK REPAIR / LOAD DATA statement and update the caches as Spark
    does: ADD COLUMNS uncaches the table (and what reads it), RENAME TO caches the new name
    again at the old storage level, the others recompute caches on next use."""
    cm = getattr(session, "_cache_manager", None)
    if cm is None or cm.is_empty():
        return run()
    from ember.engine.catalog_commands import _split
    from ember.errors import AnalysisException
    try:
        db, name = _split(session, cmd.name)
    except AnalysisException:
        return run()
    ident = ("spark_catalog", db, name)
    action = getattr(cmd, "action", None)
    kind = getattr(action, "kind", None) if cmd.kind == "alter_table" else None
    level = None
    if kind == "rename_table":
        try:
            entry = cm.lookup(_analyzed(session, cmd.name))
        except AnalysisException:
            entry = None
        level = entry.storage_level if entry is not None else None
    result = run()
    if kind in ("add_columns", "rename_table", "replace_columns"):
        cm.uncache_tables((), [ident])
        if level is not None:
            given = list(action.payload[-1])
            parts = [db, given[0]] if len(given) == 1 else given
            cm.cache_query(session, _analyzed(session, parts), ".".join(given), level)
    else:
        cm.recache_tables((), [ident])
    return result
