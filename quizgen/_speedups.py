"""Which of the generator's modules run compiled, and the way back to their plain source.

``setup.py`` compiles the modules named in :data:`HOT` with Cython when the machine has a
C compiler; the ``.py`` files stay the only source (the ``.pxd`` files beside them give
Cython their types), and Python runs them unchanged where nothing compiled them. Both give
byte-identical packs (``tests/quizgen/test_speedups.py``).

The compiled modules are passed over, and their source imported instead, when
  * ``QUIZGEN_PURE_PYTHON`` is set (not empty, not ``0``) in the environment, or
  * a module's source (``.py`` or ``.pxd``) changed after it was compiled (an editable install
    being worked on), or one of them did not compile: running stale code silently would be
    worse than running slower, so this also warns.
All of them together, never some: they share compiled types (``_distractors`` and
``_generate`` use ``_templates``' compiled Plan), so a mix could not even be imported.
Changes are seen by modification time; a copy that keeps old times on a changed file
(``cp -p``, ``rsync -t``) is not seen. This module uses only the standard library:
``setup.py`` reads it.
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


def _changed_since(compiled: dict[str, Path]) -> list[Path]:
    """The hot sources written after they were compiled: a .py after its own module, a .pxd after
    any module (a module is compiled with the .pxd files it cimports)."""
    built = {name: path.stat().st_mtime + _MTIME_SLACK for name, path in compiled.items()}
    oldest = min(built.values())
    changed = [_HERE / f"{name}.py" for name in compiled if (_HERE / f"{name}.py").stat().st_mtime > built[name]]
    declarations = [_HERE / f"{name}.pxd" for name in HOT]
    return changed + [path for path in declarations if path.exists() and path.stat().st_mtime > oldest]


def choose() -> None:
    """Before the hot modules are imported: send their imports to the source when they must not run compiled."""
    if any(isinstance(finder, _FromSource) for finder in sys.meta_path):
        return  # chosen already (quizgen imported again)
    compiled = {name: path for name in HOT if (path := _compiled_file(name)) is not None}
    if not compiled or not all((_HERE / f"{name}.py").exists() for name in HOT):
        return  # nothing compiled, or no source to go back to (an installer that ships compiled modules only)
    if not pure_python_requested():
        missing = [name for name in HOT if name not in compiled]
        changed = _changed_since(compiled)
        if not missing and not changed:
            return
        why = (f"{', '.join(missing)} did not compile" if missing else
               f"{', '.join(map(str, changed))} changed after compiling")
        warnings.warn(f"{why}: running quizgen's source, not its compiled modules; reinstall quizgen "
                      f"(`pip install -e .` in a checkout) to compile them again", stacklevel=3)
    sys.meta_path.insert(0, _FromSource(frozenset(compiled)))


def compiled_modules() -> tuple[str, ...]:
    """The hot modules that this process runs compiled."""
    out = []
    for name in HOT:
        module = sys.modules.get(f"{_PACKAGE}.{name}")
        if module is not None and str(module.__file__).endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES)):
            out.append(name)
    return tuple(out)
