"""The persistent catalog: a SQLite database with a Hive-like schema.

Several processes may share one metastore file: SQLite in WAL mode serialises writers and
every change runs in a transaction. The schema is versioned (`ember_meta.schema_version`) so
later versions can migrate an existing file.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from typing import Dict, List, Optional

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS ember_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS databases (
    name TEXT PRIMARY KEY,
    description TEXT,
    location TEXT NOT NULL,
    properties TEXT NOT NULL DEFAULT '{}',
    created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS tables (
    db TEXT NOT NULL REFERENCES databases(name),
    name TEXT NOT NULL,
    table_type TEXT NOT NULL,            -- MANAGED | EXTERNAL | VIEW
    provider TEXT,                       -- parquet | csv | json | orc | text
    location TEXT,
    schema_json TEXT NOT NULL,
    partition_columns TEXT NOT NULL DEFAULT '[]',
    bucket_spec TEXT,
    properties TEXT NOT NULL DEFAULT '{}',
    storage_options TEXT NOT NULL DEFAULT '{}',
    view_text TEXT,
    comment TEXT,
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (db, name)
);
CREATE TABLE IF NOT EXISTS partitions (
    db TEXT NOT NULL,
    table_name TEXT NOT NULL,
    spec TEXT NOT NULL,                  -- JSON object of partition column -> value
    location TEXT NOT NULL,
    stats TEXT NOT NULL DEFAULT '{}',
    created_ms INTEGER NOT NULL,
    PRIMARY KEY (db, table_name, spec)
);
CREATE TABLE IF NOT EXISTS table_stats (
    db TEXT NOT NULL,
    table_name TEXT NOT NULL,
    row_count INTEGER,
    size_bytes INTEGER,
    column_stats TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (db, table_name)
);
"""


