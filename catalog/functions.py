"""The function registry: SQL function names to builders.

A builder takes the resolved argument expressions (and the call node, for DISTINCT, FILTER
and naming details) and returns the expression implementing the call. Names are
case-insensitive. The engine's built-in library registers itself here.
"""
from __future__ import annotations

from typing import Callable, Dict, Iterable, List, Optional


class FunctionInfo:
    def __init__(self, name: str, builder: Callable, kind: str = "scalar", usage: str = "",
                 group: str = ""):
        self.name = name
        self.builder = builder
        self.kind = kind            # scalar | aggregate | window | generator | table
        self.usage = usage
        self.group = group


class FunctionRegistry:
    def __init__(self, parent: Optional["FunctionRegistry"] = None):
        self._functions: Dict[str, FunctionInfo] = {}
        self.parent = parent

    def register(self, names: Iterable[str], builder: Callable, kind: str = "scalar",
                 usage: str = "", group: str = "") -> None:
        for name in names:
            self._functions[name.lower()] = FunctionInfo(name, builder, kind, usage, group)

    def lookup(self, name: str) -> Optional[FunctionInfo]:
        info = self._functions.get(name.lower())
        if info is None and self.parent is not None:
            return self.parent.lookup(name)
        return info

    def exists(self, name: str) -> bool:
        return self.lookup(name) is not None

    def drop(self, name: str) -> bool:
        return self._functions.pop(name.lower(), None) is not None

    def names(self) -> List[str]:
        out = set(self._functions)
        if self.parent is not None:
            out |= set(self.parent.names())
        return sorted(out)


BUILTINS = FunctionRegistry()


def builtin(*names: str, kind: str = "scalar", usage: str = "", group: str = ""):
    """Decorator registering a builder under one or more SQL names."""
    def wrap(builder):
        BUILTINS.register(names, builder, kind, usage, group)
        return builder
    return wrap
