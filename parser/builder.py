"""From the Lark parse to Ember's unresolved logical plans (Spark's AstBuilder).

The builder runs inline with the LALR parser (no parse tree is kept). Each method receives the
already-built children of one grammar rule.
"""
from __future__ import annotations

import decimal
import re
from typing import List, Optional

from lark import Token, Transformer

from ember import types as T
from ember.conf import active_conf
from ember.errors import ParseException
from ember._values import parse_date, parse_timestamp
from ember.optimizer.expressions import (
    Add, Alias, And, Cast, CaseWhen, Divide, EqualNullSafe, EqualTo, GreaterThan,
    GreaterThanOrEqual, In, IntegralDivide, IsNotNull, IsNull, LessThan, LessThanOrEqual,
    Literal, Multiply, Not, Or, Remainder, SortOrder, Subtract, UnaryMinus, UnaryPositive,
    UnresolvedAlias, UnresolvedAttribute, UnresolvedExtractValue, UnresolvedFunction,
    UnresolvedOrdinal, UnresolvedStar)
from ember.optimizer.expressions.ordering import ASCENDING, DESCENDING, NULLS_FIRST, NULLS_LAST
from ember.optimizer.expressions.subquery import Exists, InSubquery, ListQuery, ScalarSubquery
from ember.optimizer.expressions.special import (LambdaPlaceholder, Like, NamedArgument,
                                                 TimeLiteral, UnresolvedWindowExpression,
                                                 WindowSpec)
from ember.optimizer.plans import logical as L
from ember.optimizer.plans import commands as C
from ember.parser import checks
from ember.parser import literals as lit
from ember.parser.build_statements import Clause, StatementBuilder, operation_not_allowed


def _lateral_view_plan(c, child):
    """`LATERAL VIEW [OUTER] f(args) alias [AS c1, ...]` over `child`."""
    from ember.optimizer.plans.generate import UnresolvedGenerate
    outer = any(isinstance(x, Token) and x.type == "OUTER" for x in c)
    name = next(x for x in c if isinstance(x, list))
    rest = [x for x in c if not isinstance(x, (Token, list))]
    args = [x for x in rest if not isinstance(x, Name)]
    names = [str(x) for x in rest if isinstance(x, Name)]
    return UnresolvedGenerate(name, args, outer, names[0] if names else None, names[1:], child)


class Name(str):
    """An identifier with the position where it was written (for error messages)."""
    line: int = 1
    pos: int = 0
    quoted: bool = False


def _name(token: Token) -> Name:
    if token.type == "BACKQUOTED_IDENTIFIER":
        n = Name(token.value[1:-1].replace("``", "`"))
        n.quoted = True
    else:
        n = Name(token.value)
    n.line, n.pos = token.line, token.column - 1
    return n


def _tokens(children, *types):
    return [c for c in children if isinstance(c, Token) and (not types or c.type in types)]


def _has(children, *types) -> bool:
    return any(isinstance(c, Token) and c.type in types for c in children)


def _of(children, cls):
    return [c for c in children if isinstance(c, cls)]


def _first(children, cls, default=None):
    for c in children:
        if isinstance(c, cls):
            return c
    return default


class _NumberLiteral(Literal):
    """A literal written as a bare number: a leading minus folds into it (`-1` is the int
    literal -1, as Spark's grammar has `MINUS? INTEGER_VALUE`)."""


