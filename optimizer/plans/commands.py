"""Command nodes: statements that act (DDL, SET, EXPLAIN) rather than compute a query.

A command is a leaf plan whose `output` is the schema of the rows it returns. The engine runs
it eagerly (see ember.engine.commands); its query argument, if any, is analysed there.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

from ember import types as T
from ember.optimizer.expressions.named import AttributeReference
from ember.optimizer.plans.logical import LeafNode, LogicalPlan


def _attrs(*fields):
    return [AttributeReference(name, dt, nullable) for name, dt, nullable in fields]


class Command(LeafNode):
    @property
    def output(self):
        return []

    @property
    def resolved(self):
        return True


class CreateViewCommand(Command):
    def __init__(self, name_parts: Sequence[str], query: LogicalPlan, sql_text: str,
                 column_names: Optional[List[str]] = None, column_comments=None,
                 comment: Optional[str] = None, replace: bool = False,
                 temporary: bool = False, global_temp: bool = False,
                 if_not_exists: bool = False, properties=None):
        self.name_parts = tuple(name_parts)
        self.query = query
        self.sql_text = sql_text
        self.column_names = column_names
        self.column_comments = column_comments
        self.comment = comment
        self.replace = replace
        self.temporary = temporary
        self.global_temp = global_temp
        self.if_not_exists = if_not_exists
        self.properties = properties or {}

    def describe(self):
        kind = "GlobalTempView" if self.global_temp else (
            "LocalTempView" if self.temporary else "PersistedView")
        return (f"CreateViewCommand `{'.'.join(self.name_parts)}`, {self.sql_text}, false, "
                f"{str(self.replace).lower()}, {kind}, true")

    def inner_children(self):
        return [self.query]


class ExplainCommand(Command):
    def __init__(self, statement: LogicalPlan, mode: str = "simple"):
        self.statement = statement
        self.mode = mode

    @property
    def output(self):
        return _attrs(("plan", T.StringType(), True))

    def describe(self):
        return f"ExplainCommand {self.mode}"

    def inner_children(self):
        return [self.statement]


class SetCommand(Command):
    """SET, SET key, SET key=value, SET -v."""

    def __init__(self, key: Optional[str] = None, value: Optional[str] = None,
                 verbose: bool = False):
        self.key = key
        self.value = value
        self.verbose = verbose

    @property
    def output(self):
        if self.verbose:
            return _attrs(("key", T.StringType(), False), ("value", T.StringType(), False),
                          ("meaning", T.StringType(), False), ("Since version", T.StringType(), False))
        return _attrs(("key", T.StringType(), False), ("value", T.StringType(), False))

    def describe(self):
        return f"SetCommand ({self.key}, {self.value})"


class ResetCommand(Command):
    def __init__(self, key: Optional[str] = None):
        self.key = key


class DropViewCommand(Command):
    def __init__(self, name_parts, if_exists: bool = False):
        self.name_parts = tuple(name_parts)
        self.if_exists = if_exists


class UnsupportedCommand(Command):
    """A statement Ember parses but does not run yet."""

    def __init__(self, feature: str):
        self.feature = feature

    def describe(self):
        return f"UnsupportedCommand {self.feature}"


class Statement(Command):
    """A parsed statement held as its kind and fields (`CREATE TABLE`, `ALTER TABLE ...`,
    `INSERT`, ...). The engine runs the kinds it knows; for the others execution raises
    UNSUPPORTED_FEATURE naming the statement."""

    def __init__(self, kind: str, feature: str, **fields):
        self.kind = kind
        self.feature = feature
        self.fields = fields

    def __getattr__(self, name):
        fields = self.__dict__.get("fields")
        if fields is not None and name in fields:
            return fields[name]
        raise AttributeError(name)

    def describe(self):
        return f"{self.feature}"

    @property
    def output(self):
        return _attrs(*_statement_output(self))


_S, _B = T.StringType(), T.BooleanType()
_STATEMENT_OUTPUTS = {
    "show_namespaces": [("namespace", _S, False)],
    "show_tables": [("namespace", _S, False), ("tableName", _S, False),
                    ("isTemporary", _B, False)],
    "show_views": [("namespace", _S, False), ("viewName", _S, False),
                   ("isTemporary", _B, False)],
    "show_columns": [("col_name", _S, False)],
    "show_partitions": [("partition", _S, False)],
    "show_tblproperties": [("key", _S, False), ("value", _S, False)],
    "show_current_namespace": [("catalog", _S, False), ("namespace", _S, False)],
    "describe_namespace": [("info_name", _S, False), ("info_value", _S, True)],
    "show_create_table": [("createtab_stmt", _S, False)],
}


def _statement_output(stmt):
    """The result columns of a statement kind (Spark's command output attributes)."""
    if stmt.kind == "describe_query":
        return [("col_name", _S, False), ("data_type", _S, False), ("comment", _S, True)]
    if stmt.kind == "describe_table":
        if stmt.fields.get("column"):
            return [("info_name", _S, False), ("info_value", _S, False)]
        return [("col_name", _S, False), ("data_type", _S, False), ("comment", _S, True)]
    return _STATEMENT_OUTPUTS.get(stmt.kind, [])
