"""The session's cache of query results (Spark's CacheManager and InMemoryRelation).

`CACHE TABLE t`, `df.cache()` and `spark.catalog.cacheTable` register the *analysed* plan of
a query. Every later query is checked, before optimisation, for fragments that give the same
result as a registered plan (Spark's `sameResult`: the same tree once attribute ids, aliases'
names and `SubqueryAlias`/`View` wrappers are set aside); such a fragment is replaced by an
`InMemoryRelation`, which reads Arrow batches kept in memory. The batches are computed the
first time a query needs them (at once for a non-LAZY `CACHE TABLE`, as Spark does).

A write to a table drops the batches of every entry that reads it, and the next use computes
them again (Spark's lazy re-caching after INSERT, TRUNCATE, REFRESH TABLE); dropping a table
or view removes the entries that read it.
"""
from __future__ import annotations

import re
import threading
from typing import List, Optional

import pyarrow as pa

from ember.errors import IllegalArgumentException
from ember.optimizer.plans import logical as L


def storage_level(level):
    """A StorageLevel from a name Spark's StorageLevel.fromString accepts (any case), a
    StorageLevel, or None (Spark's default for caching tables: MEMORY_AND_DISK)."""
    from ember.storagelevel import SCALA_LEVELS, StorageLevel
    if level is None:
        return SCALA_LEVELS["MEMORY_AND_DISK"]
    if isinstance(level, StorageLevel):
        return level
    found = SCALA_LEVELS.get(str(level).upper())
    if found is None:
        # Spark raises a plain IllegalArgumentException (no error condition)
        raise IllegalArgumentException("INVALID_STORAGE_LEVEL", f"Invalid StorageLevel: {level}")
    return found


# ---------------------------------------------------------------------------- plan identity
def plan_key(plan: L.LogicalPlan):
    """A value equal for two analysed plans that give the same result: attribute ids are
    renumbered in order of appearance, SubqueryAlias/View wrappers and alias names vanish,
    and leaves carry what they read (files, in-memory rows)."""
    ids = {}

    def renumber(text: str) -> str:
        return _ID.sub(lambda m: "#" + str(ids.setdefault(m.group(1), len(ids))), text)

    def visit(p):
        while isinstance(p, (L.SubqueryAlias, L.View)):
            p = p.child
        if isinstance(p, InMemoryRelation):
            p = p.entry.plan
            return ("cached", visit(p))
        parts = [type(p).__name__, renumber(_ALIAS.sub(" AS #", p.describe()))]
        if isinstance(p, L.LogicalRelation):
            parts.append(source_identity(p.source))
        elif isinstance(p, L.LocalRelation):
            parts.append(_rows_identity(p.data))
        for sub in p.subqueries():
            parts.append(visit(sub))
        return (tuple(parts), tuple(visit(c) for c in p.children))
    return visit(plan)


def _rows_identity(data):
    """In-memory rows compare by value when small (a VALUES list analysed twice is the same
    relation), by object otherwise."""
    if data is None:
        return None
    if data.num_rows <= 1_000:
        return (str(data.schema), repr(data.to_pydict()))
    return id(data)


_ID = re.compile(r"#(\d+)")
_ALIAS = re.compile(r" AS [^#\s,\]\)]+#")     # `x AS name#3`: the name is cosmetic


def source_identity(source) -> tuple:
    return (type(source).__name__, getattr(source, "format", None),
            tuple(str(x) for x in getattr(source, "paths", ()) or ()),
            tuple(sorted((str(k), str(v)) for k, v in
                         (getattr(source, "options", None) or {}).items())))


def _reads(plan: L.LogicalPlan, test) -> bool:
    """Whether any node of the plan (subqueries and cached plans included) passes `test`."""
    stack = [plan]
    while stack:
        p = stack.pop()
        if test(p):
            return True
        if isinstance(p, InMemoryRelation):
            stack.append(p.entry.plan)
        stack.extend(p.children)
        stack.extend(p.subqueries())
    return False