class AstBuilder(StatementBuilder, Transformer):
    def __init__(self, text: str):
        super().__init__(visit_tokens=False)
        self.text = text
        # suffixed literals out of range unless a unary minus turns out to precede them
        # (`-128Y`): (literal, error); what is left after the parse is raised
        self.pending_range_errors = []

    def _ranged(self, v: int, dt: T.IntegralType, text: str, type_name: str) -> Literal:
        literal = _NumberLiteral(v, dt)
        if not dt.min_value <= v <= dt.max_value:
            self.pending_range_errors.append((literal, ParseException(
                "INVALID_NUMERIC_LITERAL_RANGE", rawStrippedQualifier=text[:-1],
                minValue=str(dt.min_value), maxValue=str(dt.max_value), typeName=type_name)))
        return literal

    # ======================================================================== statements
    def start(self, c):
        return c[0]

    def single_expression(self, c):
        return c[0]

    def single_data_type(self, c):
        return c[0]

    def explain(self, c):
        mode = "simple"
        modes = [x for x in c if isinstance(x, str) and x in ("extended", "codegen", "cost",
                                                               "formatted", "logical")]
        if modes:
            mode = modes[0]
        if mode == "logical":
            raise ParseException("INVALID_STATEMENT_OR_CLAUSE", operation="EXPLAIN LOGICAL")
        return C.ExplainCommand(c[-1], mode)

    def explain_mode(self, c):
        return c[0].value.lower()

    def create_view(self, c):
        name = _first(c, list)
        replace = any(isinstance(x, Clause) and x.kind == "or_replace" for x in c)
        scope = _first([x for x in c if isinstance(x, Clause) and x.kind == "scope"], Clause)
        if_not_exists = any(isinstance(x, Clause) and x.kind == "if_not_exists" for x in c)
        query = c[-1]
        cols = _first([x for x in c if isinstance(x, Clause) and x.kind == "columns"], Clause)
        comment = None
        props = {}
        seen = set()
        for x in c:
            if not isinstance(x, Clause) or x.kind not in ("comment", "properties",
                                                            "partitioned_on", "schema_binding"):
                continue
            if x.kind in seen:
                raise ParseException("DUPLICATE_CLAUSES", clauseName={
                    "comment": "COMMENT", "properties": "TBLPROPERTIES",
                    "partitioned_on": "PARTITIONED ON", "schema_binding": "WITH SCHEMA"}[x.kind])
            seen.add(x.kind)
            if x.kind == "comment":
                comment = x.payload[0]
            elif x.kind == "properties":
                props.update(x.payload[0])
            elif x.kind == "partitioned_on":
                raise operation_not_allowed("CREATE VIEW ... PARTITIONED ON")
        as_tokens = _tokens(c, "AS")
        start = as_tokens[-1].end_pos if as_tokens else 0
        sql_text = self.text[start:].strip().rstrip(";").strip()
        return C.CreateViewCommand(
            name, query, sql_text,
            column_names=[n for n, _ in cols.payload[0]] if cols else None,
            column_comments=[cm for _, cm in cols.payload[0]] if cols else None,
            comment=comment, replace=replace,
            temporary=scope is not None, global_temp=bool(scope and scope.payload[0]),
            if_not_exists=if_not_exists, properties=props)

    def or_replace(self, c):
        return Clause("or_replace")

    def view_scope(self, c):
        return Clause("scope", _has(c, "GLOBAL"))

    def if_not_exists(self, c):
        return Clause("if_not_exists")

    def if_exists(self, c):
        return Clause("if_exists")

    def view_comment(self, c):
        return Clause("comment", c[-1])

    def view_properties(self, c):
        return Clause("properties", c[-1])

    def view_partitioned_on(self, c):
        return Clause("partitioned_on", c[-1])

    def view_schema_binding(self, c):
        return Clause("schema_binding", c[-1])

    def ident_comment_list(self, c):
        return Clause("columns", c)

    def ident_comment(self, c):
        comment = c[2] if len(c) > 2 else None
        return (c[0], comment)

    def drop_view(self, c):
        return C.DropViewCommand(_first(c, list), if_exists=_has_clause(c, "if_exists"))

    def property_list(self, c):
        return dict(c)

    def property(self, c):
        c = [x for x in c if not (isinstance(x, Token) and x.type == "EQ")]
        return (c[0], c[1] if len(c) > 1 else None)

    def expression_property_list(self, c):
        return dict(c)

    def expression_property(self, c):
        c = [x for x in c if not (isinstance(x, Token) and x.type == "EQ")]
        if len(c) == 1:
            return (c[0], None)
        value = c[1]
        if isinstance(value, Literal):   # OPTIONS take constants; keep their text as Spark does
            value = None if value.value is None else (
                str(value.value).lower() if isinstance(value.value, bool) else str(value.value))
        return (c[0], value)

    def property_key(self, c):
        if len(c) == 1 and isinstance(c[0], str):
            return str(c[0])
        return ".".join(str(x) for x in c)

    def property_value(self, c):
        t = c[0]
        if isinstance(t, Token):
            return t.value
        return t

    # ======================================================================== queries
    def query(self, c):
        ctes = _first(c, Clause)
        term = [x for x in c if isinstance(x, L.LogicalPlan)][0]
        org = c[-1]
        plan = self._apply_organization(term, org)
        if ctes is not None and ctes.kind == "ctes":
            plan = L.With(ctes.payload[0], plan, recursive=ctes.payload[1])
        return plan

    def ctes(self, c):
        queries = [x for x in c if isinstance(x, tuple)]
        seen = {}
        for name, _, _ in queries:
            key = str(name).lower()
            if key in seen:
                raise ParseException("DUPLICATED_CTE_NAMES", duplicateNames=f"`{name}`")
            seen[key] = name
        return Clause("ctes", queries, _has(c, "RECURSIVE"))

    def named_query(self, c):
        name = c[0]
        cols = _first(c[1:], list)
        return (name, cols, c[-1])

    def paren_query(self, c):
        return c[0]

    def values_query(self, c):
        return c[0]

    def table_query(self, c):
        return L.UnresolvedRelation(c[-1], origin=_origin(c[-1]))

    def set_operation(self, c):
        left, right = c[0], c[-1]
        op = c[1].type
        quant = _first(c, Clause)
        is_all = quant is not None and quant.payload[0] == "ALL"
        return _set_operation(op, left, right, is_all)

    def setop_quantifier(self, c):
        return self.set_quantifier(c)

    def set_quantifier(self, c):
        return Clause("quantifier", c[0].type)

    def query_organization(self, c):
        return list(c)

    # Spark's order of the clauses after a query (QUALIFY / WINDOW of the SELECT come first)
    _ORG_RANK = {"qualify": 0, "window": 0, "order_by": 1, "cluster_by": 2, "distribute_by": 3,
                 "sort_by": 4, "limit": 6, "offset": 7}

    def _apply_organization(self, plan, org):
        seen = {}
        rank = 0
        for cl in org:
            r = self._ORG_RANK[cl.kind]
            if cl.kind == "window" and rank > 0:
                r = 5
            if r < rank or cl.kind in seen and not (cl.kind == "window" and r == 5):
                raise ParseException("PARSE_SYNTAX_ERROR", error=f"'{_CLAUSE_WORD[cl.kind]}'",
                                     hint="")
            rank = r
            seen[cl.kind] = cl.payload
        order, sort = "order_by" in seen, "sort_by" in seen
        distribute, cluster = "distribute_by" in seen, "cluster_by" in seen
        if (order and (sort or distribute or cluster)) or (cluster and (sort or distribute)):
            raise ParseException("UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES")
        if "qualify" in seen:
            from ember.optimizer.plans.window import Qualify
            plan = Qualify(seen["qualify"][0], plan)
        if "window" in seen:
            from ember.optimizer.analyzer.window_specs import substitute_named_windows
            plan = substitute_named_windows(
                plan, [x for x in seen["window"][0] if isinstance(x, tuple)])
        if order:
            plan = L.Sort(seen["order_by"][0], True, plan)
        if cluster:
            exprs = seen["cluster_by"][0]
            plan = L.Sort([SortOrder(e) for e in exprs], False,
                          L.RepartitionByExpression(exprs, plan))
        if distribute:
            plan = L.RepartitionByExpression(seen["distribute_by"][0], plan)
        if sort:
            plan = L.Sort(seen["sort_by"][0], False, plan)
        if "offset" in seen:
            plan = L.Offset(seen["offset"][0], plan)
        if "limit" in seen and seen["limit"][0] is not None:
            limit = seen["limit"][0]
            plan = L.GlobalLimit(limit, L.LocalLimit(limit, plan))
        return plan

    def qualify_clause(self, c):
        return Clause("qualify", c[-1])

    def order_by(self, c):
        return Clause("order_by", _of(c, SortOrder))

    def sort_by(self, c):
        return Clause("sort_by", _of(c, SortOrder))

    def cluster_by(self, c):
        return Clause("cluster_by", [x for x in c if not isinstance(x, Token)])

    def distribute_by(self, c):
        return Clause("distribute_by", [x for x in c if not isinstance(x, Token)])

    def limit_clause(self, c):
        expr = c[-1]
        if isinstance(expr, Token):      # LIMIT ALL
            return Clause("limit", None)
        return Clause("limit", expr)

    def offset_clause(self, c):
        return Clause("offset", c[-1])

    def sort_item(self, c):
        expr = c[0]
        direction = DESCENDING if _has(c, "DESC") else ASCENDING
        nulls = None
        if _has(c, "FIRST"):
            nulls = NULLS_FIRST
        elif _has(c, "LAST"):
            nulls = NULLS_LAST
        return SortOrder(_ordinal(expr), direction, nulls)

    # ---------------------------------------------------------------- SELECT
    def query_specification(self, c):
        select = c[0]
        rest = c[1:]
        return self._build_select(select, rest)

    def from_only(self, c):
        """`FROM t` alone selects every column."""
        return self._build_select(Clause("select", [], False, [UnresolvedStar()]), [c[0]])

    def from_statement(self, c):
        from_clause = c[0]
        bodies = c[1:]
        plans = []
        for body in bodies:
            if body.kind == "transform_body":
                return L.Unsupported("SELECT TRANSFORM")
            select, rest, org = body.payload
            plans.append(self._apply_organization(
                self._build_select(select, [from_clause] + list(rest)), org))
        plan = plans[0]
        for p in plans[1:]:
            plan = L.Union([plan, p])
        return plan

    def from_statement_body(self, c):
        return Clause("body", c[0], c[1:-1], c[-1])

    def transform_query(self, c):
        return L.Unsupported("SELECT TRANSFORM")

    def transform_body(self, c):
        return Clause("transform_body")

    def _build_select(self, select: Clause, rest):
        clauses = {}
        laterals = []
        for x in rest:
            if isinstance(x, Clause):
                if x.kind == "lateral_view":
                    laterals.append(x)
                else:
                    clauses[x.kind] = x.payload
        plan = clauses["from"][0] if "from" in clauses else L.OneRowRelation()
        if "from" in clauses and clauses["from"][1]:
            plan = L.Unsupported("LATERAL VIEW")
        for lv in laterals:
            plan = _lateral_view_plan(lv.payload[0], plan)
        if "where" in clauses:
            plan = L.Filter(clauses["where"][0], plan)
        hints, distinct, items = select.payload
        if "group_by" in clauses:
            groupings, kind = clauses["group_by"]
            if kind != "simple":
                plan = L.Unsupported(f"GROUP BY {kind}")
            else:
                plan = L.Aggregate(groupings, items, plan)
        else:
            plan = L.Project(items, plan)
        if "having" in clauses:
            cond = clauses["having"][0]
            if isinstance(plan, L.Project):
                plan = L.Aggregate([], plan.project_list, plan.child)
            plan = L.UnresolvedHaving(cond, plan)
        if "window" in clauses:
            plan = L.Unsupported("WINDOW clause")
        if distinct:
            plan = L.Distinct(plan)
        for name, params in reversed(hints):
            plan = L.UnresolvedHint(name, params, plan)
        return plan

    def select_clause(self, c):
        hints = []
        for h in _of(c, Clause):
            if h.kind == "hints":
                hints.extend(h.payload[0])
        quant = [h for h in _of(c, Clause) if h.kind == "quantifier"]
        distinct = bool(quant) and quant[0].payload[0] == "DISTINCT"
        items = c[-1]
        return Clause("select", hints, distinct, items)

    def hint(self, c):
        return Clause("hints", [x for x in c if isinstance(x, tuple)])

    def hint_statement(self, c):
        return (str(c[0]).upper(), list(c[1:]))

    def where_clause(self, c):
        return Clause("where", c[-1])

    def having_clause(self, c):
        return Clause("having", c[-1])

    def window_clause(self, c):
        return Clause("window", c)

    def named_window(self, c):
        return (c[0], c[-1])

    def aggregation_clause(self, c):
        from ember.optimizer.expressions.grouping import GroupingAnalytics
        items = [x for x in c if not isinstance(x, Token)]
        suffix = [x for x in items if isinstance(x, Clause)]
        exprs = [_ordinal(x) if not isinstance(x, GroupingAnalytics) else x
                 for x in items if not isinstance(x, Clause)]
        if suffix:
            # GROUP BY a, b WITH ROLLUP | WITH CUBE | GROUPING SETS (...)
            s = suffix[0]
            if s.kind == "grouping_sets":
                exprs = [GroupingAnalytics("grouping_sets", _grouping_sets(s.payload))]
            else:
                exprs = [GroupingAnalytics(s.kind, [[e] for e in exprs])]
        return Clause("group_by", exprs, "simple")

    def with_rollup(self, c):
        return Clause("rollup")

    def with_cube(self, c):
        return Clause("cube")

    def trailing_grouping_sets(self, c):
        return Clause("grouping_sets", *[x for x in c if not isinstance(x, Token)])

    def rollup(self, c):
        from ember.optimizer.expressions.grouping import GroupingAnalytics
        return GroupingAnalytics("rollup", [_as_set(x) for x in c if not isinstance(x, Token)])

    def cube(self, c):
        from ember.optimizer.expressions.grouping import GroupingAnalytics
        return GroupingAnalytics("cube", [_as_set(x) for x in c if not isinstance(x, Token)])

    def grouping_sets(self, c):
        from ember.optimizer.expressions.grouping import GroupingAnalytics
        return GroupingAnalytics("grouping_sets",
                                 _grouping_sets([x for x in c if not isinstance(x, Token)]))

    def empty_grouping_set(self, c):
        return []

    def multi_grouping_set(self, c):
        return [_ordinal(x) for x in c if not isinstance(x, Token)]

    def single_grouping_set(self, c):
        return c[0]

    def lateral_view(self, c):
        return Clause("lateral_view", c)

    def from_clause(self, c):
        rels = [x for x in c if isinstance(x, L.LogicalPlan)]
        extras = [x for x in c if isinstance(x, Clause) and x.kind in (
            "lateral_view", "pivot", "unpivot")]
        checks.check_from_extras({x.kind for x in extras})
        plan = rels[0]
        for r in rels[1:]:
            plan = L.Join(plan, r, "Inner", None)
        for x in extras:
            if x.kind == "lateral_view":
                plan = _lateral_view_plan(x.payload[0], plan)
                continue
            plan = L.Unsupported({"pivot": "PIVOT", "unpivot": "UNPIVOT"}[x.kind])
        return Clause("from", plan, False)

    # ---------------------------------------------------------------- relations
    def relation(self, c):
        plan = [x for x in c if isinstance(x, L.LogicalPlan)][0]
        if _has(c, "LATERAL"):
            plan = _lateral(plan)
        for j in c:
            if not isinstance(j, Clause):
                continue
            if j.kind == "join":
                join_type, right, criteria, natural = j.payload
                plan = self._join(plan, right, join_type, criteria, natural)
            elif j.kind in ("pivot", "unpivot"):
                plan = L.Unsupported(j.kind.upper())
        return plan

    def _join(self, left, right, join_type, criteria, natural):
        if natural:
            return L.UnresolvedJoin(left, right, join_type, natural=True)
        if criteria is None:
            return L.Join(left, right, "Cross" if join_type == "Cross" else join_type, None)
        kind, value = criteria
        if kind == "using":
            return L.UnresolvedJoin(left, right, join_type, using=value)
        if kind == "nearest":
            return L.Unsupported("JOIN ... NEAREST BY")
        return L.Join(left, right, "Inner" if join_type == "Cross" else join_type, value)

    def join_relation(self, c):
        jt = _first(c, Clause).payload[0]
        right = [x for x in c if isinstance(x, L.LogicalPlan)][0]
        crit = _first([x for x in c if isinstance(x, Clause) and x.kind == "criteria"], Clause)
        if _has(c, "LATERAL"):
            right = _lateral(right)
        return Clause("join", jt, right, crit.payload if crit else None, False)

    def nearest_join(self, c):
        jt = _first(c, Clause).payload[0]
        nearest = [x for x in c if isinstance(x, Clause) and x.kind == "nearest_by_clause"][0]
        k = _tokens(nearest.payload, "INTEGER_VALUE")
        checks.check_nearest_join(jt, _has(c, "LATERAL"), k[0].value if k else None)
        right = [x for x in c if isinstance(x, L.LogicalPlan)][0]
        return Clause("join", jt, right, ("nearest", None), False)

    def natural_join(self, c):
        jt = _first(c, Clause).payload[0]
        if jt == "Cross":
            raise ParseException("INCOMPATIBLE_JOIN_TYPES", joinType1="NATURAL",
                                 joinType2="CROSS")
        right = [x for x in c if isinstance(x, L.LogicalPlan)][0]
        return Clause("join", jt, right, None, True)

    def jt_inner(self, c):
        return Clause("jt", "Inner")

    def jt_cross(self, c):
        return Clause("jt", "Cross")

    def jt_left(self, c):
        return Clause("jt", "LeftOuter")

    def jt_semi(self, c):
        return Clause("jt", "LeftSemi")

    def jt_right(self, c):
        return Clause("jt", "RightOuter")

    def jt_full(self, c):
        return Clause("jt", "FullOuter")

    def jt_anti(self, c):
        return Clause("jt", "LeftAnti")

    def join_on(self, c):
        return Clause("criteria", "on", c[-1])

    def join_using(self, c):
        return Clause("criteria", "using", c[-1])

    def pivot_clause(self, c):
        return Clause("pivot", c)

    def unpivot_clause(self, c):
        return Clause("unpivot", c)

    def _aliased(self, plan, alias: Optional[Clause]):
        if alias is None or alias.payload[0] is None:
            return plan
        name, cols = alias.payload
        if cols:
            plan = L.UnresolvedSubqueryColumnAliases(cols, plan)
        return L.SubqueryAlias(name, plan)

    _RELATION_FEATURES = {"time_travel_version": "time travel (VERSION AS OF)",
                          "time_travel_timestamp": "time travel (TIMESTAMP AS OF)",
                          "changes_clause": "CHANGES FROM", "sample": "TABLESAMPLE",
                          "watermark_clause": "WATERMARK"}

    def _relation_features(self, c, plan):
        """Clauses after a relation that Ember parses but does not run yet."""
        for x in c:
            if isinstance(x, Clause) and x.kind in self._RELATION_FEATURES:
                return L.Unsupported(self._RELATION_FEATURES[x.kind])
        return plan

    def table_name(self, c):
        parts = c[0]
        rel = L.UnresolvedRelation(parts, origin=_origin(parts))
        return self._aliased(self._relation_features(c, rel), c[-1])

    def aliased_query(self, c):
        alias = c[-1]
        plan = self._relation_features(c, c[0])
        if alias.payload[0] is None:
            return L.SubqueryAlias("__auto_generated_subquery_name", plan)
        return self._aliased(plan, alias)

    def aliased_relation(self, c):
        return self._aliased(self._relation_features(c, c[0]), c[-1])

    def table_ident_argument(self, c):
        raise ParseException(
            "INVALID_SQL_SYNTAX.INVALID_TABLE_FUNCTION_IDENTIFIER_ARGUMENT_MISSING_PARENTHESES",
            argumentName=".".join(f"`{p}`" for p in c[1]))

    def transform_rest(self, c):
        if any(isinstance(x, Clause) and x.kind == "row_format_serde" for x in c):
            raise ParseException("UNSUPPORTED_FEATURE.TRANSFORM_NON_HIVE")
        return Clause("transform_rest", *c)

    def time_travel_timestamp(self, c):
        checks.check_time_travel_timestamp(c[-1])
        return Clause("time_travel_timestamp", *c)

    def changes_point(self, c):
        if _has(c, "TIMESTAMP", "SYSTEM_TIME"):
            checks.check_changes_timestamp(
                [x for x in c if not isinstance(x, Token)][0])
        return Clause("changes_point", *c)

    def changes_clause(self, c):
        options = [x for x in c if isinstance(x, dict)]
        if options:
            checks.check_changes_options(options[0])
        return Clause("changes_clause", *c)

    def sample(self, c):
        method = _tokens(c, "SYSTEM", "BERNOULLI")
        spec = [x for x in c if isinstance(x, Clause) and x.kind.startswith("sample_")]
        if spec:
            checks.check_sample(method[0].type if method else None, spec[0],
                                _has(c, "REPEATABLE"))
        return Clause("sample", c)

    def inline_table(self, c):
        alias = c[-1]
        rows = []
        for e in c[1:-1]:
            if isinstance(e, UnresolvedFunction) and e.name_parts == ("struct",) and getattr(
                    e, "_row", False):
                rows.append(list(e.children))
            else:
                rows.append([e])
        width = len(rows[0]) if rows else 0
        names = [f"col{i + 1}" for i in range(width)]
        table = L.UnresolvedInlineTable(names, rows)
        if alias.payload[0] is None:
            return table
        name, cols = alias.payload
        if cols:
            table = L.UnresolvedSubqueryColumnAliases(cols, table)
        return L.SubqueryAlias(name, table)

    def function_table(self, c):
        name = c[0]
        args = [x for x in c[1:-1] if not isinstance(x, Clause)]
        if any(isinstance(x, Clause) and x.kind in ("table_argument", "table_query_argument",
                                                    "named_table_argument") for x in c):
            return self._aliased(L.Unsupported("table arguments to table-valued functions"),
                                 c[-1])
        tvf = L.UnresolvedTableValuedFunction(name, args)
        return self._aliased(self._relation_features(c, tvf), c[-1])

    # ---------------------------------------------------------------- pipe syntax
    def pipe(self, c):
        left, op = c[0], c[-1]
        return op(left)

    def pipe_select(self, c):
        select = c[0]
        if len(c) > 1:
            from ember.optimizer.analyzer.window_specs import substitute_named_windows
            defs = [x for x in c[1].payload[0] if isinstance(x, tuple)]
            return lambda left: substitute_named_windows(
                self._build_select(select, [Clause("from", left, False)]), defs)
        return lambda left: self._build_select(select, [Clause("from", left, False)])

    def pipe_extend(self, c):
        items = c[-1]
        return lambda left: L.Project([UnresolvedStar()] + list(items), left)

    def pipe_set(self, c):
        return lambda left: L.Unsupported("|> SET")

    def pipe_drop(self, c):
        cols = [[str(x)] for x in c if not isinstance(x, Token)]
        return lambda left: L.Project([UnresolvedStar(None, cols)], left)

    def pipe_as(self, c):
        name = c[-1]
        return lambda left: L.SubqueryAlias(name, left)

    def pipe_where(self, c):
        cond = c[0].payload[0]
        return lambda left: L.Filter(cond, left)

    def pipe_pivot(self, c):
        return lambda left: L.Unsupported("|> PIVOT")

    def pipe_unpivot(self, c):
        return lambda left: L.Unsupported("|> UNPIVOT")

    def pipe_sample(self, c):
        return lambda left: L.Unsupported("|> TABLESAMPLE")

    def pipe_join(self, c):
        join_type, right, criteria, natural = c[0].payload
        return lambda left: self._join(left, right, join_type, criteria, natural)

    def pipe_set_operation(self, c):
        op = c[0].type
        quant = _first(c, Clause)
        is_all = quant is not None and quant.payload[0] == "ALL"
        right = c[-1]
        return lambda left: _set_operation(op, left, right, is_all)

    def pipe_operation(self, c):         # the un-aliased `pipe_organization` alternative
        return c[0]

    def pipe_organization(self, c):
        return lambda left: self._apply_organization(left, list(c))

    def pipe_aggregate(self, c):
        items = next((x for x in c if isinstance(x, list)), [])
        group = _first(c, Clause)

        def make(left):
            if group is None:
                return L.Aggregate([], items, left)
            groupings, kind = group.payload
            from ember.optimizer.expressions.grouping import GroupingAnalytics
            if kind != "simple" or any(isinstance(g, GroupingAnalytics) for g in groupings):
                return L.Unsupported("|> AGGREGATE with GROUPING SETS, ROLLUP or CUBE")
            keys = [UnresolvedAlias(g) if not isinstance(g, UnresolvedOrdinal) else g
                    for g in groupings]
            return L.Aggregate(groupings, keys + list(items), left)
        return make

    def table_alias(self, c):
        if not c:
            return Clause("alias", None, None)
        names = [x for x in c if isinstance(x, Name)]
        cols = _first(c, list)
        return Clause("alias", names[0], cols)

    def ident_list(self, c):
        return list(c)

    # ======================================================================== expressions
    def named_expression_seq(self, c):
        return list(c)

    def unnamed_expression(self, c):
        e = c[0]
        if isinstance(e, UnresolvedStar):
            return e
        return UnresolvedAlias(e)

    def aliased_expression(self, c):
        return Alias(c[0], str(c[-1]))

    def multi_aliased_expression(self, c):
        from ember.optimizer.expressions.special import MultiAlias
        return MultiAlias(c[0], [str(n) for n in c[-1]])

    def logical_or(self, c):
        return Or(c[0], c[-1])

    def logical_and(self, c):
        return And(c[0], c[-1])

    def logical_not(self, c):
        return Not(c[-1])

    def exists(self, c):
        return Exists(c[-1])

    def exists_call(self, c):
        return UnresolvedFunction(("exists",), [x for x in c if not isinstance(x, Token)])

    def predicated(self, c):
        value, pred = c[0], c[1]
        return pred(value)

    def between(self, c):
        negate = _has(c, "NOT")
        lo, hi = [x for x in c if not isinstance(x, Token)]

        def make(v):
            e = UnresolvedFunction(("between",), [v, lo, hi])
            return Not(e) if negate else e
        return make

    def in_list(self, c):
        negate = _has(c, "NOT")
        values = [x for x in c if not isinstance(x, Token)]

        def make(v):
            e = In(v, values)
            return Not(e) if negate else e
        return make

    def in_query(self, c):
        negate = _has(c, "NOT")
        plan = c[-1]

        def make(v):
            values = list(v.children) if getattr(v, "_row", False) else [v]
            e = InSubquery(values, ListQuery(plan))
            return Not(e) if negate else e
        return make

    def rlike(self, c):
        negate = _has(c, "NOT")
        pattern = c[-1]

        def make(v):
            e = UnresolvedFunction(("rlike",), [v, pattern])
            return Not(e) if negate else e
        return make

    def like_op(self, c):
        return c[0].type

    def like(self, c):
        negate = _has(c, "NOT")
        op = [x for x in c if x in ("LIKE", "ILIKE")][0]
        rest = [x for x in c if not isinstance(x, Token) and x not in ("LIKE", "ILIKE")]
        pattern = rest[0]
        escape = rest[1] if len(rest) > 1 else None
        if escape is not None and len(escape) != 1:
            raise ParseException("INVALID_ESCAPE_CHAR", escapeChar="'" + escape + "'")

        def make(v):
            if op == "LIKE":
                e = Like(v, pattern, escape if escape is not None else "\\")
            else:
                args = [v, pattern] + ([Literal(escape, T.StringType())] if escape else [])
                e = UnresolvedFunction(("ilike",), args)
            return Not(e) if negate else e
        return make

    def like_quantified(self, c):
        negate = _has(c, "NOT")
        op = [x for x in c if x in ("LIKE", "ILIKE")][0]
        quant = _tokens(c, "ANY", "SOME", "ALL")[0].type
        patterns = [x for x in c if not isinstance(x, Token) and x not in ("LIKE", "ILIKE")]
        if not patterns:
            raise ParseException("INVALID_SQL_SYNTAX.EMPTY_QUANTIFIED_PATTERN")
        name = {"ANY": "any", "SOME": "any", "ALL": "all"}[quant]
        fn = ("not_" if negate else "") + ("i" if op == "ILIKE" else "") + "like_" + name

        def make(v):
            return UnresolvedFunction((fn,), [v] + patterns)
        return make

    def is_null(self, c):
        negate = _has(c, "NOT")
        return (lambda v: IsNotNull(v)) if negate else (lambda v: IsNull(v))

    def is_bool(self, c):
        negate = _has(c, "NOT")
        kind = _tokens(c, "TRUE", "FALSE", "UNKNOWN")[0].type

        def make(v):
            if kind == "UNKNOWN":
                return IsNotNull(v) if negate else IsNull(v)
            e = EqualNullSafe(v, Literal(kind == "TRUE", T.BooleanType()))
            return Not(e) if negate else e
        return make

    def is_distinct_from(self, c):
        negate = _has(c, "NOT")
        other = c[-1]

        def make(v):
            e = EqualNullSafe(v, other)
            return e if negate else Not(e)
        return make

    def comparison(self, c):
        left, op, right = c
        return {
            "EQ": EqualTo, "NSEQ": EqualNullSafe, "LT": LessThan, "LTE": LessThanOrEqual,
            "GT": GreaterThan, "GTE": GreaterThanOrEqual,
        }.get(op, lambda l, r: Not(EqualTo(l, r)))(left, right)

    def comparison_operator(self, c):
        return c[0].type

    def arithmetic_binary(self, c):
        left, op, right = c
        t = op.type
        if t == "PLUS":
            return Add(left, right)
        if t == "MINUS":
            return Subtract(left, right)
        if t == "ASTERISK":
            return Multiply(left, right)
        if t == "SLASH":
            return Divide(left, right)
        if t == "PERCENT":
            return Remainder(left, right)
        if t == "DIV":
            return IntegralDivide(left, right)
        if t == "CONCAT_PIPE":
            return UnresolvedFunction(("concat",), [left, right])
        names = {"AMPERSAND": "&", "PIPE": "|", "HAT": "^"}
        return UnresolvedFunction((names[t],), [left, right])

    def shift_binary(self, c):
        op = {"SHIFT_LEFT": "<<", "SHIFT_RIGHT": ">>", "SHIFT_RIGHT_UNSIGNED": ">>>"}[c[1].type]
        return UnresolvedFunction((op,), [c[0], c[2]])

    def arithmetic_unary(self, c):
        op, e = c
        if op.type == "MINUS":
            if type(e) is _NumberLiteral:
                self.pending_range_errors = [p for p in self.pending_range_errors
                                             if p[0] is not e]
                return _negate_literal(e)
            return UnaryMinus(e)
        if op.type == "PLUS":
            return UnaryPositive(e)
        return UnresolvedFunction(("~",), [e])

    # ---------------------------------------------------------------- primaries
    def column_reference(self, c):
        parts = c[0]
        attr = UnresolvedAttribute([str(p) for p in parts])
        attr.origin = _origin(parts)
        return attr

    def star(self, c):
        target = _first(c, list)
        exc = _first(c, Clause)
        return UnresolvedStar([str(p) for p in target] if target else None,
                              exc.payload[0] if exc else None)

    def except_clause(self, c):
        return Clause("except", [x for x in c if isinstance(x, list)])

    def paren_expression(self, c):
        e = c[0]
        if type(e) is _NumberLiteral:
            return Literal(e.value, e.data_type)
        return e

    def subquery_expression(self, c):
        return ScalarSubquery(c[0])

    def row_constructor(self, c):
        args = [_unalias(x) for x in c]
        e = UnresolvedFunction(("struct",), args)
        e._row = True
        return e

    def struct_constructor(self, c):
        args = [_unalias(x) for x in c if not isinstance(x, Token)]
        return UnresolvedFunction(("struct",), args)

    def subscript(self, c):
        return UnresolvedExtractValue(c[0], c[1])

    def dereference(self, c):
        base, field = c
        if isinstance(base, UnresolvedAttribute):
            attr = UnresolvedAttribute(list(base.name_parts) + [str(field)])
            attr.origin = base.origin
            return attr
        return UnresolvedExtractValue(base, Literal(str(field), T.StringType()))

    def searched_case(self, c):
        branches = [x for x in c if isinstance(x, tuple)]
        rest = [x for x in c if not isinstance(x, (tuple, Token))]
        return CaseWhen(branches, rest[0] if rest else None)

    def simple_case(self, c):
        items = [x for x in c if not isinstance(x, Token)]
        value = items[0]
        branches = [(EqualTo(value, x[0]), x[1]) for x in items[1:] if isinstance(x, tuple)]
        rest = [x for x in items[1:] if not isinstance(x, tuple)]
        return CaseWhen(branches, rest[0] if rest else None)

    def when_clause(self, c):
        return (c[1], c[3])

    def cast(self, c):
        mode = "TRY" if c[0].type == "TRY_CAST" else "ANSI"
        return Cast(c[1], c[-1], eval_mode=mode, user_specified=True)

    def cast_by_colon(self, c):
        return Cast(c[0], c[-1], user_specified=True)

    def first_last(self, c):
        name = c[0].value.lower()
        args = [x for x in c[1:] if not isinstance(x, (Token, Clause))]
        ignore = _has(c, "IGNORE")
        clauses = {x.kind: x.payload for x in c if isinstance(x, Clause)}
        if "null_treatment" in clauses:
            ignore = ignore or clauses["null_treatment"][0]
        f = UnresolvedFunction((name,), args, ignore_nulls=ignore,
                               filter=clauses.get("filter", (None,))[0])
        f.origin = (c[0].line, c[0].column - 1)
        if "over" in clauses:
            return UnresolvedWindowExpression(f, clauses["over"][0])
        return f

    def position(self, c):
        args = [x for x in c if not isinstance(x, Token)]
        return UnresolvedFunction(("locate",), args)      # Spark builds StringLocate

    def position_call(self, c):
        return UnresolvedFunction(("position",), [x for x in c if not isinstance(x, Token)])

    def extract(self, c):
        i = next(k for k, x in enumerate(c) if isinstance(x, Token) and x.type == "FROM")
        field, source = c[i - 1], c[-1]
        return UnresolvedFunction(("extract",), [Literal(str(field), T.StringType()), source])

    def substring(self, c):
        name = c[0].value.lower()
        if any(isinstance(x, Token) and x.type == "FROM" for x in c):
            name = "substring"      # the `FROM` syntax builds Substring, named substring
        args = [x for x in c[1:] if not isinstance(x, Token)]
        return UnresolvedFunction((name,), args)

    def trim(self, c):
        opt = _first(c, Clause)
        args = [x for x in c if not isinstance(x, (Token, Clause))]
        src = args[-1]
        trim_str = args[0] if len(args) == 2 else None
        mode = opt.payload[0] if opt else "BOTH"
        name = {"BOTH": "trim", "LEADING": "ltrim", "TRAILING": "rtrim"}[mode]
        f = UnresolvedFunction((name,), [src] + ([trim_str] if trim_str is not None else []))
        f.trim_syntax = trim_str is not None
        return f

    def trim_call(self, c):
        return UnresolvedFunction(("trim",), [x for x in c if not isinstance(x, Token)])

    def trim_option(self, c):
        return Clause("trim_option", c[0].type)

    def overlay(self, c):
        return UnresolvedFunction(("overlay",), [x for x in c if not isinstance(x, Token)])

    def overlay_call(self, c):
        return UnresolvedFunction(("overlay",), [x for x in c if not isinstance(x, Token)])

    def current_like(self, c):
        name = c[0].type.lower()
        return UnresolvedFunction((name,), [])

    def lambda_single(self, c):
        return LambdaPlaceholder([str(c[0])], c[-1])

    def lambda_multi(self, c):
        params = []
        for e in [x for x in c[:-1] if not isinstance(x, Token)]:
            inner = e.child if isinstance(e, UnresolvedAlias) else e
            if not isinstance(inner, UnresolvedAttribute) or len(inner.name_parts) != 1:
                raise ParseException("PARSE_SYNTAX_ERROR", error="'->'", hint="")
            params.append(inner.name_parts[0])
        return LambdaPlaceholder(params, c[-1])

    def datetime_call(self, c):
        name = c[0].value.lower()
        args = [x for x in c[1:] if not isinstance(x, Token)]
        units = {"YEAR", "QUARTER", "MONTH", "WEEK", "DAY", "DAYOFYEAR", "HOUR", "MINUTE",
                 "SECOND", "MILLISECOND", "MICROSECOND"}
        if len(args) == 3 and isinstance(args[0], UnresolvedAttribute) and len(
                args[0].name_parts) == 1 and args[0].name_parts[0].upper() in units:
            unit = args[0].name_parts[0].upper()
            fname = "timestampadd" if name in ("timestampadd", "dateadd", "date_add") \
                else "timestampdiff"
            f = UnresolvedFunction((fname,), [Literal(unit, T.StringType())] + args[1:])
            f.written_name = name
            return f
        return UnresolvedFunction((name,), args)

    # ---------------------------------------------------------------- function calls
    def function_call(self, c):
        name = c[0]
        args = []
        distinct = False
        clauses = {}
        for x in c[1:]:
            if isinstance(x, Clause):
                if x.kind == "quantifier":
                    distinct = x.payload[0] == "DISTINCT"
                else:
                    clauses[x.kind] = x.payload
            elif not isinstance(x, Token):
                args.append(x)
        f = UnresolvedFunction([str(p) for p in name], args, is_distinct=distinct,
                               filter=clauses.get("filter", (None,))[0],
                               ignore_nulls=clauses.get("null_treatment", (False,))[0],
                               order_by=clauses.get("within_group", ((),))[0])
        f.origin = _origin(name)
        if "over" in clauses:
            return UnresolvedWindowExpression(f, clauses["over"][0])
        return f

    def function_call_star(self, c):
        name = c[0]
        clauses = {x.kind: x.payload for x in c if isinstance(x, Clause)}
        f = UnresolvedFunction([str(p) for p in name], [UnresolvedStar()], is_star=True,
                               filter=clauses.get("filter", (None,))[0])
        f.origin = _origin(name)
        if "over" in clauses:
            return UnresolvedWindowExpression(f, clauses["over"][0])
        return f

    def function_name(self, c):
        return c[0]

    def function_argument(self, c):
        return c[0]

    def named_argument(self, c):
        return NamedArgument(str(c[0]), c[-1])

    def within_group(self, c):
        return Clause("within_group", _of(c, SortOrder))

    def filter_clause(self, c):
        return Clause("filter", c[-1])

    def null_treatment(self, c):
        return Clause("null_treatment", c[0].type == "IGNORE")

    def over_clause(self, c):
        return Clause("over", c[-1])

    def window_ref(self, c):
        return WindowSpec(name=str(c[0]))

    def window_def(self, c):
        spec = WindowSpec()
        for x in c:
            if isinstance(x, Clause):
                if x.kind == "partition":
                    spec.partition = x.payload[0]
                elif x.kind == "order":
                    spec.order = x.payload[0]
                elif x.kind == "frame":
                    spec.frame = x.payload
        return spec

    def window_partition(self, c):
        return Clause("partition", [x for x in c if not isinstance(x, Token)])

    def window_order(self, c):
        return Clause("order", _of(c, SortOrder))

    def window_frame(self, c):
        kind = c[0].type
        bounds = [x for x in c if isinstance(x, tuple)]
        if len(bounds) == 1:
            return Clause("frame", kind, bounds[0], ("CURRENT", None))
        return Clause("frame", kind, bounds[0], bounds[1])

    def frame_unbounded(self, c):
        return ("UNBOUNDED_" + c[1].type, None)

    def frame_current(self, c):
        return ("CURRENT", None)

    def frame_value(self, c):
        if not (c[0].resolved and c[0].foldable):
            raise ParseException("INVALID_SQL_SYNTAX.INVALID_WINDOW_FRAME_BOUND")
        return (c[1].type, c[0])

    # ---------------------------------------------------------------- constants
    def null_literal(self, c):
        return Literal(None, T.NullType())

    def boolean_literal(self, c):
        return Literal(c[0].type == "TRUE", T.BooleanType())

    def string_literal(self, c):
        return Literal(c[0], T.StringType())

    def string(self, c):
        return "".join(lit.unescape_sql_string(t.value) for t in c)

    def pos_parameter(self, c):
        raise ParseException("UNBOUND_SQL_PARAMETER", name="?")

    def named_parameter(self, c):
        raise ParseException("UNBOUND_SQL_PARAMETER", name=str(c[-1]))

    def typed_literal(self, c):
        kind = c[0].type
        value = c[1]
        conf = active_conf()
        if kind == "DATE":
            days = parse_date(value)
            if days is None:
                raise _invalid_typed("DATE", value, c[0])
            return Literal(days, T.DateType())
        if kind in ("TIMESTAMP", "TIMESTAMP_LTZ"):
            micros = parse_timestamp(value, conf.time_zone)
            if micros is None:
                raise _invalid_typed("TIMESTAMP", value, c[0])
            return Literal(micros, T.TimestampType())
        if kind == "TIME":
            if not _TIME_TEXT.fullmatch(value.strip()):
                raise _invalid_typed("TIME", value, c[0])
            return TimeLiteral(value.strip())
        micros = parse_timestamp(value, None)
        if micros is None:
            raise _invalid_typed("TIMESTAMP_NTZ", value, c[0])
        return Literal(micros, T.TimestampNTZType())

    def hex_literal(self, c):
        text = c[0].value[2:-1]
        if len(text) % 2:
            text = "0" + text
        return Literal(bytes.fromhex(text), T.BinaryType())

    def integer_literal(self, c):
        return _integer(c[0].value)

    def suffixed_literal(self, c):
        tok = c[0]
        text = tok.value
        t = tok.type
        if t == "BIGINT_LITERAL":
            return self._ranged(int(text[:-1]), T.LongType(), text, "bigint")
        if t == "SMALLINT_LITERAL":
            return self._ranged(int(text[:-1]), T.ShortType(), text, "smallint")
        if t == "TINYINT_LITERAL":
            return self._ranged(int(text[:-1]), T.ByteType(), text, "tinyint")
        if t == "DOUBLE_LITERAL":
            return _NumberLiteral(_double_in_range(text[:-1]), T.DoubleType())
        if t == "FLOAT_LITERAL":
            return _NumberLiteral(_float_in_range(text[:-1]), T.FloatType())
        value, dt = lit.decimal_type_of(decimal.Decimal(text[:-2]))
        if dt.precision > 38:
            raise ParseException("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
                                 precision=str(dt.precision), maxPrecision="38")
        return _NumberLiteral(value, dt)

    def decimal_literal(self, c):
        tok = c[0]
        if tok.type == "EXPONENT_VALUE":
            return _NumberLiteral(_double_in_range(tok.value), T.DoubleType())
        value, dt = lit.decimal_type_of(decimal.Decimal(tok.value))
        if dt.precision > 38:
            return _NumberLiteral(float(tok.value), T.DoubleType())
        return _NumberLiteral(value, dt)

    # ---------------------------------------------------------------- intervals
    def interval(self, c):
        value, dt = c[-1]
        return Literal(value, dt)

    def interval_value(self, c):
        sign = ""
        parts = list(c)
        if parts and isinstance(parts[0], Token) and parts[0].type in ("PLUS", "MINUS"):
            sign = "-" if parts[0].type == "MINUS" else ""
            parts = parts[1:]
        v = parts[0]
        is_string = not isinstance(v, Token)
        text = v if is_string else v.value
        if sign:
            text = text.strip()
            text = text[1:] if text.startswith("-") else "-" + text
        return (text, is_string)

    def unsigned_interval_value(self, c):
        v = c[0]
        return (v, True) if not isinstance(v, Token) else (v.value, False)

    def interval_unit(self, c):
        return c[0].value          # as written: Spark's messages quote it

    def interval_string_only(self, c):
        text, is_string = c[0]
        if not is_string:
            raise ParseException("PARSE_SYNTAX_ERROR", error="end of input", hint="")
        return lit.interval_from_string(text)

    def multi_units_interval(self, c):
        values = c[0::2]
        units = c[1::2]
        if len(values) == 1:
            text, is_string = values[0]
            return lit.single_unit_interval(text, units[0], is_string)
        return lit.multi_unit_interval([(v[0], u) for v, u in zip(values, units)])

    def unit_to_unit_interval(self, c):
        (text, _), start, end = c[0], c[1], c[3]
        return lit.unit_to_unit_interval(text, start, end)

    # ---------------------------------------------------------------- data types
    def array_type(self, c):
        return T.ArrayType(_of(c, T.DataType)[0])

    def map_type(self, c):
        key, value = _of(c, T.DataType)
        return T.MapType(key, value)

    def struct_type(self, c):
        return T.StructType([x for x in c if isinstance(x, T.StructField)])

    def empty_struct_type(self, c):
        return T.StructType([])

    def complex_col_type(self, c):
        name = str(c[0])
        dt = _first(c, T.DataType)
        nullable = not _has(c, "NOT")
        comment = [x for x in c if isinstance(x, str) and not isinstance(x, Name)]
        meta = {"comment": comment[0]} if comment else None
        return T.StructField(name, dt, nullable, meta)

    def year_month_interval_type(self, c):
        units = [t.type for t in c if t.type in ("YEAR", "MONTH")]
        f = {"YEAR": 0, "MONTH": 1}
        return T.YearMonthIntervalType(f[units[0]], f[units[-1]])

    def day_time_interval_type(self, c):
        f = {"DAY": 0, "HOUR": 1, "MINUTE": 2, "SECOND": 3}
        units = [t.type for t in c if t.type in f]
        start, end = f[units[0]], f[units[-1]]
        if end < start:
            raise ParseException("_LEGACY_ERROR_TEMP_0028",
                                 message=f"Intervals FROM {units[0]} TO {units[-1]} are not supported.")
        return T.DayTimeIntervalType(start, end)

    def primitive_type_name(self, c):
        return c[0]

    def time_type(self, c):
        p = [int(t.value) for t in c if isinstance(t, Token) and t.type == "INTEGER_VALUE"]
        return T.TimeType(p[0] if p else 6)

    def timestamp_ltz_type(self, c):
        return T.TimestampType()

    def timestamp_ntz_type(self, c):
        return T.TimestampNTZType()

    def collated_string_type(self, c):
        base = primitive_type(c[0].value, [])
        if not isinstance(base, T.StringType):
            raise ParseException("PARSE_SYNTAX_ERROR", error="'COLLATE'", hint="")
        from ember.collations import canonical_name
        canonical_name(str(c[-1]))      # Ember's strings are UTF8_BINARY; the name must exist
        return base

    def collate(self, c):
        return UnresolvedFunction(("collate",), [c[0], Literal(str(c[-1]), T.StringType())])

    def primitive_type(self, c):
        tok = c[0]
        params = [int(t.value) for t in c[1:]]
        return primitive_type(tok.value, params)

    # ---------------------------------------------------------------- names
    def multipart_ident(self, c):
        return c[0]

    def qualified_name(self, c):
        return c[0]

    def name_path(self, c):
        if len(c) == 1:
            return [c[0]]
        return c[0] + [c[-1]]

    def ident(self, c):
        x = c[0]
        if isinstance(x, Token):
            return _name(x)
        return x

    def strict_ident(self, c):
        return _name(c[0])

    def soft_keyword(self, c):
        return _name(c[0])


