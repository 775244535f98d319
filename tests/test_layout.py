"""Promises about the project's shape: the library stays free of the web layer, docs stay honest."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import click

import quizgen
from quizgen.cli import main

ROOT = Path(__file__).resolve().parent.parent


def test_importing_quizgen_loads_no_web_framework_or_orm():
    code = ("import sys, quizgen; bad = [m for m in ('flask', 'sqlmodel', 'sqlalchemy', 'webapp') "
            "if m in sys.modules]; print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_quizgen_package_never_imports_the_web_layer_anywhere():
    # every import statement, at module level or inside a function
    web = {"webapp", "flask", "flask_wtf", "flask_limiter", "flask_socketio", "sqlmodel", "sqlalchemy", "alembic",
           "gevent"}
    for path in (ROOT / "quizgen").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in web, f"{path.relative_to(ROOT)}:{node.lineno} imports {name}"


def test_the_quizgen_command_is_the_librarys_with_the_games_added():
    import tomllib

    from webapp.cli import main as command

    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"quizgen": "webapp.launch:main"}  # which patches for gevent before `serve`, then runs this
    library = set(_commands(main))
    assert library == {"validate", "generate", "stats", "build", "schema"}
    everything = {name for source in command.sources for name in _commands(source)}
    assert everything == library | {"serve", "import", "db upgrade", "admin password"}


def test_public_api_is_exactly_all():
    public = {n for n in dir(quizgen) if not n.startswith("_")}
    assert set(quizgen.__all__) <= public
    modules = {n for n in public if type(getattr(quizgen, n)).__name__ == "module"}
    assert public - modules - {"annotations"} == set(quizgen.__all__)


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            out += _commands(command, f"{prefix}{name} ")
        else:
            out.append(f"{prefix}{name}")
    return out


def test_readme_documents_every_command():
    from webapp.cli import main as quizgen_command

    readme = (ROOT / "README.md").read_text()
    for command in [name for source in quizgen_command.sources for name in _commands(source)]:
        assert re.search(rf"quizgen {command}\b", readme), f"README does not show `quizgen {command}`"


def test_readme_quickstart_has_exactly_the_two_commands_ci_runs():
    readme = (ROOT / "README.md").read_text()
    quickstart = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.+?)\n```", quickstart)
    assert len(commands) == 2
    assert commands[1] in (ROOT / ".ci" / "run").read_text()
    assert commands[0].endswith("quizgen serve")


def test_committed_schemas_match_the_models(tmp_path):
    quizgen.write_schemas(tmp_path)
    for name in ("facts.schema.json", "pack.schema.json"):
        committed = (ROOT / "questions" / "schema" / name).read_text()
        assert (tmp_path / name).read_text() == committed, f"run `quizgen schema`: {name} is stale"


def test_the_shipped_pack_is_the_one_the_facts_make_today():
    shipped = (ROOT / "questions" / "packs" / "tiny-pretty-things.json").read_text(encoding="utf-8")
    built = quizgen.dumps_pack(quizgen.build_pack([ROOT / "questions" / "tiny-pretty-things.yaml"], seed=0))
    assert built == shipped, "run `quizgen build` and commit questions/packs/"


AREAS = ("catalog", "solo", "live", "boards", "api", "admin", "errors")


def test_each_area_is_a_blueprint_of_its_own_name_with_its_templates_beside_it():
    from webapp import create_app

    app = create_app({"SECRET_KEY": "k" * 40, "DATABASE_URL": "sqlite://"})
    assert set(app.blueprints) == set(AREAS)
    for area in AREAS:
        assert app.blueprints[area].import_name == f"webapp.{area}"
        for template in (ROOT / "webapp" / area).glob("templates/**/*.html"):
            assert template.relative_to(ROOT / "webapp" / area / "templates").parts[0] == area, template
    # only the page skeleton is shared
    assert [p.name for p in (ROOT / "webapp" / "templates").rglob("*.html")] == ["base.html"]


def test_the_architecture_doc_names_only_files_and_functions_that_exist():
    doc = (ROOT / "docs" / "architecture.md").read_text()
    for area in AREAS:
        assert f"`webapp/{area}/`" in doc, f"docs/architecture.md does not describe webapp/{area}/"
    for path in re.findall(r"`(webapp/[\w/]+\.py)`", doc):
        assert (ROOT / path).is_file(), path
    for path, function in re.findall(r"`(webapp/[\w/]+\.py)`, `(\w+)\(\)`", doc):
        assert re.search(rf"^def {function}\(", (ROOT / path).read_text(), re.M), f"{path} has no {function}()"
