"""Least privilege, tried for real: the owner migrates, two whole nights run
under a login that is only a member of etl_writer (no superuser, owns
nothing), and an analyst's login tries to rebuild NIKs from everything it
can select."""

from __future__ import annotations

import csv
import datetime as dt
import os
import uuid

import psycopg2
import psycopg2.extensions
import pytest

from pipelines.contract import DISTRICTS
from pipelines.warehouse import connect, migrate
from pipelines.warehouse.connection import ensure_database, server_url, with_database
from tests.logins import drop_login, member_login

NIGHTS = (dt.date(2026, 8, 1), dt.date(2026, 8, 2))
MAX_REBUILT_SHARE = 0.001


def rows(url: str, statement: str, params=None) -> list[tuple]:
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute(statement, params)
        return cur.fetchall()


@pytest.fixture(scope="module")
def owner_url():
    """A database of the module's own (its owner: the server's superuser here)."""
    name = f"dukcapil_lp_{uuid.uuid4().hex[:10]}"
    ensure_database(server_url(), name)
    yield with_database(server_url(), name)
    with connect(server_url(), autocommit=True) as conn, conn.cursor() as cur:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def logins(owner_url):
    """`dukcapil migrate` as in docker-compose's init: migrations by the owner, and
    the nightly login of WAREHOUSE_URL made a member of etl_writer."""
    from pipelines.cli import main

    params = psycopg2.extensions.parse_dsn(owner_url)
    params.update(user=f"etl_t{uuid.uuid4().hex[:8]}", password="unused-under-trust")
    nightly = psycopg2.extensions.make_dsn(**params)
    saved = os.environ["WAREHOUSE_URL"]
    os.environ.update(WAREHOUSE_URL=nightly, WAREHOUSE_OWNER_URL=owner_url)
    try:
        assert main(["migrate"]) == 0
        assert main(["migrate"]) == 0  # again: nothing to apply, the login is kept
    finally:
        os.environ["WAREHOUSE_URL"] = saved
        del os.environ["WAREHOUSE_OWNER_URL"]
    made = {"etl_writer": nightly, "analyst": member_login("analyst", owner_url)}
    yield made
    for url in made.values():
        drop_login(url)


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory, owner_url, logins):
    """Two nights through the real DAG with the nightly login as WAREHOUSE_URL."""
    from pipelines.airflow_runner import run_night
    from pipelines.sample import generate

    landing = tmp_path_factory.mktemp("lp_landing")
    generate(landing, list(NIGHTS), persons=3000, seed=5)
    saved = os.environ["WAREHOUSE_URL"]
    os.environ["WAREHOUSE_URL"] = logins["etl_writer"]
    try:
        states = [run_night(landing, night) for night in NIGHTS]
    finally:
        os.environ["WAREHOUSE_URL"] = saved
    return landing, states


def test_the_nightly_login_is_neither_superuser_nor_owner(owner_url, logins):
    login = psycopg2.extensions.parse_dsn(logins["etl_writer"])["user"]
    assert rows(owner_url, "SELECT rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = %s",
                (login,)) == [(False, False, False)]
    assert rows(owner_url, "SELECT pg_has_role(%s, 'etl_writer', 'MEMBER')", (login,)) == [(True,)]
    owned = rows(owner_url, """SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                               WHERE n.nspname IN ('staging', 'warehouse', 'quarantine', 'audit', 'mart', 'bapenda')
                                 AND pg_has_role(%s, c.relowner, 'USAGE')""", (login,))
    assert owned == [(0,)]
    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        rows(logins["etl_writer"], "SELECT * FROM audit.pseudonym_key")


def test_two_whole_nights_run_as_the_nightly_login(owner_url, two_nights):
    _, states = two_nights
    assert states == ["success", "success"]
    for night in NIGHTS:
        loads = rows(owner_url, """SELECT district_code, status, rows_read, rows_loaded + rows_quarantined
                                   FROM audit.file_load WHERE export_date = %s""", (night,))
        assert {d for d, status, read, kept in loads if status == "loaded" and read == kept} == set(DISTRICTS)
        assert rows(owner_url, "SELECT (SELECT sum(rows_loaded) FROM audit.file_load WHERE export_date = %(n)s),"
                               " (SELECT count(*) FROM warehouse.resident_record WHERE export_date = %(n)s)",
                    {"n": night})[0][0] > 0
    assert rows(owner_url, "SELECT count(*) FROM staging.load") == [(0,)]
    assert rows(owner_url, "SELECT count(*) FROM audit.night_lease") == [(0,)]
    # The first night set the fill's indexes aside and built them again, and analyzed what it filled.
    assert rows(owner_url, "SELECT count(*) FROM audit.set_aside_index") == [(0,)]
    assert rows(owner_url, "SELECT count(*) FROM pg_indexes WHERE tablename = 'golden_record'")[0][0] > 1
    assert rows(owner_url, "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables"
                           " WHERE relid = 'warehouse.golden_record'::regclass") == [(True,)]


