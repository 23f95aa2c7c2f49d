"""Statements: each family parses as Spark 4 parses it, and Spark's parse-time checks raise
Spark's error conditions. Every expected outcome here was taken from Spark 4 itself."""
from __future__ import annotations

import pytest

from ember.errors import EmberException, ParseException
from ember.optimizer.plans.logical import LogicalPlan
from ember.parser import parse_statement

# ----------------------------------------------------------------------------- Spark accepts
ACCEPTED = [
    # namespaces
    "CREATE NAMESPACE IF NOT EXISTS ns COMMENT 'c' LOCATION '/tmp/ns' WITH DBPROPERTIES ('a'='1')",
    "ALTER DATABASE ns SET PROPERTIES ('a'='b')",
    "ALTER SCHEMA ns SET LOCATION '/tmp/x'",
    "DROP NAMESPACE IF EXISTS ns CASCADE",
    # CREATE / REPLACE TABLE
    "CREATE TABLE t (a INT NOT NULL COMMENT 'x', b STRING DEFAULT 'y') USING parquet "
    "PARTITIONED BY (b) CLUSTERED BY (a) SORTED BY (a) INTO 4 BUCKETS LOCATION '/tmp/t' "
    "OPTIONS ('k'='v') TBLPROPERTIES ('p'='q') COMMENT 'tbl'",
    "CREATE TABLE IF NOT EXISTS t USING parquet AS SELECT 1 AS a",
    "CREATE EXTERNAL TABLE t (a INT) STORED AS PARQUET LOCATION '/tmp/t'",
    "CREATE TABLE t (a INT) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' STORED AS TEXTFILE",
    "CREATE TABLE t2 LIKE t USING parquet",
    "CREATE TABLE t (a INT) USING delta CLUSTER BY (a)",
    "CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 INCREMENT BY 2), "
    "c INT GENERATED ALWAYS AS (id + 1))",
    "REPLACE TABLE t (a INT) USING parquet",
    "CREATE OR REPLACE TABLE t USING parquet AS SELECT 1 AS a",
    # ALTER TABLE actions
    "ALTER TABLE t ADD COLUMNS (c INT COMMENT 'x' FIRST, d STRING AFTER a)",
    "ALTER TABLE t DROP COLUMN IF EXISTS c",
    "ALTER TABLE t RENAME COLUMN a TO b",
    "ALTER TABLE t ALTER COLUMN a TYPE BIGINT",
    "ALTER TABLE t CHANGE COLUMN a a INT COMMENT 'new'",
    "ALTER TABLE t RENAME TO t2",
    "ALTER TABLE t SET TBLPROPERTIES ('a'='1')",
    "ALTER TABLE t UNSET TBLPROPERTIES IF EXISTS ('a')",
    "ALTER TABLE t ADD IF NOT EXISTS PARTITION (p=1) LOCATION '/x' PARTITION (p=2)",
    "ALTER TABLE t DROP IF EXISTS PARTITION (p=1) PURGE",
    "ALTER TABLE t PARTITION (p=1) SET LOCATION '/tmp/new'",
    "ALTER TABLE t RECOVER PARTITIONS",
    "TRUNCATE TABLE t PARTITION (p=1)",
    # views
    "CREATE OR REPLACE GLOBAL TEMPORARY VIEW v (a COMMENT 'first', b) COMMENT 'view' AS SELECT 1, 2",
    "CREATE TEMPORARY VIEW v USING parquet OPTIONS (path '/tmp/x')",
    "ALTER VIEW v AS SELECT 2",
    "ALTER VIEW v WITH SCHEMA EVOLUTION",
    "DROP VIEW IF EXISTS v",
    # DML
    "INSERT INTO TABLE t PARTITION (p=1) SELECT 1",
    "INSERT INTO t (a, b) SELECT 1, 2",
    "INSERT INTO t BY NAME SELECT 1 AS a",
    "INSERT OVERWRITE t PARTITION (p=1) IF NOT EXISTS SELECT 1",
    "INSERT INTO t REPLACE WHERE a > 1 SELECT 1",
    "INSERT INTO t (SELECT 1)",
    "INSERT OVERWRITE LOCAL DIRECTORY '/tmp/out' ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' "
    "SELECT 1",
    "DELETE FROM t AS x WHERE x.a = 1",
    "UPDATE t SET a = 1, b = b + 1 WHERE c > 0",
    "MERGE INTO t USING s ON t.a = s.a WHEN MATCHED AND s.d THEN DELETE "
    "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *",
    "MERGE INTO t AS x USING (SELECT 1 AS a) s ON x.a = s.a "
    "WHEN NOT MATCHED BY TARGET THEN INSERT (a) VALUES (s.a) WHEN NOT MATCHED BY SOURCE THEN DELETE",
    # functions, variables
    "CREATE FUNCTION f AS 'com.x.F' USING JAR '/tmp/f.jar'",
    "CREATE FUNCTION f(x INT) RETURNS INT RETURN x + 1",
    "DROP TEMPORARY FUNCTION IF EXISTS f",
    "DECLARE OR REPLACE VARIABLE v INT DEFAULT 1",
    "DROP TEMPORARY VARIABLE IF EXISTS v",
    # DESCRIBE, SHOW, USE
    "DESCRIBE TABLE EXTENDED t PARTITION (p=1)",
    "DESC FORMATTED db.t a",
    "DESCRIBE FUNCTION EXTENDED upper",
    "DESCRIBE SELECT 1",
    "SHOW TABLE EXTENDED IN db LIKE 't*' PARTITION (p=1)",
    "SHOW TBLPROPERTIES t ('a')",
    "SHOW USER FUNCTIONS LIKE 'f*'",
    "SHOW CREATE TABLE t AS SERDE",
    "USE NAMESPACE db",
    # SET / RESET, cache, maintenance, EXPLAIN
    "SET", "SET -v", "SET spark.sql.shuffle.partitions=4", "RESET spark.sql.shuffle.partitions",
    "CACHE LAZY TABLE t OPTIONS ('storageLevel'='DISK_ONLY')",
    "UNCACHE TABLE IF EXISTS t", "CLEAR CACHE", "REFRESH TABLE t",
    "ANALYZE TABLE t PARTITION (p=1) COMPUTE STATISTICS FOR COLUMNS a, b",
    "ANALYZE TABLES IN db COMPUTE STATISTICS NOSCAN",
    "MSCK REPAIR TABLE t SYNC PARTITIONS",
    "LOAD DATA LOCAL INPATH '/tmp/x' OVERWRITE INTO TABLE t PARTITION (p=1)",
    "EXPLAIN FORMATTED SELECT 1",
    "EXPLAIN EXTENDED INSERT INTO t SELECT 1",
    # query forms
    "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r",
    "FROM t |> WHERE a > 1 |> SELECT a + 1 AS b |> AGGREGATE count(*) GROUP BY b",
    "SELECT a FROM t QUALIFY row_number() OVER (PARTITION BY a ORDER BY b) = 1",
    "SELECT * FROM t TABLESAMPLE BERNOULLI (10 PERCENT) REPEATABLE (7)",
    "SELECT * FROM t PIVOT (sum(v) FOR k IN ('a' AS x, 'b'))",
    "SELECT * FROM t UNPIVOT INCLUDE NULLS (v FOR k IN (a, b))",
    "SELECT * FROM t LATERAL VIEW OUTER explode(arr) e AS x",
    "FROM t SELECT a WHERE a > 1",
    "SELECT current_date(), current_date",
    # spellings and statements Spark takes as free text
    "CREATE TEMP VIEW v AS SELECT 1", "CREATE OR REPLACE TEMP VIEW v AS SELECT 1",
    "DROP TEMP VARIABLE v", "CREATE TEMPORARY TABLE t (a INT) USING parquet",
    "SET TIME ZONE 'UTC'", "SET TIME ZONE LOCAL", "SET TIME ZONE INTERVAL 1 HOUR",
    "SET VARIABLE v = 2", "SET VAR (a, b) = (SELECT 1, 2)",
    "ADD FILE '/tmp/a.txt'", "ADD JAR /tmp/a.jar", "LIST FILES", "LIST JAR '/tmp/a.jar'",
    "REFRESH '/tmp/path'", "DESCRIBE EXTENDED t AS JSON",
    "SELECT * FROM t |> ORDER BY a", "FROM t |> ORDER BY a |> LIMIT 2",
    "INSERT INTO t REPLACE USING (a) (SELECT 1) AS s(x)",
    "SELECT DISTINCT map(1, 2) AS m", "SELECT ALL map(1, 2)",
    "SELECT 1 UNION DISTINCT MAP a USING 'cat' FROM t",
]