# ---------------------------------------------------------------------------- entries
class CachedData:
    """One cached query: its analysed plan and, once computed, its rows."""

    def __init__(self, session, plan: L.LogicalPlan, table_name: Optional[str],
                 level):
        self.session = session
        self.plan = plan
        self.key = plan_key(plan)
        self.table_name = table_name
        self.storage_level = level
        self._data: Optional[pa.Table] = None
        self._physical = None
        self._lock = threading.Lock()

    @property
    def is_materialized(self) -> bool:
        return self._data is not None

    def physical(self, session=None):
        """The physical plan that computes the rows (what EXPLAIN shows under the relation)."""
        session = session or self.session
        if self._physical is None:
            from ember.engine.query_execution import QueryExecution
            qe = QueryExecution(session, self.plan, analyzed=self.plan)
            qe._cache_exclude = self
            self._physical = qe.physical
        return self._physical

    def data(self, session=None) -> pa.Table:
        session = session or self.session
        with self._lock:
            if self._data is None:
                from ember.conf import use_conf
                from ember.engine.operators.base import ExecContext
                from ember.engine.evaluator import EvalContext
                conf = session._conf
                with use_conf(conf):
                    ctx = ExecContext(conf, EvalContext(conf),
                                      int(conf.get("spark.ember.execution.batchSize", "65536")))
                    table = self.physical(session).collect_table(ctx)
                names = [a.name for a in self.plan.output]
                self._data = pa.Table.from_arrays(
                    [table.column(i) for i in range(table.num_columns)], names=names) \
                    if names else table
            return self._data

    def clear(self) -> None:
        """Forget the rows (and the plan computing them): the next use recomputes them, from
        a fresh listing of the files (Spark's refreshFileIndexIfNecessary)."""
        with self._lock:
            self._data = None
            self._physical = None
            _refresh_file_listings(self.plan)

    def storage_level_text(self) -> str:
        return self.storage_level.spark_string()


def _refresh_file_listings(plan) -> None:
    def test(p):
        if isinstance(p, L.LogicalRelation):
            refresh = getattr(p.source, "refresh", None)
            if callable(refresh):
                refresh()
            elif hasattr(p.source, "_dataset"):     # FileSource keeps its file list
                p.source._dataset = None
        return False
    _reads(plan, test)


class InMemoryRelation(L.LeafNode):
    """A fragment of a query answered from a cache entry. `output` is the fragment's own
    attributes (possibly narrowed by column pruning); `full_output` all the cached columns."""

    def __init__(self, entry: CachedData, full_output, output=None):
        self.entry = entry
        self.full_output = list(full_output)
        self.attributes = list(output) if output is not None else list(full_output)

    @property
    def output(self):
        return self.attributes

    def prune_output(self, required: set) -> "InMemoryRelation":
        keep = [a for a in self.attributes if a.expr_id in required] or self.attributes[:1]
        if len(keep) == len(self.attributes):
            return self
        return InMemoryRelation(self.entry, self.full_output, keep)

    def describe(self):
        return (f"InMemoryRelation [{', '.join(str(a) for a in self.full_output)}], "
                f"{self.entry.storage_level_text()}")

    def inner_children(self):
        return [self.entry.physical()]

    def _tree_lines(self, lines, last_flags) -> None:
        _tree_lines_with_inner(self, lines, last_flags)


def _tree_lines_with_inner(node, lines, last_flags) -> None:
    """Spark's generateTreeString: inner children two levels deeper than the node."""
    prefix = ""
    if last_flags:
        prefix = "".join("   " if last else ":  " for last in last_flags[:-1])
        prefix += "+- " if last_flags[-1] else ":- "
    lines.append(prefix + node.simple_string())
    inner = node.inner_children()
    kids = list(node.children)
    for i, c in enumerate(inner):
        c._tree_lines(lines, last_flags + [not kids, i == len(inner) - 1])
    for i, c in enumerate(kids):
        c._tree_lines(lines, last_flags + [i == len(kids) - 1])


