"""Runs statements the way Spark's `SparkSQLCLIDriver.processLine` / `processCmd` do.

A script (an `-e` string, a file, one interactive entry) is split on `;`; each statement runs,
prints its rows and its timing line; the first failure stops the rest of that script (unless
`hive.cli.errors.ignore` is set) and its status is the script's status. `quit` / `exit` end
the shell; `source <file>` runs a file, as in the Hive CLI.
"""
from __future__ import annotations

import time
from typing import List

from ember.shell.output import Printer
from ember.shell.statements import is_quit


class QuitShell(Exception):
    """Raised by `quit;` / `exit;`: the shell ends with status 0."""


def strip_comment_lines(script: str) -> str:
    """A script as Hive's CLI reads a file: lines starting with `--` are skipped."""
    return "".join(line + "\n" for line in script.splitlines() if not line.startswith("--"))


def read_script(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return strip_comment_lines(f.read())


class Driver:
    def __init__(self, spark, printer: Printer, verbose: bool = False):
        self.spark = spark
        self.printer = printer
        self.verbose = verbose

    # ------------------------------------------------------------------ scripts
    def run_script(self, script: str) -> int:
        from ember.parser import split_statements
        return self.run_statements(split_statements(script))

    def run_statements(self, statements: List[str]) -> int:
        status = 0
        for statement in statements:
            status = self.run_statement(statement)
            if status != 0 and not self._flag("hive.cli.errors.ignore"):
                return status
        return status

    def run_file(self, path: str) -> int:
        """Raises OSError when the file cannot be read; the caller decides what that means."""
        return self.run_script(read_script(path))

    # ------------------------------------------------------------------ one statement
    def run_statement(self, statement: str) -> int:
        if is_quit(statement):
            raise QuitShell()
        words = statement.split(None, 1)
        if words and words[0].lower() == "source":
            return self._source(words[1].strip() if len(words) > 1 else "")
        start = time.perf_counter_ns()
        if self.verbose:
            self.printer.echo(statement)
        try:
            names, rows = self._execute(statement)
        except Exception as e:            # every failure is reported, never a traceback
            self.printer.error(e)
            return 1
        elapsed = time.perf_counter_ns() - start
        if self._flag("spark.sql.cli.print.header") or self._flag("hive.cli.print.header"):
            # Spark's driver names the single column of a command with no output this way.
            self.printer.header(names or ["Response code"])
        self.printer.rows(rows)
        self.printer.timing(elapsed, len(rows))
        return 0

    def _execute(self, statement: str):
        from ember.engine.result_format import hive_strings
        df = self.spark.sql(statement)
        schema = df.schema
        table = df.toArrow()
        tz = self.spark.conf.get("spark.sql.session.timeZone")
        return [f.name for f in schema.fields], hive_strings(table, schema, tz)

    def _source(self, path: str) -> int:
        start = time.perf_counter_ns()
        try:
            status = self.run_file(path)
        except OSError as e:
            self.printer.info(f"Could not open input file for reading. ({os_error_text(e)})")
            return 1
        self.printer.timing(time.perf_counter_ns() - start, 0)
        return status

    def _flag(self, key: str) -> bool:
        try:
            return str(self.spark.conf.get(key, "false")).strip().lower() == "true"
        except Exception:
            return False


def os_error_text(e: OSError) -> str:
    """Java's FileNotFoundException wording: `<path> (No such file or directory)`."""
    if e.filename is not None and e.strerror:
        return f"{e.filename} ({e.strerror})"
    return str(e)