@pytest.mark.parametrize("sql", ACCEPTED)
def test_spark_accepts(sql):
    assert isinstance(parse_statement(sql), LogicalPlan)


# ----------------------------------------------------------------------------- Spark rejects
REJECTED = [
    # column descriptors and IDENTITY
    ("CREATE TABLE t (a INT NOT NULL NOT NULL)", "CREATE_TABLE_COLUMN_DESCRIPTOR_DUPLICATE"),
    ("CREATE TABLE t (a INT DEFAULT 1 DEFAULT 2)", "CREATE_TABLE_COLUMN_DESCRIPTOR_DUPLICATE"),
    ("ALTER TABLE t ADD COLUMNS (a INT NOT NULL NOT NULL)", "ALTER_TABLE_COLUMN_DESCRIPTOR_DUPLICATE"),
    ("ALTER TABLE t REPLACE COLUMNS (c INT COMMENT 'a' COMMENT 'b')",
     "ALTER_TABLE_COLUMN_DESCRIPTOR_DUPLICATE"),
    ("ALTER TABLE t REPLACE COLUMNS (c INT NOT NULL)", "_LEGACY_ERROR_TEMP_0034"),
    ("ALTER TABLE t CHANGE COLUMN a b INT", "_LEGACY_ERROR_TEMP_0034"),
    ("CREATE TABLE t (id STRING GENERATED ALWAYS AS IDENTITY)",
     "IDENTITY_COLUMNS_UNSUPPORTED_DATA_TYPE"),
    ("CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY (INCREMENT BY 0))",
     "IDENTITY_COLUMNS_ILLEGAL_STEP"),
    ("CREATE TABLE t (id BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 1 START WITH 2))",
     "IDENTITY_COLUMNS_DUPLICATED_SEQUENCE_GENERATOR_OPTION"),
    # table clauses
    ("CREATE TABLE t (a INT) USING parquet ROW FORMAT SERDE 'x.Y'", "INVALID_STATEMENT_OR_CLAUSE"),
    ("REPLACE TABLE t (a INT) USING parquet STORED AS PARQUET", "INVALID_STATEMENT_OR_CLAUSE"),
    ("CREATE TABLE t (a INT) STORED BY 'x.Y'", "INVALID_STATEMENT_OR_CLAUSE"),
    ("CREATE TABLE t (a INT) SKEWED BY (a) ON (1)", "INVALID_STATEMENT_OR_CLAUSE"),
    ("CREATE TABLE t (a INT) ROW FORMAT DELIMITED STORED AS ORC", "_LEGACY_ERROR_TEMP_0035"),
    ("CREATE TABLE t (a INT) USING parquet OPTIONS ('a')", "_LEGACY_ERROR_TEMP_0035"),
    ("CREATE TABLE t (a INT) USING delta CLUSTER BY (a) PARTITIONED BY (a)",
     "SPECIFY_CLUSTER_BY_WITH_PARTITIONED_BY_IS_NOT_ALLOWED"),
    ("CREATE TABLE t (a INT) USING delta CLUSTER BY (a) CLUSTERED BY (a) INTO 2 BUCKETS",
     "SPECIFY_CLUSTER_BY_WITH_BUCKETING_IS_NOT_ALLOWED"),
    ("CREATE TABLE t (a INT) USING parquet OPTIONS ('a'='1') LOCATION '/x' OPTIONS ('b'='2')",
     "DUPLICATE_CLAUSES"),
    ("CREATE TABLE t (a INT) STORED AS ORC STORED AS PARQUET", "DUPLICATE_CLAUSES"),
    ("CREATE NAMESPACE ns COMMENT 'a' COMMENT 'b'", "DUPLICATE_CLAUSES"),
    ("ALTER VIEW v ADD PARTITION (p=1)", "INVALID_STATEMENT_OR_CLAUSE"),
    ("ALTER TABLE t PARTITION (p=1) REPLACE COLUMNS (a INT)", "INVALID_STATEMENT_OR_CLAUSE"),
    # DML
    ("MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE WHEN MATCHED THEN UPDATE SET *",
     "NON_LAST_MATCHED_CLAUSE_OMIT_CONDITION"),
    ("MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN INSERT * "
     "WHEN NOT MATCHED AND s.b THEN INSERT *", "NON_LAST_NOT_MATCHED_BY_TARGET_CLAUSE_OMIT_CONDITION"),
    ("MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED BY SOURCE THEN DELETE "
     "WHEN NOT MATCHED BY SOURCE AND t.b THEN DELETE",
     "NON_LAST_NOT_MATCHED_BY_SOURCE_CLAUSE_OMIT_CONDITION"),
    ("MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN INSERT (a) VALUES (1, 2)",
     "MERGE_INSERT_VALUE_COUNT_MISMATCH"),
    ("MERGE INTO t USING s AS y(c) ON t.a = y.a WHEN MATCHED THEN DELETE",
     "COLUMN_ALIASES_NOT_ALLOWED"),
    ("DELETE FROM t AS x(a) WHERE a = 1", "COLUMN_ALIASES_NOT_ALLOWED"),
    ("UPDATE t AS x(a) SET a = 1", "COLUMN_ALIASES_NOT_ALLOWED"),
    ("INSERT INTO t IF NOT EXISTS SELECT 1", "INVALID_STATEMENT_OR_CLAUSE"),
    ("INSERT INTO t AS x REPLACE WHERE a = 1 SELECT 1", "INSERT_REPLACE_WHERE_TABLE_ALIAS_NOT_ALLOWED"),
    # other statements
    ("ANALYZE TABLE t COMPUTE STATISTICS FOO", "INVALID_SQL_SYNTAX.ANALYZE_TABLE_UNEXPECTED_NOSCAN"),
    ("CREATE OR REPLACE FUNCTION IF NOT EXISTS f AS 'x.Y'",
     "INVALID_SQL_SYNTAX.CREATE_ROUTINE_WITH_IF_NOT_EXISTS_AND_REPLACE"),
    ("CREATE TEMPORARY FUNCTION IF NOT EXISTS f AS 'x.Y'",
     "INVALID_SQL_SYNTAX.CREATE_TEMP_FUNC_WITH_IF_NOT_EXISTS"),
    ("SHOW BOGUS FUNCTIONS", "INVALID_SQL_SYNTAX.SHOW_FUNCTIONS_INVALID_SCOPE"),
    ("CACHE TABLE db.c AS SELECT 1", "_LEGACY_ERROR_TEMP_0037"),
    ("SET a b=c", "INVALID_SET_SYNTAX"),
    # relations
    ("SELECT * FROM t TABLESAMPLE (-150 PERCENT)", "INVALID_TABLESAMPLE_FRACTION"),
    ("SELECT * FROM t TABLESAMPLE (BUCKET 5 OUT OF 4)", "INVALID_TABLESAMPLE_FRACTION"),
    ("SELECT * FROM t TABLESAMPLE (BUCKET 1 OUT OF 4 ON a)", "_LEGACY_ERROR_TEMP_0015"),
    ("SELECT * FROM t TABLESAMPLE (100B)", "_LEGACY_ERROR_TEMP_0015"),
    ("SELECT * FROM t TABLESAMPLE SYSTEM (5 ROWS)",
     "UNSUPPORTED_FEATURE.TABLESAMPLE_SYSTEM_SAMPLE_METHOD"),
    ("SELECT * FROM t TABLESAMPLE SYSTEM (50 PERCENT) REPEATABLE (1)",
     "UNSUPPORTED_FEATURE.TABLESAMPLE_SYSTEM_REPEATABLE"),
    ("SELECT 1 FROM t1 LEFT SEMI JOIN t2 APPROX NEAREST 3 BY DISTANCE t1.v",
     "NEAREST_BY_JOIN.UNSUPPORTED_JOIN_TYPE"),
    ("SELECT 1 FROM t1 JOIN t2 APPROX NEAREST 100001 BY DISTANCE t1.v",
     "NEAREST_BY_JOIN.NUM_RESULTS_OUT_OF_RANGE"),
    ("SELECT 1 FROM t1 JOIN LATERAL (SELECT 1 AS v) t2 APPROX NEAREST 3 BY DISTANCE t1.v",
     "UNSUPPORTED_FEATURE.LATERAL_JOIN_NEAREST_BY"),
    ("SELECT * FROM t LATERAL VIEW explode(a) e AS x PIVOT (sum(v) FOR k IN ('a'))",
     "NOT_ALLOWED_IN_FROM.LATERAL_WITH_PIVOT"),
    ("SELECT * FROM t LATERAL VIEW explode(a) e AS x UNPIVOT (v FOR k IN (a, b))",
     "NOT_ALLOWED_IN_FROM.LATERAL_WITH_UNPIVOT"),
    # expressions and query clauses
    ("SELECT * FROM t WHERE a LIKE ANY ()", "INVALID_SQL_SYNTAX.EMPTY_QUANTIFIED_PATTERN"),
    ("SELECT sum(a) OVER (ROWS BETWEEN a PRECEDING AND CURRENT ROW) FROM t",
     "INVALID_SQL_SYNTAX.INVALID_WINDOW_FRAME_BOUND"),
    ("SELECT CAST('a' AS STRING COLLATE xyz)", "COLLATION_INVALID_NAME"),
    ("WITH c AS (SELECT 1), c AS (SELECT 2) SELECT * FROM c", "DUPLICATED_CTE_NAMES"),
    ("SELECT * FROM t ORDER BY a CLUSTER BY a", "UNSUPPORTED_FEATURE.COMBINATION_QUERY_RESULT_CLAUSES"),
    # text
    ("", "PARSE_EMPTY_STATEMENT"),
    ("  \n ", "PARSE_EMPTY_STATEMENT"),
    ("SELECT 1 /* a /* b */", "UNCLOSED_BRACKETED_COMMENT"),
    ("SELECT 1; SELECT 2", "PARSE_SYNTAX_ERROR"),
    ("-- just a comment", "PARSE_SYNTAX_ERROR"), (";", "PARSE_SYNTAX_ERROR"),
    ("SET TIME ZONE foo", "_LEGACY_ERROR_TEMP_0045"),
    ("SET TIME ZONE INTERVAL 19 HOURS", "INVALID_INTERVAL_FORMAT.TIMEZONE_INTERVAL_OUT_OF_RANGE"),
    ("ADD FOO x", "_LEGACY_ERROR_TEMP_0035"),
    ("REFRESH /tmp/a b", "INVALID_SQL_SYNTAX.INVALID_REFRESH_RESOURCE_PATH"),
    ("REFRESH", "INVALID_SQL_SYNTAX.EMPTY_REFRESH_RESOURCE_PATH"),
    ("DESCRIBE TABLE t AS JSON", "DESCRIBE_JSON_NOT_EXTENDED"),
    ("CREATE TEMPORARY TABLE t (a INT)", "_LEGACY_ERROR_TEMP_0046"),
    ("CREATE TEMPORARY FUNCTION db.f AS 'x.Y'", "INVALID_TEMP_OBJ_QUALIFIER"),
    ("CREATE NAMESPACE ns WITH DBPROPERTIES ('a'='1') WITH PROPERTIES ('b'='2')",
     "UNSUPPORTED_FEATURE.SET_PROPERTIES_AND_DBPROPERTIES"),
    ("ALTER TABLE t REPLACE COLUMNS (c INT DEFAULT 1 DEFAULT 2)",
     "UNSUPPORTED_DEFAULT_VALUE.WITHOUT_SUGGESTION"),
    ("INSERT OVERWRITE DIRECTORY USING parquet SELECT 1", "_LEGACY_ERROR_TEMP_0049"),
    ("INSERT OVERWRITE DIRECTORY '/x' USING parquet OPTIONS ('path'='/y') SELECT 1",
     "_LEGACY_ERROR_TEMP_0049"),
    ("CREATE TABLE t (a INT,)", "PARSE_SYNTAX_ERROR"),
]


