"""A real PostgreSQL server for the tests: started once per test session in a temporary
folder, on 127.0.0.1 and a free port, with trust authentication for its one user, and
stopped at the end. Tests that need it take the ``postgres`` fixture; without PostgreSQL's
binaries (``initdb``, ``postgres``, ``pg_ctl``) they skip with the reason, except under
CI (``CI=true``), where a missing PostgreSQL fails them. `.ci/run` installs Debian's
``postgresql`` where it is missing. ``fresh_database`` gives each test a database of its
own.

PostgreSQL refuses to run as root: as root, the server runs as ``nobody``.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

import pytest

from tests.helpers import scrubbed_env

START_TIMEOUT = 30.0
USER = "dealbot"
_PROGRAMS = ("initdb", "postgres", "pg_ctl", "pg_isready")


def postgres_bin() -> Path | None:
    """The folder of PostgreSQL's server programs: on PATH, else Debian's newest."""
    found = shutil.which("initdb")
    if found and all(shutil.which(name) for name in _PROGRAMS):
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
    )
    for folder in reversed(versions):
        if all((folder / name).exists() for name in _PROGRAMS):
            return folder
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_server_user() -> list[str]:
    """PostgreSQL will not run as root: drop to nobody (the data folder is theirs)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--"]


@dataclass
class PostgresServer:
    bin: Path
    folder: Path
    port: int

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def url(self) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"

    def url_of(self, database: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{database}"

    def fresh_database(self) -> str:
        """The URL of a new, empty database on this server (one per test)."""
        import psycopg  # the test dependency of the PostgreSQL backend

        name = f"t_{secrets.token_hex(6)}"
        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"'.encode())
        return self.url_of(name)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*_as_server_user(), *args],
            env=scrubbed_env({"LC_ALL": "C"}),
            capture_output=True,
            text=True,
            timeout=START_TIMEOUT,
            check=check,
        )

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "nobody", "nogroup")
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", USER, "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
            "-w", "-t", str(int(START_TIMEOUT)), "-o",
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=100",
            "start",
        )  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            ready = self._run(str(self.bin / "pg_isready"), "-h", "127.0.0.1",
                              "-p", str(self.port), check=False)  # fmt: skip
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start: {self.log()}")

    def restart(self) -> None:
        """Stop the server (every session cut; a fast shutdown, as the server runs without
        synchronous commits: an immediate one would lose the last ones) and start it
        again on the same port."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                  "-m", "fast", "-w", "-t", str(int(START_TIMEOUT)), "restart")  # fmt: skip

    def log(self) -> str:
        try:
            return (self.folder / "log").read_text(encoding="utf-8", errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                  "-w", "stop", check=False)  # fmt: skip


def no_postgres(reason: str) -> NoReturn:
    """Skip the test that needs PostgreSQL, saying why; under CI (``CI=true``), fail it:
    there the PostgreSQL tests must run."""
    if os.environ.get("CI", "").strip().lower() == "true":
        pytest.fail(f"{reason}; under CI (CI=true) the PostgreSQL tests must run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session (skips when PostgreSQL is not installed)."""
    folder = postgres_bin()
    if folder is None:
        no_postgres("PostgreSQL's server programs (initdb, postgres, pg_ctl) are not installed")
    with tempfile.TemporaryDirectory(prefix="dealbot-pg-") as temporary:
        os.chmod(temporary, 0o755)  # the server's user (nobody, under root) must enter it
        server = PostgresServer(folder, Path(temporary) / "pg", _free_port())
        server.start()
        try:
            yield server
        finally:
            server.stop()
