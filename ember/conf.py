"""Session configuration (Spark's SQLConf) and the conf of the statement being run.

Expressions need a few settings while they are analysed or evaluated (ANSI mode, the session
time zone); like Spark's `SQLConf.get`, `active_conf()` returns the conf of the session whose
statement runs on this thread.
"""
from __future__ import annotations

import os
import threading
from typing import Dict, Optional


def local_time_zone() -> str:
    """The JVM's default zone: TZ, else /etc/localtime's zone name, else UTC."""
    tz = os.environ.get("TZ")
    if tz:
        return tz.lstrip(":")
    try:
        link = os.path.realpath("/etc/localtime")
        marker = "/zoneinfo/"
        if marker in link:
            return link.split(marker, 1)[1]
    except OSError:
        pass
    return "UTC"


# Spark's defaults for the settings Ember reads. Values are strings, as in Spark.
DEFAULTS: Dict[str, str] = {
    "spark.sql.ansi.enabled": "true",
    "spark.sql.caseSensitive": "false",
    "spark.sql.session.timeZone": "",          # filled lazily with the machine's zone
    "spark.sql.warehouse.dir": "spark-warehouse",
    "spark.sql.shuffle.partitions": "200",
    "spark.sql.autoBroadcastJoinThreshold": "10485760",
    "spark.sql.crossJoin.enabled": "true",
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    "spark.sql.mapKeyDedupPolicy": "EXCEPTION",
    "spark.sql.optimizer.maxIterations": "100",
    "spark.sql.cbo.enabled": "false",
    "spark.app.name": "ember",
    "spark.master": "local[*]",
    # Ember's own settings
    "spark.ember.metastore.path": "",         # default: <warehouse>/metastore.db
    "spark.ember.kernel.fuseThreshold": "100000",  # rows before fused Numba kernels pay off
    "spark.ember.execution.batchSize": "65536",
    "spark.ember.execution.threads": "0",     # 0: one worker per core
}


class SQLConf:
    def __init__(self, settings: Optional[Dict[str, str]] = None):
        self._settings: Dict[str, str] = dict(settings or {})

    def get(self, key: str, default: Optional[str] = None) -> Optional[str]:
        if key in self._settings:
            return self._settings[key]
        if key == "spark.sql.session.timeZone":
            return local_time_zone()
        if key in DEFAULTS:
            return DEFAULTS[key]
        return default

    def set(self, key: str, value) -> None:
        if isinstance(value, bool):
            value = "true" if value else "false"
        self._settings[key] = str(value)

    def unset(self, key: str) -> None:
        self._settings.pop(key, None)

    def contains(self, key: str) -> bool:
        return key in self._settings or key in DEFAULTS

    def get_bool(self, key: str) -> bool:
        return str(self.get(key, "false")).strip().lower() == "true"

    def get_int(self, key: str) -> int:
        return int(self.get(key, "0"))

    def items(self) -> Dict[str, str]:
        merged = {k: v for k, v in DEFAULTS.items() if v != ""}
        merged["spark.sql.session.timeZone"] = self.get("spark.sql.session.timeZone")
        merged.update(self._settings)
        return merged

    def copy(self) -> "SQLConf":
        return SQLConf(self._settings)

    # Frequently read settings
    @property
    def ansi(self) -> bool:
        return self.get_bool("spark.sql.ansi.enabled")

    @property
    def case_sensitive(self) -> bool:
        return self.get_bool("spark.sql.caseSensitive")

    @property
    def time_zone(self) -> str:
        return self.get("spark.sql.session.timeZone")


_local = threading.local()
_DEFAULT_CONF = SQLConf()


def active_conf() -> SQLConf:
    return getattr(_local, "conf", None) or _DEFAULT_CONF


class use_conf:
    """Context manager making `conf` the active conf on this thread."""

    def __init__(self, conf: SQLConf):
        self.conf = conf

    def __enter__(self):
        self.prev = getattr(_local, "conf", None)
        _local.conf = self.conf
        return self.conf

    def __exit__(self, *exc):
        _local.conf = self.prev
        return False
