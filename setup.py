"""Build hook: compile the generator's hot modules with Cython when a C compiler is present.

The modules stay plain Python source (``quizgen/*.py`` is the only source); compiling them
only makes them faster. Where nothing can compile them (no compiler, or
``QUIZGEN_PURE_PYTHON=1`` at install time) the install goes on and Python runs the same
source. Tests check that both give byte-identical packs. Everything else about the package
is in ``pyproject.toml``.
"""

import importlib.util
import os

from setuptools import Extension, setup


def _hot_modules() -> tuple[str, ...]:
    """quizgen._speedups.HOT, read without importing quizgen (its dependencies are not installed yet)."""
    spec = importlib.util.spec_from_file_location("_quizgen_speedups", "quizgen/_speedups.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.HOT


def _extensions() -> list:
    if os.environ.get("QUIZGEN_PURE_PYTHON"):
        return []
    from Cython.Build import cythonize

    modules = [Extension(f"quizgen.{name}", [f"quizgen/{name}.py"], optional=True) for name in _hot_modules()]
    # annotation_typing=False: the annotations are documentation, and Python's rules (a defaultdict
    # is a dict) must hold compiled exactly as they hold interpreted
    compiled = cythonize(modules, build_dir="build/cython", quiet=True,
                         compiler_directives={"language_level": 3, "annotation_typing": False, "binding": True})
    for extension in compiled:  # cythonize makes new Extension objects and drops the flag
        extension.optional = True  # no compiler: warn, and install the plain Python modules
    return compiled


setup(ext_modules=_extensions())
