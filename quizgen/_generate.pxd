# Cython's declarations for _generate.py, read only when setup.py compiles it (Python never reads
# this file): the plan a question is built from is a typed Plan, so its fields are read directly,
# and the functions a question passes through are called as C functions.

cimport cython
from quizgen._templates cimport Plan, time_limit_for
from quizgen._distractors cimport Corpus, pick_distractors, difficulty_of
from quizgen._pack cimport new_question

@cython.locals(answer_text=str, stem=str, attempt=Py_ssize_t, longest=Py_ssize_t, w1=tuple, w2=tuple, w3=tuple,
               ranked=list, a=str, b=str, c=str, options=tuple, answer=Py_ssize_t)
cpdef object _build(Plan plan, Corpus corpus, object rng, object rand, str target)
