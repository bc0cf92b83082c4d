"""A throwaway PostgreSQL server for tests and benchmarks.

Starts `postgres` from the server binaries (Debian's /usr/lib/postgresql/*/bin
or PATH) in a temporary data directory on 127.0.0.1 and a free port. As root
the server runs as the `postgres` user (initdb refuses root), so the data
directory is created outside pytest's private temp dirs and chowned to it.

The cluster uses the C locale with UTF-8 encoding: text sorts by code point,
as in SQLite, so ordered results compare equal on both backends.
`POLICY_RADAR_TEST_PG_URL` (an admin URL such as
postgresql+psycopg://postgres@127.0.0.1:5432/postgres) uses an existing
server instead of starting one.
"""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

EXISTING_SERVER_ENV = "POLICY_RADAR_TEST_PG_URL"
MISSING = "PostgreSQL server binaries not found (apt-get install postgresql)"
# Speed over durability: a test cluster is thrown away.
FAST_SETTINGS = ("-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")


class ServerError(RuntimeError):
    """The PostgreSQL test server could not be started."""


def find_bin_dir() -> Path | None:
    """The newest /usr/lib/postgresql/N/bin with initdb, else the directory of `initdb` on PATH."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if candidates:
        return Path(candidates[-1]).parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


def available() -> bool:
    return bool(os.environ.get(EXISTING_SERVER_ENV)) or find_bin_dir() is not None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_server_user(cmd: list[str]) -> list[str]:
    """initdb and pg_ctl refuse to run as root: run them as `postgres` then."""
    if os.geteuid() != 0:
        return cmd
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise ServerError("running as root but there is no 'postgres' user to run the server as") from None
    return ["runuser", "-u", "postgres", "--", *cmd]


@dataclass
class PgServer:
    """A running server: `admin_url` connects as superuser to the `postgres` database."""

    admin_url: str
    data_dir: Path | None = None
    bin_dir: Path | None = None
    _admin: Engine | None = field(default=None, repr=False)

    @property
    def admin(self) -> Engine:
        if self._admin is None:
            self._admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        return self._admin

    def url_for(self, name: str) -> str:
        return make_url(self.admin_url).set(database=name).render_as_string(hide_password=False)

    def create_database(self, prefix: str = "t") -> str:
        """A fresh empty database (CREATE DATABASE takes a fraction of a second); returns its URL."""
        name = f"{prefix}_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as conn:
            # An identifier cannot be a bind parameter; this one is generated above, not user input.
            conn.exec_driver_sql(f"CREATE DATABASE {conn.dialect.identifier_preparer.quote(name)}")
        return self.url_for(name)

    def drop_database(self, url: str) -> None:
        name = make_url(url).database
        with self.admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {conn.dialect.identifier_preparer.quote(name)} WITH (FORCE)")

    def stop(self) -> None:
        if self._admin is not None:
            self._admin.dispose()
        if self.data_dir is None:
            return
        subprocess.run(_as_server_user([str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir / "data"), "-m", "immediate", "-w", "stop"]),
                       capture_output=True, check=False)
        shutil.rmtree(self.data_dir, ignore_errors=True)


def start(settings: tuple[str, ...] = FAST_SETTINGS) -> PgServer:
    """Start a throwaway server (or use $POLICY_RADAR_TEST_PG_URL); raises ServerError."""
    existing = os.environ.get(EXISTING_SERVER_ENV)
    if existing:
        return PgServer(admin_url=existing)
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise ServerError(MISSING)
    root = Path(tempfile.mkdtemp(prefix="policy-radar-pg-"))
    data = root / "data"
    try:
        if os.geteuid() == 0:
            shutil.chown(root, "postgres", "postgres")
        subprocess.run(_as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust",
                                        "--locale=C", "--encoding=UTF8", "--no-sync"]), capture_output=True, check=True, text=True)
        for _attempt in range(3):
            port = _free_port()
            options = " ".join(["-p", str(port), "-k", str(root), "-c", "listen_addresses=127.0.0.1", *settings])
            started = subprocess.run(_as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "log"), "-o", options, "-w", "start"]),
                                     capture_output=True, text=True)
            if started.returncode == 0:
                return PgServer(admin_url=f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", data_dir=root, bin_dir=bin_dir)
        log = (root / "log").read_text(errors="replace")[-2000:] if (root / "log").exists() else started.stderr
        raise ServerError(f"pg_ctl could not start the server: {log}")
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(root, ignore_errors=True)
        raise ServerError(f"{exc.cmd[0]} failed: {exc.stderr}") from None
    except ServerError:
        shutil.rmtree(root, ignore_errors=True)
        raise
