"""Where queries run: :class:`QueryProcesses` (worker processes, killed at the time limit) and
:class:`DaemonExecutor` (threads that never keep the server alive)."""

from __future__ import annotations

import os
import queue
import threading
import time
from concurrent.futures import Executor, Future

import pyoxigraph as ox

from .errors import QueryError, timeout_message
from .evaluation import evaluate


class DaemonExecutor(Executor):
    """A thread pool whose threads never keep the process alive: a query the engine cannot
    interrupt must not stop the server from shutting down."""

    def __init__(self, max_workers: int, name: str):
        self._max = max(1, max_workers)
        self._name = name
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def submit(self, fn, /, *args, **kwargs) -> Future:
        fut: Future = Future()
        self._queue.put((fut, fn, args, kwargs))
        with self._lock:
            if len(self._threads) < self._max:
                t = threading.Thread(target=self._work, name=f"{self._name}-{len(self._threads)}", daemon=True)
                self._threads.append(t)
                t.start()
        return fut

    def _work(self):
        while True:
            fut, fn, args, kwargs = self._queue.get()
            if not fut.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to the awaiting request
                fut.set_exception(exc)
            else:
                fut.set_result(result)


def _worker_main(conn, parent_pid: int, target: str | None) -> None:
    """A query worker process: open the store read-only, answer jobs until the pipe closes.

    The entry point of :class:`QueryProcesses`' processes, started by reference (``spawn``): it
    stays a module-level function of this module."""

    def watch_parent():  # a worker busy in the engine must not outlive its server
        while True:
            time.sleep(1)
            if os.getppid() != parent_pid:
                os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    opened: tuple = (None, None)
    if target:
        try:
            opened = (target, ox.Store.read_only(target))
        except OSError:
            pass
    try:
        conn.send(("ready",))
    except OSError:
        return
    while True:
        try:
            target, job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if opened[0] != target:
                opened = (None, None)
                opened = (target, ox.Store.read_only(target))
            reply = ("ok", *evaluate(opened[1], job, time.monotonic() + job["timeout"]))
        except QueryError as exc:
            reply = ("err", exc.status, exc.message)
        except Exception as exc:  # the engine failed: the server says so
            reply = ("err", 500, f"the query failed: {exc}")
        try:
            conn.send(reply)
        except (OSError, ValueError):
            return


class QueryProcesses:
    """Read-only queries in worker processes, each killed when its query passes the time limit
    (and replaced), so that a runaway query stops using the machine when its client gets the 503."""

    BOOT_LIMIT = 60.0

    def __init__(self, size: int):
        self._size = max(1, size)
        self._idle: list = []
        self._lock = threading.Lock()
        self._closed = False
        self._ctx = None

    def _spawn(self, target: str | None):
        import multiprocessing

        if self._ctx is None:
            self._ctx = multiprocessing.get_context("spawn")  # no fork of a threaded server
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(
            target=_worker_main, args=(child, os.getpid(), target), daemon=True, name="privacykg-query"
        )
        proc.start()
        child.close()
        # boot (imports, opening the store) does not count against any query's time limit
        try:
            ok = parent.poll(self.BOOT_LIMIT) and parent.recv() == ("ready",)
        except (EOFError, OSError):
            ok = False
        if not ok:
            self._kill((proc, parent))
            raise QueryError(503, "the query worker did not start; try again shortly")
        return proc, parent

    def warm(self, target: str, n: int) -> None:
        """Start n workers in the background, so that the first queries do not wait for them."""

        def start():
            for _ in range(n):
                try:
                    w = self._spawn(target)
                except Exception:
                    return
                with self._lock:
                    if self._closed or len(self._idle) >= self._size:
                        self._kill(w)
                        return
                    self._idle.append(w)

        threading.Thread(target=start, name="query-workers-warm", daemon=True).start()

    def run(self, target: str, job: dict, timeout: float) -> tuple[bytes, str]:
        with self._lock:
            w = self._idle.pop() if self._idle else None
        if w is None or not w[0].is_alive():
            if w is not None:
                self._kill(w)
            w = self._spawn(target)
        proc, conn = w
        try:
            conn.send((target, job))
            ready = conn.poll(timeout)
            reply = conn.recv() if ready else None
        except (EOFError, OSError):
            self._kill(w)
            raise QueryError(500, "the query worker stopped unexpectedly (out of memory?); try again") from None
        if reply is None:
            self._kill(w)
            raise QueryError(503, timeout_message(job["timeout"]))
        with self._lock:
            keep = not self._closed and len(self._idle) < self._size
            if keep:
                self._idle.append(w)
        if not keep:
            self._kill(w)
        if reply[0] == "ok":
            return reply[1], reply[2]
        raise QueryError(reply[1], reply[2])

    @staticmethod
    def _kill(w) -> None:
        proc, conn = w
        try:
            proc.kill()
            proc.join(2)
        except Exception:
            pass
        conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for w in idle:
            self._kill(w)
