"""Crash-safe table commits (engine/sources/commit.py): a writer killed (SIGKILL) at each point
of the protocol leaves the table with exactly its old rows, or exactly its new ones once the
commit point has passed; the metastore agrees; leftovers go at the next write; the table stays
writable. Concurrent writers all land, and readers never see half of an overwrite.

The killed writers are processes forked from this one (no interpreter start-up), all at once (a
module fixture), each with its own warehouse and session; this process checks them afterwards.
(test_persistent_tables.py kills a writer started as a fresh interpreter.)"""
from __future__ import annotations

import os
import signal
import threading
import time
import traceback

import pytest

from ember.errors import EmberException
from tests.conftest import rows


def _session(wh):
    from ember.session import SparkSession
    return (SparkSession.builder.config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", wh).create())


def _close(session):
    """Close this thread's metastore connection of `session`: SQLite connections must not be
    open across fork() (the child would share the parent's lock bookkeeping of the file)."""
    ms = session._catalog._metastore
    conn = getattr(ms._local, "conn", None) if ms is not None else None
    if conn is not None:
        conn.close()
        ms._local.conn = None


def _fork(wh, statements, crash_at=None) -> int:
    """A writer process forked from this one (no interpreter start-up): a session of its own
    (its own metastore connection) runs `statements`. Returns the pid. The caller must hold no
    open metastore connection of `wh` (see _close)."""
    pid = os.fork()
    if pid:
        return pid
    code = 1
    try:
        if crash_at:
            os.environ["EMBER_TEST_CRASH_AT"] = crash_at
        s = _session(wh)
        for q in statements:
            s.sql(q)
        code = 0
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)


def _wait(pid, timeout=60.0) -> int:
    """The exit status of a forked writer, as subprocess reports it (-9: SIGKILL); a writer
    still running after `timeout` seconds is killed and reported as "hung"."""
    deadline = time.monotonic() + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "hung"
        time.sleep(0.005)


def _leftovers(folder):
    out = []
    for root, dirs, files in os.walk(folder):
        out += [n for n in dirs + files if n.startswith((".staging-", ".trash-", "_ember_commit"))]
    return out


# (name, setup statements, the statement killed, crash point, whether the commit point passed)
_OVERWRITE = ["CREATE TABLE p (v INT, k INT) USING parquet PARTITIONED BY (k)",
              "INSERT INTO p VALUES (1, 1), (2, 2)"]
_OVERWRITE_SQL = "INSERT OVERWRITE p VALUES (10, 1), (20, 3), (30, 4)"
_OLD = ["1\t1", "2\t2"]
_NEW = ["10\t1", "20\t3", "30\t4"]
_CTAS_SQL = "CREATE TABLE c USING parquet PARTITIONED BY (k) AS SELECT id AS v, id % 2 AS k " \
            "FROM range(4)"

_CASES = {
    "overwrite_staged": (_OVERWRITE, _OVERWRITE_SQL, "staged", False),
    "overwrite_before_journal": (_OVERWRITE, _OVERWRITE_SQL, "commit_before_journal", False),
    "overwrite_journal": (_OVERWRITE, _OVERWRITE_SQL, "commit_journal", True),
    "overwrite_removing": (_OVERWRITE, _OVERWRITE_SQL, "commit_removing", True),
    "overwrite_moving": (_OVERWRITE, _OVERWRITE_SQL, "commit_moving", True),
    "overwrite_done": (_OVERWRITE, _OVERWRITE_SQL, "commit_done", True),
    "insert_journal": (_OVERWRITE, "INSERT INTO p VALUES (7, 2), (8, 5)", "commit_journal", True),
    "insert_staged": (_OVERWRITE, "INSERT INTO p VALUES (7, 2), (8, 5)", "staged", False),
    "ctas_staged": ([], _CTAS_SQL, "staged", False),
    "ctas_journal": ([], _CTAS_SQL, "commit_moving", False),
    "ctas_files": ([], _CTAS_SQL, "ctas_files", False),
    "ctas_metastore": ([], _CTAS_SQL, "ctas_metastore", True),
    "drop": (_OVERWRITE, "DROP TABLE p", "drop_metastore", True),
    "truncate": (_OVERWRITE, "TRUNCATE TABLE p", "commit_removing", True),
    "drop_partition": (_OVERWRITE, "ALTER TABLE p DROP PARTITION (k = 1)", "commit_journal",
                       True),
}


