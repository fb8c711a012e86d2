"""Synthetic corpora for scale tests: ``privacykg synth --policies N --out DIR [--seed S]``.

Writes a data folder laid out like ``data/`` (``policies/*.yaml`` and ``sources/*.txt``) that
``privacykg build --data DIR`` takes as it is. Each synthetic policy is shaped like the real
ones: its number of processes is drawn from the real policies, and its processes,
prohibitions, rights, named organisations and cookies are sampled from the real encodings,
quotes included. Its source text is made of the sentences it cites (each with its offset), so
every quote is checked exactly as for real data.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp())
>>> synth(3, out, seed=1)
3
>>> sorted(p.name for p in (out / "policies").iterdir())[0]
'synth-000000-2019-11-22.yaml'
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import yaml

from .yamlread import Node, read_yaml_file

COUNTRIES = ["loc:BG", "loc:DK", "loc:GB", "loc:ZA", "loc:HK", "loc:US", "loc:DE", "loc:FR", "loc:IE", "loc:NL"]


def plain(node: Node):
    """A YAML node tree as plain Python values (text, lists, dicts)."""
    v = node.value
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


@dataclass
class Template:
    doc: dict
    controller: str
    dpo: str | None


def load_templates(data_dir: Path) -> list[Template]:
    out = []
    for path in sorted((data_dir / "policies").glob("*.yaml")):
        doc = plain(read_yaml_file(path))
        ctrl = doc["controller"]
        dpo = doc.get("entities", {}).get(ctrl, {}).get("dpo")
        out.append(Template(doc, ctrl, dpo if isinstance(dpo, str) else None))
    if not out:
        raise ValueError(f"no annotation files in {data_dir / 'policies'} to sample from")
    return out


#: The keys whose values are quotes of the source (a condition is quoted in its own words).
QUOTE_KEYS = ("quote", "quotes", "condition")


def _quotes_in(obj) -> list[str]:
    """Every quote text in a (plain) annotation fragment."""
    found = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in QUOTE_KEYS:
                for q in v if isinstance(v, list) else [v]:
                    found.append(q["text"] if isinstance(q, dict) else q)
            else:
                found.extend(_quotes_in(v))
    elif isinstance(obj, list):
        for x in obj:
            found.extend(_quotes_in(x))
    return found


def _rewrite(obj, fn):
    """Apply ``fn`` to every quote item and every text value, returning a new structure."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k in QUOTE_KEYS:
                items = v if isinstance(v, list) else [v]
                new = [fn("quote", q) for q in items]
                out[k] = new if isinstance(v, list) else new[0]
            else:
                out[k] = _rewrite(v, fn)
        return out
    if isinstance(obj, list):
        return [_rewrite(x, fn) for x in obj]
    return fn("value", obj)


def synth(n: int, out: Path | str, *, seed: int = 0, templates_dir: Path | str = "data") -> int:
    """Write ``n`` synthetic policies into ``out`` (``policies/`` and ``sources/``)."""
    out = Path(out)
    (out / "policies").mkdir(parents=True, exist_ok=True)
    (out / "sources").mkdir(parents=True, exist_ok=True)
    templates = load_templates(Path(templates_dir))
    rng = random.Random(seed)
    proc_counts = [len(t.doc.get("processes", {})) for t in templates]
    pool = []  # (template index, key, process)
    for i, t in enumerate(templates):
        for key, proc in t.doc.get("processes", {}).items():
            pool.append((i, key, proc))
    for k in range(n):
        _one(k, rng, templates, pool, proc_counts, out)
    return n


