"""Resolving relations: CTE references, temp/global temp/persistent views, `fmt`.`path` files,
VALUES tables and table-valued functions (Spark's ResolveRelations, ResolveInlineTables,
ResolveSQLOnFile, ResolveTableValuedFunctions)."""
from __future__ import annotations

from typing import List

from ember import types as T
from ember.errors import AnalysisException, not_supported
from ember.optimizer.expressions import Alias, AttributeReference, Cast, Literal
from ember.optimizer.expressions.named import quote_identifier
from ember.optimizer.plans import logical as L
from ember.optimizer.analyzer.context import AnalysisContext

FILE_FORMATS = ("parquet", "csv", "json", "orc", "text", "avro")


def resolve_relation(rel: L.UnresolvedRelation, ctx: AnalysisContext, resolve_plan):
    parts = rel.name_parts
    if len(parts) == 1 and ctx.case_sensitive is False and parts[0].lower() in ctx.ctes \
            or len(parts) == 1 and parts[0] in ctx.ctes:
        key = parts[0] if parts[0] in ctx.ctes else parts[0].lower()
        columns, plan, scope = ctx.ctes[key]
        resolved = resolve_plan(plan, ctx.nested(ctes=scope))
        if columns:
            resolved = rename_columns(resolved, columns)
        return L.SubqueryAlias(parts[0], resolved)
    found = ctx.catalog.lookup_relation(parts)
    if found is not None:
        kind, obj = found
        if kind in ("temp", "global"):
            plan = view_plan(obj, ctx, resolve_plan)
            ident = ["global_temp", obj.name] if kind == "global" else [obj.name]
            return L.SubqueryAlias(ident, L.View(".".join(quote_identifier(p) for p in ident),
                                                 plan, is_temp=True))
        return catalog_relation(obj, ctx, resolve_plan)
    if len(parts) == 2 and parts[0].lower() in FILE_FORMATS and ctx.file_relation is not None:
        return ctx.file_relation(parts[0].lower(), parts[1])
    raise AnalysisException(
        "TABLE_OR_VIEW_NOT_FOUND", relationName=".".join(quote_identifier(p) for p in parts),
        searchPath=ctx.catalog.search_path_text(),
        line=rel.origin[0] if rel.origin else None, pos=rel.origin[1] if rel.origin else None)


def catalog_relation(meta, ctx: AnalysisContext, resolve_plan):
    """A metastore table (a scan of its folder) or view (its text, re-resolved), under its
    qualified name `spark_catalog`.`db`.`name`."""
    ident = ["spark_catalog", meta["db"], meta["name"]]
    if meta["type"] == "VIEW":
        from ember.engine.catalog_commands import view_definition
        view = view_definition(meta)
        # the view's text names relations relative to the database it was created in
        catalog, saved = ctx.catalog, ctx.catalog.current_database
        catalog.current_database = getattr(view, "database", None) or meta["db"]
        try:
            plan = view_plan(view, ctx, resolve_plan)
        finally:
            catalog.current_database = saved
        return L.SubqueryAlias(ident, L.View(".".join(quote_identifier(p) for p in ident),
                                             plan, is_temp=False))
    from ember.engine.catalog_commands import schema_from_json
    from ember.engine.sources.table import TableSource
    schema = schema_from_json(meta["schema"])
    source = TableSource(meta["location"], schema, meta["partition_columns"],
                         meta.get("provider") or "parquet")
    comments = [c.get("comment") for c in meta["schema"]]
    attrs = [AttributeReference(f.name, f.dataType, f.nullable,
                                metadata={"comment": c} if c is not None else None)
             for f, c in zip(schema.fields, comments)]
    return L.SubqueryAlias(ident, L.LogicalRelation(source, attrs, ident))


def view_plan(view, ctx: AnalysisContext, resolve_plan):
    """The analysed plan of a view: its text parsed and resolved afresh (new attribute ids on
    every reference), with its declared column names applied."""
    if view.plan is not None:
        plan = view.plan
        if plan.resolved:
            plan = fresh_instance(plan)
        else:
            plan = resolve_plan(plan, ctx.nested(outer=[], ctes={}))
    else:
        if ctx.view_depth > 100:
            raise AnalysisException("VIEW_EXCEED_MAX_NESTED_DEPTH", viewName=view.name,
                                    maxNestedDepth="100")
        from ember.conf import SQLConf, use_conf
        conf = SQLConf(dict(ctx.conf.items(), **view.captured_conf))
        with use_conf(conf):
            parsed = ctx.parse(view.sql_text)
            plan = resolve_plan(parsed, ctx.nested(outer=[], ctes={}, conf=conf,
                                                   view_depth=ctx.view_depth + 1))
    if view.column_names:
        plan = rename_columns(plan, view.column_names)
    if view.schema is not None:
        plan = cast_to_schema(plan, view.schema)
    return plan


