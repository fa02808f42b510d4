"""A Spark session for `protocol screen --engine spark`: where it runs, and quietly.

The session is configured the way Spark users configure any application:
``--master`` (else ``spark.master`` from ``--conf``, ``PYSPARK_SUBMIT_ARGS`` or
``spark-defaults.conf`` under ``SPARK_CONF_DIR`` or ``SPARK_HOME``; else
``local[*]``), every ``--conf key=value``, and ``SPARK_HOME`` to run another Spark
installation than the one pyspark ships.  Spark's start-up messages (log4j, the
Java launcher) go to a log file, never into the report: the screening's output may
be a CSV on standard output.  When Spark cannot start (no pyspark, no Java, a
master that does not answer) the user gets one sentence and the end of that log,
never a traceback.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import sys
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from protocol_dsl.errors import UserError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: The master when nothing else names one: every core of this machine.
DEFAULT_MASTER = "local[*]"

#: Settings of every session, each overridden by the user's own ``--conf``: timestamps
#: read and compared in UTC as the other engines do, no progress bar on the terminal.
_DEFAULTS = {
    "spark.app.name": "protocol screen",
    "spark.sql.session.timeZone": "UTC",
    "spark.ui.showConsoleProgress": "false",
}


class SparkUnavailable(UserError):
    """Spark cannot run here: pyspark or Java is missing, or the session did not start."""


@attrs.frozen
class SparkSettings:
    """Where the session runs and the user's Spark configuration (``key=value``)."""

    master: str | None = None
    conf: tuple[tuple[str, str], ...] = ()


def parse_conf(pairs: Sequence[str]) -> tuple[tuple[str, str], ...]:
    """``--conf key=value`` options as pairs; a malformed one is the user's error."""
    parsed = []
    for pair in pairs:
        key, equals, value = pair.partition("=")
        if not equals or not key.strip():
            raise SparkUnavailable(
                f"--conf {pair!r}: write a Spark setting as key=value "
                "(for example --conf spark.driver.memory=4g)"
            )
        parsed.append((key.strip(), value))
    return tuple(parsed)


def master_url(settings: SparkSettings) -> str | None:
    """The master to set, or None when the user's Spark configuration already names one."""
    if settings.master:
        return settings.master
    if any(key == "spark.master" for key, _ in settings.conf):
        return None
    if "--master" in shlex.split(os.environ.get("PYSPARK_SUBMIT_ARGS", "")):
        return None
    for conf_dir in _conf_dirs():
        defaults = conf_dir / "spark-defaults.conf"
        if defaults.is_file() and _names_master(defaults):
            return None
    return DEFAULT_MASTER


def _conf_dirs() -> Iterator[Path]:
    if os.environ.get("SPARK_CONF_DIR"):
        yield Path(os.environ["SPARK_CONF_DIR"])
    elif os.environ.get("SPARK_HOME"):
        yield Path(os.environ["SPARK_HOME"]) / "conf"


def _names_master(defaults: Path) -> bool:
    try:
        lines = defaults.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False
    return any(line.split(None, 1)[:1] == ["spark.master"] for line in lines)


@contextlib.contextmanager
def spark_session(settings: SparkSettings) -> Iterator[SparkSession]:
    """A session started with `settings`, stopped on leaving (Spark's noise in a log file)."""
    try:
        from pyspark.errors import PySparkException
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            "the spark engine needs pyspark (install with: pip install 'protocol-dsl[spark]'); "
            "use --engine duckdb or --engine python"
        ) from None
    if not _java_found():
        raise SparkUnavailable(
            "Spark needs a Java runtime (17 or later) and none was found on PATH or in "
            "JAVA_HOME; install one, or use --engine duckdb or --engine python"
        )
    builder = SparkSession.builder
    for key, value in _DEFAULTS.items():
        builder = builder.config(key, value)
    master = master_url(settings)
    if master is not None:
        builder = builder.master(master)
    for key, value in settings.conf:
        builder = builder.config(key, value)
    with tempfile.TemporaryDirectory(prefix="protocol-spark-") as folder:
        log = Path(folder) / "spark.log"
        try:
            with quiet_process_output(log):
                session = builder.getOrCreate()
                session.sparkContext.setLogLevel("ERROR")
        except (PySparkException, OSError, RuntimeError) as error:
            raise SparkUnavailable(_start_failure(master, error, log)) from None
        try:
            yield session
        finally:
            with quiet_process_output(log):
                session.stop()


def _java_found() -> bool:
    home = os.environ.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").exists():
        return True
    return shutil.which("java") is not None


def _start_failure(master: str | None, error: Exception, log: Path) -> str:
    where = master or "the master of the Spark configuration"
    lines = [f"Spark did not start on {where}: {str(error).strip().splitlines()[0]}"]
    try:
        tail = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
    except OSError:
        tail = []
    if tail:
        lines.append("the end of Spark's log:")
        lines += [f"  {line}" for line in tail[-8:]]
    return "\n".join(lines)


@contextlib.contextmanager
def quiet_process_output(log: Path) -> Iterator[None]:
    """Standard output and error of this process, and of the Java process Spark starts
    here (it inherits them), go to `log` while inside; Python's own warnings too."""
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    target = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.dup2(target, 1)
        os.dup2(target, 2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, target):
            os.close(fd)
