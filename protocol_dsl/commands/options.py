"""Options and helpers shared by the subcommands: output formats, colour, spec paths."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def format_option(*choices: str, default: str = "text") -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=default,
        show_default=True,
        help="Output format.",
    )


def output_file_option(help: str) -> Callable[[F], F]:
    """`-o/--output FILE`: where a command writes what it would print."""
    return click.option("-o", "--output", "output", type=click.Path(dir_okay=False), help=help)


#: The engines `screen` and `endpoints` run on; `interpreter` is another name for `python`.
ENGINES = ("python", "duckdb")


def engine_option(help: str, more: tuple[str, ...] = ()) -> Callable[[F], F]:
    """`--engine python|duckdb`, the same choice for every command that evaluates data
    (and the `more` engines of this command)."""
    return click.option(
        "--engine",
        type=click.Choice([*ENGINES, *more, "interpreter"]),
        default="python",
        show_default=True,
        callback=lambda _ctx, _param, value: "python" if value == "interpreter" else value,
        help=help,
    )


def mapping_option(func: F) -> F:
    """`--mapping NAME`: the mapping that reads source datasets (SDTM) onto the spec's forms."""
    return click.option(
        "--mapping", "mapping", help="The mapping to read SDTM datasets with (by name)."
    )(func)


def spark_options(func: F) -> F:
    """`--master URL` and `--conf KEY=VALUE`: where and how the spark engine runs."""
    func = click.option(
        "--conf",
        "spark_conf",
        multiple=True,
        metavar="KEY=VALUE",
        help="spark: a Spark setting (repeatable), as spark-submit --conf.",
    )(func)
    return click.option(
        "--master",
        metavar="URL",
        help="spark: the cluster to run on (spark://…, yarn, k8s://…); "
        "default: spark.master of the Spark configuration, else local[*].",
    )(func)


def no_color_option(func: F) -> F:
    return click.option(
        "--no-color", is_flag=True, help="No colour in the output (NO_COLOR is respected too)."
    )(func)


def expand_spec_paths(paths: tuple[str, ...]) -> Iterator[str]:
    """Files as given; folders searched for *.trial (sorted, so output is stable)."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = []
            for folder, _dirs, files in os.walk(path):
                found += [os.path.join(folder, f) for f in files if f.endswith(".trial")]
            yield from sorted(found)
        else:
            yield path


def read_stdin() -> str:
    data = sys.stdin.buffer.read()
    return data.decode("utf-8", errors="replace")


def echo(text: str, err: bool = False) -> None:
    click.echo(text, nl=False, err=err)
