"""The WSGI entry point for servers: ``gunicorn 'webapp.wsgi:app'``.

Building the app here, at import, is the point of this module; nothing else imports it.
Run ``quizgen db upgrade`` (or ``webapp.cli.db_upgrade()``) before starting the server.
"""

from webapp import create_app

app = create_app()
