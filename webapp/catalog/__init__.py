"""Packs: the home page, a pack's page, the help page, uploads and downloads."""

from flask import Blueprint

bp = Blueprint("catalog", __name__, template_folder="templates")
