"""Reading feeds.yaml: the one-pass reading of libyaml's events gives what PyYAML's
loader (with YAML 1.2 scalars) gives, and leaves everything unusual to the careful path."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.config import yamlfile
from bot.errors import ConfigError

REPO = Path(__file__).resolve().parent.parent


def _pyyaml(text: str) -> Any:
    return yaml.load(text, Loader=yamlfile._Yaml12Loader)


def _same(left: Any, right: Any) -> bool:
    """Equal values of equal types (1 is not True, nan equals nan)."""
    if type(left) is not type(right):
        return False
    if isinstance(left, dict):
        return list(left) == list(right) and all(_same(left[k], right[k]) for k in left)
    if isinstance(left, list):
        return len(left) == len(right) and all(map(_same, left, right))
    if isinstance(left, float) and math.isnan(left):
        return math.isnan(right)
    return bool(left == right)


def _generated_feeds_yaml(feeds: int) -> str:
    tree = {
        "settings": {"database": "storage/dealbot.db", "interval": "1h", "per_host": 16},
        "feeds": [
            {"name": f"f{i}", "url": f"http://127.0.0.1:9/feed{i}.xml"} for i in range(feeds)
        ],
        "topics": {"samsung": ["Samsung", "삼성", "三星"], "ev": ["EV", "Elektroauto"]},
        "alerts": [{"name": "all", "match": "samsung or ev", "channels": ["console"]}],
    }
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


USUAL = {
    "scalars of YAML 1.2": (
        "a: yes\nb: no\nc: on\nd: off\ne: 1:30\nf: 0o17\ng: 0x1f\nh: 012\ni: 1e3\n"
        "j: .inf\nk: -.Inf\nl: .nan\nm: ~\nn: null\no:\np: true\nq: False\nr: TRUE\n"
        "s: -12\nt: +3.5\nu: 2001-12-14\nv: 1_000\nw: 0b101\nx: Null\ny: .5\nz: 6.\n"
    ),
    "quoted and block scalars": (
        "a: '1'\nb: \"true\"\nc: |\n  two\n  lines\nd: >\n  folded\n  text\ne: ''\nf: \"\"\n"
    ),
    "flow collections": "a: {b: 1, c: [1, 2, {d: e}]}\nf: []\ng: {}\n",
    "keys that are not strings": "1: one\nfalse: no\n~: nothing\n1.5: x\n",
    "unicode and comments": (
        "# a comment\nname: 삼성전자 # trailing\nzh: 三星\nde: Elektrofahrzeuggeschäft\n"
    ),
    "the merge key is a plain word in YAML 1.2": "<<: x\n=: y\n",
    "a list at the top": "- a\n- b\n",
    "a scalar at the top": "just text\n",
    "an empty document": "",
    "only a comment": "# nothing\n",
    "an explicit document": "---\na: 1\n...\n",
}

UNUSUAL = {
    "an anchor and an alias": "a: &x [1, 2]\nb: *x\n",
    "an anchor alone": "a: &x 1\n",
    "a tag": "a: !!str 1\nb: !!int '3'\n",
    "a binary tag": "a: !!binary aGVsbG8=\n",
    "a set": "a: !!set {x, y}\n",
}

ERRORS = {
    "a duplicate key": ("a: 1\na: 2\n", "duplicate key"),
    "bool and int keys that are equal": ("1: a\ntrue: b\n", "duplicate key"),
    "a local tag": ("a: !thing x\n", "could not determine a constructor"),
    "a key that is a list": ("? [a]\n: b\n", "unhashable"),
    "several documents": ("a: 1\n---\nb: 2\n", "single document"),
    "nesting too deep": ("a: " + "[" * 40 + "]" * 40 + "\n", "nested deeper"),
    "invalid YAML": ("a: [1, 2\n", "invalid YAML"),
    "a tab for indentation": ("a:\n\tb: 1\n", "invalid YAML"),
    "an alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n"
            for p, c in zip("abcde", "bcdef", strict=True)
        )
        + "g: *f\n",
        "aliases",
    ),
}


@pytest.mark.parametrize("text", list(USUAL.values()), ids=list(USUAL))
def test_the_one_pass_reading_gives_what_pyyaml_gives(text: str) -> None:
    assert _same(yamlfile._plain_from_events(text), _pyyaml(text))


@pytest.mark.parametrize("path", ["feeds.yaml", "docker-compose.yml", "slack-manifest.yaml",
                                  "bench/data/cleantext/topics.yaml"])  # fmt: skip
def test_the_repositorys_yaml_files_are_read_in_one_pass_as_pyyaml_reads_them(path: str) -> None:
    text = (REPO / path).read_text(encoding="utf-8")
    assert _same(yamlfile._plain_from_events(text), _pyyaml(text))


def test_a_large_generated_feeds_yaml_is_read_in_one_pass() -> None:
    text = _generated_feeds_yaml(500)
    tree = yamlfile._plain_from_events(text)
    assert _same(tree, _pyyaml(text))
    assert len(tree["feeds"]) == 500


@pytest.mark.parametrize("text", list(UNUSUAL.values()), ids=list(UNUSUAL))
def test_anything_unusual_is_left_to_the_careful_path_which_reads_it_as_before(text: str) -> None:
    with pytest.raises(yamlfile._Unusual):
        yamlfile._plain_from_events(text)
    expected = _pyyaml(text)
    if isinstance(expected, dict):
        assert _same(yamlfile.load_plain(text, "feeds.yaml"), expected)


@pytest.mark.parametrize(("text", "message"), list(ERRORS.values()), ids=list(ERRORS))
def test_errors_are_reported_by_the_careful_path_in_one_line(text: str, message: str) -> None:
    with pytest.raises(yamlfile._Unusual):
        yamlfile._plain_from_events(text)
    with pytest.raises(ConfigError) as caught:
        yamlfile.load_plain(text, "feeds.yaml")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value).strip()
