"""``serve``: the web app and REST API (``makertime.web``) on Uvicorn."""

from __future__ import annotations

import json
import os
import socket
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from makertime.cli.app import NowOpt, StoreOpt, app, err, friendly
from makertime.errors import OptionError, param

if TYPE_CHECKING:
    from makertime.web.settings import WebSettings

TOKEN_VARIABLE = "MAKERTIME_TOKEN"

HostOpt = Annotated[str, typer.Option(
    "--host", metavar="H", help="Address to listen on. On loopback (the default) no login is "
    f"needed; anywhere else a token is: ${TOKEN_VARIABLE}, or one made and printed once.")]
PortOpt = Annotated[int, typer.Option("--port", metavar="P", help="Port to listen on.")]


@app.command()
@friendly
def serve(
    host: HostOpt = "127.0.0.1",
    port: PortOpt = 8765,
    db: StoreOpt = None,
    now: NowOpt = None,
    time_limit: Annotated[float, typer.Option(
        "--time-limit", metavar="S", help="How long a plan or replan may search.")] = 10.0,
    workers: Annotated[int | None, typer.Option(
        "--workers", metavar="N", help="Search threads (default: every core).")] = None,
    processes: Annotated[int | None, typer.Option(
        "--processes", metavar="N", help="Server processes, each answering a core's worth of "
        "requests (default: one per core, at most 4; changes still go one at a time).")] = None,
    cert: Annotated[Path | None, typer.Option(
        "--cert", metavar="FILE", help="TLS certificate (PEM): serve HTTPS, and the session "
        "cookie is sent over HTTPS only.")] = None,
    key: Annotated[Path | None, typer.Option(
        "--key", metavar="FILE", help="The certificate's private key (PEM).")] = None,
) -> None:
    """Serve the web app and the REST API (/api/v1) over the store.

    The pages show the week (drag a block to move it: it is pinned there and the rest of the
    week is repaired), the tasks, the interruptions, the audit and its trend, the team's
    rotation, the sources and the policy; every action is an API call too (the OpenAPI
    document is /api/v1/openapi.json).

    Example: `makertime serve`, then open http://127.0.0.1:8765
    """
    from makertime.web.settings import WebSettings

    settings = WebSettings(db=db, host=host, port=port, now=now, time_limit=time_limit,
                           workers=workers, https=cert is not None,
                           processes=default_processes() if processes is None else processes)
    run(settings, cert=cert, key=key)


def run(settings: WebSettings, *, cert: Path | None = None, key: Path | None = None) -> None:
    """Check the settings, make a token when one is needed, and serve until stopped."""
    from dataclasses import replace

    import uvicorn

    from makertime.app.options import solver_options
    from makertime.web import create_app
    from makertime.web.app import SETTINGS_VARIABLE
    from makertime.web.settings import checked_token, new_token

    solver_options(settings.time_limit, settings.workers)  # bounded before anything starts
    _processes(settings.processes)
    if (cert is None) != (key is None):
        raise OptionError("cert" if cert is None else "key", "missing",
                          "give both --cert and --key, or neither")
    token = checked_token(os.environ.get(TOKEN_VARIABLE), settings.host)
    _free(settings.host, settings.port)  # before a token is shown that could not be used
    if token is None and not settings.loopback:
        token = new_token()
        err.print(f"makertime: listening on {settings.host}, off loopback: log in with this "
                  f"token (shown once; set {TOKEN_VARIABLE} to choose your own):\n{token}",
                  markup=False, highlight=False, soft_wrap=True)
    settings = replace(settings, token=token)
    scheme = "https" if cert is not None else "http"
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    err.print(f"makertime: serving on {scheme}://{shown}:{settings.port}  (Ctrl-C stops)",
              markup=False, highlight=False)
    if settings.processes == 1:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port,
                    log_level="warning", ssl_certfile=cert, ssl_keyfile=key)
        return
    # every process signs sessions with the same secret, so a login holds in all of them
    settings = replace(settings, secret=settings.secret or new_token())
    create_app(settings)  # refuses what the processes would, here, in one line
    os.environ[SETTINGS_VARIABLE] = json.dumps(asdict(settings))  # inherited by each process
    try:
        uvicorn.run("makertime.web.app:from_environment", factory=True, host=settings.host,
                    port=settings.port, workers=settings.processes, log_level="warning",
                    ssl_certfile=cert, ssl_keyfile=key)
    finally:
        os.environ.pop(SETTINGS_VARIABLE, None)


MOST_PROCESSES = 16


def default_processes() -> int:
    """One server process per core, at most four (a person's server, not a farm)."""
    from makertime.web.changes import MANY_PROCESSES

    return min(os.cpu_count() or 1, 4) if MANY_PROCESSES else 1


def _processes(count: int) -> None:
    """Refuse a number of processes this machine cannot run."""
    from makertime.web.changes import MANY_PROCESSES

    if not 1 <= count <= MOST_PROCESSES:
        raise OptionError("processes", f"{count} is not from 1 to {MOST_PROCESSES}",
                          "leave it out for one per core")
    if count > 1 and not MANY_PROCESSES:
        raise OptionError("processes", "more than one needs file locks this system lacks",
                          "leave it out (one process serves here)")


def _free(host: str, port: int) -> None:
    """Refuse a port that is taken, or an address this machine does not have, in one line."""
    if not 0 < port < 65536:
        raise OptionError("port", f"{port} is not a port", "give one from 1 to 65535")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise OptionError("port", f"cannot listen on {host}:{port} ({error.strerror})",
                              f"give another {param('port')} or {param('host')}") from None
