"""Where Ember keeps files it can rebuild: the parser tables and generated Numba kernels."""
from __future__ import annotations

import os
import tempfile


def cache_dir(*sub: str) -> str:
    base = os.environ.get("EMBER_CACHE_DIR")
    if not base:
        xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        base = os.path.join(xdg, "ember")
    path = os.path.join(base, *sub)
    try:
        os.makedirs(path, exist_ok=True)
        if os.access(path, os.W_OK):
            return path
    except OSError:
        pass
    path = os.path.join(tempfile.gettempdir(), "ember-cache", *sub)
    os.makedirs(path, exist_ok=True)
    return path
