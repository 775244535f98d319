"""Property-based "no 500" run: schemathesis sends random requests to every API endpoint.

The schema is loaded from the app's own ``/api/openapi.json`` through the WSGI app (no server);
for every operation, valid and invalid requests (schemathesis's positive and negative modes) are
generated. Every answer must be below 500 and match the description (media type, body schema).

(``schemathesis.pytest.from_fixture`` would be the usual entry point, but schemathesis 4.32 sets
``node._nodeid``, which pytest 9 no longer has; drawing cases from ``operation.as_strategy()`` in a
plain Hypothesis test does the same work.)
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from webapp.api.spec import openapi_document

CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]
EXAMPLES = {GenerationMode.POSITIVE: 50, GenerationMode.NEGATIVE: 25}
OPERATIONS = [(path, method.upper()) for path, item in openapi_document()["paths"].items() for method in item]


def _can_be_broken(path: str, method: str) -> bool:
    """Whether a request can break the description: a query parameter, or a path parameter with a pattern."""
    parameters = openapi_document()["paths"][path][method.lower()].get("parameters", [])
    return any(p["in"] == "query" or "pattern" in p["schema"] for p in parameters)


# Negative cases break a parameter's schema; an operation without parameters has none.
RUNS = [(path, method, mode) for path, method in OPERATIONS for mode in EXAMPLES
        if mode is GenerationMode.POSITIVE or _can_be_broken(path, method)]


@pytest.fixture
def api_schema(app, save, make_pack, make_cast_pairs_pack):
    """The API description as the app serves it, over a database with three packs (one using every field)."""
    save(make_pack(), make_pack("second-pack", n=5, title="Second pack"), make_cast_pairs_pack(pairs=3))
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    schema.validate()
    return schema


def test_every_served_operation_is_fuzzed(api_schema):
    served = [(path, method.upper()) for path, item in api_schema.raw_schema["paths"].items() for method in item]
    assert sorted(served) == sorted(OPERATIONS)


@pytest.mark.parametrize("path, method, mode", RUNS, ids=[f"{m} {p} {g}" for p, m, g in RUNS])
def test_api_never_answers_5xx(api_schema, path, method, mode):
    operation = api_schema[path][method]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def answers_without_server_error(case):
        response = case.call()
        assert response.status_code < 500, f"{case.method} {case.formatted_path} {case.query!r}"
        case.validate_response(response, checks=CHECKS)

    answers_without_server_error()
