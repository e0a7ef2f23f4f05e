"""Mutes and the key/value table in SQLite (``mutes``, ``meta``): small state that commands
and the scheduler keep (a rule muted until a time, the heartbeat, the database's id)."""

from __future__ import annotations

from datetime import datetime

from bot.store.sqlite.base import SQLiteBase, dt, ts


class MetaMixin(SQLiteBase):
    async def mute(self, rule: str, until: datetime) -> None:
        await self._write(
            "INSERT INTO mutes (rule, until) VALUES (:rule, :until) "
            "ON CONFLICT (rule) DO UPDATE SET until = excluded.until",
            {"rule": rule, "until": ts(until)},
        )

    async def unmute(self, rule: str) -> bool:
        return await self._write("DELETE FROM mutes WHERE rule = :rule", {"rule": rule}) == 1

    async def mutes(self, now: datetime) -> dict[str, datetime]:
        rows = await self._query(
            "SELECT rule, until FROM mutes WHERE until > :now", {"now": ts(now)}
        )
        return {row["rule"]: dt(row["until"]) or now for row in rows}

    async def set_meta(self, key: str, value: str) -> None:
        await self._write(
            "INSERT INTO meta (key, value) VALUES (:key, :value) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            {"key": key, "value": value},
        )

    async def get_meta(self, key: str) -> str | None:
        rows = await self._query("SELECT value FROM meta WHERE key = :key", {"key": key})
        return rows[0]["value"] if rows else None

    async def set_meta_once(self, key: str, value: str, *, replaces_below: str = "") -> bool:
        changed = await self._write(
            "INSERT INTO meta (key, value) VALUES (:key, :value) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE meta.value < :below",
            {"key": key, "value": value, "below": replaces_below},
        )
        return changed == 1

    async def delete_meta(self, key: str) -> bool:
        return await self._write("DELETE FROM meta WHERE key = :key", {"key": key}) == 1
