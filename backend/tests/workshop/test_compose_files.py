"""What cannot run here (no Docker engine on these machines) is checked as files: the compose file
against the compose specification, the devcontainer against the compose file, the Dockerfile against
the README's install, pgAdmin's server list against the database service, .env.example against the
variables compose reads."""

import json
import re
import subprocess
import sys

import yaml

from agentic_shop.settings import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
DEVCONTAINER = REPO_ROOT / ".devcontainer" / "devcontainer.json"


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _jsonc(path) -> dict:
    """JSON with // comments, as VS Code writes devcontainer.json."""
    return json.loads(re.sub(r"^\s*//.*$", "", path.read_text(), flags=re.M))


def test_the_compose_files_follow_the_compose_specification():
    overlay = DEVCONTAINER.parent / "docker-compose.devcontainer.yml"
    schema = ["--builtin-schema", "vendor.compose-spec"]
    checked = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", *schema, str(COMPOSE), str(overlay)],
        capture_output=True,
        text=True,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_services_are_wired_together():
    services = _compose()["services"]
    for name in ("db", "pgadmin", "ollama"):
        tag = services[name]["image"].rsplit(":", 1)[1]
        assert re.match(r"\d+\.\d+", tag), f"{name}: pin an exact image version, not {tag!r}"
    db = services["db"]
    assert "pg_isready" in " ".join(db["healthcheck"]["test"]) and db["shm_size"]
    assert db["volumes"][0].split(":")[0] in _compose()["volumes"]  # a named volume
    app = services["app"]
    assert app["build"] == "." and app["depends_on"]["db"]["condition"] == "service_healthy"
    assert re.match(r"postgresql://[^@]+@db:5432/", app["environment"]["DATABASE_URL"])
    assert services["ollama"]["profiles"] == ["ollama"]  # optional: only with --profile ollama


def test_pgadmin_opens_on_the_database_without_a_login_or_a_password_prompt():
    pgadmin = _compose()["services"]["pgadmin"]
    env = pgadmin["environment"]
    assert env["PGADMIN_CONFIG_SERVER_MODE"] == "False"
    assert any(p.endswith(f":{env['PGADMIN_LISTEN_PORT']}") and "5050" in p for p in pgadmin["ports"])
    servers = json.loads((REPO_ROOT / "pgadmin" / "servers.json").read_text())["Servers"]
    (server,) = servers.values()
    assert server["Host"] in _compose()["services"] and server["Port"] == 5432
    script = (REPO_ROOT / "pgadmin" / "entrypoint.sh").read_text()
    # The PassFile is read from the desktop user's storage folder, and written there with mode 600.
    storage = "/var/lib/pgadmin/storage/" + env["PGADMIN_DEFAULT_EMAIL"].replace("@", "_")
    assert f"storage={storage}" in script and f'"$storage/{server["PassFile"]}"' in script
    assert "chmod 600" in script and script.rstrip().endswith("exec /entrypoint.sh")
    mounted = {volume.split(":")[1] for volume in pgadmin["volumes"]}
    assert pgadmin["entrypoint"][-1] in mounted and "/pgadmin-setup/servers.json" in mounted


def test_the_devcontainer_runs_on_the_compose_file():
    dev = _jsonc(DEVCONTAINER)
    services = _compose()["services"]
    assert dev["service"] in services and set(dev["runServices"]) <= set(services)
    for path in dev["dockerComposeFile"]:
        assert (DEVCONTAINER.parent / path).exists(), path
    assert 8000 in dev["forwardPorts"] and "pgadmin:5050" in dev["forwardPorts"]
    targets = set(re.findall(r"^([\w-]+):", (REPO_ROOT / "Makefile").read_text(), re.M))
    for step in dev["postCreateCommand"].split("&&"):
        words = step.split()
        assert words[0] != "make" or set(words[1:]) <= targets, step
    assert "ms-python.python" in dev["customizations"]["vscode"]["extensions"]


def test_the_image_installs_what_the_readme_installs():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    makefile = (REPO_ROOT / "Makefile").read_text()
    assert "COPY . ." in dockerfile and re.search(r"^RUN make install\b", dockerfile, re.M)
    assert "-c backend/constraints.txt" in makefile  # the one constraints file, for both
    assert "make run" in (REPO_ROOT / "README.md").read_text()


def test_every_variable_compose_reads_is_in_env_example():
    documented = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (REPO_ROOT / ".env.example").read_text(), re.M))
    read = set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", COMPOSE.read_text()))
    assert read - documented == set()
