"""The ``privacykg`` command: a thin layer over the Python API.

Exit codes (every command):
  0  done (built, valid, answered)
  1  the data is invalid (nothing written); each problem names file, line or field
  2  usage or system error (bad arguments, no store, unreadable file, unknown query)
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path

from . import __version__
from . import namespaces as ns
from .errors import DataError, PrivacyKGError, UsageError

EXIT_OK, EXIT_INVALID, EXIT_ERROR = 0, 1, 2

EPILOG = """exit codes: 0 done; 1 the data is invalid (nothing written); 2 usage or system error.
environment: PRIVACYKG_STORE (default store path, else build/store), PRIVACYKG_BASE (IRI base)."""


class _Parser(argparse.ArgumentParser):
    """The parser of the program and of each command: the exit codes and the environment
    (``EPILOG``) below every help, its line breaks kept; usage errors exit 2."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("epilog", EPILOG)
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):  # argparse exits 2 on usage errors, as documented
        self.print_usage(sys.stderr)
        self.exit(EXIT_ERROR, f"{self.prog}: error: {message}\n")


def _add_store(p):
    p.add_argument("--store", metavar="PATH", help="the store (default: $PRIVACYKG_STORE or build/store)")


def _add_remote(p, write=False):
    g = p.add_argument_group(
        "remote store (any SPARQL 1.1 store; credentials only from the environment: "
        "PRIVACYKG_REMOTE_TOKEN, or PRIVACYKG_REMOTE_USER and PRIVACYKG_REMOTE_PASSWORD)"
    )
    g.add_argument("--endpoint", metavar="QUERY_URL", help="the store's SPARQL query URL (or $PRIVACYKG_ENDPOINT)")
    if write:
        g.add_argument(
            "--update-endpoint",
            metavar="UPDATE_URL",
            help="the store's SPARQL update URL (or $PRIVACYKG_UPDATE_ENDPOINT)",
        )
        g.add_argument(
            "--gsp-endpoint",
            metavar="URL",
            help="the store's Graph Store Protocol URL, used when given (or $PRIVACYKG_GSP_ENDPOINT)",
        )
        g.add_argument(
            "--batch-bytes",
            type=int,
            default=4 * 1024 * 1024,
            metavar="N",
            help="largest request body sent to the store (default 4 MiB)",
        )
    g.add_argument(
        "--remote-timeout",
        type=float,
        default=120.0,
        metavar="SECONDS",
        help="time limit of each request to the store (default 120)",
    )


def _remote(args):
    from .remote import remote_from

    kw = {"timeout": args.remote_timeout}
    if hasattr(args, "batch_bytes"):
        kw["batch_bytes"] = args.batch_bytes
    return remote_from(args.endpoint, getattr(args, "update_endpoint", None), getattr(args, "gsp_endpoint", None), **kw)


def _add_base(p):
    p.add_argument(
        "--base",
        default=os.environ.get("PRIVACYKG_BASE", ns.DEFAULT_BASE),
        help=f"base of the IRIs minted (default: $PRIVACYKG_BASE or {ns.DEFAULT_BASE})",
    )


