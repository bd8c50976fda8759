"""What a platform's listing calls return, in one shape for every platform.

The reconciler (``app.reconcile``) compares this with what Uppsikt has stored.
A listing also says which posts it read *completely* (every page of their
comments): only there may a comment we know but the platform no longer lists
be taken as removed.  A post cut short by a throttle, a quota or a page limit
proves nothing about the comments it did not reach.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class ListedComment:
    id: str
    post_id: str
    text: str | None
    #: The platform's creation time as it gave it (ISO-8601 or Unix seconds).
    created_at: str | None
    author_id: str | None = None
    author_name: str | None = None
    #: The comment it replies to; ``None`` for a top-level comment.
    parent_id: str | None = None
    #: The platform's time of the current text, where it gives one (YouTube ``updatedAt``,
    #: LinkedIn ``lastModified``); Graph lists no edit time.
    version_at: str | None = None
    media_urls: tuple[str, ...] = ()


@dataclass(slots=True)
class Listing:
    comments: list[ListedComment] = field(default_factory=list)
    #: Posts (videos, media) whose comments were listed to the last page.
    complete_posts: set[str] = field(default_factory=set)
    #: Platform calls made (for the summary and, on YouTube, the quota).
    calls: int = 0


def obj(value: Any) -> dict[str, Any]:
    """A JSON object from a platform answer, or an empty one if it is anything else."""
    return value if isinstance(value, dict) else {}
