"""Spark SQL data types, their string forms, and their one-way mapping to Arrow.

Names mirror `pyspark.sql.types`. Three string forms matter and differ:
- `simpleString` / `catalogString`: lower case, what `typeof()` and result schemas print
  (`decimal(10,2)`, `struct<a:int>`, `interval day`);
- `sql`: upper case, what CAST naming prints (`CAST(x AS DECIMAL(10,2))`);
- `typeName`: the JSON name (`integer`, `long`), as PySpark.
The engine keeps the Spark type of every column in the plan; the Arrow type is derived from it
(`to_arrow`) and never the other way round, except when reading foreign data (`from_arrow`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Sequence


__all__ = [
    "DataType", "NullType", "BooleanType", "ByteType", "ShortType", "IntegerType", "LongType",
    "FloatType", "DoubleType", "DecimalType", "StringType", "CharType", "VarcharType",
    "BinaryType", "DateType", "TimestampType", "TimestampNTZType", "DayTimeIntervalType",
    "YearMonthIntervalType", "ArrayType", "MapType", "StructField", "StructType",
    "to_arrow", "from_arrow", "NumericType", "IntegralType", "FractionalType", "TimeType",
    "CalendarIntervalType", "VariantType",
]


class DataType:
    """Base of every Spark data type. Instances are immutable value objects."""

    _simple: str = ""

    def simpleString(self) -> str:
        return self._simple

    def catalogString(self) -> str:
        return self.simpleString()

    def sql(self) -> str:
        return self.simpleString().upper()

    def typeName(self) -> str:
        return self.simpleString()

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def __eq__(self, other) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    # How many bytes Spark assumes a value takes (used by statistics estimation).
    def defaultSize(self) -> int:
        return 8


class AtomicType(DataType):
    pass


class NumericType(AtomicType):
    pass


class IntegralType(NumericType):
    bits: int = 0

    @property
    def min_value(self) -> int:
        return -(1 << (self.bits - 1))

    @property
    def max_value(self) -> int:
        return (1 << (self.bits - 1)) - 1

    def defaultSize(self) -> int:
        return self.bits // 8


class FractionalType(NumericType):
    pass


class NullType(DataType):
    _simple = "void"

    def typeName(self) -> str:
        return "void"

    def defaultSize(self) -> int:
        return 1


class BooleanType(AtomicType):
    _simple = "boolean"

    def defaultSize(self) -> int:
        return 1


class ByteType(IntegralType):
    _simple = "tinyint"
    bits = 8

    def typeName(self) -> str:
        return "byte"


class ShortType(IntegralType):
    _simple = "smallint"
    bits = 16

    def typeName(self) -> str:
        return "short"


class IntegerType(IntegralType):
    _simple = "int"
    bits = 32

    def typeName(self) -> str:
        return "integer"


class LongType(IntegralType):
    _simple = "bigint"
    bits = 64

    def typeName(self) -> str:
        return "long"


class FloatType(FractionalType):
    _simple = "float"

    def defaultSize(self) -> int:
        return 4


class DoubleType(FractionalType):
    _simple = "double"


class DecimalType(FractionalType):
    MAX_PRECISION = 38
    MAX_SCALE = 38

    def __init__(self, precision: int = 10, scale: int = 0):
        self.precision = precision
        self.scale = scale

    def simpleString(self) -> str:
        return f"decimal({self.precision},{self.scale})"

    def typeName(self) -> str:
        return self.simpleString()

    def __repr__(self) -> str:
        return f"DecimalType({self.precision}, {self.scale})"

    def __eq__(self, other) -> bool:
        return (isinstance(other, DecimalType) and self.precision == other.precision
                and self.scale == other.scale)

    def __hash__(self) -> int:
        return hash(("decimal", self.precision, self.scale))

    def defaultSize(self) -> int:
        return 8 if self.precision <= 18 else 16

    @staticmethod
    def bounded(precision: int, scale: int) -> "DecimalType":
        return DecimalType(min(precision, 38), min(scale, 38))

    @staticmethod
    def for_integral(dt: DataType) -> "DecimalType":
        """The decimal type that holds every value of an integral type exactly (Spark's
        DecimalType.forType)."""
        return {ByteType: DecimalType(3, 0), ShortType: DecimalType(5, 0),
                IntegerType: DecimalType(10, 0), LongType: DecimalType(20, 0)}[type(dt)]


class StringType(AtomicType):
    _simple = "string"

    def defaultSize(self) -> int:
        return 20


class CharType(StringType):
    def __init__(self, length: int):
        self.length = length

    def simpleString(self) -> str:
        return f"char({self.length})"

    def __eq__(self, other) -> bool:
        return isinstance(other, CharType) and other.length == self.length

    def __hash__(self) -> int:
        return hash(("char", self.length))

    def __repr__(self) -> str:
        return f"CharType({self.length})"


class VarcharType(StringType):
    def __init__(self, length: int):
        self.length = length

    def simpleString(self) -> str:
        return f"varchar({self.length})"

    def __eq__(self, other) -> bool:
        return isinstance(other, VarcharType) and other.length == self.length

    def __hash__(self) -> int:
        return hash(("varchar", self.length))

    def __repr__(self) -> str:
        return f"VarcharType({self.length})"


class BinaryType(AtomicType):
    _simple = "binary"

    def defaultSize(self) -> int:
        return 100


class VariantType(AtomicType):
    """Spark 4's VARIANT. Ember stores a value as tagged JSON text in an Arrow string column
    (see engine/functions/variant.py)."""
    _simple = "variant"

    def defaultSize(self) -> int:
        return 2048


class DateType(AtomicType):
    _simple = "date"

    def defaultSize(self) -> int:
        return 4


class TimestampType(AtomicType):
    _simple = "timestamp"


class TimestampNTZType(AtomicType):
    _simple = "timestamp_ntz"


class TimeType(AtomicType):
    """TIME(p). Spark 4.3 parses it but refuses to use it unless spark.sql.timeType.enabled;
    Ember likewise raises UNSUPPORTED_TIME_TYPE when a query uses it."""

    def __init__(self, precision: int = 6):
        self.precision = precision

    def simpleString(self) -> str:
        return f"time({self.precision})"

    def __eq__(self, other) -> bool:
        return isinstance(other, TimeType) and other.precision == self.precision

    def __hash__(self) -> int:
        return hash(("time", self.precision))


class CalendarIntervalType(DataType):
    """The legacy `interval` type (months, days and microseconds together)."""
    _simple = "interval"


class _IntervalType(AtomicType):
    FIELD_NAMES: Sequence[str] = ()

    def __init__(self, startField: Optional[int] = None, endField: Optional[int] = None):
        if startField is None:
            startField, endField = 0, len(self.FIELD_NAMES) - 1
        elif endField is None:
            endField = startField
        self.startField = startField
        self.endField = endField

    def simpleString(self) -> str:
        start, end = self.FIELD_NAMES[self.startField], self.FIELD_NAMES[self.endField]
        if start == end:
            return f"interval {start}"
        return f"interval {start} to {end}"

    def __eq__(self, other) -> bool:
        return (type(other) is type(self) and other.startField == self.startField
                and other.endField == self.endField)

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.startField, self.endField))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.startField}, {self.endField})"


class DayTimeIntervalType(_IntervalType):
    DAY, HOUR, MINUTE, SECOND = 0, 1, 2, 3
    FIELD_NAMES = ("day", "hour", "minute", "second")


class YearMonthIntervalType(_IntervalType):
    YEAR, MONTH = 0, 1
    FIELD_NAMES = ("year", "month")

    def defaultSize(self) -> int:
        return 4


class ArrayType(DataType):
    def __init__(self, elementType: DataType, containsNull: bool = True):
        self.elementType = elementType
        self.containsNull = containsNull

    def simpleString(self) -> str:
        return f"array<{self.elementType.simpleString()}>"

    def catalogString(self) -> str:
        return f"array<{self.elementType.catalogString()}>"

    def sql(self) -> str:
        return f"ARRAY<{self.elementType.sql()}>"

    def typeName(self) -> str:
        return "array"

    def __eq__(self, other) -> bool:
        return (isinstance(other, ArrayType) and self.elementType == other.elementType
                and self.containsNull == other.containsNull)

    def __hash__(self) -> int:
        return hash(("array", self.elementType, self.containsNull))

    def __repr__(self) -> str:
        return f"ArrayType({self.elementType!r}, {self.containsNull})"


class MapType(DataType):
    def __init__(self, keyType: DataType, valueType: DataType, valueContainsNull: bool = True):
        self.keyType = keyType
        self.valueType = valueType
        self.valueContainsNull = valueContainsNull

    def simpleString(self) -> str:
        return f"map<{self.keyType.simpleString()},{self.valueType.simpleString()}>"

    def catalogString(self) -> str:
        return f"map<{self.keyType.catalogString()},{self.valueType.catalogString()}>"

    def sql(self) -> str:
        return f"MAP<{self.keyType.sql()}, {self.valueType.sql()}>"

    def typeName(self) -> str:
        return "map"

    def __eq__(self, other) -> bool:
        return (isinstance(other, MapType) and self.keyType == other.keyType
                and self.valueType == other.valueType
                and self.valueContainsNull == other.valueContainsNull)

    def __hash__(self) -> int:
        return hash(("map", self.keyType, self.valueType, self.valueContainsNull))

    def __repr__(self) -> str:
        return f"MapType({self.keyType!r}, {self.valueType!r}, {self.valueContainsNull})"


@dataclass(frozen=True)
class StructField:
    name: str
    dataType: DataType
    nullable: bool = True
    metadata: Optional[dict] = None

    def simpleString(self) -> str:
        return f"{self.name}:{self.dataType.simpleString()}"

    def __hash__(self) -> int:
        return hash((self.name, self.dataType, self.nullable))

    def __eq__(self, other) -> bool:
        return (isinstance(other, StructField) and self.name == other.name
                and self.dataType == other.dataType and self.nullable == other.nullable)

    @property
    def comment(self) -> Optional[str]:
        return (self.metadata or {}).get("comment")


class StructType(DataType):
    def __init__(self, fields: Optional[Sequence[StructField]] = None):
        self.fields = list(fields or [])

    def add(self, name, dataType=None, nullable=True, metadata=None) -> "StructType":
        if isinstance(name, StructField):
            self.fields.append(name)
        else:
            self.fields.append(StructField(name, dataType, nullable, metadata))
        return self

    @property
    def names(self) -> list:
        return [f.name for f in self.fields]

    def fieldNames(self) -> list:
        return self.names

    def simpleString(self) -> str:
        return "struct<" + ",".join(
            f"{f.name}:{f.dataType.simpleString()}" for f in self.fields) + ">"

    def catalogString(self) -> str:
        return "struct<" + ",".join(
            f"{f.name}:{f.dataType.catalogString()}" for f in self.fields) + ">"

    def sql(self) -> str:
        return "STRUCT<" + ", ".join(
            f"{_quote(f.name)}: {f.dataType.sql()}" for f in self.fields) + ">"

    def typeName(self) -> str:
        return "struct"

    def treeString(self) -> str:
        """`printSchema()` text, as Spark prints it."""
        lines = ["root"]

        def walk(dt: DataType, prefix: str):
            if isinstance(dt, StructType):
                for f in dt.fields:
                    lines.append(f"{prefix}-- {f.name}: {f.dataType.typeName()} "
                                 f"(nullable = {str(f.nullable).lower()})")
                    walk(f.dataType, prefix + "    |")
            elif isinstance(dt, ArrayType):
                lines.append(f"{prefix}-- element: {dt.elementType.typeName()} "
                             f"(containsNull = {str(dt.containsNull).lower()})")
                walk(dt.elementType, prefix + "    |")
            elif isinstance(dt, MapType):
                lines.append(f"{prefix}-- key: {dt.keyType.typeName()}")
                walk(dt.keyType, prefix + "    |")
                lines.append(f"{prefix}-- value: {dt.valueType.typeName()} "
                             f"(valueContainsNull = {str(dt.valueContainsNull).lower()})")
                walk(dt.valueType, prefix + "    |")

        walk(self, " |")
        return "\n".join(lines) + "\n"

    def __iter__(self):
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def __getitem__(self, key):
        if isinstance(key, int):
            return self.fields[key]
        for f in self.fields:
            if f.name == key:
                return f
        raise KeyError(key)

    def __eq__(self, other) -> bool:
        return isinstance(other, StructType) and self.fields == other.fields

    def __hash__(self) -> int:
        return hash(tuple(self.fields))

    def __repr__(self) -> str:
        return f"StructType({self.fields!r})"


def _quote(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# ---------------------------------------------------------------------------------------------
# Arrow mapping (Spark -> Arrow is the one direction the engine relies on)

_ARROW_ATOMIC: dict = {}


def _arrow_atomic() -> dict:
    """Built on first use: the parser and analyzer need Spark types, not pyarrow."""
    if not _ARROW_ATOMIC:
        import pyarrow as pa
        _ARROW_ATOMIC.update({
            NullType: pa.null(), BooleanType: pa.bool_(), ByteType: pa.int8(),
            ShortType: pa.int16(), IntegerType: pa.int32(), LongType: pa.int64(),
            FloatType: pa.float32(), DoubleType: pa.float64(), StringType: pa.string(),
            CharType: pa.string(), VarcharType: pa.string(), BinaryType: pa.binary(),
            VariantType: pa.string(),
            DateType: pa.date32(), TimestampType: pa.timestamp("us", tz="UTC"),
            TimestampNTZType: pa.timestamp("us"), DayTimeIntervalType: pa.duration("us"),
            YearMonthIntervalType: pa.int32(), CalendarIntervalType: pa.month_day_nano_interval(),
        })
    return _ARROW_ATOMIC


def to_arrow(dt: DataType) -> pa.DataType:
    import pyarrow as pa
    atomic = _arrow_atomic().get(type(dt))
    if atomic is not None:
        return atomic
    if isinstance(dt, DecimalType):
        return pa.decimal128(dt.precision, dt.scale)
    if isinstance(dt, ArrayType):
        # Arrow requires NULL-typed fields to be nullable (array() is array<void>)
        return pa.list_(pa.field("element", to_arrow(dt.elementType),
                                 dt.containsNull or isinstance(dt.elementType, NullType)))
    if isinstance(dt, MapType):
        # map() is map<void,void>: Arrow map keys cannot be NULL-typed, so its (always empty)
        # keys are stored as int32
        key = pa.int32() if isinstance(dt.keyType, NullType) else to_arrow(dt.keyType)
        return pa.map_(key, pa.field("value", to_arrow(dt.valueType),
                                     dt.valueContainsNull or isinstance(dt.valueType, NullType)))
    if isinstance(dt, StructType):
        return pa.struct([pa.field(f.name, to_arrow(f.dataType),
                                   f.nullable or isinstance(f.dataType, NullType))
                          for f in dt.fields])
    raise TypeError(f"no Arrow type for {dt!r}")


def to_arrow_schema(schema: StructType) -> pa.Schema:
    import pyarrow as pa
    return pa.schema([pa.field(f.name, to_arrow(f.dataType), f.nullable) for f in schema.fields])


def from_arrow(at: pa.DataType) -> DataType:
    """The Spark type Ember gives to foreign Arrow data (Parquet files, createDataFrame)."""
    import pyarrow as pa
    t = pa.types
    if t.is_null(at):
        return NullType()
    if t.is_boolean(at):
        return BooleanType()
    if t.is_int8(at):
        return ByteType()
    if t.is_int16(at) or t.is_uint8(at):
        return ShortType()
    if t.is_int32(at) or t.is_uint16(at):
        return IntegerType()
    if t.is_int64(at) or t.is_uint32(at):
        return LongType()
    if t.is_uint64(at):
        return DecimalType(20, 0)
    if t.is_float16(at) or t.is_float32(at):
        return FloatType()
    if t.is_float64(at):
        return DoubleType()
    if t.is_decimal(at):
        return DecimalType(at.precision, at.scale)
    if t.is_string(at) or t.is_large_string(at) or t.is_string_view(at):
        return StringType()
    if t.is_binary(at) or t.is_large_binary(at) or t.is_fixed_size_binary(at) \
            or t.is_binary_view(at):
        return BinaryType()
    if t.is_date(at):
        return DateType()
    if t.is_timestamp(at):
        return TimestampType() if at.tz is not None else TimestampNTZType()
    if t.is_duration(at):
        return DayTimeIntervalType()
    if t.is_dictionary(at):
        return from_arrow(at.value_type)
    if t.is_list(at) or t.is_large_list(at) or t.is_fixed_size_list(at) or t.is_list_view(at):
        return ArrayType(from_arrow(at.value_type), at.value_field.nullable)
    if t.is_map(at):
        return MapType(from_arrow(at.key_type), from_arrow(at.item_type),
                       at.item_field.nullable)
    if t.is_struct(at):
        return StructType([StructField(at.field(i).name, from_arrow(at.field(i).type),
                                       at.field(i).nullable) for i in range(at.num_fields)])
    raise TypeError(f"unsupported Arrow type {at}")


def schema_from_arrow(schema: pa.Schema) -> StructType:
    return StructType([StructField(f.name, from_arrow(f.type), f.nullable) for f in schema])


# Convenience predicates used across the analyzer and engine
def is_numeric(dt: DataType) -> bool:
    return isinstance(dt, NumericType)


def is_integral(dt: DataType) -> bool:
    return isinstance(dt, IntegralType)


def is_string(dt: DataType) -> bool:
    return isinstance(dt, StringType)
