"""Crash-safe commits of a catalog table's files (the folder of a table, or a path written by
DataFrameWriter.save).

Bookkeeping names in a table folder (readers skip every name starting with `_` or `.`):

  _ember_lock          the table's lock file: fcntl.flock, exclusive for a commit, shared for a
                       scan. flock locks belong to an open file description, so two threads of
                       one process exclude each other as two processes do. A holder checks after
                       locking that the path still names the inode it locked (DROP TABLE removes
                       the folder, lock file included, while holding the lock) and retries if not.
  _ember_commit        the commit journal of a commit in progress (JSON: the entries to move into
                       the trash folder, the staged files to rename into place, and the phase).
  _ember_uncommitted   a marker: this folder belongs to a CREATE TABLE AS SELECT that has not
                       reached its metastore entry, or to a DROP TABLE that has removed it; when no
                       metastore entry names the folder it may be wiped.
  .staging-<uuid>/     a writer's new files; the writer holds an exclusive flock on the folder
                       itself for its lifetime (taken while holding the table lock shared, so a
                       cleaner never sees the folder unlocked while its writer lives).
  .trash-<uuid>/       replaced files of one commit, removed once the commit is complete.

The protocol of one commit (`commit_files`), all under the exclusive table lock:
  1. roll forward any journal a killed writer left behind (`recover`), then remove orphans:
     `.trash-*` folders and `.staging-*` folders whose owner is gone (flock succeeds);
  2. run the caller's check (the table still exists, at this location), list the entries the
     commit replaces, run the caller's pre-commit metastore changes (new partition rows, which
     are harmless without their folder: SHOW PARTITIONS skips those);
  3. write the journal atomically (temporary file, fsync, os.replace, fsync of the folder),
     the staged files having been fsynced. This is the COMMIT POINT: from here on the commit
     is rolled forward by whoever finds the journal, never back;
  4. rename the replaced entries into `.trash-<uuid>` (phase "remove"), rewrite the journal
     with phase "move", rename the staged files into place (each step idempotent), remove the
     journal, then remove the trash folder.
A scan (`read_lock`) takes the lock shared: it rolls a pending journal forward first (taking the
lock exclusive for that), then lists and reads its files with the lock held, so it sees the
files of complete commits only, and no commit removes a file it is reading.

Order of file commits and metastore commits (catalog_commands.py), so that no crash leaves rows
visible that a statement did not completely write, and no metastore entry without its data:
  INSERT            new partition rows (step 2) -> file commit -> (dynamic overwrite) drop the
                    rows of partitions whose folder is gone.
  CTAS              under the lock: re-check the name; wipe a folder marked uncommitted; mark
                    the folder; file commit; create the table with its partition rows in one
                    metastore transaction (COMMIT POINT); remove the marker. A CTAS killed
                    before its metastore commit leaves a marked folder without an entry, which
                    the next CREATE of the name wipes (no LOCATION_ALREADY_EXISTS).
  DROP TABLE        under the lock: mark the folder; drop the metastore entry (COMMIT POINT);
                    remove the files (a file commit with nothing staged), then the folder.
  TRUNCATE, ALTER TABLE ... DROP PARTITION
                    file commit removing the data (COMMIT POINT), then the metastore changes
                    (a crash in between leaves a partition row without its folder).
  ALTER TABLE ... RENAME
                    the folder moves under the lock, then the metastore entry changes (a crash
                    in between is not recovered: the entry names the old folder).
Not covered: a CTAS into an EXTERNAL folder that already holds files is not marked (its files
must never be wiped), so a crash before its metastore entry leaves the new files there; scans of
plain paths (FileSource, spark.read.parquet) take no lock.

Tests kill a process at a named point of this protocol: `crash_point(name)` sends SIGKILL to the
process itself when the environment variable EMBER_TEST_CRASH_AT equals `name`.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import signal
import threading
import uuid
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

LOCK = "_ember_lock"
JOURNAL = "_ember_commit"
MARKER = "_ember_uncommitted"
STAGING_PREFIX = ".staging-"
TRASH_PREFIX = ".trash-"


def crash_point(name: str) -> None:
    """Test hook: die here (SIGKILL, no cleanup) when EMBER_TEST_CRASH_AT names this point."""
    if os.environ.get("EMBER_TEST_CRASH_AT") == name:
        os.kill(os.getpid(), signal.SIGKILL)


# ---------------------------------------------------------------------------- locking
_held = threading.local()       # {abs location: "ex" | "sh"} locks this thread holds


def _held_map() -> dict:
    m = getattr(_held, "m", None)
    if m is None:
        m = _held.m = {}
    return m


def _open_locked(location: str, mode: int, create: bool) -> Optional[int]:
    """An fd of `location`/_ember_lock locked with `mode`, or None when the folder does not
    exist (create=False) or cannot hold a lock file (read-only)."""
    path = os.path.join(location, LOCK)
    while True:
        if create:
            os.makedirs(location, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except FileNotFoundError:
            if create:
                continue
            return None
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EROFS, errno.EPERM) or \
                    (e.errno == errno.ENOTDIR and not create):
                return None
            raise
        try:
            fcntl.flock(fd, mode)
            st = os.fstat(fd)
            try:
                now = os.stat(path)
                same = (now.st_ino, now.st_dev) == (st.st_ino, st.st_dev)
            except FileNotFoundError:
                same = False
        except BaseException:
            os.close(fd)
            raise
        if same:
            return fd
        os.close(fd)        # the folder was removed or renamed while we waited: again


@contextlib.contextmanager
def table_lock(location: str, exclusive: bool = True, create: bool = True):
    """Hold the table's lock (re-entrant within a thread). Yields False when no lock could be
    taken (no folder and create=False, or a read-only folder)."""
    key = os.path.abspath(location)
    held = _held_map()
    have = held.get(key)
    if have == "ex" or (have == "sh" and not exclusive):
        yield True
        return
    if have == "sh":
        raise RuntimeError(f"table lock upgrade requested for {key}")
    fd = _open_locked(key, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH, create)
    if fd is None:
        yield False
        return
    held[key] = "ex" if exclusive else "sh"
    try:
        yield True
    finally:
        del held[key]
        os.close(fd)        # closing the last fd of the description releases the flock


@contextlib.contextmanager
def read_lock(location: str):
    """A scan's view of the table: no pending commit, none starting until the scan is done."""
    key = os.path.abspath(location)
    if _held_map().get(key) is not None or not os.path.isdir(key):
        yield
        return
    for _ in range(3):
        with table_lock(key, exclusive=False, create=False) as locked:
            if not locked or not os.path.exists(os.path.join(key, JOURNAL)):
                yield
                return
        # a killed writer's commit is pending: roll it forward, then look again
        with table_lock(key, exclusive=True, create=False) as locked:
            if locked:
                recover(key)
    yield