_CLAUSE_WORD = {"qualify": "QUALIFY", "window": "WINDOW", "order_by": "ORDER",
                "cluster_by": "CLUSTER", "distribute_by": "DISTRIBUTE", "sort_by": "SORT",
                "limit": "LIMIT", "offset": "OFFSET"}


def _set_operation(op: str, left, right, is_all: bool):
    if op == "UNION":
        plan = L.Union([left, right])
        return plan if is_all else L.Distinct(plan)
    if op == "INTERSECT":
        return L.Intersect(left, right, is_all)
    return L.Except(left, right, is_all)


def _has_clause(c, kind) -> bool:
    return any(isinstance(x, Clause) and x.kind == kind for x in c)


def _unalias(e):
    return e.child if isinstance(e, UnresolvedAlias) else e


def _origin(parts):
    if parts and isinstance(parts[0], Name):
        return (parts[0].line, parts[0].pos)
    return None


def _ordinal(e):
    """`ORDER BY 2` / `GROUP BY 1`: an integer literal names a select-list position."""
    if isinstance(e, Literal) and isinstance(e.data_type, T.IntegerType) and e.value is not None:
        return UnresolvedOrdinal(e.value)
    return e


def _integer(text: str) -> Literal:
    v = int(text)
    if -2**31 <= v < 2**31:
        return _NumberLiteral(v, T.IntegerType())
    if -2**63 <= v < 2**63:
        return _NumberLiteral(v, T.LongType())
    value, dt = lit.decimal_type_of(decimal.Decimal(text))
    if dt.precision > 38:
        raise ParseException("INVALID_NUMERIC_LITERAL_RANGE" if False else
                             "DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION",
                             precision=str(dt.precision), maxPrecision="38")
    return _NumberLiteral(value, dt)




