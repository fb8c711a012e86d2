"""``privacykg draft``: a first annotation of a new policy text, for a person to review.

The text is cut into statements (:mod:`.segment`), each statement gets suggested DPV terms
from the profile's own labels, curated synonyms and patterns (:mod:`.lexicon`) and from the
nearest annotated sentence of the corpus (:mod:`.corpus`), combined in :mod:`.suggest`; the
notice's own statements (dates, response time, fees, authority, complaint routes, how rights are
exercised, Do Not Track) are read in :mod:`.notice`;
:mod:`.write` writes them as an annotation file marked ``draft: true``, which ``validate``
checks like any file and ``build`` refuses until the mark is removed.
"""

from .run import DraftReport, draft

__all__ = ["DraftReport", "draft"]
