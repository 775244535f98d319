"""Flask extensions, created unbound here and bound to an app by ``init_app`` in the factory."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.globals import request_ctx
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)

# Where Flask-Limiter keeps a request's state; it exists only once a limited view has been checked.
_LIMITER_STATE = "_limiter_request_context"

# The views exempt from CSRFProtect (by csrf_exempt), for init_csrf's check that costs one lookup.
_CSRF_EXEMPT_VIEWS: set[Callable[..., Any]] = set()


def csrf_exempt(view: Callable[..., Any]) -> Callable[..., Any]:
    """``csrf.exempt(view)``, known to the check :func:`init_csrf` installs: the view checks its requests itself."""
    _CSRF_EXEMPT_VIEWS.add(view)
    return csrf.exempt(view)


def init_csrf(app: Flask) -> None:
    """Bind CSRFProtect to ``app``; its check of every request returns at once for a view of :func:`csrf_exempt`.

    CSRFProtect's own exemption test runs inside its check and costs as much as the answer request's
    SELECT (it looks up the blueprint, the view and their names through Flask's proxies on every
    request). The answer request is exempt (webapp.answer_token) and the one the game sends most.
    """
    csrf.init_app(app)
    hooks = app.before_request_funcs.get(None, [])
    hooks[:] = [_unless_exempt(hook) if hook.__qualname__.startswith("CSRFProtect.") else hook for hook in hooks]


def _unless_exempt(check):
    @functools.wraps(check)
    def check_unless_exempt():
        ctx = request_ctx._get_current_object()
        rule = ctx.request.url_rule
        if rule is not None and ctx.app.view_functions.get(rule.endpoint) in _CSRF_EXEMPT_VIEWS:
            return None
        return check()
    return check_unless_exempt


def init_limiter(app: Flask) -> None:
    """Bind the limiter to ``app`` so that it costs nothing on the requests it does not limit.

    The game's limits are on a few views (``@limiter.limit``), and each view's decorator checks its
    own. Flask-Limiter also hooks every request of the app: a before-request check for app-wide
    limits (the game sets none: ``RATELIMIT_DEFAULT``, ``RATELIMIT_APPLICATION``), and an
    after-request and a teardown hook that read and reset the state the decorator leaves. Together
    they cost about as much as the answer request's database work, so the check is dropped and the
    other two run only on a request where a limited view ran.
    """
    limiter.init_app(app)
    if not limiter.enabled or app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    hooks = app.before_request_funcs.get(None, [])
    hooks[:] = [hook for hook in hooks if getattr(hook, "__func__", None) is not Limiter._check_request_limit]
    for registry in (app.after_request_funcs, app.teardown_request_funcs):
        hooks = registry.get(None, [])
        hooks[:] = [_when_limited(hook) if _is_limiter_hook(hook) else hook for hook in hooks]


def _is_limiter_hook(hook) -> bool:
    owner = getattr(hook, "__self__", None) or (hook.args[0] if isinstance(hook, functools.partial) and hook.args
                                                else None)
    return owner is limiter


def _when_limited(hook):
    @functools.wraps(hook)
    def run_if_limited(value):
        # Looked up in the context's own attributes: hasattr() through the proxy raised and caught an
        # AttributeError on every request, the most expensive part of these hooks.
        return hook(value) if _LIMITER_STATE in vars(request_ctx._get_current_object()) else value
    return run_if_limited
