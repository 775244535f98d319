"""``python -m webapp``: the ``quizgen`` command (``python -m webapp serve`` as ``quizgen serve``)."""

from webapp.launch import main

main()
