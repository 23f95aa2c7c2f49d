"""The Spark conformance runner: runs ../shared/conformance (Spark's own answers) against Ember.

    python -m tests.conformance --report [--dir DIR]

prints `<folder>/<file> <passed>/<total>` per file and a TOTAL line. The pytest suite
(test_conformance.py) runs the same corpus against the known-failures ratchet.
"""
