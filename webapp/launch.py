"""The ``quizgen`` command's entry point.

``quizgen serve`` runs the game on gevent (thousands of open connections in one process, for quiz
nights), and gevent's monkey-patching must come before anything else is imported, as its documentation
says; the other commands do not need it.
"""

import sys


def main() -> None:
    if sys.argv[1:2] == ["serve"]:
        from gevent import monkey

        monkey.patch_all()
    from webapp.cli import main as commands

    commands()
