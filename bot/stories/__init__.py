"""Stories: which story a news item joins, across feeds and languages (pure, offline, CPU).

``fingerprint`` turns an item into what is compared, ``decide`` is the pure decision,
``index`` finds the candidate stories by plain-string keys, ``embed`` is the optional
sentence model, ``changes`` tells material updates from cosmetic ones, ``cluster`` runs
them together for one item at a time.
"""

from bot.stories.changes import changes
from bot.stories.cluster import Placement, StoryClusterer
from bot.stories.decide import Join, NeedEmbeddings, NewStory, Policy, StoryView, decide
from bot.stories.embed import SentenceEmbedder
from bot.stories.fingerprint import EntityFinder, StoryFingerprint, fingerprint
from bot.stories.index import StoryIndex

__all__ = [
    "EntityFinder",
    "Join",
    "NeedEmbeddings",
    "NewStory",
    "Placement",
    "Policy",
    "SentenceEmbedder",
    "StoryClusterer",
    "StoryFingerprint",
    "StoryIndex",
    "StoryView",
    "changes",
    "decide",
    "fingerprint",
]
