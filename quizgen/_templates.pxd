# Cython's declarations for _templates.py, read only when setup.py compiles it (Python never reads
# this file): Plan becomes an extension type, so compiled code reads its fields directly, and the
# helpers a question passes through are called as C functions.

cimport cython
from quizgen._normalize cimport fact_key, field_values, fold, option_key, padded_words

cdef class Plan:
    cdef public str id, show, kind, template, stem, stem_probe, answer, answer_key, vtype, explanation, category
    cdef public Py_ssize_t show_index
    cdef public object number
    cdef public frozenset exclude
    cdef public tuple curated, sources, tags
    cdef public str as_of, stem_folded

    cpdef bint has_words(self, str key)

cpdef str stem_probe(str stem)
@cython.locals(space=Py_ssize_t)
cpdef str probe(str key)
cpdef str question_id(str show, str kind, str key, str template)
@cython.locals(chars=Py_ssize_t, i=Py_ssize_t)
cpdef int time_limit_for(str stem, object options) except? -1
cdef tuple _LIMIT_CHARS
cdef Py_ssize_t _LAST_LIMIT
@cython.locals(sources=list, values=dict)
cpdef tuple _cite(object citations)
cpdef str _citation(tuple sources)
cpdef object _pair(dict first, dict many, str key, str value)
cpdef tuple candidate(str text, object number=*)

@cython.locals(plans=list, plan=Plan, key=str, probe_text=str, stem=str, show_id=str, kind=str, key_text=str,
               cite=str, v=dict)
cpdef list plans_for_show(object show_facts, Py_ssize_t show_index, object kinds=*)