class Metastore:
    def __init__(self, path: str, warehouse_dir: str):
        self.path = path
        self.warehouse_dir = warehouse_dir
        self._local = threading.local()
        self._ensure_schema()

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA busy_timeout=60000")
            self._local.conn = conn
        return conn

    def transaction(self):
        return _Transaction(self._conn())

    def _ensure_schema(self) -> None:
        with self.transaction() as c:
            for stmt in _SCHEMA.split(";"):
                if stmt.strip():
                    c.execute(stmt)
            row = c.execute("SELECT value FROM ember_meta WHERE key='schema_version'").fetchone()
            if row is None:
                c.execute("INSERT INTO ember_meta VALUES ('schema_version', ?)",
                          (str(SCHEMA_VERSION),))
            if c.execute("SELECT 1 FROM databases WHERE name='default'").fetchone() is None:
                c.execute("INSERT INTO databases VALUES (?, ?, ?, ?, ?)",
                          ("default", "default database",
                           os.path.abspath(self.warehouse_dir), "{}", _now()))

    # ------------------------------------------------------------------ databases
    def database_exists(self, name: str) -> bool:
        return self._conn().execute("SELECT 1 FROM databases WHERE name=?",
                                    (name.lower(),)).fetchone() is not None

    def get_database(self, name: str) -> Optional[Dict]:
        row = self._conn().execute(
            "SELECT name, description, location, properties FROM databases WHERE name=?",
            (name.lower(),)).fetchone()
        if row is None:
            return None
        return {"name": row[0], "description": row[1], "location": row[2],
                "properties": json.loads(row[3])}

    def list_databases(self) -> List[str]:
        return [r[0] for r in self._conn().execute("SELECT name FROM databases ORDER BY name")]

    # ------------------------------------------------------------------ tables
    def get_table(self, db: str, name: str) -> Optional[Dict]:
        row = self._conn().execute(
            "SELECT db, name, table_type, provider, location, schema_json, partition_columns, "
            "properties, view_text, comment, storage_options, created_ms FROM tables "
            "WHERE db=? AND name=?",
            (db.lower(), name.lower())).fetchone()
        if row is None:
            return None
        return {"db": row[0], "name": row[1], "type": row[2], "provider": row[3],
                "location": row[4], "schema": json.loads(row[5]),
                "partition_columns": json.loads(row[6]), "properties": json.loads(row[7]),
                "view_text": row[8], "comment": row[9], "options": json.loads(row[10]),
                "created_ms": row[11]}

    def list_tables(self, db: str) -> List[str]:
        return [r[0] for r in self._conn().execute(
            "SELECT name FROM tables WHERE db=? ORDER BY name", (db.lower(),))]


    def list_table_rows(self, db: str) -> List[Dict]:
        return [self.get_table(db, n) for n in self.list_tables(db)]

    # ------------------------------------------------------------------ changes
    def create_database(self, name: str, description: Optional[str], location: str,
                        properties: Dict) -> bool:
        """False when it exists already."""
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM databases WHERE name=?", (name.lower(),)).fetchone():
                return False
            c.execute("INSERT INTO databases VALUES (?, ?, ?, ?, ?)",
                      (name.lower(), description, location, json.dumps(properties), _now()))
        return True

    def set_database_properties(self, name: str, properties: Dict) -> None:
        with self.transaction() as c:
            c.execute("UPDATE databases SET properties=? WHERE name=?",
                      (json.dumps(properties), name.lower()))

    def drop_database(self, name: str) -> None:
        with self.transaction() as c:
            for t in ("tables", "partitions", "table_stats"):
                col = "db"
                c.execute(f"DELETE FROM {t} WHERE {col}=?", (name.lower(),))
            c.execute("DELETE FROM databases WHERE name=?", (name.lower(),))

    def create_table(self, meta: Dict, partitions: Optional[List] = None) -> bool:
        """False when a table of that name exists already. `partitions` ((spec, location)
        pairs) are registered in the same transaction."""
        with self.transaction() as c:
            if c.execute("SELECT 1 FROM tables WHERE db=? AND name=?",
                         (meta["db"].lower(), meta["name"].lower())).fetchone():
                return False
            c.execute(
                "INSERT INTO tables (db, name, table_type, provider, location, schema_json, "
                "partition_columns, properties, storage_options, view_text, comment, created_ms) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (meta["db"].lower(), meta["name"].lower(), meta["type"], meta.get("provider"),
                 meta.get("location"), json.dumps(meta["schema"]),
                 json.dumps(meta.get("partition_columns", [])),
                 json.dumps(meta.get("properties", {})), json.dumps(meta.get("options", {})),
                 meta.get("view_text"), meta.get("comment"), _now()))
            for spec, loc in partitions or ():
                c.execute("INSERT OR IGNORE INTO partitions (db, table_name, spec, location, "
                          "created_ms) VALUES (?, ?, ?, ?, ?)",
                          (meta["db"].lower(), meta["name"].lower(), json.dumps(spec), loc,
                           _now()))
        return True

    def alter_table(self, db: str, name: str, **changes) -> None:
        """Update columns of a table's row: schema, properties, view_text, comment, location,
        and `new_name` (a rename, which moves its partitions and statistics along)."""
        cols = {"schema": "schema_json", "properties": "properties", "view_text": "view_text",
                "comment": "comment", "location": "location",
                "partition_columns": "partition_columns"}
        with self.transaction() as c:
            for key, value in changes.items():
                if key == "new_name":
                    continue
                if key in ("schema", "properties", "partition_columns"):
                    value = json.dumps(value)
                c.execute(f"UPDATE tables SET {cols[key]}=? WHERE db=? AND name=?",
                          (value, db.lower(), name.lower()))
            new_name = changes.get("new_name")
            if new_name:
                c.execute("UPDATE tables SET name=? WHERE db=? AND name=?",
                          (new_name.lower(), db.lower(), name.lower()))
                for t in ("partitions", "table_stats"):
                    c.execute(f"UPDATE {t} SET table_name=? WHERE db=? AND table_name=?",
                              (new_name.lower(), db.lower(), name.lower()))

    def drop_table(self, db: str, name: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM tables WHERE db=? AND name=?", (db.lower(), name.lower()))
            for t in ("partitions", "table_stats"):
                c.execute(f"DELETE FROM {t} WHERE db=? AND table_name=?",
                          (db.lower(), name.lower()))

    # ------------------------------------------------------------------ statistics
    def set_table_stats(self, db: str, name: str, row_count: Optional[int], size_bytes: int,
                        column_stats: Optional[Dict] = None) -> None:
        with self.transaction() as c:
            old = c.execute("SELECT column_stats FROM table_stats WHERE db=? AND table_name=?",
                            (db.lower(), name.lower())).fetchone()
            cols = json.loads(old[0]) if old else {}
            cols.update(column_stats or {})
            c.execute("INSERT OR REPLACE INTO table_stats VALUES (?, ?, ?, ?, ?)",
                      (db.lower(), name.lower(), row_count, size_bytes, json.dumps(cols)))

    def clear_table_stats(self, db: str, name: str) -> None:
        with self.transaction() as c:
            c.execute("DELETE FROM table_stats WHERE db=? AND table_name=?",
                      (db.lower(), name.lower()))

    def get_table_stats(self, db: str, name: str) -> Optional[Dict]:
        row = self._conn().execute(
            "SELECT row_count, size_bytes, column_stats FROM table_stats "
            "WHERE db=? AND table_name=?", (db.lower(), name.lower())).fetchone()
        if row is None:
            return None
        return {"row_count": row[0], "size_bytes": row[1], "columns": json.loads(row[2])}

    # ------------------------------------------------------------------ partitions
    def add_partitions(self, db: str, name: str, specs: List[Dict], locations: List[str]) -> None:
        with self.transaction() as c:
            for spec, loc in zip(specs, locations):
                c.execute("INSERT OR IGNORE INTO partitions (db, table_name, spec, location, "
                          "created_ms) VALUES (?, ?, ?, ?, ?)",
                          (db.lower(), name.lower(), json.dumps(spec), loc, _now()))

    def drop_partitions(self, db: str, name: str, specs: List[Dict]) -> None:
        with self.transaction() as c:
            for spec in specs:
                c.execute("DELETE FROM partitions WHERE db=? AND table_name=? AND spec=?",
                          (db.lower(), name.lower(), json.dumps(spec)))

    def list_partitions(self, db: str, name: str) -> List[Dict]:
        return [{"spec": json.loads(r[0]), "location": r[1], "stats": json.loads(r[2] or "{}"),
                 "created_ms": r[3]} for r in self._conn().execute(
            "SELECT spec, location, stats, created_ms FROM partitions "
            "WHERE db=? AND table_name=?", (db.lower(), name.lower()))]

    def set_partition_stats(self, db: str, name: str, spec: Dict, stats: Dict) -> None:
        """ANALYZE TABLE ... PARTITION: {size_bytes, row_count} of one partition."""
        with self.transaction() as c:
            c.execute("UPDATE partitions SET stats=? WHERE db=? AND table_name=? AND spec=?",
                      (json.dumps(stats), db.lower(), name.lower(), json.dumps(spec)))


class _Transaction:
    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn

    def __enter__(self) -> sqlite3.Connection:
        self.conn.execute("BEGIN IMMEDIATE")
        return self.conn

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")
        return False


def _now() -> int:
    return int(time.time() * 1000)