def make_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="privacykg",
        description="Privacy policies as W3C DPV 2.3 RDF: build, validate, query, serve.",
    )
    p.add_argument("--version", action="version", version=f"privacykg {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    b = sub.add_parser(
        "build",
        help="check, validate and load every policy into a new store, then swap it in",
    )
    b.add_argument(
        "--data", default="data", metavar="DIR", help="data folder with policies/ and sources/ (default: data)"
    )
    _add_store(b)
    _add_base(b)
    b.add_argument("--quiet", "-q", action="store_true", help="print nothing but problems")
    b.add_argument(
        "--shacl",
        choices=["sparql", "pyshacl"],
        default="sparql",
        help="run the SHACL shapes set-wise as SPARQL on the new store (default, fast) "
        "or with pySHACL on each policy graph",
    )
    _add_remote(b, write=True)

    ld = sub.add_parser(
        "load",
        help="replace one policy's graph in a built store (the incremental path)",
    )
    ld.add_argument(
        "policy_file", metavar="POLICY_FILE", help="the annotation file, e.g. data/policies/x-2024-01-01.yaml"
    )
    ld.add_argument("--data", default=None, metavar="DIR", help="data folder (default: the one holding the file)")
    _add_store(ld)
    _add_base(ld)
    _add_remote(ld, write=True)

    rm = sub.add_parser(
        "remove",
        help="remove one policy version from a built store, and what only it said",
    )
    rm.add_argument("policy", metavar="POLICY", help="the policy id, e.g. impro")
    rm.add_argument("version", metavar="VERSION", help="the version date, e.g. 2018-05-16")
    _add_store(rm)
    _add_base(rm)
    _add_remote(rm, write=True)

    v = sub.add_parser(
        "validate",
        help="run every check of a build (each file, its shapes, the integrity checks, one identity per entity key), writing nothing",
    )
    v.add_argument("paths", nargs="*", metavar="PATH", help="annotation files (default: all of --data)")
    v.add_argument(
        "--data",
        default=None,
        metavar="DIR",
        help="data folder (default: data; for PATHs, the sources/ beside their policies/ folder)",
    )
    _add_base(v)

    q = sub.add_parser(
        "query",
        help="run a library query (id or file) or a .rq file",
    )
    q.add_argument("query", metavar="FILE_OR_ID")
    q.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="bind a parameter (repeatable); CURIEs and <IRIs> become IRIs",
    )
    q.add_argument("--format", "-f", default="table", choices=["table", "csv", "tsv", "json", "xml"])
    _add_store(q)
    _add_remote(q)

    sub.add_parser("queries", help="list the query library")

    e = sub.add_parser(
        "export",
        help="write the whole dataset, every named graph",
    )
    e.add_argument("--format", "-f", default="nquads", choices=["nquads", "trig", "turtle", "jsonld"])
    e.add_argument("-o", "--output", metavar="FILE", help="output file (default: standard output)")
    _add_store(e)
    _add_remote(e)

    s = sub.add_parser(
        "serve",
        help="serve the SPARQL endpoint, linked-data pages and the query UI",
    )
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000; 0: a free one)")
    s.add_argument("--access-log", action="store_true", help="log every request on standard output")
    s.add_argument(
        "--sources",
        metavar="DIR",
        type=Path,
        default=None,
        help="the policies' source texts, for /source pages (default: data/sources)",
    )
    s.add_argument(
        "--drafts",
        metavar="DIR",
        type=Path,
        default=None,
        help="a folder of annotation files not in the store (drafts), shown at /drafts for review "
        "(their texts in the sources/ folder beside it; default: none, /drafts answers 404)",
    )
    _add_store(s)
    s.add_argument(
        "--timeout",
        type=float,
        default=float(os.environ.get("PRIVACYKG_QUERY_TIMEOUT", 30)),
        help="query time limit in seconds (default 30)",
    )
    s.add_argument(
        "--max-results",
        type=int,
        default=int(os.environ.get("PRIVACYKG_MAX_RESULTS", 100000)),
        help="largest number of result rows (default 100000)",
    )
    _add_remote(s)

    sh = sub.add_parser(
        "show",
        help="a policy's statements grouped by kind, each with its quote",
    )
    sh.add_argument(
        "policy",
        metavar="POLICY",
        help="policy id, e.g. identrics or identrics-2018-05-20; or an annotation file (a draft too), "
        "checked as validate checks it and shown without building",
    )
    _add_store(sh)
    _add_remote(sh)

    df = sub.add_parser(
        "diff",
        help="facts added, removed and changed between two versions of a policy, with quotes",
    )
    df.add_argument("policy", metavar="POLICY", help="the policy id, e.g. imago")
    df.add_argument("old", metavar="OLD_VERSION", help="the old version's date, e.g. 2020-05-24")
    df.add_argument("new", metavar="NEW_VERSION", help="the new version's date")
    df.add_argument("--format", "-f", default="table", choices=["table", "json", "md"])
    _add_store(df)

    sy = sub.add_parser(
        "synth",
        help="write a synthetic data folder shaped like data/ (for scale tests)",
    )
    sy.add_argument("--policies", type=int, required=True, metavar="N")
    sy.add_argument("--out", required=True, metavar="DIR")
    sy.add_argument("--seed", type=int, default=0, metavar="S")
    sy.add_argument(
        "--from",
        dest="templates",
        default="data",
        metavar="DIR",
        help="the real data folder to sample from (default: data)",
    )

    ca = sub.add_parser(
        "carry",
        help="start a new version's annotation from the previous version's",
        description="Copy NEW_SOURCE into <data>/sources/<policy>-<version>.<ext> and write "
        "<data>/policies/<policy>-<version>.yaml from OLD_ANNOTATION, every quote "
        "re-anchored in the new text; quotes edited or gone are flagged with a "
        "carried: key, which validate refuses until a person resolves it.",
    )
    ca.add_argument(
        "old", metavar="OLD_ANNOTATION", help="the previous version's file, e.g. data/policies/x-2018-05-16.yaml"
    )
    ca.add_argument("new_source", metavar="NEW_SOURCE", help="the new version's text (.txt, or published .md)")
    ca.add_argument("--version", dest="new_version", required=True, metavar="YYYY-MM-DD", help="the new version's date")
    ca.add_argument(
        "-o", "--output", metavar="OUT", help="the file to write (default: <data>/policies/<policy>-<version>.yaml)"
    )
    ca.add_argument("--data", default=None, metavar="DIR", help="data folder (default: the one holding OLD_ANNOTATION)")
    ca.add_argument("--force", action="store_true", help="replace an existing output file")

    dr = sub.add_parser(
        "draft",
        help="a first annotation of a new policy text, marked as a draft for review",
        description="Copy TEXT_FILE into the sources/ folder beside the output and write a draft "
        "annotation (default <data>/policies/<policy>-<version>.yaml): statements "
        "grouped by heading and purpose into candidate processes, each suggested term with its "
        "quote, band and reason, and a checklist. validate checks it; build refuses it "
        "until a person has reviewed it and deleted draft: true.",
    )
    dr.add_argument("text_file", metavar="TEXT_FILE", help="the policy text (.txt, or published .md)")
    dr.add_argument("--policy", required=True, metavar="KEY", help="the policy id, e.g. acme")
    dr.add_argument("--version", dest="draft_version", required=True, metavar="YYYY-MM-DD", help="the version date")
    dr.add_argument(
        "-o", "--output", metavar="FILE", help="the file to write (default: <data>/policies/<policy>-<version>.yaml)"
    )
    dr.add_argument(
        "--data", default="data", metavar="DIR", help="data folder: the annotated corpus it learns from (default: data)"
    )
    dr.add_argument("--force", action="store_true", help="replace an existing output file or source text")

    c = sub.add_parser(
        "coverage",
        help="share of each policy's sentences that some fact cites",
    )
    c.add_argument("policy", nargs="?", metavar="POLICY")
    c.add_argument("--data", default="data", metavar="DIR")
    c.add_argument("--uncited", action="store_true", help="list the sentences nothing cites")
    c.add_argument(
        "--min", type=float, default=None, metavar="PERCENT", help="exit 1 when a policy's coverage is below PERCENT"
    )
    return p