def _one(k, rng, templates, pool, proc_counts, out: Path):
    base = rng.choice(templates)
    slug = f"synth-{k:06d}"
    version = (date(2016, 1, 1) + timedelta(days=rng.randrange(0, 3250))).isoformat()
    if k == 0 or k % 97 == 0:
        version = "2019-11-22"
    ctrl, dpo = f"{slug}-co", f"{slug}-dpo"
    name = f"Synthetic Company {k} Ltd"
    header = [
        f"{name} Privacy Policy",
        f"Last updated: {version}.",
        f"{name} is the controller of your personal data and is established in the country named below.",
        f"Our data protection officer can be reached at dpo@{slug}.example.",
    ]
    n_proc = max(1, rng.choice(proc_counts) + rng.randint(-3, 3))
    chosen = rng.sample(pool, min(n_proc, len(pool)))
    key_map = {}  # (template index, old key) -> new key, for technologies
    processes, technologies, entities = {}, {}, {}

    def keymap(tpl_index):
        t = templates[tpl_index]
        return {t.controller: ctrl, **({t.dpo: dpo} if t.dpo else {})}

    def rename(tpl_index, value):
        if isinstance(value, str):
            m = keymap(tpl_index)
            if value in m:
                return m[value]
            if (tpl_index, value) in key_map:
                return key_map[(tpl_index, value)]
        return value

    def bring_entity(tpl_index, key):
        if key in keymap(tpl_index).values() or key in entities:
            return
        ent = templates[tpl_index].doc.get("entities", {}).get(key)
        if ent is not None:
            ent = dict(ent)
            for ref in ("dpo", "representative", "subsidiaryOf", "hasSubsidiary"):
                ent.pop(ref, None)
            entities[key] = ent

    for j, (ti, key, proc) in enumerate(chosen):
        t = templates[ti]
        for tkey in t.doc.get("technologies", {}):
            key_map[(ti, tkey)] = f"t{ti}-{tkey}"
        proc = _rewrite(proc, lambda kind, v, ti=ti: v if kind == "quote" else rename(ti, v))
        for field in ("isImplementedUsingTechnology",):
            for v in proc.get(field, []) if isinstance(proc.get(field), list) else []:
                raw = v.get("value") if isinstance(v, dict) else v
                for (tj, old), new in key_map.items():
                    if tj == ti and new == raw:
                        tech = dict(t.doc["technologies"][old])
                        prov = tech.get("provider")
                        if isinstance(prov, str):
                            prov = rename(ti, prov)
                            tech["provider"] = prov
                            bring_entity(ti, prov)
                        technologies[new] = tech
        for vals in proc.values():
            if isinstance(vals, list):
                for v in vals:
                    raw = v.get("value") if isinstance(v, dict) else v
                    if isinstance(raw, str) and ":" not in raw and raw not in technologies:
                        bring_entity(ti, raw)
        processes[f"p{j}-{key}"] = proc
    prohibitions = {}
    bi = templates.index(base)
    for i, (key, p) in enumerate(base.doc.get("prohibitions", {}).items()):
        if rng.random() >= 0.7:
            continue
        p = _rewrite(p, lambda kind, v: v if kind == "quote" else rename(bi, v))
        refs = [
            v.get("value") if isinstance(v, dict) else v for vals in p.values() if isinstance(vals, list) for v in vals
        ]
        if any(r in base.doc.get("technologies", {}) for r in refs if isinstance(r, str)):
            continue  # a prohibition naming the base's technologies: those are not brought along
        for r in refs:
            if isinstance(r, str) and ":" not in r:
                bring_entity(bi, r)  # an organisation it names (a recipient ...) comes with it
        prohibitions[f"x{i}-{key}"] = p
    notice = {"modified": {"value": version, "quote": f"Last updated: {version}."}}
    for fld, vals in base.doc.get("notice", {}).items():  # rights, authority, complaint routes ...
        if fld in ("modified", "issued", "effective"):
            continue
        vals = _rewrite(vals, lambda kind, v: v if kind == "quote" else rename(bi, v))
        if fld == "hasAuthority":  # an authority given by its entity key comes with it
            for v in vals if isinstance(vals, list) else [vals]:
                r = v.get("value") if isinstance(v, dict) else v
                if isinstance(r, str) and ":" not in r:
                    bring_entity(bi, r)
        notice[fld] = vals
    doc = {
        "format": "privacykg/1",
        "policy": slug,
        "version": version,
        "source": f"{slug}-{version}.txt",
        "title": f"{name} Privacy Policy",
        "language": "en",
        "controller": ctrl,
        "notice": notice,
        "entities": {
            ctrl: {
                "types": ["dpv:DataController", "dpv:Organisation"],
                "name": name,
                "location": rng.choice(COUNTRIES),
                "dpo": dpo,
                "quotes": [header[2]],
            },
            dpo: {
                "types": ["dpv:DataProtectionOfficer"],
                "name": "Data Protection Officer",
                "contact": [f"dpo@{slug}.example"],
                "quotes": [header[3]],
            },
            **entities,
        },
        "processes": processes,
    }
    if prohibitions:
        doc["prohibitions"] = prohibitions
    if technologies:
        doc["technologies"] = technologies
    # the source text: the header, then every cited sentence once; each quote gets its offset
    sentences = list(
        dict.fromkeys(header + _quotes_in({k: v for k, v in doc.items() if k != "notice"}) + _quotes_in(notice))
    )
    text, offsets = "", {}
    for s in sentences:
        offsets[s] = len(text)
        text += s + "\n"

    def place(kind, q):
        if kind != "quote":
            return q
        qt = q["text"] if isinstance(q, dict) else q
        return {"text": qt, "at": str(offsets[qt])}

    doc = _rewrite(doc, place)
    (out / "sources" / f"{slug}-{version}.txt").write_text(text, encoding="utf-8")
    with open(out / "policies" / f"{slug}-{version}.yaml", "w", encoding="utf-8") as f:
        f.write(f"# synthetic policy {k}, sampled from the real encodings (privacykg synth)\n")
        yaml.safe_dump(doc, f, allow_unicode=True, sort_keys=False, width=200)
