"""The one build step pyproject.toml cannot say: a wheel carries the top-level ``ontology/``
(vocabulary and SHACL shapes) and ``queries/`` (the query library) as ``privacykg/_data/``,
copied when the wheel is built, so the folders of the checkout stay their only source.
An editable install copies nothing: the package then reads the checkout's folders
(``loader/privacykg/resources.py``)."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
DATA_FOLDERS = ("ontology", "queries")


class BuildPyWithData(build_py):
    def run(self):
        super().run()
        if self.editable_mode:
            return
        shutil.rmtree(Path(self.build_lib, "privacykg", "_data"), ignore_errors=True)  # no stale copies
        for name in DATA_FOLDERS:
            source = ROOT / name
            if not source.is_dir():
                raise SystemExit(f"{source} is missing: a wheel needs it (run the build from a checkout or an sdist)")
            for path in sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
                target = Path(self.build_lib, "privacykg", "_data", name, path.relative_to(source))
                self.mkpath(str(target.parent))
                self.copy_file(str(path), str(target))


setup(cmdclass={"build_py": BuildPyWithData})
