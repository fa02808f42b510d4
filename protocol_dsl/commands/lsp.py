"""`protocol lsp`: the language server, spoken over standard input and output.

An editor starts it and talks the Language Server Protocol with it; nothing is
printed for a person to read.  It needs the `lsp` extra (pygls).
"""

from __future__ import annotations

import click

from protocol_dsl.errors import UserError


class MissingExtra(UserError):
    """The language server's library is not installed."""


@click.command("lsp")
@click.option("--stdio", is_flag=True, help="Talk over standard input and output (the default).")
def command(stdio: bool) -> None:
    """Run the language server for editors (over standard input and output)."""
    try:
        from protocol_dsl.lsp.server import main
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in ("pygls", "lsprotocol", "cattrs"):
            raise
        raise MissingExtra(
            "the language server needs pygls: install it with pip install 'protocol-dsl[lsp]'"
        ) from None
    main()