# ---------------------------------------------------------------------------- staging
class Staging:
    """A writer's staging folder `.staging-<uuid>` in `location`, owned (flocked) until
    close(), which removes it."""

    def __init__(self, location: str):
        self.location = os.path.abspath(location)
        self.name = f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        self.path = os.path.join(self.location, self.name)
        with table_lock(self.location, exclusive=False, create=True):
            os.mkdir(self.path)
            self._fd = os.open(self.path, os.O_RDONLY)
            fcntl.flock(self._fd, fcntl.LOCK_EX)

    def sync(self) -> None:
        """fsync the staged files and folders (so a committed journal never names lost data)."""
        for root, dirs, files in os.walk(self.path):
            for n in files:
                fd = os.open(os.path.join(root, n), os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            _fsync_dir(root)

    def close(self) -> None:
        if not self._pending():
            shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


    def _pending(self) -> bool:
        """Whether a committed journal still names these files (a commit that failed after its
        commit point): they stay for the roll-forward."""
        try:
            with open(os.path.join(self.location, JOURNAL)) as f:
                return any(src.split(os.sep, 1)[0] == self.name
                           for src, _ in json.load(f)["moves"])
        except (OSError, ValueError, KeyError):
            return False


def _fsync_dir(path: str) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ---------------------------------------------------------------------------- the journal
def _write_journal(location: str, journal: dict) -> None:
    tmp = os.path.join(location, f"{JOURNAL}.tmp-{uuid.uuid4().hex}")
    with open(tmp, "w") as f:
        json.dump(journal, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, os.path.join(location, JOURNAL))
    _fsync_dir(location)


def _roll_forward(location: str, journal: dict) -> None:
    trash = os.path.join(location, journal["trash"])
    if journal["phase"] == "remove":
        # nothing has moved in yet: every listed entry still present is replaced data
        os.makedirs(trash, exist_ok=True)
        for i, rel in enumerate(journal["remove"]):
            p = os.path.join(location, rel)
            if os.path.lexists(p):
                os.rename(p, os.path.join(trash, str(i)))
                crash_point("commit_removing")
        journal = dict(journal, phase="move")
        _write_journal(location, journal)
    for src, dst in journal["moves"]:
        s, d = os.path.join(location, src), os.path.join(location, dst)
        if os.path.lexists(s):
            os.makedirs(os.path.dirname(d), exist_ok=True)
            os.rename(s, d)
            crash_point("commit_moving")
    os.remove(os.path.join(location, JOURNAL))
    _fsync_dir(location)
    crash_point("commit_done")
    shutil.rmtree(trash, ignore_errors=True)


def recover(location: str) -> None:
    """Roll a pending journal forward (caller holds the lock exclusive)."""
    path = os.path.join(location, JOURNAL)
    try:
        with open(path) as f:
            journal = json.load(f)
    except FileNotFoundError:
        return
    _roll_forward(location, journal)


def cleanup(location: str) -> None:
    """Remove what killed writers left behind (caller holds the lock exclusive)."""
    recover(location)
    try:
        names = os.listdir(location)
    except FileNotFoundError:
        return
    for n in names:
        p = os.path.join(location, n)
        if n.startswith(TRASH_PREFIX):
            shutil.rmtree(p, ignore_errors=True)
        elif n.startswith(f"{JOURNAL}.tmp-"):
            with contextlib.suppress(OSError):
                os.remove(p)
        elif n.startswith(STAGING_PREFIX):
            try:
                fd = os.open(p, os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)        # a live writer owns it
                continue
            try:
                shutil.rmtree(p, ignore_errors=True)
            finally:
                os.close(fd)


def commit_files(location: str, moves: Sequence[Tuple[str, str]],
                 replaced: Callable[[], Iterable[str]],
                 check: Optional[Callable[[], None]] = None,
                 before_commit: Optional[Callable[[], None]] = None) -> None:
    """Atomically replace the entries `replaced()` lists (absolute paths in `location`) by the
    staged files `moves` ((source, destination) absolute paths)."""
    location = os.path.abspath(location)
    with table_lock(location, exclusive=True):
        cleanup(location)
        if check is not None:
            check()
        rel = lambda p: os.path.relpath(os.path.abspath(p), location)  # noqa: E731
        removes = [rel(p) for p in replaced()]
        if before_commit is not None:
            before_commit()
        crash_point("commit_before_journal")
        journal = {"version": 1, "phase": "remove", "trash": f"{TRASH_PREFIX}{uuid.uuid4().hex}",
                   "remove": removes, "moves": [[rel(s), rel(d)] for s, d in moves]}
        _write_journal(location, journal)
        crash_point("commit_journal")
        _roll_forward(location, journal)


# ---------------------------------------------------------------------------- table folders
def _bookkeeping(name: str) -> bool:
    return name.startswith(("_ember_", STAGING_PREFIX, TRASH_PREFIX))


def data_entries(location: str) -> List[str]:
    """The top-level entries of a table folder that are not this module's bookkeeping."""
    try:
        return [os.path.join(location, n) for n in sorted(os.listdir(location))
                if not _bookkeeping(n)]
    except (FileNotFoundError, NotADirectoryError):
        return []


def has_data(location: str, ignore_uncommitted: bool = True) -> bool:
    """Whether the folder holds anything a table would own (LOCATION_ALREADY_EXISTS). A folder
    marked uncommitted counts as empty: it is wiped under the lock before reuse."""
    if ignore_uncommitted and os.path.exists(os.path.join(location, MARKER)):
        return False
    return bool(data_entries(location))


def is_marked(location: str) -> bool:
    return os.path.exists(os.path.join(location, MARKER))


def mark_uncommitted(location: str) -> None:
    path = os.path.join(location, MARKER)
    with open(path, "w") as f:
        f.flush()
        os.fsync(f.fileno())
    _fsync_dir(location)


def unmark(location: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.remove(os.path.join(location, MARKER))


def discard_uncommitted(location: str) -> bool:
    """Wipe a folder marked uncommitted (caller holds the lock exclusive and has checked that no
    metastore entry names it). True when it did."""
    if not is_marked(location):
        return False
    cleanup(location)
    for p in data_entries(location):
        shutil.rmtree(p) if os.path.isdir(p) and not os.path.islink(p) else os.remove(p)
    unmark(location)
    return True


def clear_data(location: str, entries: Optional[Callable[[], Iterable[str]]] = None,
               check: Optional[Callable[[], None]] = None) -> None:
    """Atomically remove the given entries (default: all the data) of a table folder."""
    if not os.path.isdir(location):
        return
    commit_files(location, [], entries or (lambda: data_entries(location)), check)


def remove_folder(location: str) -> None:
    """Remove a table folder: its data atomically, then the folder itself."""
    location = os.path.abspath(location)
    if not os.path.isdir(location):
        return
    with table_lock(location, exclusive=True, create=False) as locked:
        if locked:
            clear_data(location)
        for _ in range(3):      # a scan may re-create the lock file while the folder goes
            shutil.rmtree(location, ignore_errors=True)
            if not os.path.exists(location):
                break