def fresh_instance(plan: L.LogicalPlan) -> L.LogicalPlan:
    """A copy of a resolved plan whose produced attributes get new ids (so a view used twice
    in a query, e.g. a self-join, has distinct columns on each side)."""
    mapping = {}

    def remap_node(p):
        if isinstance(p, L.LocalRelation):
            new = [a.new_instance() for a in p.attributes]
            mapping.update({a.expr_id: n for a, n in zip(p.attributes, new)})
            return L.LocalRelation(new, p.data)
        if isinstance(p, L.LogicalRelation):
            new = [a.new_instance() for a in p.attributes]
            mapping.update({a.expr_id: n for a, n in zip(p.attributes, new)})
            return L.LogicalRelation(p.source, new, p.table_ident)
        if isinstance(p, L.Range):
            new = p.attribute.new_instance()
            mapping[p.attribute.expr_id] = new
            return L.Range(p.start, p.end, p.step, p.num_slices, new)

        def expr_rule(e):
            if isinstance(e, AttributeReference) and e.expr_id in mapping:
                m = mapping[e.expr_id]
                return AttributeReference(e.name, e.data_type, e.nullable, m.expr_id,
                                          e.qualifier, e.metadata)
            if isinstance(e, Alias):
                a = Alias(e.child, e.name, None, e.qualifier, e.metadata)
                mapping[e.expr_id] = a.to_attribute()
                return a
            return None
        return p.map_expressions(lambda e: e.transform_up(expr_rule))

    return plan.transform_up(remap_node)


def rename_columns(plan: L.LogicalPlan, names: List[str]) -> L.LogicalPlan:
    out = plan.output
    if len(names) != len(out):
        raise AnalysisException("ASSIGNMENT_ARITY_MISMATCH", numTarget=str(len(names)),
                                numExpr=str(len(out)))
    return L.Project([Alias(a, n) for a, n in zip(out, names)], plan)


def cast_to_schema(plan: L.LogicalPlan, schema: T.StructType) -> L.LogicalPlan:
    out = plan.output
    if [f.dataType for f in schema.fields] == [a.data_type for a in out]:
        return plan
    items = []
    for a, f in zip(out, schema.fields):
        items.append(Alias(Cast(a, f.dataType), f.name) if a.data_type != f.dataType else a)
    return L.Project(items, plan)


# ---------------------------------------------------------------------------- inline tables
def resolve_inline_table(table: L.UnresolvedInlineTable, ctx: AnalysisContext,
                         resolve_expr) -> L.LocalRelation:
    import pyarrow as pa
    from ember.optimizer.analyzer.type_coercion import cast, wider_type
    width = len(table.column_names)
    for row in table.rows:
        if len(row) != width:
            raise AnalysisException("INVALID_INLINE_TABLE.NUM_COLUMNS_MISMATCH",
                                    expectedNumCols=str(width), actualNumCols=str(len(row)),
                                    rowIndex=str(table.rows.index(row)))
    rows = [[resolve_expr(e, []) for e in row] for row in table.rows]
    for row in rows:
        for e in row:
            if not e.foldable:
                raise AnalysisException("INVALID_INLINE_TABLE.CANNOT_EVALUATE_EXPRESSION_IN_INLINE_TABLE",
                                        expr='"' + e.pretty_sql() + '"')
    types = []
    for i in range(width):
        t = T.NullType()
        for row in rows:
            w = wider_type(t, row[i].data_type)
            if w is None:
                raise AnalysisException("INVALID_INLINE_TABLE.INCOMPATIBLE_TYPES_IN_INLINE_TABLE",
                                        colName="`" + table.column_names[i] + "`")
            t = w
        types.append(t)
    columns = []
    for i in range(width):
        values = [ctx.evaluate(cast(row[i], types[i])) for row in rows]
        columns.append(values)
    attrs = [AttributeReference(name, t, any(v is None for v in col))
             for name, t, col in zip(table.column_names, types, columns)]
    from ember.types import to_arrow
    arrays = [pa.array(col, type=to_arrow(t)) for col, t in zip(columns, types)]
    data = pa.Table.from_arrays(arrays, names=table.column_names) if arrays else \
        pa.table({}).append_column("__dummy", pa.array([None] * len(rows))).drop(["__dummy"])
    return L.LocalRelation(attrs, data)


# ---------------------------------------------------------------------------- TVFs
def resolve_table_function(tvf: L.UnresolvedTableValuedFunction, ctx: AnalysisContext,
                           resolve_expr) -> L.LogicalPlan:
    name = tvf.name_parts[-1].lower()
    info = ctx.functions.lookup(name) if name != "range" else None
    if info is not None and info.kind == "generator":        # FROM explode(...)
        from ember.engine.functions.generators import generator_table
        return generator_table(tvf, resolve_expr)
    if name != "range":
        raise AnalysisException("UNRESOLVABLE_TABLE_VALUED_FUNCTION",
                                name=quote_identifier(tvf.name_parts[-1]))
    args = [resolve_expr(a, []) for a in tvf.arguments]
    values = []
    for a in args:
        if not a.foldable or not isinstance(a.data_type, (T.IntegralType, T.NullType)):
            raise AnalysisException("DATATYPE_MISMATCH.UNEXPECTED_INPUT_TYPE",
                                    sqlExpr='"range"', paramIndex="first",
                                    inputSql='"' + a.pretty_sql() + '"',
                                    inputType='"' + a.data_type.sql() + '"',
                                    requiredType='"BIGINT"')
        values.append(ctx.evaluate(a))
    if not 1 <= len(values) <= 4:
        raise AnalysisException("WRONG_NUM_ARGS.WITHOUT_SUGGESTION", functionName="`range`",
                                expectedNum="[1, 2, 3, 4]", actualNum=str(len(values)),
                                docroot="https://spark.apache.org/docs/latest")
    if len(values) == 1:
        start, end, step = 0, values[0], 1
    else:
        start, end = values[0], values[1]
        step = values[2] if len(values) > 2 else 1
    if step == 0:
        raise AnalysisException("FAILED_FUNCTION_CALL", funcName="`range`")
    return L.Range(start, end, step, values[3] if len(values) > 3 else None)
