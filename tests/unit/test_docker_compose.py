"""docker-compose.yml, Dockerfile and .env.example agree with each other and with the code.

No Docker is needed: the files are parsed and compared, so that a renamed
environment variable or a moved folder breaks a test rather than a deployment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import PurePosixPath

import pytest
import yaml

from pipelines.settings import PROJECT_ROOT
from pipelines.validate.suite import PROJECT_DIR as EXPECTATIONS_DIR

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
DOCKERFILE = (PROJECT_ROOT / "Dockerfile").read_text()
ENV_EXAMPLE = (PROJECT_ROOT / ".env.example").read_text()

# Variables the pipeline reads that a deployment need not set, and why.
NOT_DEPLOYED = {
    "DUKCAPIL_LOCAL_DIR": "only the base of the local defaults; every path it defaults is set",
    "DUKCAPIL_SETTLE_SECONDS": "has a production default",
    "AIRFLOW_HOME": "set by the image",
    "DUKCAPIL_RETRY_DELAY_SECONDS": "has a production default (5 minutes)",
    "DUKCAPIL_LEASE_STALE_SECONDS": "has a production default (10 minutes)",
    "DUKCAPIL_LEASE_WAIT_SECONDS": "has a production default (15 minutes)",
    "DUKCAPIL_LEASE_BEAT_SECONDS": "has a production default (30 s)",
    "WAREHOUSE_OWNER_URL": "the owner's login: airflow-init alone, which migrates, gets it",
    # The image has neither Java nor pyspark: this deployment scores identity on DuckDB (docs/scaling.md).
    "DUKCAPIL_IDENTITY_ENGINE": "the image scores on DuckDB, the default",
    "DUKCAPIL_SPARK_MASTER": "only read on Spark",
    "DUKCAPIL_SPARK_DRIVER_MEMORY": "only read on Spark",
    "DUKCAPIL_SPARK_PARTITIONS": "only read on Spark",
}
SECRET_NAME = re.compile(r"PASSWORD|SECRET|FERNET|_KEY$|AUTH$")
REFERENCE = re.compile(r"(?<!\$)\$\{(\w+)(?::?([-?])[^}]*)?\}")
# A ${VAR:?message} may hold spaces and colons: it counts as one token.
TOKEN = r"(?:\$\{[^}]*\}|[^:@/\s])"
URL_PASSWORD = re.compile(rf"://{TOKEN}*:({TOKEN}*)@")
VOLUME = re.compile(rf"^((?:{TOKEN}|[/.])+):([^:]+)")


def command(service: dict) -> str:
    cmd = service.get("command", "")
    return " ".join(cmd) if isinstance(cmd, list) else cmd


def role(name: str) -> str:
    """The Airflow component a service runs, from its command (names are free to change)."""
    text = command(SERVICES[name])
    for component in ("api-server", "scheduler", "dag-processor", "triggerer", "celery worker", "db migrate"):
        if component in text:
            return component
    return ""


AIRFLOW_SERVICES = {name: s for name, s in SERVICES.items() if s.get("build") or "dukcapil" in s.get("image", "")}
BY_ROLE = {role(name): name for name in AIRFLOW_SERVICES}
WORKER = SERVICES[BY_ROLE["celery worker"]]
INIT = SERVICES[BY_ROLE["db migrate"]]
TASK_RUNNERS = {"worker": WORKER, "init": INIT}


def env_read_by_pipeline() -> set[str]:
    names = set()
    for path in (PROJECT_ROOT / "pipelines").rglob("*.py"):
        names |= set(re.findall(r"""os\.(?:environ\.get|environ\[|getenv)\(?\s*["'](\w+)["']""", path.read_text()))
    return names


def mounts(service: dict) -> dict[str, str]:
    """container path -> host path or volume name."""
    return {target: source for source, target in (VOLUME.match(v).groups() for v in service.get("volumes", []))}


def every_string(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from every_string(value)
    elif isinstance(node, list):
        for value in node:
            yield from every_string(value)
    elif isinstance(node, str):
        yield node


def test_the_whole_topology_is_there():
    assert set(BY_ROLE) >= {"api-server", "scheduler", "dag-processor", "triggerer", "celery worker", "db migrate"}
    assert SERVICES["postgres"]["image"] == "postgres:15"
    postgres = [s for s in SERVICES.values() if s.get("image", "").startswith("postgres:")]
    assert {s["image"] for s in postgres} == {"postgres:15"}
    assert len(postgres) == 2, "the warehouse has its own PostgreSQL, apart from Airflow's metadata"
    assert SERVICES["redis"]["image"].startswith("redis:7")


def test_workers_scale():
    assert "container_name" not in WORKER and "ports" not in WORKER


@pytest.mark.parametrize("name", sorted(AIRFLOW_SERVICES))
def test_every_airflow_service_shares_executor_database_broker_and_secrets(name):
    env = SERVICES[name]["environment"]
    reference = SERVICES[BY_ROLE["scheduler"]]["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    for key in ("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CELERY__BROKER_URL",
                "AIRFLOW__CELERY__RESULT_BACKEND", "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
                "AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__CORE__FERNET_KEY", "AIRFLOW__CORE__DAGS_FOLDER",
                "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"):
        assert env[key] == reference[key], key
    assert "@postgres:" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://")
    assert "@redis:" in env["AIRFLOW__CELERY__BROKER_URL"]
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == f"http://{BY_ROLE['api-server']}:8080/execution/"


def test_workers_get_the_celery_settings_that_preload_staging(tmp_path):
    # In a process of its own: importing Airflow here would configure it before
    # conftest points it at the tests' home.
    check = """
import importlib, sys
from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG
module, _, name = sys.argv[1].rpartition(".")
config = getattr(importlib.import_module(module), name)
assert isinstance(config, dict) and config["broker_url"] and config is not DEFAULT_CELERY_CONFIG
"""
    option = WORKER["environment"]["AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS"]
    done = subprocess.run([sys.executable, "-c", check, option], env={**os.environ, "AIRFLOW_HOME": str(tmp_path)},
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_airflow_services_start_after_init_and_their_dependencies_are_healthy():
    for name, service in AIRFLOW_SERVICES.items():
        conditions = {dep: spec["condition"] for dep, spec in service["depends_on"].items()}
        assert conditions["postgres"] == "service_healthy", name
        if name != BY_ROLE["db migrate"]:
            assert conditions[BY_ROLE["db migrate"]] == "service_completed_successfully", name
            assert conditions["redis"] == "service_healthy", name
            assert "healthcheck" in service, name
    assert WORKER["depends_on"][BY_ROLE["api-server"]]["condition"] == "service_healthy"
    for name in ("postgres", "redis"):
        assert "healthcheck" in SERVICES[name]


def test_the_code_still_reads_the_variables_the_deployment_sets():
    read = env_read_by_pipeline()
    assert {"WAREHOUSE_URL", "DUKCAPIL_LANDING", "DUKCAPIL_REPORTS"} <= read
    assert set(NOT_DEPLOYED) <= read, "a variable listed as not deployed is no longer read: drop it"


@pytest.mark.parametrize("name", sorted(TASK_RUNNERS))
def test_services_running_pipeline_code_get_every_variable_it_reads(name):
    env = TASK_RUNNERS[name]["environment"]
    missing = env_read_by_pipeline() - set(env) - set(NOT_DEPLOYED)
    assert not missing, f"{name} lacks {missing}: set them in docker-compose.yml or list them in NOT_DEPLOYED"
    assert "@warehouse-db:" in env["WAREHOUSE_URL"]


def test_only_services_running_pipeline_code_see_the_warehouse_password():
    for name, service in SERVICES.items():
        if service not in TASK_RUNNERS.values():
            assert "WAREHOUSE_URL" not in service.get("environment", {}), name


def test_folders_are_mounted_where_the_code_looks():
    workdir = re.search(r"^WORKDIR\s+(\S+)", DOCKERFILE, re.M).group(1)
    env = WORKER["environment"]
    expected = {
        env["DUKCAPIL_LANDING"]: "landing",
        env["DUKCAPIL_REPORTS"]: "reports",
        env["AIRFLOW__CORE__DAGS_FOLDER"]: "dags",
        # The suites are found relative to the project root, which is the image's WORKDIR.
        str(PurePosixPath(workdir) / EXPECTATIONS_DIR.relative_to(PROJECT_ROOT).as_posix()): "expectations",
    }
    for name, service in TASK_RUNNERS.items():
        for path, what in expected.items():
            assert path in mounts(service), f"{what} is not mounted at {path} in {name}"
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] in mounts(SERVICES[BY_ROLE["dag-processor"]])
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == f"{workdir}/dags"


def test_no_secret_is_written_in_the_file():
    for name, service in SERVICES.items():
        for key, value in service.get("environment", {}).items():
            if SECRET_NAME.search(key) and "FILE" not in key:
                assert re.fullmatch(r"\$\{\w+:\?[^}]*\}", str(value)), f"{name}.{key} must be ${{VAR:?…}}"
    passwords = [(text, password) for text in every_string(COMPOSE) for password in URL_PASSWORD.findall(text)]
    assert len(passwords) >= 4, "the database, broker, result backend and warehouse URLs carry passwords"
    for text, password in passwords:
        assert re.fullmatch(r"\$\{\w+:\?[^}]*\}", password), f"a password written in a URL: {text}"


def test_every_variable_used_is_documented_in_env_example():
    documented = set(re.findall(r"^(\w+)=", ENV_EXAMPLE, re.M))
    used = {match[0] for text in every_string(COMPOSE) for match in REFERENCE.findall(text)}
    assert used - documented == set()
    for line in ENV_EXAMPLE.splitlines():
        key, _, value = line.partition("=")
        if SECRET_NAME.search(key) and not line.startswith("#"):
            assert value == "", f".env.example must not carry a value for {key}"


def test_env_file_is_never_committed():
    assert ".env" in (PROJECT_ROOT / ".gitignore").read_text().split()
    assert ".env" in (PROJECT_ROOT / ".dockerignore").read_text().split()


def test_image_installs_exactly_the_lock_file():
    assert re.search(r"^FROM python:3\.11-slim\b", DOCKERFILE, re.M)
    syncs = re.findall(r"^RUN .*\buv sync\b.*$", DOCKERFILE, re.M)
    assert syncs and all("--frozen" in line for line in syncs)
    assert "COPY pyproject.toml uv.lock" in DOCKERFILE


def test_the_warehouse_server_runs_with_the_settings_the_code_is_sized_for():
    from pipelines.warehouse.connection import SERVER_SETTINGS

    args = SERVICES["warehouse-db"]["command"]
    passed = dict(arg.split("=", 1) for flag, arg in zip(args[1::2], args[2::2]) if flag == "-c")
    assert args[0] == "postgres" and passed == SERVER_SETTINGS


def test_tasks_log_in_as_the_nightly_login_and_only_init_as_the_owner():
    owner = SERVICES["warehouse-db"]["environment"]["POSTGRES_USER"]
    assert f"//{owner}:" in INIT["environment"]["WAREHOUSE_OWNER_URL"]
    assert "dukcapil migrate" in command(INIT)
    for name, service in SERVICES.items():
        env = service.get("environment", {})
        if "WAREHOUSE_URL" in env:
            assert f"//{owner}:" not in env["WAREHOUSE_URL"], f"{name} logs in as the warehouse's owner"
        if service is not INIT:
            assert "WAREHOUSE_OWNER_URL" not in env, name


def test_a_production_auth_manager_and_the_api_on_loopback():
    for name in AIRFLOW_SERVICES:
        manager = SERVICES[name]["environment"]["AIRFLOW__CORE__AUTH_MANAGER"]
        assert manager == "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager", name
    published = [port for service in SERVICES.values() for port in service.get("ports", [])]
    assert published and all(port.startswith("${AIRFLOW_API_BIND:-127.0.0.1}:") for port in published)
