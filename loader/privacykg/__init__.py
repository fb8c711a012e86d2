"""privacykg: privacy policies as W3C DPV 2.3 RDF, each fact tied to the sentence it came
from, validated, and queryable with SPARQL.

The API is small and functional; the ``privacykg`` command is a thin layer over it.

>>> import privacykg, tempfile, pathlib
>>> store = pathlib.Path(tempfile.mkdtemp()) / "store"
>>> report = privacykg.build("data", store)
>>> rows = privacykg.select(store, '''
...     PREFIX dpv: <https://w3id.org/dpv#>
...     SELECT ?name WHERE { ?n a dpv:PrivacyNotice ; dpv:hasDataController/dpv:hasName ?name }
...     ORDER BY ?name''')
>>> "Identrics Ltd." in [r["name"] for r in rows]
True
"""

__version__ = "0.1.0"

from .api import export, query, select  # noqa: E402
from .build import build, load, remove, validate  # noqa: E402
from .errors import DataError, PrivacyKGError, Problem, StoreError, UsageError  # noqa: E402
from .store import open_store  # noqa: E402

__all__ = [
    "build",
    "load",
    "remove",
    "validate",
    "open_store",
    "query",
    "select",
    "export",
    "DataError",
    "UsageError",
    "StoreError",
    "PrivacyKGError",
    "Problem",
    "__version__",
]
