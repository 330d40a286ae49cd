"""Which shard holds an article: a stable hash of its id.

Python's hash() of a string is salted per process, so two workers (or two runs)
would disagree; sharding by date leaves news shards badly uneven (12,799 Reuters
articles by month: 211 / 9,750 / 2,744 / 94) and moves an article when its date is
corrected, leaving the old version behind in the other shard. The id never changes,
so a changed article always lands on the shard that holds its old version.
"""

from __future__ import annotations

import hashlib

SHARD_PREFIX = "shard-"


def shard_of(article_id: str, shards: int) -> int:
    """Return the shard number (0 .. shards-1) of an article id, the same in every process."""
    digest = hashlib.blake2b(article_id.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % shards


def shard_name(number: int) -> str:
    """Return the folder name of shard `number` under the index folder."""
    return f"{SHARD_PREFIX}{number:02d}"
