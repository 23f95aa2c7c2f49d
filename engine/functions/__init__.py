"""Ember's built-in function library. Importing this package registers every function in
`ember.catalog.functions.BUILTINS`."""
from ember.engine.functions import aggregates, conditional, misc  # noqa: F401
