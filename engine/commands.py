"""Running command statements (CREATE VIEW, DROP VIEW, EXPLAIN, SET, RESET).

Each returns an Arrow table shaped like the command's output attributes.
"""
from __future__ import annotations

from typing import Callable, Dict

import pyarrow as pa

from ember import types as T
from ember.errors import AnalysisException, ParseException, not_supported
from ember.catalog.session_catalog import ViewDefinition
from ember.optimizer.plans import commands as C

_RUNNERS: Dict[type, Callable] = {}


def runs(cls):
    def wrap(fn):
        _RUNNERS[cls] = fn
        return fn
    return wrap


def run_command(cmd: C.Command, session) -> pa.Table:
    fn = _RUNNERS.get(type(cmd))
    if fn is None:
        raise not_supported(getattr(cmd, "feature", cmd.node_name()))
    return fn(cmd, session)


def _empty(cmd) -> pa.Table:
    return pa.table({})


def _rows(cmd, rows) -> pa.Table:
    names = [a.name for a in cmd.output]
    cols = list(zip(*rows)) if rows else [[] for _ in names]
    return pa.Table.from_arrays([pa.array(list(c), pa.string()) for c in cols], names=names)


@runs(C.CreateViewCommand)
def _create_view(cmd: C.CreateViewCommand, session):
    if cmd.temporary and not cmd.global_temp and len(cmd.name_parts) > 1:
        raise AnalysisException("INVALID_TEMP_OBJ_QUALIFIER", objectType="VIEW",
                                objectName=f"`{cmd.name_parts[-1]}`",
                                qualifier=".".join(f"`{p}`" for p in cmd.name_parts[:-1]))
    if cmd.temporary and len(cmd.name_parts) > 1 and not (cmd.global_temp and len(cmd.name_parts) == 2):
        raise AnalysisException("TEMP_VIEW_NAME_TOO_MANY_NAME_PARTS",
                                actualName=".".join(f"`{p}`" for p in cmd.name_parts))
    if cmd.replace and cmd.if_not_exists:
        raise ParseException("INVALID_SQL_SYNTAX.CREATE_TEMP_FUNC_WITH_IF_NOT_EXISTS",
                             message="CREATE VIEW with both IF NOT EXISTS and REPLACE is not allowed.")
    name = cmd.name_parts[-1]
    from ember.engine.query_execution import QueryExecution
    analyzed = QueryExecution(session, cmd.query).analyzed
    out = analyzed.output
    if cmd.column_names is not None and len(cmd.column_names) != len(out):
        cond = ("CREATE_VIEW_COLUMN_ARITY_MISMATCH.NOT_ENOUGH_DATA_COLUMNS"
                if len(cmd.column_names) > len(out) else
                "CREATE_VIEW_COLUMN_ARITY_MISMATCH.TOO_MANY_DATA_COLUMNS")
        raise AnalysisException(cond, viewName=f"`{name}`",
                                viewColumns=", ".join(f"`{c}`" for c in cmd.column_names),
                                dataColumns=", ".join(f"`{a.name}`" for a in out))
    names = cmd.column_names or [a.name for a in out]
    from ember.optimizer.plans.logical import comment_metadata
    schema = T.StructType([T.StructField(n, a.data_type, a.nullable, comment_metadata(a))
                           for n, a in zip(names, out)])
    view = ViewDefinition(name=name, sql_text=cmd.sql_text, column_names=cmd.column_names,
                          column_comments=cmd.column_comments,
                          captured_conf=_captured_conf(session), schema=schema,
                          comment=cmd.comment, properties=cmd.properties,
                          is_global=cmd.global_temp)
    catalog = session._catalog
    if not cmd.temporary:
        from ember.engine.catalog_commands import create_persistent_view
        create_persistent_view(cmd, session, analyzed, schema)
        return _empty(cmd)
    from ember.engine.cache_commands import view_replaced
    if cmd.global_temp:
        if cmd.if_not_exists and catalog.global_temp_views.get(name) is not None:
            return _empty(cmd)
        if cmd.replace:
            view_replaced(session, name, True)
        catalog.global_temp_views.create(view, cmd.replace)
    else:
        if cmd.if_not_exists and catalog.get_temp_view(name) is not None:
            return _empty(cmd)
        if cmd.replace:
            view_replaced(session, name, False)
        catalog.create_temp_view(view, cmd.replace)
    return _empty(cmd)


def _captured_conf(session):
    keys = ("spark.sql.ansi.enabled", "spark.sql.session.timeZone", "spark.sql.caseSensitive")
    return {k: session._conf.get(k) for k in keys}


@runs(C.DropViewCommand)
def _drop_view(cmd: C.DropViewCommand, session):
    parts = cmd.name_parts
    catalog = session._catalog
    from ember.engine.cache_commands import view_dropped
    if len(parts) == 1 and catalog.drop_temp_view(parts[0]):
        view_dropped(session, parts[0])
        return _empty(cmd)
    if len(parts) == 2 and parts[0].lower() == "global_temp" and \
            catalog.global_temp_views.drop(parts[1]):
        view_dropped(session, "global_temp." + parts[1])
        return _empty(cmd)
    from ember.engine.catalog_commands import drop_persistent_view
    if drop_persistent_view(session, parts, cmd.if_exists):
        return _empty(cmd)
    if cmd.if_exists:
        return _empty(cmd)
    raise AnalysisException("TABLE_OR_VIEW_NOT_FOUND",
                            relationName=".".join(f"`{p}`" for p in parts),
                            searchPath=catalog.search_path_text())


@runs(C.ExplainCommand)
def _explain(cmd: C.ExplainCommand, session):
    from ember.engine.query_execution import QueryExecution
    qe = QueryExecution(session, cmd.statement)
    text = qe.explain_string(cmd.mode)
    return pa.table({"plan": pa.array([text], pa.string())})


@runs(C.SetCommand)
def _set(cmd: C.SetCommand, session):
    conf = session._conf
    if cmd.key is None:
        items = sorted(conf.items().items())
        if cmd.verbose:
            return pa.Table.from_arrays(
                [pa.array([k for k, _ in items]), pa.array([v for _, v in items]),
                 pa.array(["" for _ in items]), pa.array(["" for _ in items])],
                names=[a.name for a in cmd.output])
        return _rows(cmd, items)
    if cmd.value is None:
        value = conf.get(cmd.key)
        return _rows(cmd, [(cmd.key, value if value is not None else "<undefined>")])
    if cmd.key == "spark.sql.session.timeZone":
        from ember._values import zone
        try:
            zone(cmd.value)
        except Exception:
            raise AnalysisException("INVALID_CONF_VALUE.TIME_ZONE", confValue=cmd.value,
                                    confName="spark.sql.session.timeZone") from None
    conf.set(cmd.key, cmd.value)
    return _rows(cmd, [(cmd.key, cmd.value)])


@runs(C.ResetCommand)
def _reset(cmd: C.ResetCommand, session):
    if cmd.key is None:
        session._conf._settings.clear()
        session._conf._settings.update(session._initial_settings)
    else:
        if cmd.key in session._initial_settings:
            session._conf.set(cmd.key, session._initial_settings[cmd.key])
        else:
            session._conf.unset(cmd.key)
    return _empty(cmd)


@runs(C.Statement)
def _statement(cmd: C.Statement, session):
    from ember.engine.catalog_commands import run_statement
    return run_statement(cmd, session)


@runs(C.UnsupportedCommand)
def _unsupported(cmd: C.UnsupportedCommand, session):
    raise not_supported(cmd.feature)
