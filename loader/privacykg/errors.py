"""Error types. Library code raises these; only the CLI prints them and chooses exit codes.

>>> p = Problem("data/policies/x.yaml", "unknown term dpv:Marketting", line=12,
...             field="processes.ads.hasPurpose", hint="did you mean dpv:Marketing?")
>>> str(p)
'data/policies/x.yaml:12: processes.ads.hasPurpose: unknown term dpv:Marketting (did you mean dpv:Marketing?)'
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file, line, field), what, and how to fix it."""

    file: str
    message: str
    line: int | None = None
    field: str | None = None
    hint: str | None = None
    rule: str = "format"
    severity: str = "Violation"

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        text = f"{where}: " + (f"{self.field}: " if self.field else "") + self.message
        return text + (f" ({self.hint})" if self.hint else "")


class PrivacyKGError(Exception):
    """Base of every error privacykg raises on purpose."""


class DataError(PrivacyKGError):
    """The data is invalid: one or more problems, each naming file, line or field. Exit code 1."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems) or "invalid data")


class UsageError(PrivacyKGError):
    """Bad arguments, a missing store, an unknown query id. Exit code 2."""


class StoreError(PrivacyKGError):
    """The store could not be opened, written or reached. Exit code 2. ``status`` is the HTTP
    status a remote store answered with, when it answered."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status
