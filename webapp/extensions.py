"""Flask extensions, created unbound here and bound to an app by ``init_app`` in the factory."""

from __future__ import annotations

import functools

from flask import Flask
from flask.globals import request_ctx
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)

# Where Flask-Limiter keeps a request's state; it exists only once a limited view has been checked.
_LIMITER_STATE = "_limiter_request_context"


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
        return hook(value) if hasattr(request_ctx, _LIMITER_STATE) else value
    return run_if_limited