@pytest.mark.parametrize("sql,condition", REJECTED)
def test_spark_rejects_at_parse_time(sql, condition):
    with pytest.raises(ParseException) as info:
        parse_statement(sql)
    assert info.value.getCondition() == condition


# ----------------------------------------------------------------------------- Spark's messages
MESSAGES = [
    ("ALTER TABLE t ADD COLUMNS (c INT FIRST, d INT AFTER c AFTER c)",
     '[ALTER_TABLE_COLUMN_DESCRIPTOR_DUPLICATE] ALTER TABLE ADD column d specifies descriptor '
     '"FIRST|AFTER" more than once, which is invalid. SQLSTATE: 42710'),
    ("CREATE TABLE t (a INT COMMENT 'x' COMMENT 'y')",
     '[CREATE_TABLE_COLUMN_DESCRIPTOR_DUPLICATE] CREATE TABLE column a specifies descriptor '
     '"COMMENT" more than once, which is invalid. SQLSTATE: 42710'),
    ("CREATE TABLE t (a INT) USING parquet STORED AS ORC",
     "[INVALID_STATEMENT_OR_CLAUSE] The statement or clause: CREATE TABLE ... USING ... "
     "STORED AS ORC  is not valid. SQLSTATE: 42601"),
    ("CREATE TABLE t (id SMALLINT GENERATED ALWAYS AS IDENTITY)",
     "[IDENTITY_COLUMNS_UNSUPPORTED_DATA_TYPE] DataType ShortType is not supported for IDENTITY "
     "columns. SQLSTATE: 428H2"),
    ("SELECT * FROM t TABLESAMPLE (BUCKET 4 OUT OF 0)",
     "[INVALID_TABLESAMPLE_FRACTION] Sampling fraction (Infinity) must be on interval [0, 1]. "
     "SQLSTATE: 22023"),
    ("MERGE INTO t USING s ON t.a = s.a WHEN NOT MATCHED THEN INSERT (a, b) VALUES (1)",
     "[MERGE_INSERT_VALUE_COUNT_MISMATCH] The number of provided values (1) must match the number "
     "of expected columns (2) in the INSERT clause of MERGE. SQLSTATE: 21S01"),
    ("SELECT 1 FROM t1 FULL OUTER JOIN t2 EXACT NEAREST 3 BY SIMILARITY t1.v",
     "[NEAREST_BY_JOIN.UNSUPPORTED_JOIN_TYPE] Invalid nearest-by join. Unsupported nearest-by "
     "join type FULL OUTER. Supported types: 'INNER', 'LEFT OUTER'. SQLSTATE: 42604"),
    ("SELEC 1",
     "[PARSE_SYNTAX_ERROR] Syntax error at or near 'SELEC'. SQLSTATE: 42601 (line 1, pos 0)"),
    ("ALTER TABLE t REPLACE COLUMNS (c INT NOT NULL)",
     "[_LEGACY_ERROR_TEMP_0034] NOT NULL is not supported in Hive-style REPLACE COLUMNS."),
    ("CREATE TEMPORARY TABLE t USING parquet AS SELECT 1",
     "[_LEGACY_ERROR_TEMP_0035] Operation not allowed: CREATE TEMPORARY TABLE ... AS ..., use "
     "CREATE TEMPORARY VIEW instead."),
    ("SHOW BOGUS FUNCTIONS",
     "[INVALID_SQL_SYNTAX.SHOW_FUNCTIONS_INVALID_SCOPE] Invalid SQL syntax: SHOW `bogus` "
     "FUNCTIONS not supported. SQLSTATE: 42000"),
    ("CREATE TABLE t (a INT) USING parquet ROW FORMAT DELIMITED",
     "[INVALID_STATEMENT_OR_CLAUSE] The statement or clause: CREATE TABLE ... USING ...  is not "
     "valid. SQLSTATE: 42601"),
    ("INSERT INTO t VALUES (1",
     "[PARSE_SYNTAX_ERROR] Syntax error at or near end of input. SQLSTATE: 42601 "
     "(line 1, pos 23)"),
]


