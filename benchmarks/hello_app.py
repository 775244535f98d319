"""The yardstick of benchmarks/bench_web.py: the smallest Flask app, one route answering "hello".

    gunicorn --pythonpath benchmarks hello_app:app

The game's answer request is measured as a ratio to this endpoint's requests/s, under the same
server, worker and thread settings, in the same run: the ratio is what the game itself costs.
"""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
