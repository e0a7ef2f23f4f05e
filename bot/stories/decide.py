"""Which story an item joins: a pure decision over its fingerprint and the candidate stories.

Owns the rules and thresholds. No I/O, no model: when a decision hinges on a sentence
embedding that is not computed yet, the answer is ``NeedEmbeddings`` (which fingerprints
lack one), and the caller asks again once it has them (see ``cluster``). Cost: one pass over
the members of the candidate stories, each compared in a few microseconds (a 64-value
signature, small sets, one 512-float dot product); see the bench for measured figures.

The rules, strongest first; a pair of items that meets one is a match, and the item joins the
candidate story with the best-scoring match (the rule's rank first, then its score):

1. **Same entry** (the same feed entry re-published, updated): always, even past the window.
2. **Same canonical URL**.
3. Otherwise only within the window of the story's first item (default 72 h), and never
   when the facts disagree (``conflicting_facts``): the headlines report different kinds
   of event (talks vs a patent settlement; a plant's start vs its delay), state figures of
   one kind and currency that are more than 10 % apart ($8 billion vs $1.2 billion; a 10 %
   margin because outlets round: "nearly 140,000" for 137,000), or each names a company
   (group) the other report never mentions (Samsung buys Harman vs Samsung buys Joyent).
4. **Near-duplicate** (same language, syndicated or lightly edited): estimated Jaccard of
   the title-and-text shingles ≥ 0.5, or of the title bigrams (publisher suffix dropped)
   ≥ 0.6. A copy usually scores above 0.8; two different stories of one company in one
   language rarely share half their shingles. At ≥ 0.9 a copy joins even over a conflict.
5. **Evidence** (any language), for two reports that name at least one common entity:
   facts they agree on (``fact_evidence``), 1.0 being enough: a distinctive figure
   (three significant digits: 137,000 = 13,7万 = 13만7천) in a headline counts 1, a round
   figure ($8 billion, which unrelated stories share more often), a product code (SU7,
   HBM4E) or the same kind of event 0.5, a figure or code found only in the texts half as
   much; across languages, a name both headlines write in Latin letters (Sensyra, Afeela,
   FSD, Arizona: ``fingerprint.title_names``) counts like a product code. Enough facts
   alone: **same facts**. Otherwise, with the model, the cosine of the embeddings
   (headline and first sentence), and 0.5 more when both headlines name the same two
   companies (a pair is a rarer coincidence than one company, but says nothing of what
   happened, so it never counts without the model's agreement: a cosine above the low
   end of its scale), add up to 1.0 (**same meaning**): 0 at 0.40
   rising linearly to 1 at 0.70 across languages, 0 at 0.55 to 1 at 0.85 within one
   language. Measured on our dev cases, one story's reports in two languages score
   0.50–0.80 (mean 0.64) and different stories naming the same company 0.20–0.48 (mean
   0.33); within one language, unrelated headlines about one company already score
   0.7–0.75, hence the stricter scale there. The item is compared with each member of a
   story and with the mean of their embeddings (a story reported in several languages
   averages out each language's slant).
6. **Later reports need more**: two reports more than 6 h apart need up to 0.5 more
   evidence, reached at 48 h. Reports of one event come within hours of each other; a
   report about the same companies days later is more often a new development (talks,
   then the signing; a plant's start, then another plant).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from bot.stories.events import different_events
from bot.stories.fingerprint import StoryFingerprint, jaccard, minhash_jaccard
from bot.stories.numbers import Quantity


@dataclass(frozen=True, slots=True)
class Policy:
    """Thresholds; the reasons for each value are in the module docstring."""

    window: timedelta = timedelta(hours=72)
    near_duplicate: float = 0.5  # shingle Jaccard
    same_title: float = 0.6  # title bigram Jaccard
    certain_copy: float = 0.9  # above this, a copy joins even if a fact seems to disagree
    # cosine -> evidence: nothing at the first value, 1.0 at the second (linear between)
    cosine_cross: tuple[float, float] = (0.40, 0.70)
    cosine_same: tuple[float, float] = (0.55, 0.85)
    # a report more than grace_hours after another needs more evidence, up to `later` more
    # at later_hours: reports of one event come within hours of each other, while a
    # report about the same companies days later is more often a new development
    centroid: bool = True  # also compare with the mean of a story's embeddings
    later: float = 0.5
    grace_hours: float = 6.0
    later_hours: float = 48.0
    # both headlines name the same two companies: counts with the model's cosine only
    company_pair: float = 0.5
    model: bool = True  # whether embeddings can be had; without, rule 6 is skipped


@dataclass(frozen=True, slots=True)
class StoryView:
    """A candidate story as the decider sees it: its id, first item's time, members."""

    story_id: str
    first: datetime
    members: tuple[StoryFingerprint, ...]


