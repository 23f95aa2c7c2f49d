"""The ember-sql shell: SQL in, spark-sql's stdout/stderr out.

Every test runs in a temporary working directory so the default `spark-warehouse/` lands there.
"""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from ember.shell.main import main, parse_args, UsageError
from ember.shell.output import time_taken_text
from ember.shell.repl import continuation_text, prompt_text
from ember.shell.statements import feed_line, is_complete

TIME_TAKEN = re.compile(r"^Time taken: \d+\.\d+ seconds(, Fetched \d+ row\(s\))?$")


def shell(tmp_path, *args, stdin=None):
    """ember-sql as a user runs it: a separate process, stdin not a terminal."""
    return subprocess.run([sys.executable, "-m", "ember.shell.main", *args], cwd=tmp_path,
                          input=stdin if stdin is not None else "", capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def run(tmp_path, monkeypatch, capsys):
    """ember-sql in this process: returns (status, stdout lines, stderr lines)."""
    from ember.session import SparkSession
    monkeypatch.chdir(tmp_path)
    # main() takes the active session if there is one: start from none, as a fresh process.
    monkeypatch.setattr(SparkSession, "_active", None)

    def go(*args):
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out.splitlines(), err.splitlines()
    return go


# ---------------------------------------------------------------------------- -e / -f
def test_execute_prints_rows_and_timing(tmp_path):
    p = shell(tmp_path, "-e", "SELECT 1, 'a'; SELECT 2")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["1\ta", "2"]
    err = p.stderr.splitlines()
    assert len(err) == 2 and all(TIME_TAKEN.match(line) for line in err)
    assert all(line.endswith(", Fetched 1 row(s)") for line in err)
    # The embedded metastore is created at start-up, in the working directory.
    assert (tmp_path / "spark-warehouse" / "metastore.db").is_file()


def test_file(run, tmp_path):
    (tmp_path / "q.sql").write_text("-- a comment line\nSELECT 1;\nSELECT 'x;y' AS s;\n"
                                    "/* done; */\n")
    status, out, err = run("-f", str(tmp_path / "q.sql"))
    assert status == 0
    assert out == ["1", "x;y"]
    assert len(err) == 2


def test_missing_file(run):
    status, out, err = run("-f", "no_such.sql")
    assert status == 3
    assert err == ["Could not open input file for reading. (no_such.sql (No such file or directory))"]


def test_silent_drops_timing(run):
    status, out, err = run("-S", "-e", "SELECT 1; SELECT 2")
    assert (status, out, err) == (0, ["1", "2"], [])


def test_timing_line_of_empty_result_and_command(run):
    # Spark's CLI adds ", Fetched n row(s)" only when rows were fetched.
    status, out, err = run("-e", "SELECT 1 WHERE false")
    assert status == 0 and out == []
    assert len(err) == 1 and TIME_TAKEN.match(err[0]) and "Fetched" not in err[0]


def test_time_taken_text():
    assert time_taken_text(123_456_789, 3) == "Time taken: 0.123 seconds, Fetched 3 row(s)"
    assert time_taken_text(1_500_000_000, 0) == "Time taken: 1.5 seconds"
    assert time_taken_text(400_000, 0) == "Time taken: 0.0 seconds"


def test_verbose_echoes_statements(run):
    status, out, err = run("-v", "-S", "-e", "SELECT 1;SELECT 2")
    assert out == ["SELECT 1", "1", "SELECT 2", "2"]


# ---------------------------------------------------------------------------- errors
def test_error_stops_script_with_status_1(tmp_path):
    p = shell(tmp_path, "-e", "SELECT 1; SELECT * FROM no_such_table; SELECT 3")
    assert p.returncode == 1
    assert p.stdout.splitlines() == ["1"]
    assert "[TABLE_OR_VIEW_NOT_FOUND]" in p.stderr
    assert "Traceback" not in p.stderr


def test_parse_error_message_has_no_leading_blank_line(run):
    status, out, err = run("-e", "SELEC 1")
    assert status == 1 and out == []
    assert err[0].startswith("[PARSE_SYNTAX_ERROR]")


def test_internal_error_is_reported_not_raised(run, monkeypatch):
    from ember.session import SparkSession

    def broken(self, text, *a, **k):
        raise ZeroDivisionError("boom")
    monkeypatch.setattr(SparkSession, "sql", broken)
    status, out, err = run("-e", "SELECT 1")
    assert status == 1
    assert err == ["[INTERNAL_ERROR] ZeroDivisionError: boom"]


# ---------------------------------------------------------------------------- configuration
def test_conf_sets_session_config(run):
    status, out, err = run("--conf", "spark.sql.session.timeZone=UTC",
                           "-e", "SET spark.sql.session.timeZone")
    assert status == 0
    assert out == ["spark.sql.session.timeZone\tUTC"]


def test_hiveconf_and_print_header(run):
    status, out, err = run("--hiveconf", "spark.sql.cli.print.header=true",
                           "--conf=spark.sql.session.timeZone=UTC",
                           "-S", "-e", "SELECT 1 AS a, 'x' AS b")
    assert (status, out) == (0, ["a\tb", "1\tx"])


def test_init_file_runs_first_and_silently(run, tmp_path):
    (tmp_path / "init.sql").write_text("SET spark.sql.session.timeZone=UTC;\n")
    status, out, err = run("-i", str(tmp_path / "init.sql"),
                           "-e", "SET spark.sql.session.timeZone")
    assert status == 0
    assert out == ["spark.sql.session.timeZone\tUTC", "spark.sql.session.timeZone\tUTC"]
    assert len(err) == 1        # only the -e statement's timing


def test_spark_submit_options_are_ignored(run):
    status, out, err = run("--master", "local[4]", "--name", "x", "--driver-memory", "2g",
                           "-S", "-e", "SELECT 1")
    assert (status, out) == (0, ["1"])


def test_quit_ends_the_script(run):
    status, out, err = run("-S", "-e", "SELECT 1; quit; SELECT 2")
    assert (status, out) == (0, ["1"])


def test_usage():
    with pytest.raises(UsageError):
        parse_args(["--no-such-option"])
    with pytest.raises(UsageError):
        parse_args(["--conf", "novalue"])
    opts = parse_args(["-e", "-- note\nSELECT 1", "--hivevar", "a=b=c"])
    assert opts.execute == "-- note\nSELECT 1" and opts.hivevar == [("a", "b=c")]


def test_help_and_misuse(run):
    status, out, err = run("--help")
    assert status == 0 and out[0].startswith("Usage: ember-sql")
    status, out, err = run("-e", "SELECT 1", "-f", "x.sql")
    assert status == 2 and "cannot be specified simultaneously" in err[0]


# ---------------------------------------------------------------------------- stdin
def test_piped_stdin_runs_as_a_script(tmp_path):
    p = shell(tmp_path, stdin="SELECT 1;\nSELECT 'a;b',\n  2;\n")
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["1", "a;b\t2"]
    assert len(p.stderr.splitlines()) == 2


def test_piped_stdin_error_status(tmp_path):
    p = shell(tmp_path, stdin="SELECT nope_col;\nSELECT 2;\n")
    assert p.returncode == 1
    assert p.stdout == ""
    assert "[UNRESOLVED_COLUMN" in p.stderr and "Traceback" not in p.stderr


# ---------------------------------------------------------------------------- interactive
def feed(lines):
    buffer, out = "", []
    for line in lines:
        buffer, statements = feed_line(buffer, line)
        out.append([s.strip() for s in statements])
    return buffer, out


def test_statement_completes_at_terminating_semicolon():
    buffer, out = feed(["SELECT 1,", "  2;"])
    assert buffer == "" and out == [[], ["SELECT 1,\n  2"]]


def test_semicolons_in_strings_and_comments_do_not_end_input():
    buffer, out = feed(["SELECT 'a;", "b;'", "-- note;", "/* c; */ ;"])
    assert out == [[], [], [], ["SELECT 'a;\nb;'\n-- note;\n/* c; */"]]
    assert not is_complete("SELECT 1 -- end;")
    assert not is_complete('SELECT "x;')
    assert not is_complete("SELECT /* ; */ 1")
    assert is_complete("SELECT `a;b`;  ")


def test_several_statements_on_one_line_and_pending_rest():
    buffer, out = feed(["SELECT 1; SELECT", "2;"])
    assert out == [[], ["SELECT 1", "SELECT\n2"]]
    assert feed_line("", "SELECT 1; SELECT 2") == ("SELECT 1; SELECT 2", [])


def test_comment_and_blank_lines_at_prompt_are_skipped():
    assert feed_line("", "-- just a note") == ("", [])
    assert feed_line("", "   ") == ("", [])
    assert feed_line("", ";") == ("", [])


def test_prompts_line_up():
    assert prompt_text("default") == "spark-sql (default)> "
    assert continuation_text("default") == " " * len("spark-sql (default)") + "> "


def test_repl_loop(tmp_path, monkeypatch, capsys):
    from prompt_toolkit.history import InMemoryHistory
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput
    from ember.shell.driver import Driver
    from ember.shell.main import Options, start_session
    from ember.shell.output import Printer
    from ember.shell.repl import run_repl
    monkeypatch.chdir(tmp_path)
    spark = start_session(Options())
    try:
        driver = Driver(spark, Printer(silent=True))
        with create_pipe_input() as inp:
            inp.send_text("SELECT 1,\r'x;y';\rSELEC 2;\rSELECT 3,\r\x03SELECT 4;\r\x04")
            status = run_repl(spark, driver, input=inp, output=DummyOutput(),
                              history=InMemoryHistory())
    finally:
        spark.stop()
    out, err = capsys.readouterr()
    assert out.splitlines() == ["1\tx;y", "4"]      # Ctrl-C dropped the pending `SELECT 3,`
    assert err.startswith("[PARSE_SYNTAX_ERROR]")
    assert status == 0                              # the last statement succeeded
