"""Which of the generator's modules run compiled, and the way back to their plain source.

``setup.py`` compiles the modules named in :data:`HOT` with Cython when the machine has a
C compiler; the ``.py`` files stay the only source, and Python runs them unchanged where
nothing compiled them. Both give byte-identical packs (``tests/quizgen/test_speedups.py``).

The compiled modules are passed over, and their source imported instead, when
  * ``QUIZGEN_PURE_PYTHON`` is set (not empty, not ``0``) in the environment, or
  * a module's source was changed after it was compiled (an editable install being worked
    on): running stale code silently would be worse than running slower, so this also warns.
    All of them then, not only the changed one: they share compiled types.
This module uses only the standard library: ``setup.py`` reads :data:`HOT` from it.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import warnings
from pathlib import Path

# the modules a question passes through, from facts to a written pack line
HOT = ("_normalize", "_templates", "_distractors", "_generate", "_pack")

_HERE = Path(__file__).resolve().parent
_PACKAGE = __name__.rpartition(".")[0]
# installing a wheel writes the .py and the compiled file moments apart, in either order
_MTIME_SLACK = 2.0


def pure_python_requested() -> bool:
    return os.environ.get("QUIZGEN_PURE_PYTHON", "") not in ("", "0")


def _compiled_file(name: str) -> Path | None:
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = _HERE / f"{name}{suffix}"
        if path.exists():
            return path
    return None


class _FromSource:
    """A meta-path finder that imports the named hot modules from their ``.py`` source."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package == _PACKAGE and name in self.names:
            return importlib.util.spec_from_file_location(fullname, _HERE / f"{name}.py")
        return None


def choose() -> None:
    """Before the hot modules are imported: send their imports to the source when they must not run compiled.

    All or none: the compiled modules share their types (``_distractors`` and ``_generate`` use
    ``_templates``' compiled Plan), so one module run from source takes the others with it.
    """
    compiled = {name: path for name in HOT if (path := _compiled_file(name)) is not None}
    if not compiled:
        return
    if not pure_python_requested():
        missing = [name for name in HOT if name not in compiled]
        stale = [name for name, path in compiled.items()
                 if (_HERE / f"{name}.py").stat().st_mtime > path.stat().st_mtime + _MTIME_SLACK]
        if not missing and not stale:
            return
        why = (f"{', '.join(missing)} did not compile" if missing else
               f"{', '.join(f'{_HERE / name}.py' for name in stale)} changed after compiling")
        warnings.warn(f"{why}: running quizgen's source, not its compiled modules; `pip install -e .` compiles "
                      f"them again", stacklevel=3)
    sys.meta_path.insert(0, _FromSource(frozenset(compiled)))


def compiled_modules() -> tuple[str, ...]:
    """The hot modules that this process runs compiled."""
    out = []
    for name in HOT:
        module = sys.modules.get(f"{_PACKAGE}.{name}")
        if module is not None and not str(module.__file__).endswith(".py"):
            out.append(name)
    return tuple(out)
