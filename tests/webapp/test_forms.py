"""The answer form as webapp.forms.read_answer reads it (the hot path's own parsing)."""

from __future__ import annotations

import io

import pytest
from flask import Request
from werkzeug.exceptions import RequestEntityTooLarge

from webapp.forms import AnswerPost, read_answer

URLENCODED = "application/x-www-form-urlencoded"


def _request(app, body: bytes, content_type: str | None = URLENCODED, *, length: bool = True) -> Request:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True}
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    if length:
        environ["CONTENT_LENGTH"] = str(len(body))
    return app.request_class(environ)


@pytest.mark.parametrize("body, expected", [
    (b"answer_token=abc&choice=3", AnswerPost(3, "abc")),
    (b"choice=0", AnswerPost(0, None)),
    (b"choice=4&choice=1&answer_token=a&answer_token=b", AnswerPost(4, "a")),  # the first of each, as request.form
    (b"choice=%33&answer_token=a%2Bb+c", AnswerPost(3, "a+b c")),
    (b"choice=5&answer_token=", AnswerPost(None, "")),
    (b"choice&answer_token", AnswerPost(None, "")),
    (b"\xff\xfe=\x00", AnswerPost(None, None)),
    (b"", AnswerPost(None, None)),
])
def test_form_fields(app, body, expected):
    with app.app_context():
        assert read_answer(_request(app, body)) == expected
        assert read_answer(_request(app, body, URLENCODED.upper() + "; charset=UTF-8")) == expected
        assert read_answer(_request(app, body, length=False)) == expected  # e.g. chunked: through werkzeug


def test_the_body_stays_readable_for_the_rest_of_the_request(app):
    with app.app_context():
        request = _request(app, b"choice=2&csrf_token=t")
        assert read_answer(request) == AnswerPost(2, None)
        assert request.form["csrf_token"] == "t"  # what the CSRF check reads when there is no answer token
        request = _request(app, b"choice=2&csrf_token=t")
        assert read_answer(request) == AnswerPost(2, None)
        assert request.get_data() == b"choice=2&csrf_token=t"


def test_a_big_body_goes_through_werkzeug_and_its_limit(app):
    with app.app_context():
        padded = b"choice=1&answer_token=a&junk=" + b"x" * 10_000
        assert read_answer(_request(app, padded)) == AnswerPost(1, "a")
        with pytest.raises(RequestEntityTooLarge):
            read_answer(_request(app, b"choice=1&junk=" + b"x" * (app.config["MAX_CONTENT_LENGTH"] + 1)))


def test_json_and_multipart_bodies(app):
    with app.app_context():
        as_json = _request(app, b'{"choice": 2, "answer_token": "t"}', "application/json")
        assert read_answer(as_json) == AnswerPost(2, "t")
        assert read_answer(_request(app, b'{"choice": 2, "answer_token": 7}', "application/json")) == AnswerPost(2, "")
        assert read_answer(_request(app, b"[1, 2]", "application/json")) == AnswerPost(None, None)
        multipart = (b'--b\r\nContent-Disposition: form-data; name="choice"\r\n\r\n1\r\n'
                     b'--b\r\nContent-Disposition: form-data; name="answer_token"\r\n\r\nt\r\n--b--\r\n')
        assert read_answer(_request(app, multipart, "multipart/form-data; boundary=b")) == AnswerPost(1, "t")
