"""Ember: Apache Spark SQL reimplemented in Python (no JVM).

    from ember import SparkSession
    spark = SparkSession.builder.appName("demo").getOrCreate()
    spark.sql("SELECT 1 AS x").show()

Names mirror `pyspark.sql` so code ports by changing one import.
"""
__version__ = "0.1.0"

_LAZY = {
    "SparkSession": ("ember.session", "SparkSession"),
    "DataFrame": ("ember.dataframe", "DataFrame"),
    "Row": ("ember.row", "Row"),
    "Column": ("ember.column", "Column"),
    "types": ("ember.types", None),
    "errors": ("ember.errors", None),
    "functions": ("ember.functions", None),
    "StorageLevel": ("ember.storagelevel", "StorageLevel"),
}

__all__ = list(_LAZY) + ["__version__"]


def __getattr__(name):
    # Heavy modules load on first use so `import ember` stays cheap.
    try:
        module_name, attr = _LAZY[name]
    except KeyError:
        raise AttributeError(f"module 'ember' has no attribute {name!r}") from None
    import importlib
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value