@pytest.fixture(scope="module")
def crashed(tmp_path_factory):
    """Every case's writer, killed at its point (all run at once)."""
    base = tmp_path_factory.mktemp("crashes")
    pids = {}
    for case, (setup, sql, point, _) in _CASES.items():
        wh = str(base / case / "wh")
        if setup:
            s = _session(wh)
            for stmt in setup:
                s.sql(stmt)
            _close(s)
            s.stop()
        pids[case] = (wh, _fork(wh, [sql], crash_at=point))
    return {case: (wh, _wait(pid)) for case, (wh, pid) in pids.items()}


def _check(crashed, case):
    wh, rc = crashed[case]
    assert rc == -9, f"the writer was not killed at its point: rc={rc}"
    return wh, _session(wh)


@pytest.mark.parametrize("case", [c for c in _CASES if c.startswith(("overwrite", "insert"))])
def test_killed_insert(crashed, case):
    wh, spark = _check(crashed, case)
    committed, sql = _CASES[case][3], _CASES[case][1]
    got = rows(spark, "SELECT * FROM p ORDER BY v")
    if not committed:
        assert got == _OLD
        assert rows(spark, "SHOW PARTITIONS p") == ["k=1", "k=2"]
    elif "OVERWRITE" in sql:
        assert got == _NEW
        assert rows(spark, "SHOW PARTITIONS p") == ["k=1", "k=3", "k=4"]
    else:
        assert got == _OLD + ["7\t2", "8\t5"]
        assert rows(spark, "SHOW PARTITIONS p") == ["k=1", "k=2", "k=5"]
    # the table stays writable, and the next write removes what the killed one left
    spark.sql("INSERT INTO p VALUES (99, 1)")
    assert _leftovers(os.path.join(wh, "p")) == []
    assert rows(spark, "SELECT count(*) FROM p WHERE v = 99") == ["1"]


@pytest.mark.parametrize("case", [c for c in _CASES if c.startswith("ctas")])
def test_killed_ctas(crashed, case):
    wh, spark = _check(crashed, case)
    expect = ["0\t0", "1\t1", "2\t0", "3\t1"]
    if _CASES[case][3]:
        assert rows(spark, "SHOW TABLES") == ["c"]
        assert rows(spark, "SELECT * FROM c ORDER BY v") == expect
        assert rows(spark, "SHOW PARTITIONS c") == ["k=0", "k=1"]
        spark.sql("INSERT INTO c VALUES (9, 1)")
    else:
        # no entry; the folder it left does not block a retry (no LOCATION_ALREADY_EXISTS)
        assert rows(spark, "SHOW TABLES") == []
        spark.sql(_CASES[case][1])
        assert rows(spark, "SELECT * FROM c ORDER BY v") == expect
        assert rows(spark, "SHOW PARTITIONS c") == ["k=0", "k=1"]
    assert _leftovers(os.path.join(wh, "c")) == []


def test_killed_drop(crashed):
    wh, spark = _check(crashed, "drop")
    assert rows(spark, "SHOW TABLES") == []
    # the marked folder it left is wiped by the next CREATE of the name, not adopted
    spark.sql("CREATE TABLE p (v INT, k INT) USING parquet PARTITIONED BY (k)")
    assert rows(spark, "SELECT * FROM p") == []
    spark.sql("DROP TABLE p")
    spark.sql("CREATE TABLE p USING parquet AS SELECT 5 AS v")
    assert rows(spark, "SELECT * FROM p") == ["5"]


def test_killed_truncate(crashed):
    wh, spark = _check(crashed, "truncate")
    assert rows(spark, "SELECT * FROM p") == []
    spark.sql("INSERT INTO p VALUES (3, 3)")
    assert rows(spark, "SELECT * FROM p") == ["3\t3"]
    assert _leftovers(os.path.join(wh, "p")) == []


def test_killed_drop_partition(crashed):
    wh, spark = _check(crashed, "drop_partition")
    assert rows(spark, "SELECT * FROM p") == ["2\t2"]
    assert rows(spark, "SHOW PARTITIONS p") == ["k=2"]
    spark.sql("INSERT INTO p VALUES (3, 1)")
    assert rows(spark, "SELECT * FROM p ORDER BY v") == ["2\t2", "3\t1"]
    assert rows(spark, "SHOW PARTITIONS p") == ["k=1", "k=2"]
    assert _leftovers(os.path.join(wh, "p")) == []


def test_write_error_leaves_nothing(spark, monkeypatch):
    import ember.engine.sources.commit as commit
    spark.sql("CREATE TABLE e (a INT) USING parquet")
    spark.sql("INSERT INTO e VALUES (1)")

    def fail(*a, **k):
        raise OSError("disk full")
    monkeypatch.setattr(commit, "_write_journal", fail)
    with pytest.raises(OSError):
        spark.sql("INSERT OVERWRITE e VALUES (2)")
    monkeypatch.undo()
    assert rows(spark, "SELECT * FROM e") == ["1"]
    wh = spark.conf.get("spark.sql.warehouse.dir")
    assert _leftovers(os.path.join(wh, "e")) == []


