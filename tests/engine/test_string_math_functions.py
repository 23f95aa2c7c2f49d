"""String, math and LIKE functions: Spark's answers and column names (checked with Spark 4)."""
from __future__ import annotations

import pytest

from ember.errors import EmberException
from tests.conftest import rows


@pytest.mark.parametrize("sql,expected", [
    ("SELECT split('a.b.c', '\\\\.', 0), regexp_replace('abc', '(b)', '$1$1'), "
     "regexp_extract_all('a1b22', '(\\\\d+)', 0), initcap('hello wORLD  x'), "
     "lpad('abc', 6, 'xy'), rpad('', 3, 'z'), substring('hello', -10, 8), "
     "translate('abcabc', 'ab', 'x'), concat_ws(NULL, 'a'), repeat(NULL, 2)",
     '["a","b","c"]\tabbc\t["1","22"]\tHello World  X\txyxabc\tzzz\thel\txcxc\tNULL\tNULL'),
    ("SELECT split('abc', ''), split('', ','), split('a,b,,', ','), split(',a', ','), "
     "ltrim('x', 'xxa'), rtrim('xaxx', 'x'), regexp_extract('abc', '(x)?abc', 1), "
     "concat(1, 2), typeof(concat(x'01', x'02')), concat()",
     '["a","b","c"]\t[""]\t["a","b","",""]\t["","a"]\ta\t\t\t12\tbinary\t'),
    ("SELECT locate('a', 'abc', NULL), locate(NULL, 'abc'), instr('abc', ''), "
     "locate('', 'abc', 2), lpad('abc', -1, 'x'), lpad('ab', 5, ''), concat_ws(',', 1, 2)",
     "0\tNULL\t1\t1\t\tab\t1,2"),
    ("SELECT format_string('%5s|%-5s|%05d|%x|%.2e|%,d|%b|%S', 'ab', 'cd', 42, 255, "
     "12345.678D, 1234567, true, 'q'), format_number(1234.5, 0), format_number(2.5, 0), "
     "format_number(12332.123456, '#,###.##'), printf('%s %s %s', 1.5D, NULL, 1.0E10D), "
     "format_number(0.001D, 2), format_number(-1234.567F, 1)",
     "   ab|cd   |00042|ff|1.23e+04|1,234,567|true|Q\t1,234\t2\t12,332.12\t"
     "1.5 null 1.0E10\t0.00\t-1,234.6"),
    ("SELECT to_char(5, '9999'), to_char(1234, '9,999,999'), to_char(-5, '999'), "
     "to_char(-5, '999MI'), to_char(5, '$999'), to_char(-12.5, '99.9PR'), "
     "to_number('-12', 'S99'), try_to_number('abc', '999'), to_char(99999, '999')",
     "   5\t    1,234\t  5\t  5-\t$  5\t<12.5>\t-12\tNULL\t###"),
    ("SELECT round(2.675D, 2), round(-0.5D), bround(0.125D, 2), round(123, -1), "
     "round(125, -1), bround(125, -1), round(1.5F), ceil(-0.5D), floor(3), "
     "typeof(round(5L, -1)), round(NULL, 1), ceil(5, -1)",
     "2.68\t-1.0\t0.12\t120\t130\t120\t2.0\t0\t3\tbigint\tNULL\t10"),
    ("SELECT 'ab' ILIKE 'A%', 'ab' ILIKE 'A!%' ESCAPE '!', 'ab' LIKE ANY ('a%', 'b'), "
     "'ab' NOT LIKE ALL ('a%', 'b'), 'ab' ILIKE ANY ('A%'), 'ab' RLIKE 'a', "
     "regexp_like('a', 'a'), like('ab', 'a%'), 'a' NOT ILIKE 'b', 'ab' LIKE SOME ('x', NULL)",
     "true\tfalse\ttrue\tfalse\ttrue\ttrue\ttrue\ttrue\ttrue\tNULL"),
    ("SELECT hex(reverse(x'CAFE')), isnan(CAST('NaN' AS DOUBLE)), "
     "nanvl(CAST('NaN' AS DOUBLE), 123), isnan(NULL), nanvl(1.5, 2)",
     "FECA\ttrue\t123.0\tfalse\t1.5"),
    ("SELECT levenshtein('kitten', 'sitting', 2), soundex('Tymczak'), mask('Ab1-'), "
     "conv('100', 2, 10), conv(-10, 16, -10), bin(-13), factorial(5), width_bucket(5.3, 0.2, 10.6, 5)",
     "-1\tT522\tXxn-\t4\t-16\t1111111111111111111111111111111111111111111111111111111111110011"
     "\t120\t3"),
])
def test_function_results(spark, sql, expected):
    assert rows(spark, sql) == [expected]


