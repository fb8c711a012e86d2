"""Give annotations of openly licensed policies their ``origin:`` and list them in data/sources/README.md.

    python tools/open_policy_origin.py --open DIR data/policies/github-2020-05-19.yaml [...]

DIR holds the published versions, a folder per document with its SOURCE.md (the repository path,
commit and licence of each version: the layout of the open-policies collection). For each
annotation whose source is a Markdown file of data/sources, find the published version with the
same bytes in DIR, then write or correct the annotation's ``origin:``
block (right after ``source:``) and the file's row in data/sources/README.md. A developer's
tool: the loader reads only the annotation (tests/test_sources_markdown.py checks both).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "data" / "sources" / "README.md"
REPOS = {"github": "https://github.com/github/site-policy", "basecamp": "https://github.com/basecamp/policies"}


def published(folder: Path) -> dict[bytes, dict]:
    out = {}
    for source_md in sorted(folder.glob("*/SOURCE.md")):
        text = source_md.read_text(encoding="utf-8")
        title = text.splitlines()[0].lstrip("# ").split(" (")[0]
        licence = text.split("licence ", 1)[1].split(" ", 1)[0].rstrip(",")
        repo = REPOS["github" if "github" in source_md.parent.name else "basecamp"]
        owner = "GitHub, Inc." if "github" in source_md.parent.name else "Basecamp"
        for line in text.splitlines():
            cells = [c.strip() for c in line.strip("|").split("|")]
            if len(cells) == 4 and cells[0].endswith(".md") and len(cells[2]) == 40:
                changed = "" if licence == "CC0-1.0" else "; quoted here in its plain-text rendering"
                out[(source_md.parent / cells[0]).read_bytes()] = {
                    "licence": licence,
                    "repository": repo,
                    "path": cells[1],
                    "commit": cells[2],
                    "attribution": f"{title}, version {cells[0][:-3]}, by {owner}, {repo}, {licence}{changed}",
                }
    return out


def block(o: dict) -> str:
    return (
        f'origin:\n  licence: {o["licence"]}\n  attribution: "{o["attribution"]}"\n'
        f"  repository: {o['repository']}\n  path: {o['path']}\n  commit: {o['commit']}\n"
    )


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--open", required=True, type=Path, metavar="DIR", help="the published versions, with SOURCE.md")
    ap.add_argument("paths", nargs="+", type=Path, metavar="FILE", help="annotation files to give their origin")
    args = ap.parse_args(argv)
    if not any(args.open.glob("*/SOURCE.md")):
        print(f"{args.open} holds no */SOURCE.md: give the folder of the published versions", file=sys.stderr)
        return 2
    versions = published(args.open)
    readme = README.read_text(encoding="utf-8")
    for p in args.paths:
        text = p.read_text(encoding="utf-8")
        source = re.search(r"^source: (\S+)$", text, re.MULTILINE).group(1)
        o = versions.get((ROOT / "data" / "sources" / source).read_bytes())
        if o is None:
            print(f"{p}: {source} is not a published version in {args.open}", file=sys.stderr)
            return 1
        text = re.sub(r"^origin:\n(?:  .*\n)*", "", text, flags=re.MULTILINE)
        text = re.sub(r"^(source: .*\n)", lambda m, o=o: m.group(1) + block(o), text, count=1, flags=re.MULTILINE)
        p.write_text(text, encoding="utf-8")
        row = f"| {source} | {o['licence']} | {o['path']} @ {o['commit']} | {o['attribution']} |"
        readme = "\n".join(ln for ln in readme.rstrip("\n").splitlines() if not ln.startswith(f"| {source} |"))
        readme += "\n" + row + "\n"
    head, _, rows = readme.partition("|---|---|---|---|\n")
    README.write_text(head + "|---|---|---|---|\n" + "".join(sorted(rows.splitlines(keepends=True))), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
