"""The embedded store: pyoxigraph on disk, replaced atomically.

A store path (default ``build/store``) is a symbolic link to one of the built stores in
``<path>.d/``. A build writes a new store beside the current one and, only once it is whole
and validated, swaps the link in one ``rename``: readers see the old data or the new, never a
mix, and a failed or killed build leaves the previous store as it was. The previous store is
kept (a server may still be reading it); older ones are removed.
"""

from __future__ import annotations

import errno
import os
import shutil
import threading
import time
from pathlib import Path

import pyoxigraph as ox

from .errors import StoreError, UsageError

DEFAULT_STORE = Path("build") / "store"
KEEP_PREVIOUS = 1


def store_path(path: str | os.PathLike | None = None) -> Path:
    """The store path to use: the argument, else ``$PRIVACYKG_STORE``, else ``build/store``."""
    if path:
        return Path(path)
    env = os.environ.get("PRIVACYKG_STORE")
    return Path(env) if env else DEFAULT_STORE


def versions_dir(path: Path) -> Path:
    return path.with_name(path.name + ".d")


def current_target(path: Path) -> Path | None:
    """The directory the store link points to, or None when there is no built store."""
    if path.is_symlink():
        target = Path(os.readlink(path))
        return (path.parent / target) if not target.is_absolute() else target
    return None


def open_store(path: str | os.PathLike | None = None, *, read_only: bool = True) -> ox.Store:
    """Open the built store at ``path`` (read-only by default).

    >>> import tempfile
    >>> open_store(tempfile.mkdtemp() + "/none")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    privacykg.errors.UsageError: no store at .../none: run `privacykg build` first (or pass --store)
    """
    p = store_path(path)
    target = current_target(p)
    if target is None:
        if p.is_dir() and (p / "CURRENT").exists():
            target = p  # a plain pyoxigraph directory, e.g. made by `oxigraph load`
        else:
            raise UsageError(f"no store at {p}: run `privacykg build` first (or pass --store)")
    if not target.is_dir():
        raise StoreError(f"the store link {p} points to {target}, which is missing: run `privacykg build` again")
    try:
        return ox.Store.read_only(str(target)) if read_only else ox.Store(str(target))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {target}: {exc}") from exc


def new_store_dir(path: Path) -> Path:
    """A fresh, empty directory for the next store, beside the current ones."""
    vdir = versions_dir(path)
    try:
        vdir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create {vdir}: {exc.strerror}") from exc
    if path.exists() and not path.is_symlink():
        raise UsageError(f"{path} exists and is not a privacykg store link: move it away or choose another --store")
    name = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}-{time.monotonic_ns() % 1_000_000:06d}"
    d = vdir / name
    d.mkdir()
    (d / ".incomplete").touch()
    return d


def swap_in(path: Path, new_dir: Path) -> None:
    """Point ``path`` at ``new_dir`` atomically, then remove stores older than the previous one."""
    (new_dir / ".incomplete").unlink(missing_ok=True)
    rel = os.path.relpath(new_dir, path.parent)
    tmp_link = path.with_name(f".{path.name}.link-{os.getpid()}")
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    os.symlink(rel, tmp_link)
    _fsync_dir(new_dir)
    os.replace(tmp_link, path)  # atomic on POSIX
    _fsync_dir(path.parent)
    prune(path)


def prune(path: Path) -> None:
    """Remove unfinished stores and all but the current and the previous finished one."""
    vdir = versions_dir(path)
    if not vdir.is_dir():
        return
    current = current_target(path)
    current = current.resolve() if current else None
    finished = []
    for d in sorted(vdir.iterdir()):
        if not d.is_dir() or (current and d.resolve() == current):
            continue
        if (d / ".incomplete").exists():
            # an unfinished build: leave it if its builder may still be running
            pid = d.name.split("-")[1] if d.name.count("-") >= 2 else ""
            if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
                continue
            shutil.rmtree(d, ignore_errors=True)
        else:
            finished.append(d)
    for d in finished[:-KEEP_PREVIOUS] if KEEP_PREVIOUS else finished:
        shutil.rmtree(d, ignore_errors=True)


def discard(new_dir: Path) -> None:
    """Remove an unfinished store (and its folder of versions, if that leaves it empty)."""
    shutil.rmtree(new_dir, ignore_errors=True)
    try:
        new_dir.parent.rmdir()
    except OSError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(d: Path) -> None:
    try:
        fd = os.open(d, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class BulkWriter:
    """N-Quads text fed to pyoxigraph's bulk loader while it is being made.

    The loader reads a named pipe in a background thread (it releases the GIL while it
    parses, sorts and writes), so the store is built on one core while Python compiles the
    next policies on the other; no temporary file of the whole dataset is written. Use it as
    a context manager: leaving the block without an error waits for the load to finish (and
    raises its error, if any); leaving it with an error stops the load. Either way the loader
    is done with the store when the block is left.
    """

    PIPE_BYTES = 1 << 20

    def __init__(self, store: ox.Store, directory: Path):
        self.store = store
        self.path = Path(directory) / f".privacykg-build-{os.getpid()}-{time.monotonic_ns()}.fifo"
        self._error: BaseException | None = None
        self._file = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> BulkWriter:
        os.mkfifo(self.path, 0o600)
        try:
            self._thread = threading.Thread(target=self._load, name="privacykg-bulk-load", daemon=True)
            self._thread.start()
            self._file = self._open_writer()
        except BaseException:
            self._finish()
            raise
        return self

    def _load(self) -> None:
        try:
            self.store.bulk_load(path=str(self.path), format=ox.RdfFormat.N_QUADS)
        except BaseException as exc:  # handed to the writer's thread
            self._error = exc

    def _open_writer(self):
        while True:  # a blocking open would wait for ever if the loader failed before opening
            try:
                fd = os.open(self.path, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as exc:
                if exc.errno != errno.ENXIO:
                    raise
                if not self._thread.is_alive():
                    raise self._failure() from None
                time.sleep(0.001)
        os.set_blocking(fd, True)
        try:
            import fcntl

            fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), self.PIPE_BYTES)
        except OSError:
            pass  # a smaller pipe is only slower
        return os.fdopen(fd, "wb", buffering=self.PIPE_BYTES)

    def _failure(self) -> BaseException:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            if isinstance(self._error, (SyntaxError, ValueError)):
                return StoreError(f"the store could not load the data: {self._error}")
            return self._error
        return StoreError("the store's bulk loader stopped reading")

    def write(self, data: bytes | str) -> None:
        """Append N-Quads lines (UTF-8, or text)."""
        try:
            self._file.write(data if isinstance(data, bytes) else data.encode())
        except BrokenPipeError:
            raise self._failure() from None

    def _finish(self) -> None:
        """Close the pipe (the loader sees its end) and wait for the loader."""
        try:
            if self._file is not None:
                try:
                    self._file.close()
                except BrokenPipeError:
                    pass
        finally:
            self._file = None
            if self._thread is not None:
                self._thread.join()
            self.path.unlink(missing_ok=True)

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self._finish()
        except BrokenPipeError:
            pass
        if exc_type is None and self._error is not None:
            raise self._failure()