def test_error_after_commit_point_rolls_forward(spark, monkeypatch):
    """A commit that fails after its journal is written keeps its staged files for recovery."""
    import ember.engine.sources.commit as commit
    spark.sql("CREATE TABLE f (a INT) USING parquet")
    spark.sql("INSERT INTO f VALUES (1)")

    def fail(name):
        if name == "commit_removing":
            raise OSError("I/O error")
    monkeypatch.setattr(commit, "crash_point", fail)
    with pytest.raises(OSError):
        spark.sql("INSERT OVERWRITE f VALUES (2), (3)")
    monkeypatch.undo()
    assert rows(spark, "SELECT * FROM f ORDER BY a") == ["2", "3"]
    spark.sql("INSERT INTO f VALUES (4)")
    wh = spark.conf.get("spark.sql.warehouse.dir")
    assert _leftovers(os.path.join(wh, "f")) == []


def test_insert_into_dropped_table_is_refused(spark):
    """A write whose table went away between analysis and commit leaves no orphan folder."""
    from ember.engine.sources import table as tbl
    spark.sql("CREATE TABLE g (a INT) USING parquet")
    wh = spark.conf.get("spark.sql.warehouse.dir")
    real = tbl.write_table_data

    def drop_first(*a, **k):
        other = spark.newSession()
        other.sql("DROP TABLE g")
        return real(*a, **k)
    tbl.write_table_data = drop_first
    try:
        with pytest.raises(EmberException) as info:
            spark.sql("INSERT INTO g VALUES (1)")
    finally:
        tbl.write_table_data = real
    assert info.value.getCondition() == "TABLE_OR_VIEW_NOT_FOUND"
    spark.sql("CREATE TABLE g USING parquet AS SELECT 2 AS a")
    assert rows(spark, "SELECT * FROM g") == ["2"]
    assert _leftovers(os.path.join(wh, "g")) == []


def test_concurrent_writers_all_land(tmp_path):
    wh = str(tmp_path / "wh")
    s = _session(wh)
    s.sql("CREATE TABLE c (w INT, i INT, k INT) USING parquet PARTITIONED BY (k)")
    _close(s)
    pids = [_fork(wh, [f"INSERT INTO c VALUES ({w}, {i}, {i % 3})" for i in range(25)])
            for w in (1, 2)]
    # a third writer: threads of this process, each with its own session
    def thread_writer(w):
        t = s.newSession()
        for i in range(10):
            t.sql(f"INSERT INTO c VALUES ({w}, {i}, {i % 3})")
    threads = [threading.Thread(target=thread_writer, args=(w,)) for w in (3, 4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [_wait(pid) for pid in pids] == [0, 0]
    assert rows(s, "SELECT w, count(*), count(DISTINCT i) FROM c GROUP BY w ORDER BY w") == \
        ["1\t25\t25", "2\t25\t25", "3\t10\t10", "4\t10\t10"]
    assert rows(s, "SHOW PARTITIONS c") == ["k=0", "k=1", "k=2"]
    assert _leftovers(os.path.join(wh, "c")) == []


def test_overwrite_concurrent_with_readers(tmp_path):
    wh = str(tmp_path / "wh")
    s = _session(wh)
    s.sql("CREATE TABLE o (r INT, k INT) USING parquet PARTITIONED BY (k)")
    s.sql("INSERT INTO o SELECT 0, id FROM range(5)")
    assert rows(s, "SELECT count(*), min(r), max(r) FROM o") == ["5\t0\t0"]   # warm
    _close(s)
    writer = _fork(wh, [f"INSERT OVERWRITE o SELECT {r}, id FROM range(5)" for r in range(1, 51)])
    seen, bad, status = set(), [], None
    deadline = time.monotonic() + 60
    while status is None and time.monotonic() < deadline:
        got = rows(s, "SELECT count(*), min(r), max(r) FROM o")[0].split("\t")
        if got[0] != "5" or got[1] != got[2]:
            bad.append(got)
        seen.add(got[1])
        pid, st = os.waitpid(writer, os.WNOHANG)
        if pid:
            status = st
    assert _wait(writer, 0) == 0 if status is None else \
        os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert bad == []
    assert len(seen) > 1            # the reader did run while the writer committed
    assert rows(s, "SELECT count(*), min(r), max(r) FROM o") == ["5\t50\t50"]
