"""Synthetic policy versions for scale tests: N policies from :func:`privacykg.synth.synth`,
each followed by V - 1 later versions, each a copy of the one before with a few statements
edited.

Each later version, against the one before it:

* is dated later (its ``version``, its source file and its "Last updated" line);
* replaces one purpose of a process with another (``hasPurpose``);
* adds a category of personal data to a process (``hasPersonalData``);
* removes a category of personal data from a process that lists more than one;
* replaces one recipient of a process with another (``hasRecipient``), where a process names a
  recipient by a term.

Values replaced or removed are plain terms (no quote, no mark of their own), so the edit is one
statement. An added value is quoted: its sentence is appended to the source text, and the
"Last updated" line keeps its length (a date for a date), so every earlier quote stays where it
was and every quote is checked against the text as for real data. The terms put in are drawn
from those the real encodings use in the same field. Deterministic by seed.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> made = synth_versions(2, 3, out, seed=1)
>>> len(made), sorted(p.name for p in (out / "policies").iterdir())[:3]
(6, ['synth-000000-2019-11-22.yaml', 'synth-000000-2020-01-19.yaml', 'synth-000000-2020-03-04.yaml'])
"""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import yaml

from .synth import load_templates, synth


@dataclass(frozen=True)
class Edit:
    """One statement a version changed: ``kind`` "added" or "removed", on ``process`` (its YAML
    key), ``field`` (e.g. "hasPurpose") and ``value`` (a prefixed term)."""

    kind: str
    process: str
    field: str
    value: str


@dataclass
class VersionMade:
    """One version written: its policy slug, version date and the edits against the version
    before it (none for the first)."""

    policy: str
    version: str
    edits: list[Edit] = field(default_factory=list)


#: the fields edited and what each edit does to them
FIELDS = ("hasPurpose", "hasPersonalData", "hasRecipient")


def term_pools(templates_dir: Path) -> dict[str, list[str]]:
    """The prefixed terms the real encodings give each edited field, sorted."""
    pools: dict[str, set[str]] = {f: set() for f in FIELDS}
    for t in load_templates(templates_dir):
        for proc in t.doc.get("processes", {}).values():
            for f in FIELDS:
                for v in proc.get(f, []) or []:
                    raw = v.get("value") if isinstance(v, dict) else v
                    if isinstance(raw, str) and ":" in raw:
                        pools[f].add(raw)
    return {f: sorted(v) for f, v in pools.items()}


def synth_versions(
    n: int, v: int, out: Path | str, *, seed: int = 0, templates_dir: Path | str = "data"
) -> list[VersionMade]:
    """Write ``n`` synthetic policies with ``v`` versions each into ``out`` (``policies/`` and
    ``sources/``); the versions written, by policy, oldest first."""
    if v < 1:
        raise ValueError("a policy has at least one version")
    out = Path(out)
    synth(n, out, seed=seed, templates_dir=templates_dir)
    pools = term_pools(Path(templates_dir))
    rng = random.Random(f"versions-{seed}")
    made = []
    for first in sorted((out / "policies").glob("*.yaml")):
        doc = yaml.safe_load(first.read_text(encoding="utf-8"))
        text = (out / "sources" / doc["source"]).read_text(encoding="utf-8")
        made.append(VersionMade(doc["policy"], doc["version"]))
        for _ in range(v - 1):
            doc, text, edits = next_version(doc, text, rng, pools)
            _write(out, doc, text)
            made.append(VersionMade(doc["policy"], doc["version"], edits))
    return made


def next_version(doc: dict, text: str, rng: random.Random, pools: dict[str, list[str]]):
    """The version after ``doc`` (its source ``text``): (annotation, source text, edits)."""
    doc = copy.deepcopy(doc)
    old = doc["version"]
    new = (date.fromisoformat(old) + timedelta(days=rng.randint(20, 60))).isoformat()
    line = f"Last updated: {old}."
    text = text.replace(line, f"Last updated: {new}.", 1)
    doc["version"], doc["source"] = new, f"{doc['policy']}-{new}.txt"
    doc["notice"]["modified"] = {
        "value": new,
        "quote": {**doc["notice"]["modified"]["quote"], "text": f"Last updated: {new}."},
    }
    edits: list[Edit] = []
    procs = doc["processes"]

    def plain_values(key, f):
        return [x for x in procs[key].get(f, []) or [] if isinstance(x, str) and ":" in x]

    def add(key, f, term):
        nonlocal text
        sentence = f"From {new} on, {doc['title']} also records {term} for {key}."
        procs[key].setdefault(f, []).append({"value": term, "quote": {"text": sentence, "at": str(len(text))}})
        text += sentence + "\n"
        edits.append(Edit("added", key, f, term))

    def remove(key, f, term):
        procs[key][f].remove(term)
        edits.append(Edit("removed", key, f, term))

    def listed(key, f):
        return {x.get("value") if isinstance(x, dict) else x for x in procs[key].get(f, []) or []}

    keys = sorted(procs)
    for f, replace, drop in (
        ("hasPurpose", True, False),
        ("hasPersonalData", False, False),
        ("hasPersonalData", False, True),
        ("hasRecipient", True, False),
    ):
        shuffled = rng.sample(keys, len(keys))
        for key in shuffled:
            have = plain_values(key, f)
            fresh = [t for t in pools[f] if t not in listed(key, f)]
            if drop:
                if len(listed(key, f)) > 1 and have:
                    remove(key, f, rng.choice(have))
                    break
            elif replace and have and fresh:
                remove(key, f, rng.choice(have))
                add(key, f, rng.choice(fresh))
                break
            elif not replace and fresh and listed(key, f):
                add(key, f, rng.choice(fresh))
                break
    return doc, text, edits


def _write(out: Path, doc: dict, text: str) -> None:
    (out / "sources" / doc["source"]).write_text(text, encoding="utf-8")
    with open(out / "policies" / f"{doc['policy']}-{doc['version']}.yaml", "w", encoding="utf-8") as f:
        f.write(
            f"# synthetic version of {doc['policy']}: the one before with a few statements edited "
            "(privacykg.synth_versions)\n"
        )
        yaml.safe_dump(doc, f, allow_unicode=True, sort_keys=False, width=200)
