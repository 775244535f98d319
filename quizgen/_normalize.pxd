# Cython's declarations for _normalize.py, read only when setup.py compiles it (Python never reads
# this file): folding is called as a C function, on typed strings.

cimport cython

@cython.locals(lowered=str, decomposed=str, stripped=str)
cpdef str fold(str text)

@cython.locals(folded=str)
cpdef str slugify(str text)

cpdef str padded_words(str text)

@cython.locals(parts=list, name=str)
cpdef str fact_key(dict values, tuple names)
