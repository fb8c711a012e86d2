"""Where the package finds its own files: the ontology (with the SHACL shapes) and the query
library. The top-level ``ontology/`` and ``queries/`` folders of the checkout are their source;
a wheel carries copies of them as ``privacykg/_data/`` (``setup.py`` puts them there when it
builds). So the same code runs from a checkout (``PYTHONPATH=loader`` or an editable install),
where ``_data/`` does not exist, and from an installed wheel, where there is no checkout.

>>> (ONTOLOGY_DIR / "shapes").is_dir() and (QUERIES_DIR / "cq").is_dir()
True
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
#: The copies a wheel ships (absent in a checkout).
PACKAGED_DATA_DIR = PACKAGE_DIR / "_data"
#: The checkout the package runs from (``loader/privacykg`` -> the project root); in an
#: installed wheel this is some folder above site-packages and holds none of our files.
PROJECT_ROOT = PACKAGE_DIR.parents[1]


def data_dir(name: str) -> Path:
    """The folder ``name`` (``ontology`` or ``queries``): the wheel's copy when the package
    was installed from one, else the checkout's top-level folder (returned even when it does
    not exist, so that the error names the place looked at)."""
    packaged = PACKAGED_DATA_DIR / name
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


ONTOLOGY_DIR = data_dir("ontology")
QUERIES_DIR = data_dir("queries")
