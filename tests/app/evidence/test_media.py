"""Images a comment carries are kept with its evidence: downloaded outside the write
transaction, stored by SHA-256, named in the snapshot, shown in the PDF, culled with the comment."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import io
import threading
import time
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.assessment.service import default_classifier
from app.evidence.media import MediaFetcher
from app.main import create_app
from app.models import CommentMedia, EvidenceSnapshot, MediaBlob
from app.retention import repository as retention_repository
from app.worker.inbox import InboxWorker
from tests.conftest import make_settings
from tests.factories import (
    auth,
    create_account,
    create_key,
    create_tenant,
    feed_change,
    meta_json,
    page_delivery,
    sign_meta,
)
from tests.fakes.server import serve

FLAGGED = "Mitt personnummer är 19121212-1212, ring mig!"


def _png(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(out, format="PNG")
    return out.getvalue()


class FakeCDN:
    """A platform CDN: images, one that is too large, one that is slow, one that is a web page,
    one that is a decompression bomb."""

    def __init__(self) -> None:
        self.photo = _png((200, 30, 30))
        #: The ``Accept-Encoding`` of the latest request.
        self.accept_encoding: str | None = None
        self.slow_started = threading.Event()
        self.slow_delay = 1.0
        self.app = Starlette(routes=[Route("/{name}", self._handle)])

    async def _handle(self, request: Request) -> Response:
        name = request.path_params["name"]
        self.accept_encoding = request.headers.get("accept-encoding")
        if name == "bomb.png":
            bomb = gzip.compress(b"\x89PNG" + bytes(5_000_000))
            return Response(bomb, media_type="image/png", headers={"Content-Encoding": "gzip"})
        if name == "photo.png":
            return Response(self.photo, media_type="image/png")
        if name == "big.png":
            return Response(b"\x89PNG" + b"0" * 50_000, media_type="image/png")
        if name == "slow.png":
            self.slow_started.set()
            await asyncio.sleep(self.slow_delay)
            return Response(self.photo, media_type="image/png")
        return Response("<html>inloggning krävs</html>", media_type="text/html")


@pytest.fixture(scope="module")
def cdn() -> Iterator[tuple[FakeCDN, str]]:
    fake = FakeCDN()
    with serve(fake.app) as url:
        yield fake, url


def _world(database_url: str, **overrides: Any) -> Iterator[dict[str, Any]]:
    settings = make_settings(database_url, **overrides)
    app = create_app(settings)
    with TestClient(app) as client, app.state.session_factory() as session:
        tenant = create_tenant(session, name="helsingborg", preset="helsingborg")
        create_account(session, tenant=tenant, external_id="5550000000003", editors=("red@kommun.example",))
        yield {
            "client": client,
            "session": session,
            "worker": InboxWorker(app.state.session_factory, settings, classify=default_classifier()),
            "editor": create_key(session, tenant=tenant, role="editor", subject="red@kommun.example"),
            "registrar": create_key(session, tenant=tenant, role="registrar"),
        }


def _deliver(world: dict[str, Any], comment: str, photo: str) -> None:
    change = feed_change(comment=comment, message=FLAGGED, page_id="5550000000003", extra={"photo": photo})
    body = meta_json(page_delivery(change, page_id="5550000000003"))
    r = world["client"].post("/webhooks/meta", content=body, headers=sign_meta(body))
    assert r.status_code == 200


def _evidence(world: dict[str, Any]) -> list[dict[str, Any]]:
    world["session"].rollback()
    ids = world["session"].scalars(select(EvidenceSnapshot.id).order_by(EvidenceSnapshot.id)).all()
    world["session"].rollback()
    return [world["client"].get(f"/v1/evidence/{i}", headers=auth(world["editor"])).json() for i in ids]


def test_a_photo_is_kept_by_sha256_named_in_the_snapshot_and_shown_in_the_pdf(
    database_url: str, cdn: tuple[FakeCDN, str]
) -> None:
    fake, url = cdn
    for world in _world(database_url, media_max_bytes=20_000):
        _deliver(world, "1", f"{url}/photo.png")
        _deliver(world, "2", f"{url}/big.png")
        _deliver(world, "3", f"{url}/page.html")
        world["worker"].run_until_idle()
        by_comment = {e["document"]["comment"]["external_id"]: e for e in _evidence(world)}
        sha = hashlib.sha256(fake.photo).hexdigest()
        assert by_comment["900_1"]["document"]["comment"]["media"] == [
            {"url": f"{url}/photo.png", "sha256": sha, "content_type": "image/png", "size": len(fake.photo)}
        ]
        assert by_comment["900_2"]["document"]["comment"]["media"][0]["error"] == "too_large"
        assert by_comment["900_3"]["document"]["comment"]["media"][0]["error"] == "not_an_image"
        session = world["session"]
        session.rollback()
        [blob] = session.scalars(select(MediaBlob)).all()
        assert (blob.sha256, blob.data) == (sha, fake.photo)

        pdf = world["client"].get(
            f"/v1/evidence/{by_comment['900_1']['id']}/pdf", headers=auth(world["editor"])
        )
        assert pdf.status_code == 200
        reader = PdfReader(io.BytesIO(pdf.content))
        assert sum(len(p.images) for p in reader.pages) == 1
        text = "".join(p.extract_text() for p in reader.pages)
        assert "Bilder i kommentaren (1)" in text and sha in text.replace("\n", "")
        big = world["client"].get(
            f"/v1/evidence/{by_comment['900_2']['id']}/pdf", headers=auth(world["editor"])
        )
        big_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(big.content)).pages)
        assert "större än gränsen" in big_text

        # The registration package carries the image itself, named by its SHA-256 (and in SHA256SUMS).
        client, comment_id = world["client"], by_comment["900_1"]["comment_id"]
        [item] = [
            i
            for i in client.get("/v1/queue", headers=auth(world["editor"])).json()["items"]
            if i["comment_id"] == comment_id
        ]
        decided = client.post(
            f"/v1/queue/{item['id']}/decision",
            headers=auth(world["editor"]),
            json={"actions": ["register"], "reason": "Personnummer ska diarieföras."},
        )
        assert decided.status_code == 200, decided.text
        [registration] = client.get("/v1/registrations", headers=auth(world["registrar"])).json()["items"]
        package = client.get(registration["package_url"], headers=auth(world["registrar"]))
        with zipfile.ZipFile(io.BytesIO(package.content)) as archive:
            names = set(archive.namelist())
            image = f"evidence/{by_comment['900_1']['id']}/{sha}.png"
            assert image in names and archive.read(image) == fake.photo
            assert f"{sha}  {image}" in archive.read("SHA256SUMS").decode()


def test_downloading_holds_no_write_lock(database_url: str, cdn: tuple[FakeCDN, str]) -> None:
    """Measured: while the worker waits a second for a slow CDN, a webhook is still stored and
    acknowledged at once — the download happens before the write transaction."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the single write lock is SQLite's")
    fake, url = cdn
    for world in _world(database_url):
        _deliver(world, "1", f"{url}/slow.png")
        fake.slow_started.clear()
        runner = threading.Thread(target=world["worker"].run_until_idle)
        started = time.perf_counter()
        runner.start()
        assert fake.slow_started.wait(5)
        ack_started = time.perf_counter()
        _deliver(world, "2", f"{url}/photo.png")
        ack_s = time.perf_counter() - ack_started
        runner.join(10)
        worker_s = time.perf_counter() - started
        assert worker_s >= fake.slow_delay
        assert ack_s < fake.slow_delay / 4, f"an acknowledgement waited {ack_s:.3f}s for a download"
        world["worker"].run_until_idle()
        assert {e["document"]["comment"]["external_id"] for e in _evidence(world)} == {"900_1", "900_2"}


