"""Tab completion for the interactive prompt: SQL keywords and function names, as Spark's CLI
offers (function names complete with their opening parenthesis)."""
from __future__ import annotations

import re
from typing import Iterable, List

KEYWORDS = """
ADD ALL ALTER ANALYZE AND ANTI ANY ARRAY AS ASC BETWEEN BIGINT BINARY BOOLEAN BOTH BY CACHE
CASCADE CASE CAST CATALOG CHANGE CLEAR COLLECT COLUMN COLUMNS COMMENT COMPUTE CREATE CROSS CUBE
CURRENT DATA DATABASE DATABASES DATE DECIMAL DELETE DESC DESCRIBE DISTINCT DISTRIBUTE DOUBLE
DROP ELSE END ESCAPE EXCEPT EXISTS EXPLAIN EXTENDED EXTERNAL FALSE FILTER FIRST FLOAT FOLLOWING
FOR FORMATTED FROM FULL FUNCTION FUNCTIONS GLOBAL GROUP GROUPING HAVING IF IGNORE IN INNER
INSERT INT INTERSECT INTERVAL INTO IS JOIN LAST LATERAL LEFT LIKE LIMIT LOCAL LOCATION MAP
MERGE NATURAL NOT NULL NULLS OF OFFSET ON OPTIONS OR ORDER OUTER OVER OVERWRITE PARTITION
PARTITIONED PARTITIONS PIVOT PRECEDING QUALIFY RANGE REFRESH RENAME REPLACE RESET RIGHT RLIKE
ROLLUP ROW ROWS SCHEMA SCHEMAS SELECT SEMI SET SETS SHOW SMALLINT SORT STATISTICS STRING STRUCT
TABLE TABLES TABLESAMPLE TBLPROPERTIES TEMPORARY THEN TIMESTAMP TIMESTAMP_NTZ TINYINT TO TRUE
TRUNCATE UNBOUNDED UNCACHE UNION UNPIVOT UPDATE USE USING VALUES VIEW VIEWS WHEN WHERE WINDOW
WITH
""".split()


def completion_words(function_names: Iterable[str]) -> List[str]:
    words = []
    for kw in KEYWORDS:
        words += [kw, kw.lower()]
    for name in function_names:
        words.append(name + "(" if name.replace("_", "").isalpha() else name)
    return words


def sql_completer(spark):
    from prompt_toolkit.completion import WordCompleter
    try:
        names = spark._functions.names()
    except Exception:                     # completion is a convenience: never fail start-up
        names = []
    return WordCompleter(completion_words(names), ignore_case=False,
                         pattern=re.compile(r"[\w.]+"))
