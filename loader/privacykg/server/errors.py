"""How the server says no: :class:`QueryError` (an HTTP status and a message) and the plain-text
error response every route answers with."""

from __future__ import annotations

from starlette.responses import PlainTextResponse, Response


class QueryError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def error(status: int, message: str, retry: bool = False, headers: dict | None = None) -> Response:
    """A plain-text error response; ``retry`` adds ``Retry-After: 1``.

    >>> r = error(503, "busy", retry=True)
    >>> r.status_code, r.body, r.headers["retry-after"]
    (503, b'busy\\n', '1')
    """
    h = dict(headers or {})
    if retry:
        h["Retry-After"] = "1"
    return PlainTextResponse(message + "\n", status_code=status, headers=h)


def timeout_message(timeout: float) -> str:
    return f"the query ran longer than the server's time limit of {timeout:g} s (timeout); narrow it or add LIMIT"