def _params(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--param takes NAME=VALUE, not '{item}'")
        out[name.strip().lstrip("?$")] = value
    return out


WARNINGS_PER_RULE = 10  # what build and load print of one rule's warnings; validate prints all


def _print_problems(problems, stream=None, per_rule: int | None = None):
    """Each problem on a line; with ``per_rule``, at most that many warnings of one rule, then a
    line saying how many more there are (a corpus of a thousand files would otherwise bury an
    error among a thousand lines of one warning)."""
    stream = stream or sys.stderr
    seen: dict[str, int] = {}
    for p in problems:
        if p.severity != "Violation" and per_rule is not None:
            seen[p.rule] = seen.get(p.rule, 0) + 1
            if seen[p.rule] > per_rule:
                continue
        print(("warning: " if p.severity != "Violation" else "error: ") + str(p), file=stream)
    for rule, n in seen.items():
        if n > per_rule:
            print(
                f"warning: ... and {n - per_rule} more of the same ({rule}); `privacykg validate` lists them all",
                file=stream,
            )


@contextlib.contextmanager
def _progress_bar(data: str, quiet: bool):
    """A progress bar on stderr while a build reads the policies (a callback taking each file's
    path), or None when stderr is not a terminal or --quiet was given."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from tqdm import tqdm

    total = sum(1 for p in (Path(data) / "policies").glob("*") if p.suffix in (".yaml", ".yml"))
    with tqdm(
        total=total, unit="policy", file=sys.stderr, leave=False, dynamic_ncols=True, desc="checking policies"
    ) as bar:

        def progress(path):
            bar.update(1)
            bar.set_postfix_str(Path(path).stem, refresh=False)
            if bar.n >= total:
                bar.set_description("validating and loading the store")

        yield progress


def cmd_build(args) -> int:
    from .build import build

    remote = _remote(args)
    with _progress_bar(args.data, args.quiet) as progress:
        report = build(args.data, args.store, base=args.base, progress=progress, remote=remote, shacl_engine=args.shacl)
    _print_problems(report.warnings, per_rule=WARNINGS_PER_RULE)
    if not args.quiet:
        where = report.store if remote is None else remote.query_url
        print(f"built {where}: {len(report.policies)} policies, {report.quads} quads")
    return EXIT_OK


def cmd_load(args) -> int:
    from .build import load

    remote = _remote(args)
    report = load(args.policy_file, args.store, data_dir=args.data, base=args.base, remote=remote)
    _print_problems(report.warnings, per_rule=WARNINGS_PER_RULE)
    print(f"loaded {report.policies[0]} into {report.store or remote.query_url}")
    return EXIT_OK


def cmd_remove(args) -> int:
    from .build import remove

    remote = _remote(args)
    report = remove(args.policy, args.version, args.store, base=args.base, remote=remote)
    print(f"removed {report.policies[0]} from {report.store or remote.query_url}")
    return EXIT_OK


def cmd_validate(args) -> int:
    from .build import validate

    report = validate(args.paths or None, data_dir=args.data, base=args.base)
    _print_problems(report.warnings)
    n = len(report.policies)
    print(f"valid: {n} polic{'ies' if n != 1 else 'y'} ({', '.join(report.policies)})")
    return EXIT_OK


def cmd_query(args) -> int:
    from .api import query
    from .queries import format_result

    result = query(args.store, args.query, _params(args.param), remote=_remote(args))
    sys.stdout.write(format_result(result, args.format))
    return EXIT_OK


def cmd_queries(args) -> int:
    from .queries import load_library

    for q in load_library().values():
        params = "".join(f" [{p.name}={p.default or ''}]" for p in q.params)
        print(f"{q.id:10} {q.kind:7} {q.question}{params}")
    return EXIT_OK


def cmd_export(args) -> int:
    from .api import export

    remote = _remote(args)
    if args.output:
        export(args.store, args.output, args.format, remote=remote)
    else:
        import io

        buf = io.BytesIO()
        export(args.store, buf, args.format, remote=remote)
        out = getattr(sys.stdout, "buffer", None)
        if out is not None:
            sys.stdout.flush()
            out.write(buf.getvalue())
            out.flush()
        else:
            sys.stdout.write(buf.getvalue().decode("utf-8"))
    return EXIT_OK


def cmd_serve(args) -> int:
    from .server import serve
    from .store import store_path

    remote = _remote(args)
    what = f"a read-only front over {remote.query_url}" if remote is not None else f"store {store_path(args.store)}"

    def ready(url):
        print(f"serving {url} ({what}); Ctrl-C to stop", file=sys.stderr, flush=True)

    serve(
        store=args.store,
        host=args.host,
        port=args.port,
        timeout=args.timeout,
        max_results=args.max_results,
        remote=remote,
        access_log=args.access_log,
        ready=ready,
        sources_dir=args.sources,
        drafts_dir=args.drafts,
    )
    return EXIT_OK


def cmd_show(args) -> int:
    from .summary import show_text

    if args.policy.endswith((".yaml", ".yml")):
        sys.stdout.write(_show_file(args.policy))
        return EXIT_OK
    remote = _remote(args)
    if remote is not None:
        from .remote import RemoteDataset

        sys.stdout.write(show_text(RemoteDataset(remote), args.policy))
    else:
        sys.stdout.write(show_text(args.store, args.policy))
    return EXIT_OK


def _show_file(path: str) -> str:
    """``show`` of one annotation file, from memory; a draft says so first, with its warnings."""
    from .build import preview
    from .summary import show_text

    store, report = preview(path)
    drafted = [w for w in report.warnings if w.rule == "draft"]
    head = "".join(
        f"DRAFT ({w.file}:{w.line}): not reviewed; every statement below is a suggestion to check against the text\n\n"
        for w in drafted
    )
    return head + show_text(store, report.policies[0])


def cmd_diff(args) -> int:
    from .versions import diff, format_diff

    sys.stdout.write(format_diff(diff(args.store, args.policy, args.old, args.new), args.format))
    return EXIT_OK


def cmd_synth(args) -> int:
    from .synth import synth

    if args.policies < 1:
        raise UsageError("--policies must be at least 1")
    n = synth(args.policies, args.out, seed=args.seed, templates_dir=args.templates)
    print(f"wrote {n} synthetic policies to {args.out}")
    return EXIT_OK


def cmd_coverage(args) -> int:
    from .coverage import coverage, coverage_text

    reports = coverage(args.data, args.policy)
    sys.stdout.write(coverage_text(reports, uncited=args.uncited))
    if args.min is not None and any(r.percent < args.min for r in reports):
        return EXIT_INVALID
    return EXIT_OK


def cmd_draft(args) -> int:
    from .draft import draft

    report = draft(
        args.text_file, args.policy, args.draft_version, out=args.output, data_dir=args.data, force=args.force
    )
    sys.stdout.write(report.text())
    return EXIT_OK


def cmd_carry(args) -> int:
    from .carry import carry

    report = carry(args.old, args.new_source, args.new_version, out=args.output, data_dir=args.data, force=args.force)
    sys.stdout.write(report.text())
    return EXIT_OK


COMMANDS = {
    "build": cmd_build,
    "load": cmd_load,
    "remove": cmd_remove,
    "validate": cmd_validate,
    "query": cmd_query,
    "queries": cmd_queries,
    "export": cmd_export,
    "synth": cmd_synth,
    "serve": cmd_serve,
    "show": cmd_show,
    "coverage": cmd_coverage,
    "carry": cmd_carry,
    "draft": cmd_draft,
}


COMMANDS["diff"] = cmd_diff  # privacykg.versions


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    try:
        return COMMANDS[args.command](args)
    except DataError as exc:
        _print_problems(exc.problems)
        n = sum(1 for p in exc.problems if p.severity == "Violation")
        print(f"invalid: {n} problem{'s' if n != 1 else ''}; nothing was written", file=sys.stderr)
        return EXIT_INVALID
    except PrivacyKGError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