_FLOAT_MAX = 3.4028234663852886e+38


def _double_in_range(text: str) -> float:
    v = float(text)
    if v in (float("inf"), float("-inf")):
        raise ParseException("INVALID_NUMERIC_LITERAL_RANGE", rawStrippedQualifier=text,
                             minValue="-1.7976931348623157E+308",
                             maxValue="1.7976931348623157E+308", typeName="double")
    return v


def _float_in_range(text: str) -> float:
    v = float(text)
    if abs(v) > _FLOAT_MAX:
        raise ParseException("INVALID_NUMERIC_LITERAL_RANGE", rawStrippedQualifier=text,
                             minValue="-3.4028234663852886E+38",
                             maxValue="3.4028234663852886E+38", typeName="float")
    return v


def _negate_literal(e: Literal) -> Literal:
    dt = e.data_type
    v = -e.value
    if isinstance(dt, T.LongType) and v == -2**31:
        # the literal 2147483648 is bigint only because of its size: -2147483648 is an int
        return Literal(v, T.IntegerType())
    if isinstance(dt, T.DecimalType) and dt.scale == 0 and v == -2**63:
        return Literal(v, T.LongType())
    if isinstance(dt, T.IntegralType) and not (dt.min_value <= v <= dt.max_value):
        raise ParseException("INVALID_NUMERIC_LITERAL_RANGE", rawStrippedQualifier=str(v),
                             minValue=str(dt.min_value), maxValue=str(dt.max_value),
                             typeName=dt.simpleString())
    return Literal(v, dt)


