"""Answering a query job within the server's limits: a query slot (at most so many queries at
once, more wait in a bounded queue), then the job in a worker process or a thread, then the
response or the error that says which limit was hit."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import TYPE_CHECKING

from starlette.responses import Response

from ..errors import PrivacyKGError, StoreError
from .errors import QueryError, error, timeout_message
from .evaluation import evaluate

if TYPE_CHECKING:
    from .context import AppContext


class QuerySlots:
    """At most ``size`` queries at once; up to ``max_waiting`` more wait (at most ``timeout``
    seconds) behind them instead of being refused at once."""

    def __init__(self, size: int, max_waiting: int, timeout: float):
        self._slots = threading.BoundedSemaphore(size)
        self._waiting = 0
        self._max_waiting = max_waiting
        self._timeout = timeout

    async def acquire(self) -> bool:
        """Take a slot, waiting behind the queries already running; False when the queue is full
        or the wait too long."""
        if self._slots.acquire(blocking=False):
            return True
        if self._waiting >= self._max_waiting:
            return False
        self._waiting += 1
        try:
            end = time.monotonic() + self._timeout
            while time.monotonic() < end:
                await asyncio.sleep(0.005)
                if self._slots.acquire(blocking=False):
                    return True
            return False
        finally:
            self._waiting -= 1

    def release(self) -> None:
        self._slots.release()

    def release_when_done(self, fut: asyncio.Future) -> None:
        """Hold the slot until ``fut`` (a query the engine cannot interrupt) finishes."""
        fut.add_done_callback(lambda f: (self.release(), f.exception() if not f.cancelled() else None))


class _Overrun(Exception):
    """An in-process query passed the time limit; the engine goes on with it in the background."""

    def __init__(self, future: asyncio.Future):
        super().__init__("overrun")
        self.future = future


async def execute(ctx: AppContext, job: dict) -> Response:
    """Answer a query job (see :func:`privacykg.server.evaluation.evaluate`) within the time limit."""
    if not await ctx.slots.acquire():
        return error(503, "too many queries at once; try again shortly", retry=True)
    slot_handed_over = False
    try:
        data, ctype = await _run(ctx, job)
    except _Overrun as exc:  # in-process, the engine cannot be interrupted: the slot is freed when it finishes
        ctx.slots.release_when_done(exc.future)
        slot_handed_over = True
        return error(503, timeout_message(ctx.settings.timeout))
    except QueryError as exc:
        return error(exc.status, exc.message, retry=exc.status == 503 and "time limit" not in exc.message)
    except StoreError as exc:
        if ctx.settings.remote is not None:  # the store behind this front failed or is away
            return error(502, f"the SPARQL store behind this server failed: {exc}")
        return error(503, str(exc))
    except PrivacyKGError as exc:  # no store, store missing
        return error(503, str(exc))
    except Exception as exc:  # the engine failed: say so, keep serving
        return error(500, f"the query failed: {exc}")
    finally:
        if not slot_handed_over:
            ctx.slots.release()
    return Response(data, headers={"Content-Type": ctype, "Vary": "Accept"})


async def _run(ctx: AppContext, job: dict) -> tuple[bytes, str]:
    """The job's ``(body, content type)``, from a worker process (killed at the time limit) or,
    in-process, from a thread; raises :class:`_Overrun` when the in-process query runs on."""
    loop = asyncio.get_running_loop()
    timeout = ctx.settings.timeout
    if ctx.processes is not None:
        target = str(ctx.handle.target())  # the store is there (else 503); workers open it
        return await loop.run_in_executor(ctx.queries_pool, ctx.processes.run, target, job, timeout)
    deadline = time.monotonic() + timeout
    fut = loop.run_in_executor(ctx.queries_pool, lambda: evaluate(ctx.handle.get(), job, deadline))
    try:
        return await asyncio.wait_for(asyncio.shield(fut), timeout=timeout)
    except TimeoutError:
        raise _Overrun(fut) from None
