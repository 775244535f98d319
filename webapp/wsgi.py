"""The WSGI entry point for servers: ``gunicorn 'webapp.wsgi:app'``.

Building the app here, at import, is the point of this module; nothing else imports it.
Run ``quizgen db upgrade`` (or ``webapp.cli.db_upgrade()``) before starting the server.

For quiz nights, run gevent workers (``gunicorn -k gevent -w 1 'webapp.wsgi:app'`` with
``QUIZGEN_ASYNC_MODE=gevent``); each process keeps the clocks of the nights with its own ticker,
started by its first connection to a night.
"""

from webapp import create_app

app = create_app()
