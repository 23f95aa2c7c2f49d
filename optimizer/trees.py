"""The tree library shared by expressions and plans (Catalyst's TreeNode).

A node keeps its children in `self.children` (a tuple) and everything else in plain
attributes. Nodes are treated as immutable: transformations return copies made with
`with_new_children` / `copy_with`, so a subtree can be shared between plans safely.
"""
from __future__ import annotations

import copy
from typing import Callable, Iterator, List, Optional, Tuple, TypeVar

T = TypeVar("T", bound="TreeNode")


class TreeNode:
    children: Tuple["TreeNode", ...] = ()

    # ------------------------------------------------------------------ construction
    def with_new_children(self: T, children) -> T:
        children = tuple(children)
        if len(children) == len(self.children) and all(
                a is b for a, b in zip(children, self.children)):
            return self
        new = copy.copy(self)
        new.children = children
        new._invalidate()
        return new

    def copy_with(self: T, **attrs) -> T:
        new = copy.copy(self)
        for k, v in attrs.items():
            setattr(new, k, v)
        new._invalidate()
        return new

    def _invalidate(self) -> None:
        """Drop values cached on the instance (hash, output, ...) after a copy changed it."""
        d = self.__dict__
        for k in [k for k in d if k.startswith("_cached")]:
            del d[k]

    # ------------------------------------------------------------------ traversal
    def transform_up(self: T, rule: Callable[["TreeNode"], Optional["TreeNode"]]) -> T:
        """Apply `rule` to every node bottom-up; a rule returns a replacement or None."""
        new_children = [c.transform_up(rule) for c in self.children]
        node = self.with_new_children(new_children)
        out = rule(node)
        return node if out is None else out

    def transform_down(self: T, rule: Callable[["TreeNode"], Optional["TreeNode"]]) -> T:
        out = rule(self)
        node = self if out is None else out
        return node.with_new_children([c.transform_down(rule) for c in node.children])

    transform = transform_down

    def foreach(self, fn: Callable[["TreeNode"], None]) -> None:
        fn(self)
        for c in self.children:
            c.foreach(fn)

    def walk(self) -> Iterator["TreeNode"]:
        """Pre-order iteration over the subtree."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def collect(self, pred: Callable[["TreeNode"], bool]) -> List["TreeNode"]:
        return [n for n in self.walk() if pred(n)]

    def find(self, pred: Callable[["TreeNode"], bool]) -> Optional["TreeNode"]:
        for n in self.walk():
            if pred(n):
                return n
        return None

    def exists(self, pred: Callable[["TreeNode"], bool]) -> bool:
        return self.find(pred) is not None

    # ------------------------------------------------------------------ printing
    def node_name(self) -> str:
        return type(self).__name__

    def simple_string(self) -> str:
        """One line describing this node without its children (Spark's simpleString)."""
        return self.node_name()

    def inner_children(self) -> List["TreeNode"]:
        """Nodes printed under this one that are not children (subquery plans)."""
        return []

    def tree_string(self) -> str:
        lines: List[str] = []
        self._tree_lines(lines, [])
        return "\n".join(lines) + "\n"

    def _tree_lines(self, lines: List[str], last_flags: List[bool]) -> None:
        prefix = ""
        if last_flags:
            prefix = "".join("   " if last else ":  " for last in last_flags[:-1])
            prefix += "+- " if last_flags[-1] else ":- "
        lines.append(prefix + self.simple_string())
        inner = self.inner_children()
        kids = list(self.children)
        for i, c in enumerate(inner):
            c._tree_lines(lines, last_flags + [False if kids else i == len(inner) - 1])
        for i, c in enumerate(kids):
            c._tree_lines(lines, last_flags + [i == len(kids) - 1])