def test_a_pending_migration_tells_the_nightly_login_to_run_dukcapil_migrate(monkeypatch, logins, two_nights):
    from pipelines.warehouse import schema

    late = (999, "999_late.sql", "CREATE TABLE warehouse.late (x int);")
    monkeypatch.setattr(schema, "available", lambda: [late])
    with pytest.raises(schema.MigrationError, match="dukcapil migrate"):
        migrate(logins["etl_writer"])


def selectable(url: str) -> dict[str, list[dict]]:
    """Every row of every relation the login may select, outside the system catalogs."""
    found = {}
    with connect(url) as conn, conn.cursor() as cur:
        cur.execute("""SELECT format('%I.%I', table_schema, table_name) FROM information_schema.tables
                       WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
                         AND has_table_privilege(format('%I.%I', table_schema, table_name), 'SELECT')""")
        for (relation,) in cur.fetchall():
            cur.execute(f"SELECT * FROM {relation}")
            names = [c.name for c in cur.description]
            found[relation] = [dict(zip(names, row)) for row in cur.fetchall()]
    return found


def candidates(person: dict) -> tuple[int, str | None]:
    """How many NIKs fit what is known of a person (NIK = kecamatan 6, birth day
    (+40 for women) 2, month 2, year 2, serial 4), and the NIK when one fits."""
    masked = person.get("nik_masked") or "*" * 16
    region = person.get("kecamatan_code") or masked[:6]
    count = 1 if len(region) == 6 and "*" not in region else 10 ** 6
    birth, sex = person.get("tgl_lhr"), person.get("jenis_klmin")
    if isinstance(birth, dt.date) and sex in ("1", "2"):
        dates = f"{birth.day + (40 if sex == '2' else 0):02d}{birth.month:02d}{birth.year % 100:02d}"
    else:
        dates = None
        days = 365 if person.get("birth_year") or isinstance(birth, dt.date) else 365 * 100
        count *= days * (1 if sex in ("1", "2") else 2)
    serial = masked[12:] if "*" not in masked[12:] else None
    count *= 1 if serial else 10 ** 4
    return count, (region + dates + serial) if count == 1 else None


def test_analyst_cannot_rebuild_niks_from_what_they_can_select(owner_url, logins, two_nights):
    landing, _ = two_nights
    niks = set()
    for path in (p for night in NIGHTS for p in (landing / night.isoformat()).glob("*.csv")):
        with path.open(encoding="utf-8") as stream:
            niks.update(row["NIK"] for row in csv.DictReader(stream))
    seen = selectable(logins["analyst"])
    assert "analyst.person" in seen and seen["analyst.person"]
    values = {str(v) for relation in seen.values() for row in relation for v in row.values()}
    assert not values & niks, "a full NIK is selectable"
    # Everything known of each person, across every relation that names one.
    known: dict[str, dict] = {}
    for relation in seen.values():
        for row in relation:
            if row.get("person_id"):
                person = known.setdefault(row["person_id"], {})
                for key, value in row.items():
                    person.setdefault(key, value)
    truth = dict(rows(owner_url, "SELECT person_id, nik FROM warehouse.person"))
    rebuilt = expected = 0.0
    for person_id, person in known.items():
        count, guess = candidates(person)
        rebuilt += guess == truth[person_id]
        expected += 1 / count  # an attacker guessing among the candidates
    share, guess_share = rebuilt / len(known), expected / len(known)
    print(f"\nNIKs rebuilt from what analyst can select: {share:.2%} of {len(known)} persons "
          f"(a guess among the candidates: {guess_share:.4%})")
    assert share <= MAX_REBUILT_SHARE and guess_share <= MAX_REBUILT_SHARE