@dataclass(frozen=True, slots=True)
class Join:
    story_id: str
    reason: str  # "same entry", "same URL", "near-duplicate", "same facts", "same meaning"
    score: float


@dataclass(frozen=True, slots=True)
class NewStory:
    reason: str


@dataclass(frozen=True, slots=True)
class NeedEmbeddings:
    """The decision hinges on embeddings of these fingerprints (by item id)."""

    item_ids: tuple[str, ...]


Decision = Join | NewStory | NeedEmbeddings

_RANK = {"same entry": 5.0, "same URL": 4.0, "near-duplicate": 3.0, "same facts": 2.0,
         "same meaning": 1.0}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Verdict:
    """How one pair of items compares."""

    reason: str | None  # a rule's name when it matched
    score: float = 0.0
    needs_embedding: bool = False
    conflict: str | None = None


def decide(
    item: StoryFingerprint, candidates: Sequence[StoryView], policy: Policy = Policy()
) -> Decision:
    """Join the best-matching candidate story, or start a new one."""
    best: tuple[float, Join] | None = None
    missing: dict[str, None] = {}
    for story in candidates:
        in_window = _within(item.published, story.first, policy.window)
        centroid = _centroid(story.members) if policy.centroid else None
        for member in story.members:
            verdict = compare(item, member, policy, in_window=in_window, centroid=centroid)
            if verdict.reason is not None:
                rank = _RANK[verdict.reason] + verdict.score
                if best is None or rank > best[0]:
                    best = (rank, Join(story.story_id, verdict.reason, round(verdict.score, 3)))
            elif verdict.needs_embedding:
                for fp in (item, member):
                    if fp.embedding is None:
                        missing.setdefault(fp.item_id, None)
    if best is not None and (best[1].reason != "same meaning" or not missing):
        return best[1]  # a rule without the model decided; or every embedding was there
    if missing:
        return NeedEmbeddings(tuple(missing))
    return NewStory("no match" if candidates else "no candidate")


def _within(published: datetime, first: datetime, window: timedelta) -> bool:
    return abs(published - first) <= window


def _centroid(members: Sequence[StoryFingerprint]) -> np.ndarray | None:
    """The mean direction of a story's embeddings, when it has two or more: reports in
    several languages average out each language's own slant."""
    vectors = [_vector(m.embedding) for m in members if m.embedding is not None]
    if len(vectors) < 2:
        return None
    mean = np.mean(vectors, axis=0)
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm else None


def compare(
    a: StoryFingerprint,
    b: StoryFingerprint,
    policy: Policy,
    *,
    in_window: bool = True,
    centroid: np.ndarray | None = None,
) -> Verdict:
    """The strongest rule two items meet (see the module docstring)."""
    if a.entry == b.entry:
        return Verdict("same entry", 1.0)
    if a.url is not None and a.url == b.url:
        return Verdict("same URL", 1.0)
    if not in_window:
        return Verdict(None, conflict="outside the window")
    shingles = minhash_jaccard(a.minhash, b.minhash)
    titles = jaccard(a.title_grams, b.title_grams)
    copy = max(shingles, titles)
    if copy >= policy.certain_copy:
        return Verdict("near-duplicate", copy)
    conflict = conflicting_facts(a, b)
    if conflict:
        return Verdict(None, conflict=conflict)
    if shingles >= policy.near_duplicate or titles >= policy.same_title:
        return Verdict("near-duplicate", copy)
    if not a.entities & b.entities:
        return Verdict(None)
    evidence = fact_evidence(a, b)
    needed = 1.0 + policy.later * _lateness(a, b, policy)
    if evidence >= needed:
        return Verdict("same facts", evidence / needed)
    pair = policy.company_pair if _company_pair(a, b) else 0.0
    if not policy.model or evidence + pair + 1.0 < needed:
        return Verdict(None)
    if a.embedding is None or b.embedding is None:
        return Verdict(None, needs_embedding=True)
    cosine = float(np.dot(_vector(a.embedding), _vector(b.embedding)))
    if centroid is not None:
        cosine = max(cosine, float(np.dot(_vector(a.embedding), centroid)))
    same_language = a.language is not None and a.language == b.language
    low, high = policy.cosine_same if same_language else policy.cosine_cross
    meaning = min(1.0, max(0.0, (cosine - low) / (high - low)))
    if meaning > 0 and evidence + pair + meaning >= needed:
        return Verdict("same meaning", (evidence + pair + meaning) / needed)
    return Verdict(None)


