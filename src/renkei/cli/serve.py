"""``renkei serve``: the web app and JSON API over a database, the sample loaded into a new one."""

from __future__ import annotations

from typing import Annotated

import typer

from renkei.cli.common import DbOpt, State, console, errors, opened
from renkei.core.messages import t


def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    workers: Annotated[int, typer.Option(min=1)] = 1,
    forwarded_allow_ips: Annotated[
        str,
        typer.Option(),
    ] = "",
    country: Annotated[
        bool,
        typer.Option("--country/--no-country"),
    ] = True,
) -> None:
    """Start the web app and JSON API (http://127.0.0.1:8000); the sample and the country's list of spheres are
    loaded into a new database."""
    import os

    import uvicorn

    from renkei.cli.country import load_shipped
    from renkei.ingest import read_sample
    from renkei.store import ENV, SphereSpec, resolve_url

    if not _port_free(host, port):  # said before anything is loaded or announced, in the reader's language
        errors.print(f"renkei: {t('cli.port_in_use', State.lang, host=host, port=port)}", soft_wrap=True)
        raise typer.Exit(2)
    url = resolve_url(db)
    with opened(url) as store:
        if country:
            load_shipped(store)  # the country's spheres, the first time
        if not any(info.latest for info in store.spheres()):  # no table yet (`db init` loads only the list)
            # Into the list's sphere where it is loaded: the sample is checked against its lifecycle (the
            # sphere was abolished before the day it is recorded, which the revision keeps as a finding).
            store.import_reading(
                read_sample(), SphereSpec(key="kamikawa-chubu"), message=t("cli.sample_message", State.lang)
            )
            console.print(t("cli.sample_loaded", State.lang))
        # The address and the database's path whole (a terminal folds them; cut, neither can be copied).
        console.print(t("cli.serving", State.lang, db=describe_url(url), url=f"http://{host}:{port}"), soft_wrap=True)
    # Each worker process builds its own app over the same database.
    os.environ[ENV] = url
    # And starts with at most two of glibc's memory arenas (not one per thread of its pool, each keeping what was
    # freed in it): a worker held 271–274 MB after reads rotating over 1,700 spheres instead of 281–304. Read
    # by the C library as a process starts; one process alone (a single worker) sets it in served_app.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    # uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: anyone on the machine could then
    # pose as any address to the sign-in limit and the audit trail. Only the proxies named are believed.
    uvicorn.run(
        "renkei.web.app:served_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="warning",
        proxy_headers=bool(forwarded_allow_ips),
        forwarded_allow_ips=forwarded_allow_ips or None,
    )


def describe_url(url: str) -> str:
    from renkei.store import describe

    return describe(url)


def _port_free(host: str, port: int) -> bool:
    """Whether the address can be listened on: another server on the port is said at once, not after the
    database is opened and the address announced (uvicorn's own message is English and comes last)."""
    import socket

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError:
        return True  # a name that does not resolve: uvicorn says so itself
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError:
            return False
    return True
