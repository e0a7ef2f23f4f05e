"""The candidate index: candidates share a key; stories close after the window."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot.stories import StoryIndex
from bot.stories.index import keys_of
from tests.stories_support import FLAKT, PATENTS, XRING


def test_keys_are_plain_strings_of_known_kinds() -> None:
    keys = keys_of(FLAKT[0])
    assert all(isinstance(key, str) for key in keys)
    assert {key.split(":", 1)[0] for key in keys} == {"entry", "url", "ent", "band", "title"}
    assert "ent:co:samsung" in keys


def test_candidates_are_only_stories_sharing_a_key() -> None:
    index = StoryIndex()
    index.add("flakt", FLAKT[0])
    index.add("xring", XRING[0])
    assert [s.story_id for s in index.candidates(FLAKT[3])] == ["flakt"]  # shares companies
    assert [s.story_id for s in index.candidates(XRING[3])] == ["xring"]  # shares bands, title
    assert {s.story_id for s in index.candidates(PATENTS[0])} == {"flakt", "xring"}  # companies


def test_stories_close_after_the_window_without_joins() -> None:
    index = StoryIndex(timedelta(hours=72))
    index.add("flakt", FLAKT[0])
    index.add("flakt", replace(FLAKT[1], published=FLAKT[0].published + timedelta(hours=48)))
    assert index.expire(FLAKT[0].published + timedelta(hours=100)) == 0  # joined at 48 h
    assert index.expire(FLAKT[0].published + timedelta(hours=121)) == 1
    assert len(index) == 0
    assert index.candidates(FLAKT[2]) == []
    assert index.closed_story(FLAKT[0]) == ("flakt", "same entry")


def test_a_key_shared_by_stories_finds_those_still_open_as_they_close() -> None:
    """A key holds one story or several (a key of one story is stored without a set):
    as stories close, a shared key finds the ones left, then none."""
    start = FLAKT[0].published
    index = StoryIndex(timedelta(hours=72))
    index.add("flakt", FLAKT[0])
    index.add("xring", replace(XRING[0], published=start + timedelta(hours=48)))
    index.add("flakt", FLAKT[1])  # its keys again: still one story behind each
    assert {s.story_id for s in index.candidates(PATENTS[0])} == {"flakt", "xring"}
    assert index.expire(start + timedelta(hours=100)) == 1  # flakt
    assert [s.story_id for s in index.candidates(PATENTS[0])] == ["xring"]
    assert {s.story_id for s in index.candidates(FLAKT[1])} <= {"xring"}  # all of flakt's keys
    assert index.member(XRING[0].entry) == (
        "xring",
        replace(XRING[0], published=start + timedelta(hours=48)),
    )
    assert index.member(FLAKT[0].entry) is not None  # remembered as closed
    assert index.expire(start + timedelta(hours=121)) == 1  # xring
    assert index.candidates(PATENTS[0]) == []
    assert index.candidates(XRING[3]) == []


def test_a_fingerprint_survives_storage_and_the_index_is_rebuilt_from_it() -> None:
    """What storage keeps of each report (JSON) gives the same fingerprint back, and a
    clusterer restored from the stored reports places the next report as before."""
    from bot.stories import StoryClusterer
    from bot.stories.persist import dump_fingerprint, load_fingerprint

    for fp in (*FLAKT, *XRING, *PATENTS):
        text = dump_fingerprint(fp)
        assert load_fingerprint(text) == fp
        assert dump_fingerprint(load_fingerprint(text)) == text
    before = StoryClusterer()
    placed = [(before.place(fp).story_id, fp) for fp in FLAKT[:2]]
    after = StoryClusterer()
    stored = [(story, dump_fingerprint(fp)) for story, fp in placed]
    assert after.restore((story, load_fingerprint(text)) for story, text in stored) == 2
    assert after.place(FLAKT[2]).story_id == before.place(FLAKT[2]).story_id == placed[0][0]


def test_a_fingerprint_stored_before_headline_names_loads_without_them() -> None:
    import json
    from dataclasses import replace

    from bot.stories.persist import dump_fingerprint, load_fingerprint

    fp = next(fp for fp in FLAKT if fp.names)
    data = json.loads(dump_fingerprint(fp))
    del data["names"]  # as schema 5 stored it
    assert load_fingerprint(json.dumps(data)) == replace(fp, names=frozenset())
