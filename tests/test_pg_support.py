"""The PostgreSQL server the tests start is real, reachable on 127.0.0.1 only, and keeps
what is written to it."""

from __future__ import annotations

import subprocess

import pytest

from tests.helpers import scrubbed_env
from tests.pg_support import PostgresServer, no_postgres


def _psql(server: PostgresServer, sql: str) -> str:
    done = subprocess.run(
        [str(server.bin / "psql"), server.url, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
        env=scrubbed_env(),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    return done.stdout.strip()


def test_the_test_server_runs_postgresql_and_keeps_data(postgres: PostgresServer) -> None:
    assert _psql(postgres, "show server_version_num").isdigit()
    assert _psql(postgres, "show listen_addresses") == "127.0.0.1"
    _psql(postgres, "create table if not exists probe (n int); insert into probe values (7)")
    assert _psql(postgres, "select sum(n) from probe") != ""


def test_without_postgresql_a_ci_run_fails_rather_than_skips(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=r"under CI \(CI=true\)"):
        no_postgres("not installed")
    monkeypatch.setenv("CI", "false")
    with pytest.raises(pytest.skip.Exception, match="not installed"):
        no_postgres("not installed")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        no_postgres("not installed")
