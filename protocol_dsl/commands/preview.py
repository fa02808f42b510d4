"""`protocol preview SPEC [--port N] [--open]`: the protocol document, live, in a browser.

Serves the protocol document `protocol build` writes (protocol.html) on this
machine, re-generates it whenever the spec or a library it uses is saved, and
reloads the page; `?line=N` (or an editor's `POST /goto?line=N`) scrolls to the
section of the declaration at line N.  See `preview_server` for the routes.
"""

from __future__ import annotations

import sys
import threading

import click


@click.command("preview")
@click.argument("spec", type=click.Path(dir_okay=False))
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port to serve on (0: any free port; the URL is printed).",
)
@click.option(
    "--interval",
    type=click.FloatRange(0.05, 10.0),
    default=0.25,
    show_default=True,
    help="Seconds between two looks at the spec's files for a save.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in the web browser.")
def command(spec: str, port: int, interval: float, open_browser: bool) -> None:
    """Show the protocol document of SPEC in a browser, refreshed on every save."""
    from protocol_dsl.commands.preview_server import LivePreview, PreviewServer

    live = LivePreview(spec)
    try:
        server = PreviewServer(live, "127.0.0.1", port)
    except OSError as error:
        click.echo(f"error: cannot serve the preview on port {port}: {error.strerror}", err=True)
        sys.exit(1)
    watcher = threading.Thread(target=live.watch, args=(interval,), daemon=True)
    watcher.start()
    # the first line is read by editors to find the page: keep its shape
    click.echo(f"Previewing {spec} at {server.url}")
    click.echo("The page follows every save; press Ctrl+C to stop.")
    sys.stdout.flush()
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        click.echo("preview stopped")
    finally:
        live.stop()
        server.server_close()
