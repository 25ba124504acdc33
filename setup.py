"""Puts the default theme into the wheel: the repository's templates/ and assets/ stay its source.

Everything else is declared in pyproject.toml. A built package (wheel, `pipx install`, `uv tool
install`) gets a copy of templates/, assets/ and the embedded site's content/ (what `awareness init`
writes into a new site) under generator/bundled/; an editable install and a source checkout use the
top-level folders themselves (generator/theme.py finds either).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("templates", "assets", "content")


class BuildWithTheme(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # the repository's own folders are used in place
        for name in BUNDLED:
            target = Path(self.build_lib) / "generator" / "bundled" / name
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(Path(__file__).parent / name, target,
                            ignore=shutil.ignore_patterns(".*", "~*", "__pycache__", "Thumbs.db", "desktop.ini"))


setup(cmdclass={"build_py": BuildWithTheme})
