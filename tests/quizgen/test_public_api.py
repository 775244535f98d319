"""The package's face (``quizgen/__init__.py``): one curated ``__all__``, one exception root, no web framework."""

from __future__ import annotations

import subprocess
import sys

import quizgen
from quizgen import ExportError, FactFileError, GenerationError, InputError, PackError, QuizgenError


def test_everything_in_all_is_importable_and_nothing_is_listed_twice():
    assert len(set(quizgen.__all__)) == len(quizgen.__all__)
    for name in quizgen.__all__:
        assert getattr(quizgen, name) is not None, name


def test_every_public_callable_has_a_docstring():
    missing = [n for n in quizgen.__all__ if callable(getattr(quizgen, n)) and not getattr(quizgen, n).__doc__]
    assert missing == []


def test_one_exception_root():
    for error in (InputError, FactFileError, PackError, GenerationError, ExportError):
        assert issubclass(error, QuizgenError)
    assert issubclass(FactFileError, InputError) and issubclass(PackError, InputError)


def test_an_input_error_is_one_line_with_its_location():
    err = FactFileError("this field is required", path="show.yaml", line=12, field="facts[3].actor")
    assert str(err) == "show.yaml:12: facts[3].actor: this field is required"
    assert str(PackError("the file is empty", path="p.json")) == "p.json: the file is empty"


def test_importing_quizgen_loads_no_web_framework_or_orm():
    code = ("import sys, quizgen; quizgen.generate_questions; "
            "print(sorted(m for m in ('flask', 'sqlmodel', 'sqlalchemy', 'webapp', 'faker') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