@pytest.mark.parametrize("sql,message", MESSAGES)
def test_error_message_is_sparks(sql, message):
    with pytest.raises(ParseException) as info:
        parse_statement(sql)
    assert str(info.value).strip().splitlines()[0] == message


@pytest.mark.parametrize("sql,parameters", [
    ("ALTER TABLE t ADD COLUMN c INT COMMENT 'a' COMMENT 'b'",
     {"type": "ADD", "columnName": "c", "optionName": "COMMENT"}),
    ("SELECT * FROM t TABLESAMPLE (150 PERCENT)", {"fraction": "1.5"}),
    ("ALTER TABLE t ADD COLUMNS (x.y INT FIRST AFTER z)",
     {"type": "ADD", "columnName": "y", "optionName": "FIRST|AFTER"}),
    ("SELECT 1 FROM t1 JOIN t2 APPROX NEAREST 0 BY DISTANCE abs(t1.v - t2.v)",
     {"numResults": "0", "min": "1", "max": "100000"}),
    ("SELECT 'a' || CAST('b' AS STRING COLLATE xyz)",
     {"collationName": "xyz", "proposals": "az, cy, dz"}),
])
def test_error_parameters_are_sparks(sql, parameters):
    with pytest.raises(ParseException) as info:
        parse_statement(sql)
    assert info.value.getMessageParameters() == parameters


