"""The topics of a configuration as the matcher is built from them: each topic's terms, each
topic's exclusions, and the options of ``settings.match``.

``Topics`` reads as a mapping of topic name -> terms (what most callers want: names, terms
to list), and carries the rest, so that ``Matcher(config.topics)`` builds the configured
matcher and two configurations whose matching differs never compare equal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from bot.match.fold import DEFAULT_OPTIONS, MatchOptions


class Topics(Mapping[str, tuple[str, ...]]):
    """Topic name -> terms, with ``exclusions`` (topic name -> phrases) and ``options``.
    Immutable."""

    __slots__ = ("_exclusions", "_options", "_terms")

    def __init__(
        self,
        terms: Mapping[str, Iterable[str]] | None = None,
        exclusions: Mapping[str, Iterable[str]] | None = None,
        options: MatchOptions = DEFAULT_OPTIONS,
    ) -> None:
        self._terms = {topic: tuple(listed) for topic, listed in (terms or {}).items()}
        self._exclusions = {
            topic: tuple(phrases)
            for topic, phrases in (exclusions or {}).items()
            if tuple(phrases) and topic in self._terms
        }
        self._options = options

    @property
    def exclusions(self) -> Mapping[str, tuple[str, ...]]:
        return dict(self._exclusions)

    @property
    def options(self) -> MatchOptions:
        return self._options

    def excluded(self, topic: str) -> tuple[str, ...]:
        """The phrases excluded from ``topic`` (none for most topics)."""
        return self._exclusions.get(topic, ())

    def shown(self, topic: str) -> str:
        """A topic's terms as lists show them: ``Xiaomi, 小米 (not: 小米粥)``."""
        terms = ", ".join(self._terms[topic])
        excluded = self.excluded(topic)
        return f"{terms} (not: {', '.join(excluded)})" if excluded else terms

    def __getitem__(self, topic: str) -> tuple[str, ...]:
        return self._terms[topic]

    def __iter__(self) -> Iterator[str]:
        return iter(self._terms)

    def __len__(self) -> int:
        return len(self._terms)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Topics):
            return (self._terms, self._exclusions, self._options) == (
                other._terms,
                other._exclusions,
                other._options,
            )
        if isinstance(other, Mapping):  # a plain mapping of terms: nothing else to compare
            return not self._exclusions and self._terms == dict(other.items())
        return NotImplemented

    def __repr__(self) -> str:
        return f"Topics({self._terms!r}, exclusions={self._exclusions!r}, {self._options!r})"
