"""Fixtures for the quizgen tests: the command line, run in-process."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from quizgen.cli import main


@pytest.fixture
def cli():
    """Run ``quizgen ARGS...`` in-process; a crash (anything but a deliberate exit) fails the test."""
    runner = CliRunner()

    def run(*args, **kwargs):
        result = runner.invoke(main, [str(a) for a in args], **kwargs)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"quizgen {' '.join(map(str, args))} crashed") from result.exception
        assert "Traceback" not in result.output
        return result

    return run