# ----------------------------------------------------------------------------- through a session
@pytest.mark.parametrize("sql,feature", [
    ("MERGE INTO t USING (SELECT 1 AS a) s ON t.a = s.a WHEN MATCHED THEN DELETE", "MERGE INTO"),
    ("MERGE INTO t USING t s ON t.a = s.a WHEN NOT MATCHED THEN INSERT *", "MERGE INTO"),
    ("UPDATE t SET a = 1", "UPDATE"),
])
def test_statement_the_engine_cannot_run_raises_unsupported_feature(spark, sql, feature):
    # Spark rejects these too for a temporary view (UNSUPPORTED_FEATURE.TABLE_OPERATION, 0A000)
    spark.sql("CREATE TEMPORARY VIEW t AS SELECT 1 AS a")
    with pytest.raises(EmberException) as info:
        spark.sql(sql)
    assert info.value.getCondition().startswith("UNSUPPORTED_FEATURE")
    assert info.value.getSqlState() == "0A000"
    assert feature in str(info.value)


def test_session_raises_parse_errors_before_running_anything(spark):
    with pytest.raises(ParseException) as info:
        spark.sql("MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE "
                  "WHEN MATCHED THEN DELETE")
    assert info.value.getCondition() == "NON_LAST_MATCHED_CLAUSE_OMIT_CONDITION"
