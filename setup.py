"""Build hook: compile the generator's hot modules with Cython when a C compiler is present.

The modules stay plain Python source (``quizgen/*.py`` is the only source; the ``.pxd`` files
beside them give Cython their types); compiling them only makes them faster. Where nothing can
compile them (no compiler, Cython unavailable or failing, or ``QUIZGEN_PURE_PYTHON=1`` at
install time) the install goes on and Python runs the same source. Tests check that both give
byte-identical packs. Everything else about the package is in ``pyproject.toml``.
"""

import importlib.util
import os
import warnings

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext


def _load_speedups():
    """quizgen._speedups, read without importing quizgen (its dependencies are not installed yet)."""
    spec = importlib.util.spec_from_file_location("_quizgen_speedups", os.path.join("quizgen", "_speedups.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_SPEEDUPS = _load_speedups()


class _FreshBuildExt(build_ext):
    """build_ext that never leaves an earlier build's compiled module in place of a failed one."""

    def run(self):
        hot = {f"quizgen.{name}" for name in _SPEEDUPS.HOT}
        out = os.path.join(self.build_lib, "quizgen")
        for entry in os.listdir(out) if os.path.isdir(out) else ():
            if entry.endswith((".so", ".pyd")) and f"quizgen.{entry.split('.')[0]}" not in hot:
                os.remove(os.path.join(out, entry))  # left by an earlier build of another module list
        super().run()

    def build_extension(self, ext):
        target = self.get_ext_fullpath(ext.name)
        if os.path.exists(target):
            os.remove(target)  # an optional module that fails to compile must not ship the last one built
        super().build_extension(ext)


def _extensions() -> list:
    if _SPEEDUPS.pure_python_requested():
        return []
    try:
        from Cython.Build import cythonize

        modules = [Extension(f"quizgen.{name}", [os.path.join("quizgen", f"{name}.py")], optional=True,
                             # no fused multiply-add: a compiled sum of products rounds as Python's does
                             extra_compile_args=["-ffp-contract=off"] if os.name != "nt" else [])
                   for name in _SPEEDUPS.HOT]
        # annotation_typing=False: the annotations are documentation; the .pxd files say what is typed
        compiled = cythonize(modules, build_dir=os.path.join("build", "cython"), quiet=True,
                             compiler_directives={"language_level": 3, "annotation_typing": False, "binding": True})
    except Exception as exc:  # Cython missing or failing: the plain source is a complete install
        warnings.warn(f"quizgen's hot modules are not compiled ({type(exc).__name__}: {exc}); "
                      f"Python runs their source")
        return []
    for extension in compiled:  # cythonize makes new Extension objects and drops the flag
        extension.optional = True  # no compiler: warn, and install the plain Python modules
    return compiled


setup(ext_modules=_extensions(), cmdclass={"build_ext": _FreshBuildExt})
