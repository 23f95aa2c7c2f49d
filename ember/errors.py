"""Ember's exceptions: every user-facing error carries Spark's error condition and SQLSTATE.

All of them derive from `EmberException` (alias `PySparkException`, so code written against
`pyspark.errors` ports by changing the import). The message is built from Spark's template
for the condition (`ember.error_conditions`), so `str(e)` reads as Spark's would:
`[DIVIDE_BY_ZERO] Division by zero. ... SQLSTATE: 22012`.
"""
from __future__ import annotations

from typing import Dict, Optional

from ember.error_conditions import render_message, sql_state_of


class EmberException(Exception):
    """Base of every Ember error; mirrors PySpark's `PySparkException` accessors."""

    def __init__(self, condition: str, message: Optional[str] = None, /, *,
                 parameters: Optional[Dict[str, str]] = None, cause: Optional[BaseException] = None,
                 **params):
        self.condition = condition
        self.parameters = dict(parameters or {}, **{k: str(v) for k, v in params.items()})
        self.sql_state = sql_state_of(condition)
        self.message = message if message is not None else render_message(condition,
                                                                            self.parameters)
        self.context = ""          # extra text appended after the message (plan, SQL excerpt)
        if cause is not None:
            self.__cause__ = cause
        super().__init__(self.message)

    # --- PySpark's accessors
    def getCondition(self) -> str:
        return self.condition

    def getErrorClass(self) -> str:        # the pre-4.0 name of getCondition
        return self.condition

    def getSqlState(self) -> Optional[str]:
        return self.sql_state

    def getMessageParameters(self) -> Dict[str, str]:
        return dict(self.parameters)

    def getMessage(self) -> str:
        return str(self)

    def _head(self) -> str:
        head = f"[{self.condition}] {self.message}"
        if self.sql_state:
            head += f" SQLSTATE: {self.sql_state}"
        return head

    def __str__(self) -> str:
        return self._head() + self.context


PySparkException = EmberException


class AnalysisException(EmberException):
    """A query that is well-formed but cannot be resolved or checked (Spark's
    AnalysisException). `line`/`pos` locate the offending expression when known."""

    def __init__(self, condition: str, message: Optional[str] = None, /, *, line=None,
                 pos=None, **kw):
        super().__init__(condition, message, **kw)
        self.line = line
        self.pos = pos

    def __str__(self) -> str:
        head = self._head()
        if self.line is not None:
            head += f"; line {self.line} pos {self.pos}"
        return head + self.context


class ParseException(AnalysisException):
    """SQL text that does not parse; carries the position and the caret excerpt Spark prints."""

    def __init__(self, condition: str = "PARSE_SYNTAX_ERROR", message: Optional[str] = None,
                 /, *, command: Optional[str] = None, line: Optional[int] = None,
                 pos: Optional[int] = None, stop: Optional[int] = None, **kw):
        super().__init__(condition, message, line=line, pos=pos, **kw)
        self.command = command
        self.stop = stop

    def __str__(self) -> str:
        text = "\n" + self._head()
        if self.line is not None:
            text += f" (line {self.line}, pos {self.pos})"
        if self.command is not None:
            text += "\n\n== SQL ==\n"
            lines = self.command.split("\n")
            if self.line is None:
                text += self.command
            else:
                before = lines[:self.line]
                after = lines[self.line:]
                text += "\n".join(before) + "\n" + "-" * self.pos + "^^^"
                if after:
                    text += "\n" + "\n".join(after)
        return text


class SparkRuntimeException(EmberException):
    """An error raised while a query runs (bad data, not a bad query)."""


class ArithmeticException(SparkRuntimeException):
    """Overflow, division by zero and other ANSI arithmetic errors."""


class NumberFormatException(SparkRuntimeException):
    """CAST_INVALID_INPUT and friends: a string that is not a number of the target type."""


class DateTimeException(SparkRuntimeException):
    """Invalid dates, timestamps and datetime fields."""


class ArrayIndexOutOfBoundsException(SparkRuntimeException):
    pass


class NoSuchElementException(SparkRuntimeException):
    pass


class IllegalArgumentException(EmberException):
    pass


class UnsupportedOperationException(EmberException):
    """A construct Spark supports that Ember does not run yet, or that Spark refuses."""


class SparkUpgradeException(SparkRuntimeException):
    pass


class TempTableAlreadyExistsException(AnalysisException):
    pass


class NoSuchTableException(AnalysisException):
    pass


def not_supported(feature: str) -> UnsupportedOperationException:
    """The error for a construct Ember parses but cannot execute yet."""
    return UnsupportedOperationException("UNSUPPORTED_FEATURE.EMBER", feature=feature)
