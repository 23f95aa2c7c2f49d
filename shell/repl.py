"""The interactive prompt (Spark's CLI read loop, on prompt_toolkit instead of jline).

`spark-sql (default)> ` shows the current database; a statement spans lines under an aligned
continuation prompt until a terminating `;`. Ctrl-C drops the pending input (or stops the
running statement), Ctrl-D or `quit;` / `exit;` leaves. Like Spark, the shell's exit status
is that of the last statement run.
"""
from __future__ import annotations

import os

from ember.shell.statements import feed_line

HISTORY_FILE = "~/.ember_sql_history"
PROMPT = "spark-sql"


def prompt_text(database: str) -> str:
    return f"{PROMPT} ({database})> "


def continuation_text(database: str) -> str:
    """Spaces as wide as the main prompt, so continued lines line up under it."""
    return " " * len(f"{PROMPT} ({database})") + "> "


def make_history(path: str = HISTORY_FILE):
    """History in `path`, or in memory when that file cannot be written."""
    from prompt_toolkit.history import FileHistory, InMemoryHistory
    path = os.path.expanduser(path)
    try:
        with open(path, "ab"):
            pass
    except OSError:
        return InMemoryHistory()
    return FileHistory(path)


def run_repl(spark, driver, input=None, output=None, history=None) -> int:
    """Reads and runs statements until end of input; `input`/`output` let tests drive it."""
    from prompt_toolkit import PromptSession
    from ember.shell.completion import sql_completer
    session = PromptSession(history=history if history is not None else make_history(),
                            completer=sql_completer(spark), complete_while_typing=False,
                            input=input, output=output)
    buffer, status = "", 0
    while True:
        database = spark._catalog.current_database
        try:
            line = session.prompt(continuation_text(database) if buffer
                                  else prompt_text(database))
        except KeyboardInterrupt:
            buffer = ""
            continue
        except EOFError:
            return status
        buffer, statements = feed_line(buffer, line)
        if not statements:
            continue
        try:
            status = driver.run_statements(statements)
        except KeyboardInterrupt:
            driver.printer.info("Interrupted.")
            status = 1
