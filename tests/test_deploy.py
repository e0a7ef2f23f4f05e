"""The deployment files: what docker-compose.yml mounts into the container, and that edits
work on a feeds.yaml that is a bind mount of its own (as that compose file makes it)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.helpers import REPO, scrubbed_env, write_config


def _compose() -> dict[str, object]:
    loaded = yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_compose_mounts_only_the_configuration_file_and_storage() -> None:
    service = _compose()["services"]["dealbot"]  # type: ignore[index]
    mounts = [volume.rpartition(":") for volume in service["volumes"]]
    assert [target for _, _, target in mounts] == ["/config/feeds.yaml", "/config/storage"]
    # each source is the file or folder itself (a variable with that default), never "."
    assert [source for source, _, _ in mounts] == [
        "${DEALBOT_FEEDS:-./feeds.yaml}",
        "${DEALBOT_STORAGE:-./storage}",
    ]
    assert service["env_file"] == [".env"] or service["env_file"] == ".env"


def test_docker_context_leaves_out_secrets_and_history() -> None:
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".env", ".git", "storage"} <= set(ignored)


def _can_bind_mount() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-m", "true"], env=scrubbed_env(), capture_output=True, timeout=10, check=False
    )
    return probe.returncode == 0


@pytest.mark.skipif(not _can_bind_mount(), reason="needs unshare -m (root) for a bind mount")
def test_chat_edit_saves_a_feeds_yaml_that_is_a_single_file_bind_mount(tmp_path: Path) -> None:
    host = tmp_path / "host"
    container = tmp_path / "container"
    host.mkdir()
    container.mkdir()
    write_config(host, {})
    (container / "feeds.yaml").touch()
    inode = (host / "feeds.yaml").stat().st_ino
    script = (
        f'mount --bind "{host}/feeds.yaml" "{container}/feeds.yaml" && '
        f'exec "{sys.executable}" -m bot --config "{container}/feeds.yaml" '
        "topics add harman Harman"
    )
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", script],
        cwd=REPO,
        env=scrubbed_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    saved = (host / "feeds.yaml").read_text(encoding="utf-8")
    assert "harman: [Harman]" in saved or "- Harman" in saved, saved
    assert (host / "feeds.yaml").stat().st_ino == inode  # rewritten through the mount
    assert (container / "feeds.yaml.bak").exists()
    assert not list(container.glob(".feeds.yaml.*.tmp"))


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose not installed")
def test_docker_compose_accepts_the_file_with_the_example_env(tmp_path: Path) -> None:
    for name in ("docker-compose.yml", "feeds.yaml", "Dockerfile"):
        shutil.copy(REPO / name, tmp_path / name)
    shutil.copy(REPO / ".env.example", tmp_path / ".env")
    (tmp_path / "storage").mkdir()
    done = subprocess.run(
        ["docker-compose", "config"],
        cwd=tmp_path,
        env=scrubbed_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    resolved = yaml.safe_load(done.stdout)["services"]["dealbot"]
    assert resolved["volumes"] == [
        f"{tmp_path}/feeds.yaml:/config/feeds.yaml:rw",
        f"{tmp_path}/storage:/config/storage:rw",
    ]
    assert "DISCORD_TOKEN" in resolved["environment"]  # from .env, as environment


def _compose_config(folder: Path, *profile: str) -> dict[str, Any]:
    """``docker-compose config`` on a copy of the compose file (empty .env), as resolved."""
    shutil.copy(REPO / "docker-compose.yml", folder / "docker-compose.yml")
    (folder / ".env").write_text("", encoding="utf-8")
    done = subprocess.run(
        ["docker-compose", *profile, "config"],
        cwd=folder, env=scrubbed_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    resolved: dict[str, Any] = yaml.safe_load(done.stdout)
    return resolved


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is missing")
def test_compose_default_is_one_sqlite_bot_and_the_postgres_profile_adds_the_database(
    tmp_path: Path,
) -> None:
    for profile in ((), ("--profile", "postgres")):
        services = _compose_config(tmp_path, *profile)["services"]
        # `up` without the profile starts only the services that have none: the bot
        assert [name for name, s in services.items() if not s.get("profiles")] == ["dealbot"]
        assert services["postgres"]["profiles"] == ["postgres"]
        assert services["postgres"]["healthcheck"]["test"][0] == "CMD-SHELL"
        assert "dealbot-postgres" in str(services["postgres"]["volumes"])
        # scalable (--scale dealbot=3): no fixed container name, no fixed host port
        assert "container_name" not in services["dealbot"]
        assert "ports" not in services["dealbot"]
