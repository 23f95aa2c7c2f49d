"""Building statement nodes (DDL, DML, SHOW, DESCRIBE, ...) from the parse, with the checks
Spark's AstBuilder makes while parsing (duplicate clauses, invalid combinations)."""
from __future__ import annotations

from typing import Dict, List, Optional

from lark import Token

from ember.collations import canonical_name
from ember.errors import ParseException
from ember.parser import checks
from ember import types as T
from ember.optimizer.expressions import Literal, UnresolvedAttribute
from ember.optimizer.plans import commands as C
from ember.optimizer.plans import logical as L


class Clause:
    """A parsed piece waiting for its statement: a kind plus payload."""

    def __init__(self, kind: str, *payload):
        self.kind = kind
        self.payload = payload

    def __repr__(self):
        return f"Clause({self.kind}, {self.payload})"


def tokens(c, *types):
    return [x for x in c if isinstance(x, Token) and (not types or x.type in types)]


def has(c, *types) -> bool:
    return any(isinstance(x, Token) and x.type in types for x in c)


def clauses(c, kind=None):
    return [x for x in c if isinstance(x, Clause) and (kind is None or x.kind == kind)]


def clause(c, kind):
    found = clauses(c, kind)
    return found[0] if found else None


def names(c) -> List[list]:
    """Multi-part names among the children, in order."""
    return [x for x in c if isinstance(x, list) and all(isinstance(p, str) for p in x)]


def plans(c):
    return [x for x in c if isinstance(x, L.LogicalPlan)]


def _name_text(parts) -> str:
    return ".".join(f"`{p}`" for p in parts)


def operation_not_allowed(message: str) -> ParseException:
    return ParseException("_LEGACY_ERROR_TEMP_0035", message=message)


