"""Running the app: :func:`listen` (the socket, with a useful error when the port is taken) and
:func:`serve` (uvicorn, with the settings read from the environment when the server starts)."""

from __future__ import annotations

import errno
import logging
import os
import socket
import threading
from collections.abc import Callable
from pathlib import Path

from ..errors import UsageError
from ..store import open_store
from .app import create_app
from .context import RemoteHandle, Settings


def _env_float(name: str) -> float | None:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise UsageError(f"${name} must be a number of seconds, not '{raw}'") from None
    if value <= 0:
        raise UsageError(f"${name} must be positive, not '{raw}'")
    return value


def listen(host: str = "127.0.0.1", port: int = 8000) -> socket.socket:
    """A socket listening on ``host``:``port`` (port 0: a free one), or a UsageError saying
    what to do when the port is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return socket.create_server((host, port), family=family)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(
                f"port {port} is in use: stop the other server or choose another with --port N (make run PORT=N)"
            ) from None
        raise UsageError(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None


def _checked_settings(kw: dict) -> dict:
    """The keyword settings of :func:`serve` with the environment's token applied, checked."""
    kw = {k: v for k, v in kw.items() if v is not None}  # not given: the defaults of Settings
    token = os.environ.get("PRIVACYKG_UPDATE_TOKEN", "").strip()
    if token and "update_token" not in kw and kw.get("remote") is None:
        kw["update_token"] = token
        kw.setdefault("allow_update", True)
    if kw.get("timeout", 1) <= 0:
        raise UsageError("--timeout must be a positive number of seconds")
    if kw.get("max_results", 1) < 1:
        raise UsageError("--max-results must be at least 1")
    if kw.get("drafts_dir") is not None and not Path(kw["drafts_dir"]).is_dir():
        raise UsageError(f"--drafts: no such folder: {kw['drafts_dir']}")
    return kw


def serve(
    store=None,
    host="127.0.0.1",
    port=8000,
    *,
    sock: socket.socket | None = None,
    access_log: bool = False,
    ready: Callable[[str], None] | None = None,
    **kw,
) -> None:
    """Run the server until interrupted (uvicorn), over the embedded ``store`` or, given
    ``remote=`` (a :class:`privacykg.remote.Remote`), as a read-only front over that SPARQL store.

    It listens on ``sock`` if given, else on ``host``:``port`` (:func:`listen`); ``ready`` is
    called with the server's URL once the socket listens; ``access_log`` logs each request
    (uvicorn's access log, on standard output).

    Read from the environment here, when the server starts (never at import):

    * ``PRIVACYKG_UPDATE_TOKEN``: enables ``/update`` for requests carrying
      ``Authorization: Bearer <token>`` (the store is then opened writable);
    * ``PRIVACYKG_SERVE_LIFETIME``: seconds after which the server stops by itself (tests use it
      as a safety net);
    * ``PRIVACYKG_LOG_LEVEL``: uvicorn's log level (default warning).
    """
    import uvicorn

    lifetime = _env_float("PRIVACYKG_SERVE_LIFETIME")
    kw = _checked_settings(kw)
    remote = kw.get("remote")
    if remote is not None:  # fail early, with the CLI's message, when the store does not answer
        if kw.get("allow_update"):
            raise UsageError(
                "a front over a remote store is read-only: send updates to the store's own update endpoint"
            )
        RemoteHandle(remote).check()
    else:
        open_store(store)  # fail early, with the CLI's message, when there is no store
    sock = sock or listen(host, port)  # before the app starts its query workers
    app = create_app(Settings(store=store, **kw))
    config = uvicorn.Config(
        app,
        host=host,
        port=sock.getsockname()[1],
        access_log=access_log,
        log_level=os.environ.get("PRIVACYKG_LOG_LEVEL", "warning"),
        timeout_graceful_shutdown=5,
    )
    if access_log:
        logging.getLogger("uvicorn.access").setLevel(logging.INFO)
    server = uvicorn.Server(config)
    if lifetime:
        _stop_after(server, lifetime)
    if ready is not None:
        addr, bound_port = sock.getsockname()[:2]
        ready(f"http://{f'[{addr}]' if ':' in addr else addr}:{bound_port}")
    with sock:
        server.run(sockets=[sock])


def _stop_after(server, lifetime: float) -> None:
    """Stop the server after ``lifetime`` seconds, and leave 15 s later if the graceful stop hangs."""

    def stop():
        server.should_exit = True

    def force():  # the graceful stop did not finish: leave anyway
        os._exit(0)

    for delay, fn in ((lifetime, stop), (lifetime + 15, force)):
        t = threading.Timer(delay, fn)
        t.daemon = True
        t.start()
