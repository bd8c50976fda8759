"""Downloading the images a comment carries, for its evidence.

Platform CDN links (Facebook ``photo``, Graph ``attachment.media.image.src``,
Instagram and YouTube thumbnails) expire within days; evidence that keeps only
the link loses the image, and an image can itself be what the comment is
judged for.  So the worker downloads them — *before* its write transaction
(``app.pipeline.prefetch_media``): on SQLite the write lock is the one every
webhook acknowledgement waits for, and a CDN can take seconds.  The snapshot
stage then stores what was fetched (``app.evidence.service.take_snapshots``).

Only links that came from a platform (a signed delivery or our own polling)
are fetched, never those of ``web`` comments posted by an API client: the
service must not be made to fetch arbitrary addresses.  Only ``http(s)``,
only ``image/*``, at most ``media_max_bytes`` (refused from
``Content-Length`` before reading, and cut off while streaming the bytes as
sent: never inflated, see ``app.http_answers``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from app.http_answers import AS_SENT, EncodedAnswer, raw_chunks

#: Platforms whose comment links are fetched (see the module docstring).
FETCHED_PLATFORMS = frozenset({"facebook", "instagram", "linkedin", "youtube"})
#: At most this many images per comment.
MAX_PER_COMMENT = 4


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    url: str
    data: bytes | None = None
    content_type: str | None = None
    #: Why nothing was kept: ``too_large``, ``not_an_image``, ``unavailable`` (HTTP error,
    #: timeout, a compressed answer), ``not_fetched`` (a link we do not fetch).
    error: str | None = None

    @property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None


class MediaFetcher:
    def __init__(
        self, *, max_bytes: int, timeout: float = 10.0, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.max_bytes = max_bytes
        self._http = httpx.Client(
            timeout=httpx.Timeout(timeout),
            transport=transport,
            follow_redirects=True,
            max_redirects=3,
            headers={"Accept": "image/*", **AS_SENT},
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> MediaFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str) -> FetchedMedia:
        if urlsplit(url).scheme not in ("http", "https"):
            return FetchedMedia(url, error="not_fetched")
        try:
            with self._http.stream("GET", url) as response:
                if not response.is_success:
                    return FetchedMedia(url, error="unavailable")
                content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
                if not content_type.startswith("image/"):
                    return FetchedMedia(url, error="not_an_image")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    return FetchedMedia(url, error="too_large")
                chunks: list[bytes] = []
                size = 0
                for chunk in raw_chunks(response):
                    size += len(chunk)
                    if size > self.max_bytes:
                        return FetchedMedia(url, error="too_large")
                    chunks.append(chunk)
                return FetchedMedia(url, data=b"".join(chunks), content_type=content_type[:100])
        except (httpx.HTTPError, EncodedAnswer):
            return FetchedMedia(url, error="unavailable")