# ---------------------------------------------------------------------------- the manager
class CacheManager:
    def __init__(self):
        self.entries: List[CachedData] = []
        self._lock = threading.RLock()

    def is_empty(self) -> bool:
        return not self.entries

    def lookup(self, plan: L.LogicalPlan) -> Optional[CachedData]:
        key = plan_key(plan)
        with self._lock:
            return next((e for e in self.entries if e.key == key), None)

    def cache_query(self, session, plan: L.LogicalPlan, table_name: Optional[str] = None,
                    level=None) -> CachedData:
        """Register a plan (once: caching the same result twice keeps the first entry)."""
        existing = self.lookup(plan)
        if existing is not None:
            return existing
        entry = CachedData(session, plan, table_name, storage_level(level))
        with self._lock:
            self.entries.append(entry)
        return entry

    def uncache_query(self, plan: L.LogicalPlan, cascade: bool = True) -> bool:
        """Drop the entry of `plan` and, with `cascade`, every entry whose plan uses it."""
        target = self.lookup(plan)
        if target is None:
            return False
        with self._lock:
            dependents = [e for e in self.entries if e is not target and _uses_entry(e, target)]
            gone = {id(target)} | ({id(e) for e in dependents} if cascade else set())
            self.entries = [e for e in self.entries if id(e) not in gone]
        if not cascade:
            # kept dependents whose rows are not computed yet plan again without `target`
            for e in dependents:
                if not e.is_materialized:
                    e.clear()
        return True

    def clear(self) -> None:
        with self._lock:
            self.entries = []

    # ---------------------------------------------------------------- invalidation
    def recache_tables(self, locations=(), idents=()) -> None:
        """Data of these tables changed: entries that read them recompute on next use."""
        for e in self._entries_reading(locations, idents):
            e.clear()

    def uncache_tables(self, locations=(), idents=()) -> None:
        """These tables are gone: entries reading them are removed."""
        gone = set(map(id, self._entries_reading(locations, idents)))
        with self._lock:
            self.entries = [e for e in self.entries if id(e) not in gone]

    def uncache_views(self, names, cascade: bool = True) -> None:
        """Views dropped or replaced: the entries caching them go, and with `cascade` every
        entry whose plan goes through them (Spark does not cascade for temporary views)."""
        wanted = {n.lower() for n in names}

        def test(p):
            return isinstance(p, L.View) and p.name.replace("`", "").lower() in wanted

        def is_view(plan):
            while isinstance(plan, L.SubqueryAlias):
                plan = plan.child
            return test(plan)
        with self._lock:
            self.entries = [e for e in self.entries
                            if not (is_view(e.plan) or cascade and _reads(e.plan, test))]

    def _entries_reading(self, locations, idents) -> List[CachedData]:
        import os
        locs = {os.path.abspath(str(x)) for x in locations if x}
        ids = {tuple(x.lower() for x in i) for i in idents}

        def test(p):
            if not isinstance(p, L.LogicalRelation):
                return False
            if p.table_ident and tuple(x.lower() for x in p.table_ident) in ids:
                return True
            return any(os.path.abspath(str(x)) in locs
                       for x in getattr(p.source, "paths", ()) or ())
        with self._lock:
            return [e for e in self.entries if _reads(e.plan, test)]

    # ---------------------------------------------------------------- substitution
    def use_cached_data(self, plan: L.LogicalPlan, exclude: Optional[CachedData] = None):
        """Replace the fragments of an analysed plan that a cache entry answers (Spark's
        CacheManager.useCachedData), top-down so the largest fragment wins."""
        with self._lock:
            entries = [e for e in self.entries if e is not exclude]
        if not entries:
            return plan
        by_key = {}
        for e in entries:
            by_key.setdefault(e.key, e)

        def substitute(p):
            from ember.optimizer.plans.commands import Command
            if isinstance(p, Command):
                return p
            entry = by_key.get(plan_key(p))
            if entry is not None:
                return InMemoryRelation(entry, _strip(p.output))
            new = p
            kids = [substitute(c) for c in p.children]
            if any(a is not b for a, b in zip(kids, p.children)):
                new = p.with_new_children(kids)
            if p.subqueries():
                new = new.transform_expressions(_subquery_rule(substitute))
            return new
        return substitute(plan)


def _subquery_rule(substitute):
    from ember.optimizer.expressions.subquery import SubqueryExpression

    def rule(e):
        if isinstance(e, SubqueryExpression):
            new = substitute(e.plan)
            if new is not e.plan:
                return e.copy_with(plan=new)
        return None
    return rule


def _strip(attrs):
    return [a.with_qualifier(()) if hasattr(a, "with_qualifier") else a for a in attrs]


def _uses_entry(entry: CachedData, target: CachedData) -> bool:
    """Whether `entry`'s plan contains `target`'s plan as a fragment."""
    def test(p):
        return plan_key(p) == target.key
    return _reads(entry.plan, test)


def cache_manager(session) -> CacheManager:
    """The session's cache manager, created on first use."""
    cm = getattr(session, "_cache_manager", None)
    if cm is None:
        cm = CacheManager()
        session._cache_manager = cm
    return cm


def use_cached_data(session, plan, exclude=None):
    cm = getattr(session, "_cache_manager", None)
    if cm is None or cm.is_empty():
        return plan
    return cm.use_cached_data(plan, exclude)
