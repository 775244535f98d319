"""Quiz nights: a host, a projector, players on their phones, live scores (pages and Socket.IO events)."""

from flask import Blueprint

bp = Blueprint("live", __name__, template_folder="templates")
