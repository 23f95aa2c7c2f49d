"""`ember-sql` / `spark-sql`: Spark's SQL command-line shell (SparkSQLCLIDriver), in Ember.

    ember-sql -e "SELECT 1"          run statements given on the command line
    ember-sql -f script.sql          run a script file
    ember-sql                        interactive prompt (stdin a terminal) or read stdin

Start-up stays light: the engine and prompt_toolkit are imported only when needed.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

# Exit statuses of Spark's CLI (SparkExitCode).
EXIT_SUCCESS = 0
EXIT_FAILURE = 1
EXIT_MISUSE = 2
EXIT_PATH_NOT_FOUND = 3

USAGE = """\
Usage: ember-sql [options] [cli option]

CLI options:
 -d,--define <key=value>          Variable substitution to apply to Hive
                                  commands. e.g. -d A=B or --define A=B
    --database <databasename>     Specify the database to use
 -e <quoted-query-string>         SQL from command line
 -f <filename>                    SQL from files
 -H,--help                        Print help information
    --hiveconf <property=value>   Use value for given property
    --hivevar <key=value>         Variable substitution to apply to Hive
                                  commands. e.g. --hivevar A=B
 -i <filename>                    Initialization SQL file
 -S,--silent                      Silent mode in interactive shell
 -v,--verbose                     Verbose mode (echo executed SQL to the
                                  console)

Options:
  --conf, -c PROP=VALUE           Arbitrary Spark configuration property.
  --master, --name, --driver-memory and the other spark-submit options
  are accepted and ignored: Ember runs in this process.
