"""Reading an answer from a server we do not control, without trusting its encoding.

httpx undoes ``Content-Encoding`` (gzip, deflate, brotli, zstd) itself, one
received chunk at a time.  A size limit counted over the decoded chunks is
therefore checked only after each chunk has been inflated whole: 64 KiB of gzip
can become 64 MiB before the first check sees it (a decompression bomb), and a
few of those at once take the worker down.  So the clients that read answers of
unknown servers (a municipality's model endpoint, a platform CDN) ask for the
body as it is (``Accept-Encoding: identity``), count the bytes that arrive, and
refuse an answer that comes encoded all the same.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx

#: Request headers asking for the body as it is stored, never compressed.
AS_SENT = {"Accept-Encoding": "identity"}


class EncodedAnswer(Exception):
    """The server compressed its answer although we asked it not to."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        super().__init__(f"svaret är komprimerat ({encoding}) fast Uppsikt bad om okomprimerat")


def raw_chunks(response: httpx.Response) -> Iterator[bytes]:
    """The body's bytes as they arrive, never inflated; raises ``EncodedAnswer`` if encoded."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding not in ("", "identity"):
        raise EncodedAnswer(encoding[:40])
    return response.iter_raw()
