"""Numba kernels. Importing this package imports Numba (~0.3 s), so the engine imports it
only when a kernel is first needed; `SELECT 1` never pays for it."""
