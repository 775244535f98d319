# Cython's declarations for _distractors.py, read only when setup.py compiles it (Python never
# reads this file): pools, the corpus and the plan a draw works on are extension types whose fields
# are read directly, and indices are C integers. Compiled, these functions are stricter than their
# source: str, tuple and set arguments must be exactly those types, and a Plan or Corpus argument
# must not be None (Cython does not check it here; the generator never passes one).

cimport cython
from quizgen._templates cimport Plan, candidate
from quizgen._normalize cimport field_values, option_key

cdef class Pool:
    cdef readonly tuple cands, neg_lens
    cpdef Py_ssize_t reach(self, Py_ssize_t min_len)

@cython.locals(v=dict)
cpdef object _values(object show)
cpdef str number_text(str vtype, object value)
cpdef Pool make_pool(object cands)
cpdef tuple _buckets(str vtype, object answer)

cdef class Corpus:
    cdef public object seed, holders  # holders: a defaultdict, which a typed dict field would refuse
    cdef public dict same, _faker_pools
    cpdef Pool faker_pool(self, str vtype)

@cython.locals(pool=Pool, cands=tuple, curated=tuple, n=Py_ssize_t, n_cur=Py_ssize_t, total=Py_ssize_t,
               attempt=Py_ssize_t, i=Py_ssize_t, cand=tuple, key=str, exclude=frozenset, stem_probe=str, r=double)
cpdef object _draw_same(Plan plan, Corpus corpus, object rand, set used, Py_ssize_t min_len)

@cython.locals(pool=Pool, cands=tuple, n=Py_ssize_t, start=Py_ssize_t, attempt=Py_ssize_t, cand=tuple)
cpdef object _draw_faker(Plan plan, Corpus corpus, object rand, set used, Py_ssize_t min_len)

@cython.locals(pool=Pool, n=Py_ssize_t, own=Py_ssize_t, j=Py_ssize_t, reach=Py_ssize_t, start=Py_ssize_t,
               attempt=Py_ssize_t, step=Py_ssize_t, same=dict, cand=tuple, vtype=str)
cpdef object _draw_other(Plan plan, Corpus corpus, object rand, set used, Py_ssize_t min_len)

@cython.locals(key=str)
cpdef bint _acceptable(Plan plan, tuple cand, set used, Py_ssize_t min_len) except -1

@cython.locals(attempt=Py_ssize_t)
cpdef object _draw_number(Plan plan, object rand, str tier, set used, Py_ssize_t min_len)

cpdef object _draw(str tier, Plan plan, Corpus corpus, object rand, set used, Py_ssize_t min_len)

@cython.locals(used=set, chosen=list, answer_len=Py_ssize_t, longest=Py_ssize_t, min_len=Py_ssize_t,
               closeness=double, cand=tuple, tier=str)
cpdef object pick_distractors(Plan plan, Corpus corpus, object rng, object rand, str target, bint long_first=*)

cpdef str difficulty_of(double closeness)
