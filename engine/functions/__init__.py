"""Ember's built-in function library. Importing this package registers every function in
`ember.catalog.functions.BUILTINS`."""
from ember.engine.functions import (aggregates, collections, conditional, datetime,  # noqa: F401
                                    math_funcs, misc, strings, windows)
from ember.engine.functions import aggregates_more, aggregates_percentile  # noqa: F401,E402
from ember.engine.functions import tuple_sketch  # noqa: F401,E402
from ember.engine.functions import variant  # noqa: F401,E402