def _company_pair(a: StoryFingerprint, b: StoryFingerprint) -> bool:
    """Whether both headlines name the same two companies (groups) or more; topics are not
    companies (``topic:samsung`` is Samsung again)."""
    shared = _families(a.title_entities) & _families(b.title_entities)
    return sum(1 for entity in shared if entity.startswith("co:")) >= 2


def _lateness(a: StoryFingerprint, b: StoryFingerprint, policy: Policy) -> float:
    """0 for reports within ``policy.grace`` of each other, rising to 1 at
    ``policy.later_hours``."""
    hours = abs((a.published - b.published).total_seconds()) / 3600
    span = policy.later_hours - policy.grace_hours
    return min(1.0, max(0.0, (hours - policy.grace_hours) / span))


def fact_evidence(a: StoryFingerprint, b: StoryFingerprint) -> float:
    """How much two reports that name a common company agree on, in units where 1.0 is
    enough to join: a distinctive figure in a headline (137,000) counts 1; a round one
    ($8 billion), a product code (SU7) or the same kind of event 0.5; a figure or code
    found only in the texts half as much; between two languages, a name both headlines
    write in Latin letters counts as a code. Figures count at most 1.5, codes and names 1."""
    numbers = 0.0
    for quantity in a.quantities:
        if any(quantity.same_as(other) for other in b.quantities):
            weight = 1.0 if quantity.distinctive else 0.5
            in_title = quantity in a.title_quantities or any(
                quantity.same_as(other) for other in b.title_quantities
            )
            numbers += weight if in_title else weight / 2
    codes = 0.0
    for code in a.codes & b.codes:
        codes += 0.5 if code in a.title_codes or code in b.title_codes else 0.25
    if a.language != b.language:
        codes += 0.5 * len(a.names & b.names)
    kinds = 0.5 if a.kinds & b.kinds else 0.0
    return min(numbers, 1.5) + min(codes, 1.0) + kinds


def conflicting_facts(a: StoryFingerprint, b: StoryFingerprint) -> str | None:
    """Why two items cannot tell the same story, or None: their titles report different
    kinds of event, state different figures of one kind (sums of money, counts,
    percentages), or each names a company (group) the other does not."""
    if different_events(a.kinds, b.kinds, a.text_kinds, b.text_kinds):
        return "different events"
    for kind in ("money", "count", "pct"):
        mine = frozenset(q for q in a.title_quantities if q.unit.split(":")[0] == kind)
        theirs = frozenset(q for q in b.title_quantities if q.unit.split(":")[0] == kind)
        comparable = [(q, r) for q in mine for r in theirs if q.comparable(r)]
        if comparable and not any(q.close_to(r) for q, r in comparable):
            return "different figures"
    only_a = _families(a.title_entities) - _families(b.entities)
    only_b = _families(b.title_entities) - _families(a.entities)
    if only_a and only_b:
        return "different companies"
    return None


def _families(entities: frozenset[str]) -> set[str]:
    """Entity ids with a company's units folded into its group ("co:samsung-display" ->
    "co:samsung"): one outlet names Samsung Electronics where another names Samsung
    Display, and that alone must not make two reports different stories."""
    return {entity.split("-", 1)[0] for entity in entities}


def _shared_quantities(a: frozenset[Quantity], b: frozenset[Quantity]) -> int:
    return sum(1 for q in a if any(q.same_as(r) for r in b))


def _vector(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.float32)