def test_culling_a_comment_removes_its_images_but_not_those_another_comment_has(
    database_url: str, cdn: tuple[FakeCDN, str]
) -> None:
    _, url = cdn
    for world in _world(database_url):
        _deliver(world, "1", f"{url}/photo.png")
        _deliver(world, "2", f"{url}/photo.png")
        world["worker"].run_until_idle()
        session = world["session"]
        session.rollback()
        links = session.scalars(select(CommentMedia).order_by(CommentMedia.comment_id)).all()
        assert len(links) == 2 and len({link.sha256 for link in links}) == 1
        assert session.scalar(select(func.count()).select_from(MediaBlob)) == 1, (
            "the same image is stored once"
        )
        first, second = links[0].comment_id, links[1].comment_id
        assert retention_repository.remove_media(session, [first]) == 0
        assert session.scalar(select(func.count()).select_from(MediaBlob)) == 1
        assert retention_repository.remove_media(session, [second]) == 1
        assert session.scalar(select(func.count()).select_from(MediaBlob)) == 0
        assert session.scalar(select(func.count()).select_from(CommentMedia)) == 0
        session.rollback()
        # The snapshots still name the image by its hash (they are never changed).
        assert session.scalar(select(func.count()).select_from(EvidenceSnapshot)) == 2


def test_a_compressed_image_is_not_inflated(cdn: tuple[FakeCDN, str]) -> None:
    """Five megabytes gzipped to a few kilobytes would pass a limit counted before inflating."""
    fake, url = cdn
    with MediaFetcher(max_bytes=20_000) as fetcher:
        bomb = fetcher.fetch(f"{url}/bomb.png")
        assert fake.accept_encoding == "identity"
        assert (bomb.error, bomb.data) == ("unavailable", None)
        assert fetcher.fetch(f"{url}/photo.png").data == fake.photo