class StatementBuilder:
    """Mixin of AstBuilder for statements other than queries."""

    def __default__(self, data, children, meta):
        if str(data).startswith("_"):       # Lark's own helper rules (repetitions) stay trees
            return super().__default__(data, children, meta)
        return Clause(str(data), *children)

    def _statement(self, kind, feature, **fields):
        return C.Statement(kind, feature, **fields)

    # ------------------------------------------------------------------ namespaces
    def use_namespace(self, c):
        return self._statement("use", "USE", name=names(c)[0])

    def set_catalog(self, c):
        """Spark 4 takes an expression: a bare name, a string, or anything foldable to one."""
        expr = c[-1]
        parts = getattr(expr, "name_parts", None)
        if isinstance(expr, UnresolvedAttribute) and len(parts) == 1:
            name = parts[0]
        elif isinstance(expr, Literal) and isinstance(expr.value, str):
            name = expr.value
        else:
            name = expr
        return self._statement("set_catalog", "SET CATALOG", name=name)

    def set_time_zone(self, c):
        value = c[-1]
        if isinstance(value, Token) and value.type == "LOCAL":
            from ember.conf import local_time_zone
            zone = local_time_zone()
        elif isinstance(value, Literal) and isinstance(value.data_type, T.StringType):
            zone = value.value
        elif isinstance(value, Literal) and isinstance(value.data_type, (
                T.DayTimeIntervalType, T.YearMonthIntervalType)):
            zone = _zone_offset(value)
        else:
            raise ParseException("_LEGACY_ERROR_TEMP_0045")
        return C.SetCommand("spark.sql.session.timeZone", zone)

    def set_variable(self, c):
        return self._statement("set_variable", "SET VARIABLE",
                               assignments=clauses(c, "assignment"))

    def set_variable_query(self, c):
        return self._statement("set_variable", "SET VARIABLE", names=names(c),
                               query=plans(c)[0])

    def create_namespace(self, c):
        props: Dict = {}
        seen = set()
        for cl in clauses(c):
            if cl.kind in ("ns_comment", "ns_location", "ns_properties"):
                label = {"ns_comment": "COMMENT", "ns_location": "LOCATION"}.get(cl.kind) or (
                    "WITH DBPROPERTIES" if has(cl.payload, "DBPROPERTIES") else "WITH PROPERTIES")
                if label in seen:
                    raise ParseException("DUPLICATE_CLAUSES", clauseName=label)
                seen.add(label)
        if {"WITH DBPROPERTIES", "WITH PROPERTIES"} <= seen:
            raise ParseException("UNSUPPORTED_FEATURE.SET_PROPERTIES_AND_DBPROPERTIES")
        comment = next((cl.payload[-1] for cl in clauses(c, "ns_comment")), None)
        location = next((cl.payload[-1] for cl in clauses(c, "ns_location")), None)
        for cl in clauses(c, "ns_properties"):
            props.update(cl.payload[-1])
        return self._statement("create_namespace", "CREATE NAMESPACE", name=names(c)[0],
                               if_not_exists=bool(clause(c, "if_not_exists")),
                               comment=comment, location=location, properties=props)

    def alter_namespace_properties(self, c):
        return self._statement("alter_namespace_properties", "ALTER NAMESPACE ... SET PROPERTIES",
                               name=names(c)[0], properties=c[-1])

    def alter_namespace_location(self, c):
        return self._statement("alter_namespace_location", "ALTER NAMESPACE ... SET LOCATION",
                               name=names(c)[0], location=c[-1])

    def drop_namespace(self, c):
        return self._statement("drop_namespace", "DROP NAMESPACE", name=names(c)[0],
                               if_exists=bool(clause(c, "if_exists")),
                               cascade=has(c, "CASCADE"))

    def show_namespaces(self, c):
        ns = names(c)
        pattern = [x for x in c if isinstance(x, str) and not isinstance(x, list)
                   and not isinstance(x, Token)]
        return self._statement("show_namespaces", "SHOW NAMESPACES",
                               namespace=ns[0] if ns else None,
                               pattern=pattern[-1] if pattern else None,
                               keyword=tokens(c, "NAMESPACES", "DATABASES", "SCHEMAS")[0].type
                               if tokens(c, "NAMESPACES", "DATABASES", "SCHEMAS") else "NAMESPACES")

    def namespaces_kw(self, c):
        return c[0]

    def namespace_kw(self, c):
        return c[0]

    def from_in(self, c):
        return c[0]

    # ------------------------------------------------------------------ tables
    def _table_clauses(self, c):
        """CREATE/REPLACE TABLE clauses; each may appear once (DUPLICATE_CLAUSES)."""
        found: Dict[str, Clause] = {}
        labels = {"tc_options": "OPTIONS", "tc_partitioned": "PARTITIONED BY",
                  "tc_cluster_by": "CLUSTER BY", "tc_bucket": "CLUSTERED BY",
                  "tc_skewed": "SKEWED BY", "tc_row_format": "ROW FORMAT",
                  "tc_stored_as": "STORED AS/BY", "tc_stored_by": "STORED AS/BY",
                  "tc_location": "LOCATION", "tc_comment": "COMMENT",
                  "tc_properties": "TBLPROPERTIES", "tc_collation": "DEFAULT COLLATION"}
        for cl in clauses(c):
            if cl.kind not in labels:
                continue
            key = "tc_stored" if cl.kind in ("tc_stored_as", "tc_stored_by") else cl.kind
            if key in found:
                raise ParseException("DUPLICATE_CLAUSES", clauseName=labels[cl.kind])
            found[key] = cl
        return found

    def _partitioning(self, cl: Optional[Clause]):
        if cl is None:
            return None
        fields = [x for x in cl.payload if isinstance(x, Clause)]
        kinds = {f.kind for f in fields}
        if "partition_column" in kinds and kinds - {"partition_column"}:
            exprs = ", ".join(_transform_text(f) for f in fields if f.kind != "partition_column")
            cols = ", ".join(f"{f.payload[0].payload[0]} {f.payload[0].payload[1].simpleString()}"
                             for f in fields if f.kind == "partition_column")
            raise operation_not_allowed(
                "PARTITION BY: Cannot mix partition expressions and partition columns:\n"
                f"Expressions: {exprs}\nColumns: {cols}")
        return fields

    def _create_or_replace(self, c, replace: bool):
        header = clause(c, "create_table_header") or clause(c, "replace_table_header")
        tc = self._table_clauses(c)
        provider = clause(c, "table_provider")
        checks.check_table_clauses(tc, provider is not None,
                                   "REPLACE TABLE" if replace else "CREATE TABLE")
        columns = clause(c, "create_col_list")
        query = plans(c)
        options = tc["tc_options"].payload[-1] if "tc_options" in tc else {}
        for k, v in (options or {}).items():
            if v is None and provider is not None:
                raise operation_not_allowed(f"A value must be specified for the key: {k}.")
        partitioning = self._partitioning(tc.get("tc_partitioned"))
        hname = names(header.payload)[0] if header else None
        external = header is not None and has(header.payload, "EXTERNAL")
        temporary = header is not None and has(header.payload, "TEMPORARY")
        if temporary:
            if query:
                raise operation_not_allowed(
                    "CREATE TEMPORARY TABLE ... AS ..., use CREATE TEMPORARY VIEW instead")
            if provider is None:
                raise ParseException("_LEGACY_ERROR_TEMP_0046")
            return self._statement(       # Spark's legacy spelling of CREATE TEMPORARY VIEW
                "create_temp_view_using", "CREATE TEMPORARY VIEW ... USING", name=hname,
                replace=False, is_global=False, provider=".".join(names(provider.payload)[0]),
                options=options, columns=columns.payload if columns else None)
        kind = "replace_table" if replace else "create_table"
        return self._statement(
            kind, "REPLACE TABLE" if replace else "CREATE TABLE", name=hname,
            if_not_exists=header is not None and bool(clause(header.payload, "if_not_exists")),
            or_replace=header is not None and has(header.payload, "OR"),
            external=external, columns=columns.payload if columns else None,
            provider=".".join(names(provider.payload)[0]) if provider else None,
            options=options, partitioning=partitioning,
            location=tc["tc_location"].payload[-1] if "tc_location" in tc else None,
            comment=tc["tc_comment"].payload[-1] if "tc_comment" in tc else None,
            properties=tc["tc_properties"].payload[-1] if "tc_properties" in tc else {},
            clauses=tc, query=query[0] if query else None)

    def create_table(self, c):
        return self._create_or_replace(c, replace=False)

    def tc_collation(self, c):
        return Clause("tc_collation", *c[:-1], canonical_name(str(c[-1])))

    def alter_default_collation(self, c):
        return Clause("alter_default_collation", *c[:-1], canonical_name(str(c[-1])))

    def create_col(self, c):
        checks.check_create_column(str(c[0]), c[1], c[2:])
        return Clause("create_col", *c)

    def add_columns(self, c):
        checks.check_alter_columns(clause(c, "qualified_col_list").payload, "ADD")
        return Clause("add_columns", *c)

    def replace_columns(self, c):
        if clause(c, "partition_spec") is not None:
            raise checks.statement_not_valid("ALTER TABLE ... PARTITION ... REPLACE COLUMNS")
        checks.check_alter_columns(clause(c, "qualified_col_list").payload, "REPLACE")
        return Clause("replace_columns", *c)

    def hive_change_column(self, c):
        new = clause(c, "col_type")
        checks.check_hive_change_column(clause(c, "partition_spec"), names(c)[0],
                                        str(new.payload[0]))
        return Clause("hive_change_column", *c)

    def replace_table(self, c):
        return self._create_or_replace(c, replace=True)

    def create_table_like(self, c):
        target, source = names(c)[:2]
        return self._statement("create_table_like", "CREATE TABLE LIKE", name=target,
                               source=source, if_not_exists=bool(clause(c, "if_not_exists")),
                               clauses=clauses(c))

    def analyze_table(self, c):
        opt = [x for x in c if isinstance(x, Clause) and x.kind.startswith("analyze_")]
        noscan = False
        columns = None
        all_columns = False
        if opt:
            o = opt[0]
            if o.kind == "analyze_noscan":
                word = o.payload[0]
                if str(word).lower() != "noscan":
                    raise ParseException("INVALID_SQL_SYNTAX.ANALYZE_TABLE_UNEXPECTED_NOSCAN",
                                         ctx=str(word))
                noscan = True
            elif o.kind == "analyze_for_columns":
                columns = [str(x) for x in o.payload if not isinstance(x, Token)]
            else:
                all_columns = True
        return self._statement("analyze_table", "ANALYZE TABLE", name=names(c)[0],
                               partition=clause(c, "partition_spec"), noscan=noscan,
                               columns=columns, all_columns=all_columns)

    def analyze_tables(self, c):
        words = [x for x in c if isinstance(x, str) and not isinstance(x, (Token, list))]
        if words and words[-1].lower() != "noscan":
            raise ParseException("INVALID_SQL_SYNTAX.ANALYZE_TABLE_UNEXPECTED_NOSCAN",
                                 ctx=words[-1])
        return self._statement("analyze_tables", "ANALYZE TABLES",
                               namespace=names(c)[0] if names(c) else None,
                               noscan=bool(words))

    def alter_table(self, c):
        action = [x for x in c if isinstance(x, Clause)][-1]
        return self._statement("alter_table", f"ALTER TABLE ... {_action_text(action.kind)}",
                               name=names(c)[0], action=action)

    def alter_view(self, c):
        action = [x for x in c if isinstance(x, Clause)][-1]
        if action.kind in ("add_partition", "drop_partition"):
            raise checks.statement_not_valid(
                f"ALTER VIEW ... {_action_text(action.kind)}")
        return self._statement("alter_view", f"ALTER VIEW ... {_action_text(action.kind)}",
                               name=names(c)[0], action=action)

    def alter_view_query(self, c):
        as_tokens = tokens(c, "AS")
        text = getattr(self, "text", "") or ""
        sql_text = text[as_tokens[-1].end_pos:].strip().rstrip(";").strip() \
            if as_tokens and text else None
        return Clause("alter_view_query", plans(c)[0], sql_text)

    def drop_table(self, c):
        return self._statement("drop_table", "DROP TABLE", name=names(c)[0],
                               if_exists=bool(clause(c, "if_exists")), purge=has(c, "PURGE"))

    def create_temp_view_using(self, c):
        return self._statement("create_temp_view_using", "CREATE TEMPORARY VIEW ... USING",
                               name=names(c)[0], replace=bool(clause(c, "or_replace")),
                               is_global=any(x.payload and x.payload[0] is True
                                             for x in clauses(c, "scope")),
                               provider=".".join(names(c)[1]) if len(names(c)) > 1 else None,
                               options=next((x for x in c if isinstance(x, dict)), {}))

    # ------------------------------------------------------------------ functions, variables
    def create_function(self, c):
        temporary = has(c, "TEMPORARY")
        name = names(c)[0]
        replace = bool(clause(c, "or_replace"))
        if_not_exists = bool(clause(c, "if_not_exists"))
        if temporary and len(name) > 1:
            qualifier = [p.lower() for p in name[:-1]]
            if qualifier not in (["session"], ["system", "session"]):
                raise ParseException("INVALID_TEMP_OBJ_QUALIFIER", objectType="FUNCTION",
                                     objectName=_name_text(name[-1:]),
                                     qualifier=_name_text(name[:-1]))
            name = name[-1:]
        if replace and if_not_exists:
            raise ParseException("INVALID_SQL_SYNTAX.CREATE_ROUTINE_WITH_IF_NOT_EXISTS_AND_REPLACE")
        if temporary and if_not_exists:
            raise ParseException("INVALID_SQL_SYNTAX.CREATE_TEMP_FUNC_WITH_IF_NOT_EXISTS")
        return self._statement("create_function", "CREATE FUNCTION", name=name,
                               temporary=temporary, replace=replace,
                               if_not_exists=if_not_exists)

    def create_sql_function(self, c):
        return self._statement("create_sql_function", "CREATE FUNCTION (SQL)", name=names(c)[0],
                               temporary=has(c, "TEMPORARY"))

    def drop_function(self, c):
        return self._statement("drop_function", "DROP FUNCTION", name=names(c)[0],
                               temporary=has(c, "TEMPORARY"),
                               if_exists=bool(clause(c, "if_exists")))

    def declare_variable(self, c):
        return self._statement("declare_variable", "DECLARE VARIABLE", name=names(c)[0],
                               replace=bool(clause(c, "or_replace")))

    def drop_variable(self, c):
        return self._statement("drop_variable", "DROP TEMPORARY VARIABLE", name=names(c)[0],
                               if_exists=bool(clause(c, "if_exists")))

    # ------------------------------------------------------------------ SHOW / DESCRIBE
    def _pattern(self, c):
        strs = [x for x in c if isinstance(x, str) and not isinstance(x, (Token, list))]
        return strs[-1] if strs else None

    def show_tables(self, c):
        ns = names(c)
        return self._statement("show_tables", "SHOW TABLES", namespace=ns[0] if ns else None,
                               pattern=self._pattern(c))

    def show_table_extended(self, c):
        ns = names(c)
        return self._statement("show_table_extended", "SHOW TABLE EXTENDED",
                               namespace=ns[0] if ns else None, pattern=self._pattern(c),
                               partition=clause(c, "partition_spec"))

    def show_tblproperties(self, c):
        key = [x for x in c if isinstance(x, str) and not isinstance(x, (Token, list))]
        return self._statement("show_tblproperties", "SHOW TBLPROPERTIES", name=names(c)[0],
                               key=key[-1] if key else None)

    def show_columns(self, c):
        ns = names(c)
        return self._statement("show_columns", "SHOW COLUMNS", name=ns[0],
                               namespace=ns[1] if len(ns) > 1 else None)

    def show_views(self, c):
        ns = names(c)
        return self._statement("show_views", "SHOW VIEWS", namespace=ns[0] if ns else None,
                               pattern=self._pattern(c))

    def show_partitions(self, c):
        return self._statement("show_partitions", "SHOW PARTITIONS", name=names(c)[0],
                               partition=clause(c, "partition_spec"))

    def show_functions(self, c):
        kind = clause(c, "function_kind")
        scope = str(kind.payload[0]).lower() if kind else "all"
        if scope not in ("user", "system", "all"):
            raise ParseException("INVALID_SQL_SYNTAX.SHOW_FUNCTIONS_INVALID_SCOPE",
                                 scope=f"`{scope}`")
        ns = names(c)
        return self._statement("show_functions", "SHOW FUNCTIONS", scope=scope,
                               namespace=ns[0] if ns else None, pattern=self._pattern(c))

    def show_create_table(self, c):
        return self._statement("show_create_table", "SHOW CREATE TABLE", name=names(c)[0],
                               as_serde=has(c, "SERDE"))

    def show_current_namespace(self, c):
        return self._statement("show_current_namespace", "SHOW CURRENT NAMESPACE")

    def show_catalogs(self, c):
        return self._statement("show_catalogs", "SHOW CATALOGS", pattern=self._pattern(c))

    def describe_function(self, c):
        return self._statement("describe_function", "DESCRIBE FUNCTION",
                               name=c[-1], extended=has(c, "EXTENDED"))

    def describe_func_name(self, c):
        x = c[0]
        if isinstance(x, list):
            return x
        return [str(x.value if isinstance(x, Token) else x)]

    def describe_namespace(self, c):
        return self._statement("describe_namespace", "DESCRIBE NAMESPACE", name=names(c)[0],
                               extended=has(c, "EXTENDED"))

    def describe_table(self, c):
        col = clause(c, "describe_col_name")
        as_json = has(c, "JSON")
        if as_json and not has(c, "EXTENDED", "FORMATTED"):
            raise ParseException("DESCRIBE_JSON_NOT_EXTENDED")
        return self._statement("describe_table", "DESCRIBE TABLE", name=names(c)[0],
                               extended=has(c, "EXTENDED", "FORMATTED"),
                               partition=clause(c, "partition_spec"),
                               column=[str(p) for p in col.payload] if col else None,
                               as_json=as_json)

    def describe_query(self, c):
        return self._statement("describe_query", "DESCRIBE QUERY", query=plans(c)[0])

    def comment_namespace(self, c):
        return self._statement("comment_namespace", "COMMENT ON NAMESPACE", name=names(c)[0],
                               comment=c[-1])

    def comment_table(self, c):
        return self._statement("comment_table", "COMMENT ON TABLE", name=names(c)[0],
                               comment=c[-1])

    def comment_value(self, c):
        x = c[0]
        return None if isinstance(x, Token) else x

    # ------------------------------------------------------------------ cache, refresh, ...
    def refresh_table(self, c):
        return self._statement("refresh_table", "REFRESH TABLE", name=names(c)[0])

    def refresh_function(self, c):
        return self._statement("refresh_function", "REFRESH FUNCTION", name=names(c)[0])

    def cache_table(self, c):
        name = names(c)[0]
        query = plans(c)
        if query and len(name) > 1:
            raise ParseException("_LEGACY_ERROR_TEMP_0037", quoted=".".join(name[:-1]))
        as_tokens = tokens(c, "AS")
        text = getattr(self, "text", "") or ""
        # the view CACHE TABLE ... AS creates keeps its text, as Spark's does
        sql_text = text[as_tokens[-1].end_pos:].strip().rstrip(";").strip() \
            if query and as_tokens and text else None
        return self._statement("cache_table", "CACHE TABLE", name=name, lazy=has(c, "LAZY"),
                               options=next((x for x in c if isinstance(x, dict)), {}),
                               query=query[0] if query else None, sql_text=sql_text)

    def uncache_table(self, c):
        return self._statement("uncache_table", "UNCACHE TABLE", name=names(c)[0],
                               if_exists=bool(clause(c, "if_exists")))

    def clear_cache(self, c):
        return self._statement("clear_cache", "CLEAR CACHE")

    def load_data(self, c):
        path = [x for x in c if isinstance(x, str) and not isinstance(x, (Token, list))][0]
        return self._statement("load_data", "LOAD DATA", path=path, name=names(c)[0],
                               local=has(c, "LOCAL"), overwrite=has(c, "OVERWRITE"),
                               partition=clause(c, "partition_spec"))

    def truncate_table(self, c):
        return self._statement("truncate_table", "TRUNCATE TABLE", name=names(c)[0],
                               partition=clause(c, "partition_spec"))

    def repair_table(self, c):
        opt = clause(c, "repair_option")
        return self._statement("repair_table", "MSCK REPAIR TABLE", name=names(c)[0],
                               option=opt.payload[0].type if opt else "ADD")

    def create_index(self, c):
        return self._statement("create_index", "CREATE INDEX", name=names(c)[-1])

    def drop_index(self, c):
        return self._statement("drop_index", "DROP INDEX", name=names(c)[-1])

    def execute_immediate(self, c):
        return self._statement("execute_immediate", "EXECUTE IMMEDIATE")

    # ------------------------------------------------------------------ DML
    def insert_query(self, c):
        target = c[0]
        query = plans(c)[-1]
        return self._statement("insert", "INSERT", target=target, query=query)

    def insert_aliased_query(self, c):
        """`INSERT ... (query) [AS] alias`: the alias names the source for REPLACE ON/USING;
        elsewhere Spark accepts and drops it."""
        target, query = c[0], plans(c)[-1]
        replace = target.get("replace")
        if replace is not None and replace.kind in ("replace_on", "replace_using"):
            if isinstance(c[-1], list) and replace.kind == "replace_on":
                raise ParseException("COLUMN_ALIASES_NOT_ALLOWED", op="INSERT REPLACE ON")
            alias = [x for x in c if isinstance(x, str) and not isinstance(x, (Token, list))]
            if isinstance(c[-1], list):
                query = L.UnresolvedSubqueryColumnAliases([str(x) for x in c[-1]], query)
            query = L.SubqueryAlias(alias[-1], query)
        return self._statement("insert", "INSERT", target=target, query=query)

    def dml_with_ctes(self, c):
        ctes, stmt = c[0], c[-1]
        query = stmt.fields.get("query") if isinstance(stmt, C.Statement) else None
        if query is not None:
            stmt.fields["query"] = L.With(ctes.payload[0], query)
        return stmt

    def multi_insert(self, c):
        return self._statement("multi_insert", "multi-table INSERT (FROM ... INSERT ...)")

    def delete_from(self, c):
        checks.check_no_column_aliases(clause(c, "alias"), "DELETE")
        return self._statement("delete", "DELETE FROM", name=names(c)[0])

    def update_table(self, c):
        checks.check_no_column_aliases(clause(c, "alias"), "UPDATE")
        return self._statement("update", "UPDATE", name=names(c)[0])

    def merge_into(self, c):
        for alias in clauses(c, "alias"):
            checks.check_no_column_aliases(alias, "MERGE")
        checks.check_merge_clauses([x for x in clauses(c) if x.kind.startswith("when_")])
        return self._statement("merge", "MERGE INTO", name=names(c)[0])

    def _insert_target(self, c, overwrite: bool):
        cols = clause(c, "insert_column_list")
        by_name = clause(c, "insert_by_name")
        replace = [x for x in c if isinstance(x, Clause) and x.kind.startswith("replace_")]
        partition = clause(c, "partition_spec")
        if_not_exists = bool(clause(c, "if_not_exists"))
        if if_not_exists and not overwrite:
            raise checks.statement_not_valid("INSERT INTO ... IF NOT EXISTS")
        if replace and replace[0].kind == "replace_where" and clause(c, "insert_table_alias"):
            raise ParseException("INSERT_REPLACE_WHERE_TABLE_ALIAS_NOT_ALLOWED")
        if if_not_exists and partition is not None and any(
                len(v.payload) == 1 for v in partition.payload if isinstance(v, Clause)):
            raise ParseException("INVALID_PARTITION_OPERATION.PARTITION_SCHEMA_IS_EMPTY"
                                 if False else "_LEGACY_ERROR_TEMP_0035",
                                 message="IF NOT EXISTS with dynamic partitions: " +
                                         ", ".join(str(v.payload[0]) for v in partition.payload
                                                   if isinstance(v, Clause) and len(v.payload) == 1))
        return {"name": names(c)[0], "overwrite": overwrite, "partition": partition,
                "columns": [str(x) for x in cols.payload] if cols else None,
                "by_name": by_name is not None, "replace": replace[0] if replace else None,
                "if_not_exists": if_not_exists}

    def insert_into(self, c):
        return self._insert_target(c, overwrite=False)

    def insert_overwrite(self, c):
        return self._insert_target(c, overwrite=True)

    def insert_directory(self, c):
        path = [x for x in c if isinstance(x, str) and not isinstance(x, (Token, list))]
        options = next((x for x in c if isinstance(x, dict)), {})
        if clause(c, "table_provider") is not None:
            in_options = any(k.lower() == "path" for k in options)
            if bool(path) == in_options:     # exactly one of the two
                raise ParseException("_LEGACY_ERROR_TEMP_0049")
            if has(c, "LOCAL") and not path:  # Spark builds a local Path from ""
                raise ParseException("INVALID_EMPTY_LOCATION", location="")
        return {"directory": True, "local": has(c, "LOCAL"),
                "path": path[0] if path else options.get("path"), "options": options}