"""

# spark-submit options taking a value, accepted for compatibility and ignored.
_IGNORED_WITH_VALUE = {
    "--master", "--deploy-mode", "--class", "--jars", "--packages", "--exclude-packages",
    "--repositories", "--files", "--py-files", "--archives", "--properties-file",
    "--driver-memory", "--driver-java-options", "--driver-library-path", "--driver-class-path",
    "--driver-cores", "--executor-memory", "--executor-cores", "--num-executors",
    "--total-executor-cores", "--queue", "--principal", "--keytab", "--proxy-user",
}
_IGNORED_FLAGS = {"--supervise"}


class UsageError(Exception):
    pass


@dataclass
class Options:
    execute: Optional[str] = None
    file: Optional[str] = None
    init_files: List[str] = field(default_factory=list)
    conf: List[Tuple[str, str]] = field(default_factory=list)
    hiveconf: List[Tuple[str, str]] = field(default_factory=list)
    hivevar: List[Tuple[str, str]] = field(default_factory=list)
    database: Optional[str] = None
    name: Optional[str] = None
    silent: bool = False
    verbose: bool = False
    help: bool = False


def parse_args(argv: List[str]) -> Options:
    """Hand-rolled so that a value may start with `-` (`-e "-- note\nSELECT 1"`)."""
    opts = Options()
    args = list(argv)
    i = 0

    def value(flag: str) -> str:
        nonlocal i
        if i >= len(args):
            raise UsageError(f"Missing argument for option: {flag.lstrip('-')}")
        i += 1
        return args[i - 1]

    while i < len(args):
        arg = args[i]
        i += 1
        flag, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        if eq:
            args.insert(i, inline)         # `--conf=k=v` reads like `--conf k=v`
        if flag == "-e":
            opts.execute = value(flag)
        elif flag == "-f":
            opts.file = value(flag)
        elif flag == "-i":
            opts.init_files.append(value(flag))
        elif flag in ("--conf", "-c"):
            opts.conf.append(_key_value(value(flag), "Spark config"))
        elif flag == "--hiveconf":
            opts.hiveconf.append(_key_value(value(flag), "hiveconf"))
        elif flag in ("--hivevar", "-d", "--define"):
            opts.hivevar.append(_key_value(value(flag), "hivevar"))
        elif flag == "--database":
            opts.database = value(flag)
        elif flag == "--name":
            opts.name = value(flag)
        elif flag in ("-S", "--silent"):
            opts.silent = True
        elif flag in ("-v", "--verbose"):
            opts.verbose = True
        elif flag in ("-h", "-H", "--help"):
            opts.help = True
        elif flag in _IGNORED_WITH_VALUE:
            value(flag)
        elif flag in _IGNORED_FLAGS:
            pass
        else:
            raise UsageError(f"Unrecognized option: {arg}")
    return opts


def _key_value(text: str, what: str) -> Tuple[str, str]:
    key, eq, val = text.partition("=")
    if not eq or not key.strip():
        raise UsageError(f"{what} without '=': {text}")
    return key.strip(), val


def start_session(opts: Options):
    """The session, configured as spark-submit would: `--conf`, then hive variables, then
    `--hiveconf` (set last, so they win); the embedded metastore is created at start-up."""
    from ember.session import SparkSession
    builder = SparkSession.builder.appName(opts.name or "ember-sql")
    for key, val in opts.conf + opts.hivevar:
        builder.config(key, val)
    conf_keys = {k for k, _ in opts.conf}
    for key, val in opts.hiveconf:
        if key == "hive.metastore.warehouse.dir":
            # Spark takes Hive's warehouse setting only when spark.sql.warehouse.dir is unset.
            if "spark.sql.warehouse.dir" not in conf_keys:
                builder.config("spark.sql.warehouse.dir", val)
            continue
        builder.config(key, val)
    spark = builder.getOrCreate()
    spark._catalog.metastore
    return spark


def main(argv: Optional[List[str]] = None) -> int:
    try:
        opts = parse_args(sys.argv[1:] if argv is None else argv)
    except UsageError as e:
        sys.stderr.write(f"{e}\n{USAGE}")
        return EXIT_FAILURE
    if opts.help:
        sys.stdout.write(USAGE)
        return EXIT_SUCCESS
    if opts.execute is not None and opts.file is not None:
        sys.stderr.write("The '-e' and '-f' options cannot be specified simultaneously\n" + USAGE)
        return EXIT_MISUSE
    from ember.shell.driver import QuitShell
    spark = None
    try:
        spark = start_session(opts)
        return run(spark, opts)
    except QuitShell:
        return EXIT_SUCCESS
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return 130
    except BrokenPipeError:
        _silence_stdout()                  # the reader went away (`| head`): stop quietly
        return EXIT_FAILURE
    except Exception as e:                 # start-up failed (bad conf value, metastore, ...)
        from ember.shell.output import error_text
        sys.stderr.write(error_text(e) + "\n")
        return EXIT_FAILURE
    finally:
        if spark is not None:
            spark.stop()


def run(spark, opts: Options) -> int:
    from ember.shell.driver import Driver
    from ember.shell.output import Printer
    printer = Printer(silent=opts.silent)
    driver = Driver(spark, printer, verbose=opts.verbose)

    if opts.database is not None:
        try:
            spark.sql(f"USE {opts.database}")
        except Exception as e:             # Spark's CLI dies here too
            printer.error(e)
            return EXIT_FAILURE

    # -i files run first, always silently (Hive's processInitFiles).
    printer.silent = True
    for path in opts.init_files:
        status = _run_file(driver, path)
        if status != 0:
            return status
    printer.silent = opts.silent

    if opts.execute is not None:
        return driver.run_script(opts.execute)
    if opts.file is not None:
        return _run_file(driver, opts.file)
    if sys.stdin is not None and sys.stdin.isatty():
        from ember.shell.repl import run_repl
        return run_repl(spark, driver)
    from ember.shell.driver import strip_comment_lines
    return driver.run_script(strip_comment_lines(sys.stdin.read()) if sys.stdin else "")


def _run_file(driver, path: str) -> int:
    try:
        return driver.run_file(path)
    except OSError as e:
        from ember.shell.driver import os_error_text
        driver.printer.info(f"Could not open input file for reading. ({os_error_text(e)})")
        return EXIT_PATH_NOT_FOUND


def _silence_stdout() -> None:
    import os
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
