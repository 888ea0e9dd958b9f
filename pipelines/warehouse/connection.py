"""Finding the warehouse.

Order: `WAREHOUSE_URL`; else a PostgreSQL answering on 127.0.0.1:5432 (database
`dukcapil`, created when missing); else a private cluster under `.local/pg`
started from the `initdb`/`pg_ctl` on PATH; else a clear error saying what to
install. A new user thus gets a working warehouse without any setup.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import pwd
import shutil
import subprocess
from collections.abc import Iterator
from functools import cache

import psycopg2
import psycopg2.extensions
from psycopg2 import sql

from pipelines import settings
from pipelines.settings import local_dir

DEFAULT_DATABASE = "dukcapil"
LOCAL_PORT = 54329  # private cluster; away from the usual 5432 so both can coexist
# The warehouse server's settings, sized for the 2-core, 24 GiB machine where the
# pipeline's own processes take up to ~8 GiB (docs/scaling.md). A first night
# writes tens of GB of WAL: with PostgreSQL's defaults (128 MB buffers, 1 GB of
# WAL) it checkpoints every few seconds. Random reads cost about what sequential
# ones do on SSD or from cache: at the default random_page_cost (4) an ordinary
# night's lookups of a few thousand rows were planned as scans of whole tables.
# The private cluster starts with them; docker-compose.yml passes the same (a
# test checks they agree).
SERVER_SETTINGS = {
    "shared_buffers": "4GB",
    "effective_cache_size": "12GB",
    "work_mem": "64MB",
    "maintenance_work_mem": "1GB",
    "max_wal_size": "16GB",
    "checkpoint_timeout": "30min",
    "random_page_cost": "1.1",
}


class WarehouseUnavailable(RuntimeError):
    """No PostgreSQL could be found or started."""


def _answers(url: str) -> bool:
    try:
        psycopg2.connect(url, connect_timeout=3).close()
        return True
    except psycopg2.OperationalError:
        return False


def ensure_database(server_url: str, database: str) -> None:
    """Create `database` on the server behind `server_url` when it does not exist."""
    with contextlib.closing(psycopg2.connect(server_url, connect_timeout=5)) as conn:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def with_database(url: str, database: str) -> str:
    """The same server URL pointing at another database."""
    params = psycopg2.extensions.parse_dsn(url)
    params["dbname"] = database
    return psycopg2.extensions.make_dsn(**params)


@cache
def server_url() -> str:
    """A URL of the warehouse server (its `postgres` database), for creating databases."""
    url = settings.warehouse_url()
    if url:
        return with_database(url, "postgres")
    system = "postgresql://127.0.0.1:5432/postgres"
    return system if _answers(system) else start_private_cluster()


def warehouse_url() -> str:
    """The libpq URL of the warehouse, resolving the local default on first use."""
    url = settings.warehouse_url()
    if url:
        return url
    server = server_url()
    ensure_database(server, DEFAULT_DATABASE)
    return with_database(server, DEFAULT_DATABASE)


def owner_url() -> str:
    """The login that owns the warehouse's tables and runs migrations:
    `WAREHOUSE_OWNER_URL`, else the nightly one (a laptop, where one login does all)."""
    return settings.owner_url() or warehouse_url()


def _unprivileged() -> tuple[list[str], str]:
    """The command prefix and user name to run the cluster as: initdb refuses root."""
    if os.geteuid() != 0:
        return [], getpass.getuser()
    runuser = shutil.which("runuser")
    if runuser is None:
        raise WarehouseUnavailable("Running as root without runuser (util-linux) to start PostgreSQL as 'nobody'.")
    return [runuser, "-u", "nobody", "--"], "nobody"


def start_private_cluster() -> str:
    """Start (initialising if needed) a PostgreSQL cluster under .local/pg; return its server URL."""
    initdb, pg_ctl = shutil.which("initdb"), shutil.which("pg_ctl")
    if not (initdb and pg_ctl):
        raise WarehouseUnavailable(
            "No PostgreSQL found: set WAREHOUSE_URL=postgresql://user@host:port/db, start a server on "
            "127.0.0.1:5432, or install PostgreSQL 15 so that initdb and pg_ctl are on PATH "
            "(Debian/Ubuntu: apt-get install postgresql-15, then add /usr/lib/postgresql/15/bin to PATH)."
        )
    base = local_dir() / "pg"
    data, sock = base / "data", base / "run"
    url = f"postgresql://{DEFAULT_DATABASE}@127.0.0.1:{LOCAL_PORT}/postgres"
    if _answers(url):
        return url
    prefix, user = _unprivileged()
    sock.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        uid = pwd.getpwnam(user).pw_uid
        for path in (base, data, sock):
            if path.exists():
                os.chown(path, uid, -1)

    def run(args: list[str]) -> None:
        subprocess.run(prefix + args, check=True, stdout=subprocess.DEVNULL)

    if not (data / "PG_VERSION").exists():
        run([initdb, "-D", str(data), "-U", DEFAULT_DATABASE, "--auth=trust", "-E", "UTF8", "--locale=C"])
    run([pg_ctl, "-D", str(data), "-l", str(base / "server.log"), "-w", "start",
         "-o", " ".join([f"-p {LOCAL_PORT} -k {sock} -c listen_addresses=127.0.0.1"]
                        + [f"-c {name}={value}" for name, value in SERVER_SETTINGS.items()])])
    return url


@contextlib.contextmanager
def connect(url: str | None = None, autocommit: bool = False) -> Iterator[psycopg2.extensions.connection]:
    """A connection that commits on success and rolls back on error."""
    # Without JIT: the pipeline's statements are bulk joins whose estimates pass
    # every JIT threshold, and compiling them cost more than it saved (identity's
    # candidate query for 200 k new nodes at 1 M: 6.6 s in LLVM, 31.7 s in all
    # against 27.2 s without).
    conn = psycopg2.connect(url or warehouse_url(), connect_timeout=10,
                            application_name="dukcapil", options="-c jit=off")
    conn.autocommit = autocommit
    try:
        yield conn
        if not autocommit:
            conn.commit()
    except BaseException:
        if not autocommit and not conn.closed:  # a server gone (restart) closed it: its error is the one to see
            conn.rollback()
        raise
    finally:
        conn.close()