def _transform_text(field: Clause) -> str:
    """A partition transform as Spark prints it: `a`, `bucket(2, c)`, `years(e)`."""
    def arg(x):
        if isinstance(x, Clause):
            x = x.payload[0]
        if isinstance(x, list):
            return ".".join(x)
        return x.sql() if hasattr(x, "sql") else str(x)
    if field.kind == "partition_field":
        field = field.payload[0]
    payload = field.payload
    if field.kind == "identity_transform":
        return arg(payload[0])
    return f"{payload[0]}(" + ", ".join(arg(x) for x in payload[1:]) + ")"


def _zone_offset(interval: Literal) -> str:
    """`SET TIME ZONE INTERVAL ...`: java.time.ZoneOffset's id for the interval."""
    seconds, frac = divmod(interval.value, 1_000_000) if isinstance(
        interval.data_type, T.DayTimeIntervalType) else (None, None)
    if seconds is None or frac or abs(seconds) > 18 * 3600:
        text = interval.sql()
        raise ParseException("INVALID_INTERVAL_FORMAT.TIMEZONE_INTERVAL_OUT_OF_RANGE",
                             input=text[text.find("'") + 1:text.rfind("'")])
    if seconds == 0:
        return "Z"
    sign = "-" if seconds < 0 else "+"
    h, rest = divmod(abs(seconds), 3600)
    m, sec = divmod(rest, 60)
    return f"{sign}{h:02d}:{m:02d}" + (f":{sec:02d}" if sec else "")


def _action_text(kind: str) -> str:
    return {
        "add_columns": "ADD COLUMNS", "rename_column": "RENAME COLUMN",
        "drop_columns": "DROP COLUMNS", "rename_table": "RENAME TO",
        "set_properties": "SET TBLPROPERTIES", "unset_properties": "UNSET TBLPROPERTIES",
        "alter_column": "ALTER COLUMN", "hive_change_column": "CHANGE COLUMN",
        "replace_columns": "REPLACE COLUMNS", "set_serde": "SET SERDE",
        "add_partition": "ADD PARTITION", "rename_partition": "RENAME PARTITION",
        "drop_partition": "DROP PARTITION", "set_location": "SET LOCATION",
        "recover_partitions": "RECOVER PARTITIONS", "alter_view_query": "AS query",
        "alter_view_schema_binding": "WITH SCHEMA", "alter_default_collation": "DEFAULT COLLATION",
        "alter_cluster_by": "CLUSTER BY",
    }.get(kind, kind.upper())
