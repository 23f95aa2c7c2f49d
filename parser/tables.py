"""Ember's on-disk form of the LALR parser, so that a fresh process parses within tens of ms.

Lark's own cache rebuilds all ~150k parse-table entries and every contextual lexer when it
loads (about half a second for Spark's grammar). Here each state's actions are pickled as a
separate blob and decoded the first time the parser enters that state, and each state's lexer
is built the first time it is needed; a statement touches a few hundred of the ~4,400 states.
The parsing itself is Lark's own LALR driver and lexer, unchanged.
"""
from __future__ import annotations

import os
import pickle
from typing import Dict, List

from lark import Tree
from lark.common import LexerConf
from lark.lexer import BasicLexer, ContextualLexer, LexerThread
from lark.parse_tree_builder import ParseTreeBuilder
from lark.parser_frontends import PostLexConnector
from lark.parsers.lalr_analysis import IntParseTable, Reduce, Shift
from lark.parsers.lalr_parser import LALR_Parser, _Parser

FORMAT = 1


def save(lark_parser, path: str) -> None:
    """Write `lark_parser`'s tables (a Lark LALR parser with a contextual lexer) to `path`."""
    data = as_data(lark_parser)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as f:
        pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)      # atomic: concurrent processes never read half a file


def as_data(lark_parser) -> dict:
    table = lark_parser.parser.parser._parse_table
    rules = list(lark_parser.rules)
    rule_index = {id(r): i for i, r in enumerate(rules)}
    blobs: List[bytes] = []
    accepts: Dict[tuple, int] = {}
    state_accepts: List[int] = []
    for state in range(len(table.states)):
        actions = table.states[state]
        names = tuple(actions)
        codes = tuple(arg if action is Shift else -1 - rule_index[id(arg)]
                      for action, arg in actions.values())
        blobs.append(pickle.dumps((names, codes), protocol=pickle.HIGHEST_PROTOCOL))
        state_accepts.append(accepts.setdefault(frozenset(names), len(accepts)))
    conf = lark_parser.lexer_conf
    data = {
        "format": FORMAT, "rules": rules, "terminals": list(conf.terminals),
        "ignore": list(conf.ignore), "g_regex_flags": conf.g_regex_flags,
        "start": list(lark_parser.options.start), "start_states": dict(table.start_states),
        "end_states": dict(table.end_states), "blobs": blobs,
        "accepts": [tuple(sorted(a)) for a in accepts], "state_accepts": state_accepts,
    }
    return data


class _States(dict):
    """state -> {terminal: (Shift, state) | (Reduce, rule)}, decoded on first visit."""

    def __init__(self, blobs: List[bytes], rules: list):
        super().__init__()
        self._blobs = blobs
        self._rules = rules

    def __missing__(self, state: int):
        names, codes = pickle.loads(self._blobs[state])
        rules = self._rules
        actions = {name: (Shift, code) if code >= 0 else (Reduce, rules[-1 - code])
                   for name, code in zip(names, codes)}
        self[state] = actions
        return actions


class _LazyContextualLexer(ContextualLexer):
    """Lark's contextual lexer with each state's BasicLexer built on first use."""

    def __init__(self, conf: LexerConf, accepts: List[tuple], state_accepts: List[int],
                 always_accept=()):
        self._conf = conf
        self._accepts = accepts
        self._always = set(conf.ignore) | set(always_accept)
        self._by_set: Dict[int, BasicLexer] = {}
        self._root = None
        self.lexers = _Lexers(self, state_accepts)

    def _lexer_for(self, index: int) -> BasicLexer:
        lexer = self._by_set.get(index)
        if lexer is None:
            conf = self._conf
            names = set(self._accepts[index]) | self._always
            sub = LexerConf([conf.terminals_by_name[n] for n in names
                             if n in conf.terminals_by_name],
                            conf.re_module, conf.ignore, skip_validation=True,
                            g_regex_flags=conf.g_regex_flags)
            lexer = self._by_set[index] = BasicLexer(sub)
        return lexer

    @property
    def root_lexer(self) -> BasicLexer:     # used to word errors; built only then
        if self._root is None:
            self._root = BasicLexer(self._conf)
        return self._root


class _Lexers(dict):
    def __init__(self, owner: _LazyContextualLexer, state_accepts: List[int]):
        super().__init__()
        self._owner = owner
        self._state_accepts = state_accepts

    def __missing__(self, state: int):
        lexer = self._owner._lexer_for(self._state_accepts[state])
        self[state] = lexer
        return lexer


class TableParser:
    """What Ember uses of `lark.Lark`: `parse(text, start)`, with the same tokens, errors and
    callbacks into the transformer."""

    def __init__(self, data: dict, transformer, postlex):
        import re
        rules = data["rules"]
        self.rules = rules
        self.terminals = data["terminals"]
        self.start = data["start"]
        callbacks = ParseTreeBuilder(rules, Tree, False, False, False).create_callback(
            transformer)
        table = IntParseTable(_States(data["blobs"], rules), data["start_states"],
                              data["end_states"])
        self._lalr = LALR_Parser.__new__(LALR_Parser)
        self._lalr._parse_table = table
        self._lalr.parser = _Parser(table, callbacks, False)
        conf = LexerConf(self.terminals, re, data["ignore"], skip_validation=True,
                         g_regex_flags=data["g_regex_flags"])
        lexer = _LazyContextualLexer(conf, data["accepts"], data["state_accepts"],
                                     postlex.always_accept if postlex else ())
        self._lexer = PostLexConnector(lexer, postlex) if postlex else lexer

    def parse(self, text: str, start: str):
        if start not in self.start:
            raise ValueError(f"unknown start rule {start}")
        return self._lalr.parse(LexerThread.from_text(self._lexer, text), start)


def load(path: str, transformer, postlex) -> TableParser:
    with open(path, "rb") as f:
        data = pickle.load(f)
    if data.get("format") != FORMAT:
        raise ValueError("stale parser tables")
    return TableParser(data, transformer, postlex)
