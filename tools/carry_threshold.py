"""Measure what the similarity threshold of ``privacykg carry`` (``privacykg.carry.THRESHOLD``)
separates, on the annotated policies of a data folder (default: data).

For every quote of 20 characters or more found once in its text:

* gone: the quote's line is deleted from the text, and the closest passage left is scored;
* edited: two inner words of the quote (of 8 words or more) are replaced, and the passage
  found for the old quote in the edited text is scored.

Prints the quantiles of both and how many of each fall on the wrong side of the threshold.
Usage: PYTHONPATH=loader python tools/carry_threshold.py [DATA_DIR]   (about a minute)
"""

from __future__ import annotations

import random
import statistics
import sys
from pathlib import Path

from privacykg.carry import (
    THRESHOLD,
    NewText,
    _compose,
    _ends_sentence,
    _occurrences,
    _quote_items,
    _starts_sentence,
)
from privacykg.markdown import quoted_text
from privacykg.yamlread import decode_text

FILLERS = ["company", "information", "may", "partners", "always"]


def main(data: Path) -> None:
    gone, edited = [], []
    rng = random.Random(1)
    for path in sorted((data / "policies").glob("*.yaml")):
        text = decode_text(path.read_bytes(), str(path))
        root = _compose(text, str(path))
        source = next(v.value for k, v in root.value if k.value == "source")
        src = quoted_text((data / "sources" / source).read_bytes(), source)
        seen = set()
        for item in _quote_items(root, str(path)):
            q = item.text
            occ = _occurrences(src, q)
            if q in seen or len(occ) != 1 or len(q) < 20:
                continue
            seen.add(q)
            s = occ[0]
            starts, ends = _starts_sentence(src, s), _ends_sentence(src, s + len(q))
            line_start = src.rfind("\n", 0, s) + 1
            line_end = src.find("\n", s + len(q))
            line_end = len(src) if line_end == -1 else line_end
            best = NewText(src[:line_start] + src[line_end:]).closest(q, starts, ends)
            gone.append(best[2] if best else 0.0)
            words = q.split(" ")
            if len(words) >= 8:
                for k in rng.sample(range(1, len(words) - 1), 2):
                    words[k] = rng.choice(FILLERS)
                best = NewText(src[:s] + " ".join(words) + src[s + len(q) :]).closest(q, starts, ends)
                edited.append(best[2] if best else 0.0)
    for name, scores in (("gone (closest passage left)", gone), ("edited (two words replaced)", edited)):
        q = statistics.quantiles(scores, n=20)
        print(
            f"{name}: {len(scores)} quotes; min {min(scores):.2f}, 5% {q[0]:.2f}, median {q[9]:.2f}, "
            f"90% {q[17]:.2f}, 95% {q[18]:.2f}, max {max(scores):.2f}"
        )
    print(
        f"threshold {THRESHOLD}: {sum(g >= THRESHOLD for g in gone)} of {len(gone)} deleted quotes get a proposal; "
        f"{sum(e < THRESHOLD for e in edited)} of {len(edited)} edited quotes are called gone"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data"))
