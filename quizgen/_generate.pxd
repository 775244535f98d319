# Cython's declarations for _generate.py, read only when setup.py compiles it (Python never reads
# this file): the plan a question is built from is a typed Plan, so its fields are read directly.

from quizgen._templates cimport Plan

cpdef object _build(Plan plan, object corpus, object rng, str target)
