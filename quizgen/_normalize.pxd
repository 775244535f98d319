# Cython's declarations for _normalize.py, read only when setup.py compiles it (Python never reads
# this file): folding, option keys and fact keys are called as C functions, on typed strings, and a
# model's field dict is taken straight from C.

cimport cython
from cpython.object cimport PyObject_GenericGetDict

@cython.locals(lowered=str, decomposed=str, stripped=str, words=int)
cpdef str fold(str text)

@cython.locals(key=str, folded=str)
cpdef str option_key(str text)

cdef dict _KEYS


cdef inline int _ascii_words(str lowered):
    """fold's test of lower-cased ASCII text, in one pass: 1 when it is already folded (only a-z, 0-9
    and single spaces inside), 2 when it is once each hyphen is a space ("jean-luc"), 0 otherwise."""
    cdef Py_ssize_t i, n = len(lowered)
    cdef Py_UCS4 c
    cdef bint gap = True  # at the start, or just after a space or hyphen: another here is not folded text
    cdef int hyphen = 0
    for i in range(n):
        c = lowered[i]
        if c == u' ' or c == u'-':
            if gap:
                return 0
            gap = True
            if c == u'-':
                hyphen = 1
        elif (u'a' <= c <= u'z') or (u'0' <= c <= u'9'):
            gap = False
        else:
            return 0
    return 0 if gap else 1 + hyphen

@cython.locals(folded=str)
cpdef str slugify(str text)

cpdef str padded_words(str text)

cdef inline dict _instance_dict(object model):
    """model.__dict__, taken without an attribute look-up."""
    return PyObject_GenericGetDict(model, NULL)

cpdef dict field_values(object model)

@cython.locals(values=dict, parts=list, name=str)
cpdef str fact_key(object fact)