def test_column_names(spark):
    df = spark.sql("SELECT upper('a'), ucase('a'), lcase('A'), len('a'), trim('a', 'b'), "
                   "btrim('xax', 'x'), substr('abc' FROM 2), position('b' IN 'abc'), "
                   "ceiling(1.5), ceil(1.5D), power(2, 3), ln(2), log(2), mod(5, 2), "
                   "sign(1), signum(1), positive(1), negative(1), e(), "
                   "'ab' LIKE ANY ('a%'), 'ab' NOT LIKE ALL ('a%'), regexp_replace('a', 'b', 'c')")
    assert df.columns == [
        "upper(a)", "ucase(a)", "lcase(A)", "len(a)", "TRIM(BOTH a FROM b)", "btrim(xax, x)",
        "substring(abc, 2, 2147483647)", "locate(b, abc, 1)", "ceiling(1.5)", "CEIL(1.5)",
        "POWER(2, 3)", "ln(2)", "LOG(E(), 2)", "mod(5, 2)", "sign(1)", "SIGNUM(1)", "(+ 1)",
        "negative(1)", "E()", "likeany(ab)", "notlikeall(ab)", "regexp_replace(a, b, c, 1)"]


def test_result_types(spark):
    df = spark.sql("SELECT round(1234.567, -2), ceil(3.14159, 2), CEIL(1.2), "
                   "greatest(1, 2.5, 2L), ceil(5, -1), to_number('12,454.8-', '99,999.9S')")
    assert [f.dataType.simpleString() for f in df.schema.fields] == [
        "decimal(5,0)", "decimal(4,2)", "decimal(2,0)", "decimal(21,1)", "decimal(11,0)",
        "decimal(6,1)"]


@pytest.mark.parametrize("sql,condition", [
    ("SELECT abs(CAST(-2147483648L AS INT))", "ARITHMETIC_OVERFLOW"),
    ("SELECT regexp_extract('abc', '(a)', 2)", "INVALID_PARAMETER_VALUE.REGEX_GROUP_INDEX"),
    ("SELECT to_number('abc', '999')", "INVALID_FORMAT.MISMATCH_INPUT"),
    ("SELECT upper('a', 'b')", "WRONG_NUM_ARGS.WITHOUT_SUGGESTION"),
])
def test_function_errors(spark, sql, condition):
    with pytest.raises(EmberException) as info:
        rows(spark, sql)
    assert info.value.getCondition() == condition


@pytest.mark.parametrize("sql,expected", [
    ("SELECT hash(1), hash(1L), hash('abcdefghijklmnopqrstuvwxyz0123456789'), hash(1.5D), "
     "hash(-0.0D), hash(NULL), hash(12.34BD), hash(DATE '2024-01-01'), "
     "hash(CAST(1 AS DECIMAL(20,2))), hash('é')",
     "-559580957\t-1712319331\t46508703\t1290763749\t-1670924195\t42\t-1028144669\t"
     "-456589419\t-295670906\t2119106806"),
    ("SELECT xxhash64('abcdefghijklmnopqrstuvwxyz0123456789'), xxhash64(1), xxhash64(1L), "
     "xxhash64('abc'), xxhash64(1.5D)",
     "2724237963427677065\t-6698625589789238999\t-7001672635703045582\t"
     "1423657621850124518\t7738255526519901366"),
    ("SELECT -5 >>> 1, -5L >>> 1, 1 << 33, bit_count(-1), ~5Y, typeof(3Y & 5S), "
     "shiftright(-8, 1), bit_get(-1Y, 7)",
     "2147483645\t9223372036854775805\t2\t64\t-6\tsmallint\t-4\t1"),
    ("SELECT parse_url('http://u@spark.apache.org:80/p?q=1#r', 'HOST'), "
     "parse_url('http://spark.apache.org/p?q=1&k=v', 'QUERY', 'k'), "
     "try_parse_url('inva lid://x', 'HOST'), url_encode('a b~*'), url_decode('a+b%2F')",
     "spark.apache.org\tv\tNULL\ta+b%7E*\ta b/"),
    ("SELECT upper('ß'), overlay('abc' PLACING 'xyz' FROM -1 FOR 2), signum(-0.0D), "
     "initcap('a-b c_d')",
     "SS\txyzabc\t-0.0\tA-b C_d"),
    ("SELECT initcap('hello   WORLD'), initcap(' a'), substring('abc', -1), "
     "substring('abc', -5, 3), split('a|b', '\\\\|'), lpad('héllo', 7, '*'), "
     "instr('ñbanana', 'an')",
     'Hello   World\t A\tc\ta\t["a","b"]\t**héllo\t3'),
    ("SELECT format_number(2.675D, 2), format_number(0.125D, 2), format_number(-0.5, 0), "
     "format_number(CAST(2.675 AS FLOAT), 2), format_number(2.675BD, 2)",
     "2.67\t0.12\t-0\t2.67\t2.68"),
])
def test_hash_bitwise_url(spark, sql, expected):
    assert rows(spark, sql) == [expected]


@pytest.mark.parametrize("sql,condition", [
    ("SELECT round(2147483647, -1)", "ARITHMETIC_OVERFLOW"),
    ("SELECT greatest(1, '2')", "DATATYPE_MISMATCH.DATA_DIFF_TYPES"),
    ("SELECT hash(map(1, 'a'))", "DATATYPE_MISMATCH.HASH_MAP_TYPE"),
    ("SELECT 'abc' RLIKE '['", "INVALID_PARAMETER_VALUE.PATTERN"),
    ("SELECT bit_get(1, 40)", "INVALID_PARAMETER_VALUE.BIT_POSITION_RANGE"),
])
def test_more_errors(spark, sql, condition):
    with pytest.raises(EmberException) as info:
        rows(spark, sql)
    assert info.value.getCondition() == condition
