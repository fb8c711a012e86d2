"""The draft pages: annotation files that are not in the store (drafts above all), from the
folder ``Settings.drafts_dir``, each checked and laid out in memory by
:func:`privacykg.build.preview` and shown as the store's policies are, for review in the
browser. ``/drafts`` lists the folder's ``*.yaml`` files, ``/drafts/{name}`` shows one (a 422
page listing its problems when its checks refuse it).

Only a name in the folder's own listing is served (no path is ever joined from the URL).
Nothing is written, to the store or the folder; a file's preview is kept while the file's (and
its source text's) modification time and size stay the same."""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..errors import DataError, Problem, UsageError
from ..preview_html import Preview, draft_html, drafts_index_html, problems_html
from .context import AppContext, ctx_of
from .errors import error

DISABLED = (
    "the draft pages are off: start the server with --drafts DIR (Settings.drafts_dir), a folder "
    "of annotation files (*.yaml) whose texts are in the sources/ folder beside it"
)


def draft_files(folder: Path) -> dict[str, Path]:
    """The ``*.yaml`` files directly in ``folder``, by name."""
    return {p.name: p for p in sorted(folder.iterdir()) if p.suffix == ".yaml" and p.is_file()}


def _stamp(path: Path) -> tuple:
    """What the cache is keyed by: the file's and its source texts' (``sources/<stem>.*`` beside
    the folder, where ``draft`` writes them) modification times and sizes."""
    sources = path.parent.parent / "sources"
    texts = sorted(sources.glob(path.stem + ".*")) if sources.is_dir() else []
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in [path, *texts])


def _preview(path: Path, base: str) -> Preview:
    from ..build import preview  # the checks' machinery, loaded with the first draft shown

    try:
        store, report = preview(path, base=base)
    except DataError as exc:
        return Preview(path.name, problems=tuple(exc.problems))
    except UsageError as exc:  # e.g. the file went away between the listing and the read
        return Preview(path.name, problems=(Problem(str(path), str(exc)),))
    return Preview(path.name, store, report)


def preview_of(ctx: AppContext, path: Path) -> Preview:
    """The file's preview, from the cache while its stamp and the base are unchanged (run in the
    pages' pool: a preview takes about half a second)."""
    base = ctx.base()
    key = (_stamp(path), base)
    cache = ctx.state.setdefault("drafts", {})
    hit = cache.get(path.name)
    if hit is not None and hit[0] == key:
        return hit[1]
    result = _preview(path, base)
    cache[path.name] = (key, result)
    return result


def _folder(ctx: AppContext) -> Path | Response:
    """The drafts folder, or the 404 saying the pages are off or the folder is missing."""
    if ctx.settings.drafts_dir is None:
        return error(404, DISABLED)
    folder = Path(ctx.settings.drafts_dir)
    return folder if folder.is_dir() else error(404, f"the drafts folder {folder} is not a folder")


def _index(ctx: AppContext, folder: Path) -> str:
    files = draft_files(folder)
    cache = ctx.state.setdefault("drafts", {})
    for gone in set(cache) - set(files):
        cache.pop(gone, None)
    return drafts_index_html([preview_of(ctx, p) for p in files.values()])


async def drafts_index(request: Request) -> Response:
    """``/drafts``: the folder's files, each a draft or not, with its warnings or problems."""
    ctx = ctx_of(request)
    folder = _folder(ctx)
    if isinstance(folder, Response):
        return folder
    return HTMLResponse(await ctx.in_pages(_index, ctx, folder))


def _page(ctx: AppContext, path: Path) -> tuple[int, str | None]:
    p = preview_of(ctx, path)
    if p.problems:
        return 422, problems_html(p)
    body = draft_html(p, ctx.base())
    return (200, body) if body is not None else (404, None)


async def draft_page(request: Request) -> Response:
    """``/drafts/{name}``: one file of the folder as the store's policy page, under the draft
    banner and its warnings; 422 with each problem when its checks refuse it."""
    ctx = ctx_of(request)
    folder = _folder(ctx)
    if isinstance(folder, Response):
        return folder
    name = request.path_params["name"]
    path = draft_files(folder).get(name)
    if path is None:
        return error(404, f"no file {name!r} in the drafts folder: see /drafts for its files")
    status, body = await ctx.in_pages(_page, ctx, path)
    if body is None:
        return error(404, f"{name} holds no policy version to show")
    return HTMLResponse(body, status_code=status)