_TIME_TEXT = re.compile(r"([01]?\d|2[0-3]):[0-5]?\d(:[0-5]?\d(\.\d{0,9})?)?")


def _invalid_typed(kind: str, value: str, tok: Token) -> ParseException:
    return ParseException("INVALID_TYPED_LITERAL", valueType=f'"{kind}"', value=f"'{value}'",
                          line=tok.line, pos=tok.column - 1)


_PRIMITIVES = {
    "boolean": T.BooleanType, "tinyint": T.ByteType, "byte": T.ByteType,
    "smallint": T.ShortType, "short": T.ShortType, "int": T.IntegerType,
    "integer": T.IntegerType, "bigint": T.LongType, "long": T.LongType, "float": T.FloatType,
    "real": T.FloatType, "double": T.DoubleType, "date": T.DateType,
    "timestamp": T.TimestampType, "timestamp_ltz": T.TimestampType,
    "timestamp_ntz": T.TimestampNTZType, "string": T.StringType, "binary": T.BinaryType,
    "void": T.NullType, "variant": T.VariantType,
}


def primitive_type(name: str, params: List[int]) -> T.DataType:
    n = name.lower()
    if n in _PRIMITIVES and not params:
        return _PRIMITIVES[n]()
    if n == "interval" and not params:
        return T.CalendarIntervalType()
    if n in ("decimal", "dec", "numeric"):
        if not params:
            return T.DecimalType(10, 0)
        p = params[0]
        s = params[1] if len(params) > 1 else 0
        if len(params) <= 2 and 1 <= p <= 38 and 0 <= s <= p:
            return T.DecimalType(p, s)
        if p > 38:
            raise ParseException("DECIMAL_PRECISION_EXCEEDS_MAX_PRECISION", precision=str(p),
                                 maxPrecision="38")
        raise ParseException("INVALID_DECIMAL_SCALE" if s > p else "PARSE_SYNTAX_ERROR",
                             error="'('", hint="")
    if n in ("char", "character") and len(params) == 1:
        return T.CharType(params[0])
    if n == "varchar" and len(params) == 1:
        return T.VarcharType(params[0])
    if n in ("char", "character", "varchar") and not params:
        raise ParseException("DATATYPE_MISSING_SIZE", type=f'"{n.upper()}"')
    raise ParseException("UNSUPPORTED_DATATYPE", typeName='"' + name.upper() + (
        "(" + ",".join(map(str, params)) + ")" if params else "") + '"')


def _lateral(plan):
    """The right side of a LATERAL join: a subquery that may read the left side's columns."""
    from ember.optimizer.plans.subquery_plans import LateralSubquery
    inner = plan.child if isinstance(plan, L.SubqueryAlias) else plan
    if isinstance(inner, (L.UnresolvedRelation, L.UnresolvedTableValuedFunction, L.Unsupported)):
        return L.Unsupported("LATERAL subquery")
    return LateralSubquery(plan)


def _as_set(x):
    """One element of ROLLUP(...) / CUBE(...) / GROUPING SETS(...) as a list of expressions."""
    return [_ordinal(e) for e in x] if isinstance(x, list) else [_ordinal(x)]


def _grouping_sets(elements):
    """GROUPING SETS elements: sets, or nested ROLLUP/CUBE/GROUPING SETS that expand inline."""
    from ember.optimizer.expressions.grouping import GroupingAnalytics
    out = []
    for x in elements:
        if isinstance(x, GroupingAnalytics):
            out.extend(x.expanded_sets())
        else:
            out.append(_as_set(x))
    return out
