# Cython's declarations for _pack.py, read only when setup.py compiles it (Python never reads this
# file). Compiled, a Question's slots are filled by calling each slot descriptor's C setter
# directly: what `descriptor.__set__(question, value)` does, without a Python call per field (a
# frozen dataclass can be filled only through its descriptors). The descriptor still checks that
# it is given a Question, so a wrong object raises TypeError, as from Python.

from cpython.object cimport Py_TYPE, PyObject, PyTypeObject


cdef inline int _fill(object obj, tuple slots, tuple values) except -1:
    cdef Py_ssize_t i
    for i in range(len(slots)):
        descriptor = slots[i]
        Py_TYPE(descriptor).tp_descr_set(descriptor, obj, values[i])
    return 0


cdef inline object _filled(type cls, tuple slots, tuple values):
    """cls.__new__(cls) (object.__new__: no __init__), its slots filled from values."""
    cdef tuple no_args = ()
    obj = (<PyTypeObject*>cls).tp_new(cls, <PyObject*>no_args, NULL)
    _fill(obj, slots, values)
    return obj


cpdef object new_question(object id, object show, object kind, object template, object stem, object options,
                          object answer, object explanation, object sources, object difficulty, object category,
                          object tags, object time_limit, object as_of)
