"""SparkSession: the entry point (`spark.sql`, `spark.table`, `spark.read`, ...)."""
from __future__ import annotations

import threading
from typing import Any, Dict, Iterable, List, Optional

from ember.conf import SQLConf, use_conf
from ember.errors import AnalysisException, IllegalArgumentException, ParseException


class RuntimeConfig:
    """`spark.conf`: get / set / unset of session settings (strings, as in Spark)."""

    def __init__(self, conf: SQLConf):
        self._conf = conf

    def get(self, key: str, default: Any = None):
        value = self._conf.get(key)
        if value is None:
            if default is not None:
                return default
            from ember.errors import EmberException
            raise EmberException("SQL_CONF_NOT_FOUND", sqlConf=f'"{key}"')
        return value

    def set(self, key: str, value) -> None:
        self._conf.set(key, value)

    def unset(self, key: str) -> None:
        self._conf.unset(key)

    def getAll(self) -> Dict[str, str]:
        return dict(self._conf.items())

    def isModifiable(self, key: str) -> bool:
        return key.startswith("spark.sql.") or key.startswith("spark.ember.")


class Builder:
    def __init__(self):
        self._options: Dict[str, str] = {}

    def appName(self, name: str) -> "Builder":
        return self.config("spark.app.name", name)

    def master(self, master: str) -> "Builder":
        return self.config("spark.master", master)

    def enableHiveSupport(self) -> "Builder":
        return self

    def config(self, key=None, value=None, conf=None, map=None) -> "Builder":
        if conf is not None:
            for k, v in conf.getAll():
                self._options[k] = str(v)
        if map is not None:
            for k, v in map.items():
                self._options[k] = _conf_text(v)
        if key is not None:
            self._options[key] = _conf_text(value)
        return self

    def getOrCreate(self) -> "SparkSession":
        with SparkSession._lock:
            active = SparkSession._active
            if active is not None and not active._stopped:
                for k, v in self._options.items():
                    active._conf.set(k, v)
                return active
            session = SparkSession(self._options)
            SparkSession._active = session
            return session

    def create(self) -> "SparkSession":
        """A new session that is not registered as the active one."""
        return SparkSession(self._options)


def _conf_text(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


class _BuilderDescriptor:
    def __get__(self, instance, owner):
        return Builder()


class SparkSession:
    builder = _BuilderDescriptor()
    _active: Optional["SparkSession"] = None
    _lock = threading.Lock()

    def __init__(self, options: Optional[Dict[str, str]] = None):
        from ember.catalog.functions import BUILTINS, FunctionRegistry
        from ember.catalog.session_catalog import SessionCatalog
        self._initial_settings = dict(options or {})
        self._conf = SQLConf(dict(self._initial_settings))
        self.conf = RuntimeConfig(self._conf)
        self._catalog = SessionCatalog(
            self._conf.get("spark.sql.warehouse.dir"),
            self._conf.get("spark.ember.metastore.path") or None,
            case_sensitive=self._conf.case_sensitive)
        self._functions = FunctionRegistry(parent=BUILTINS)
        from ember.engine.catalog_commands import register_session_functions
        register_session_functions(self._functions, self._catalog)
        self._stopped = False

    # ------------------------------------------------------------------ construction
    @classmethod
    def getActiveSession(cls) -> Optional["SparkSession"]:
        return cls._active

    @classmethod
    def active(cls) -> "SparkSession":
        if cls._active is None:
            return cls.builder.getOrCreate()
        return cls._active

    def newSession(self) -> "SparkSession":
        """A session sharing nothing but global temp views (and the metastore files)."""
        return SparkSession(self._initial_settings)

    def stop(self) -> None:
        self._stopped = True
        with SparkSession._lock:
            if SparkSession._active is self:
                SparkSession._active = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    @property
    def version(self) -> str:
        return "4.3.0"

    @property
    def catalog(self):
        from ember.catalog_api import Catalog
        return Catalog(self)

    @property
    def read(self):
        from ember.readwriter import DataFrameReader
        return DataFrameReader(self)

    # ------------------------------------------------------------------ SQL
    def sql(self, sqlQuery: str, args=None, **kwargs) -> "DataFrame":
        """Parse and analyse a statement; commands (DDL, SET, ...) run immediately."""
        from ember.dataframe import DataFrame
        from ember.parser import parse_statement
        from ember.optimizer.plans.commands import Command
        if args:
            from ember.errors import not_supported
            raise not_supported("parameterized queries")
        with use_conf(self._conf):
            plan = parse_statement(sqlQuery)
            df = DataFrame(self, plan)
            if isinstance(plan, Command):
                df._materialize()
        return df

    def table(self, tableName: str) -> "DataFrame":
        from ember.dataframe import DataFrame
        from ember.optimizer.plans.logical import UnresolvedRelation
        from ember.parser import parse_statement
        parts = _split_name(tableName)
        return DataFrame(self, UnresolvedRelation(parts))

    def range(self, start: int, end: Optional[int] = None, step: int = 1,
              numPartitions: Optional[int] = None) -> "DataFrame":
        from ember.dataframe import DataFrame
        from ember.optimizer.plans.logical import Range
        if end is None:
            start, end = 0, start
        if step == 0:
            raise IllegalArgumentException("INVALID_PARAMETER_VALUE.RANGE_STEP",
                                           message="The step of range must not be 0")
        return DataFrame(self, Range(int(start), int(end), int(step), numPartitions))

    def createDataFrame(self, data, schema=None, samplingRatio=None,
                        verifySchema=True) -> "DataFrame":
        from ember.dataframe import DataFrame
        from ember.create_dataframe import local_relation
        return DataFrame(self, local_relation(data, schema))

    # ------------------------------------------------------------------ internals
    def _analyzer(self):
        from ember.engine.evaluator import EvalContext, eval_scalar
        from ember.engine.sources.files import file_relation
        from ember.optimizer.analyzer import AnalysisContext, Analyzer
        from ember.parser import parse_statement
        import ember.engine.functions  # noqa: F401  (registers the built-in functions)
        ctx = AnalysisContext(
            catalog=self._catalog, functions=self._functions, conf=self._conf,
            evaluate=lambda e: eval_scalar(e, EvalContext(self._conf)),
            parse=parse_statement, file_relation=file_relation)
        return Analyzer(ctx)


def _split_name(name: str) -> List[str]:
    """`db.t` or `` `a.b` `` into name parts (backquotes protect dots)."""
    parts, cur, quoted, i = [], "", False, 0
    while i < len(name):
        ch = name[i]
        if ch == "`":
            if quoted and i + 1 < len(name) and name[i + 1] == "`":
                cur += "`"
                i += 2
                continue
            quoted = not quoted
        elif ch == "." and not quoted:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
        i += 1
    parts.append(cur)
    if any(p == "" for p in parts):
        raise ParseException("PARSE_SYNTAX_ERROR", error=f"'{name}'", hint="")
    return parts
