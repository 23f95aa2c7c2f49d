"""VARIANT: parse_json, variant_get, schema_of_variant(_agg), casts to and from VARIANT
(Spark 4's answers, checked with Spark)."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows, schema


@pytest.mark.parametrize("sql,expected", [
    # keys sorted, decimals stripped of trailing zeros, exponent forms are doubles
    ("""SELECT parse_json('{"b":1, "a":[1.50, 1e5, -0.0, 12345678901234567890123, true, null,
        "x\\u00e9"]}') AS v, parse_json(' 1.0 ') w, parse_json('1E2') x""",
     ['{"a":[1.5,100000.0,0,12345678901234567890123,true,null,"xé"],"b":1}\t1\t100.0']),
    ("""SELECT schema_of_variant(parse_json('1.0')) a, schema_of_variant(parse_json('1e5')) b,
        schema_of_variant(parse_json('[]')) c, schema_of_variant(parse_json('[1, "a"]')) d,
        schema_of_variant(parse_json('{}')) e, schema_of_variant(parse_json('[1, 2.5, null]')) f,
        schema_of_variant(parse_json('[1.5, 2e0]')) g, schema_of_variant(parse_json('"x"')) h,
        schema_of_variant(parse_json('[{"a":1},{"b":2}]')) i""",
     ["DECIMAL(1,0)\tDOUBLE\tARRAY<VOID>\tARRAY<VARIANT>\tOBJECT<>\tARRAY<DECIMAL(21,1)>\t"
      "ARRAY<DOUBLE>\tSTRING\tARRAY<OBJECT<a: BIGINT, b: BIGINT>>"]),
    ("""SELECT cast(parse_json('{"a":1}') as string) a, cast(parse_json('"x"') as string) b,
        cast(1 as variant) c, cast('x' as variant) d, cast(parse_json('12') as int) e,
        cast(parse_json('"12"') as int) f,
        variant_get(parse_json('{"a":[1,2]}'), '$.a', 'string') g,
        variant_get(parse_json('1.5'), '$', 'int') h""",
     ['{"a":1}\tx\t1\t"x"\t12\t12\t[1,2]\t1']),
    ("""SELECT cast(parse_json('{"a":1}') as struct<a:int>) a,
        cast(parse_json('[1]') as array<string>) b,
        cast(parse_json('{"a":1}') as map<string,int>) c,
        schema_of_variant(cast(1 as variant)) d, try_cast(parse_json('"x"') as int) g""",
     ['{"a":1}\t["1"]\t{"a":1}\tBIGINT\tNULL']),
    ("SELECT is_valid_variant(parse_json(null)) a, is_valid_variant(parse_json('1')) b",
     ["NULL\ttrue"]),
    ("""SELECT variant_get(parse_json('{"a": {"b c": [0, {"d": 7}]}}'), '$.a["b c"][1].d',
        'int')""", ["7"]),
    ("""SELECT schema_of_variant_agg(parse_json(j)) FROM VALUES ('{"a": 1}'), ('{"b": true}'),
        ('{"c": 1.23}'), (NULL) AS tab(j)""", ["OBJECT<a: BIGINT, b: BOOLEAN, c: DECIMAL(3,2)>"]),
])
def test_variant_results(spark, sql, expected):
    assert rows(spark, sql) == expected


def test_variant_schema_and_names(spark):
    df = spark.sql("""SELECT parse_json('1'), variant_get(parse_json('[1]'), '$[0]', 'int'),
                      try_variant_get(parse_json('[1]'), '$[0]')""")
    assert df.columns == ["parse_json(1)", "variant_get(parse_json([1]), $[0])",
                          "try_variant_get(parse_json([1]), $[0])"]
    assert schema(spark, "SELECT parse_json('1') v").startswith("struct<v:variant")


@pytest.mark.parametrize("sql,condition", [
    ("""SELECT variant_get(parse_json('[1, "hello"]'), '$[1]', 'int')""",
     "INVALID_VARIANT_CAST"),
    ("SELECT cast(parse_json('\"x\"') as int)", "INVALID_VARIANT_CAST"),
    ("SELECT variant_get(parse_json('1'), 'a')", "INVALID_VARIANT_GET_PATH"),
    ("""SELECT parse_json('{"a":1,"a":2}')""", "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION"),
    ("""SELECT parse_json('{"a":1,')""", "MALFORMED_RECORD_IN_PARSING.WITHOUT_SUGGESTION"),
    ("SELECT to_variant_object(1)", "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION"),
    ("SELECT cast(named_struct('a', 1) as variant)", "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION"),
    ("SELECT cast(parse_json('1') as map<int,int>)", "DATATYPE_MISMATCH.CAST_WITHOUT_SUGGESTION"),
])
def test_variant_errors(spark, sql, condition):
    with pytest.raises(EmberException) as info:
        rows(spark, sql)
    assert info.value.getCondition() == condition
