"""The registrar's flow over HTTP: pull and verify the log, register with a case number,
download the package; and every way registering is refused."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from app.cli import main
from app.models import ModerationLogEntry, Tenant
from tests.app.registrations.conftest import PNR_TEXT, pending_registrations
from tests.factories import auth, create_key, create_tenant


def pull_log(world: Any, after: int = 0, page: int = 7) -> list[dict[str, Any]]:
    """Every entry after ``after``, a page at a time, as an integration pulls incrementally."""
    entries: list[dict[str, Any]] = []
    while True:
        r = world.client.get("/v1/log", params={"after": after, "limit": page}, headers=auth(world.registrar))
        assert r.status_code == 200, r.text
        body = r.json()
        entries.extend(body["entries"])
        if body["next_after"] is None:
            return entries
        after = body["next_after"]


def unzip(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def check_package(content: bytes) -> tuple[dict[str, bytes], dict[str, Any], ET.Element]:
    """Everything a registrar's archive would check, recomputed from the bytes."""
    files = unzip(content)
    sums = files.pop("SHA256SUMS").decode()
    listed = {}
    for line in sums.splitlines():
        digest, path = line.split("  ", 1)
        listed[path] = digest
    assert listed == {path: hashlib.sha256(data).hexdigest() for path, data in files.items()}
    meta = json.loads(files["metadata.json"])
    assert meta["evidence"]
    for evidence in meta["evidence"]:
        stored = json.loads(files[evidence["json"]])
        assert stored["sha256"] == evidence["sha256"]
        canonical = files[evidence["canonical_json"]]
        assert hashlib.sha256(canonical).hexdigest() == evidence["sha256"]
        assert json.loads(canonical) == stored["document"]
        pdf = PdfReader(io.BytesIO(files[evidence["pdf"]]))
        text = "".join(page.extract_text() for page in pdf.pages).replace("\n", "").replace(" ", "")
        assert evidence["sha256"][:16] in text
    root = ET.fromstring(files["metadata.xml"])  # noqa: S314 - our own output, parsed to check it
    assert root.tag == "registration"
    return files, meta, root


def test_registrar_pulls_verifies_registers_and_downloads(world_factory: Any) -> None:
    world = world_factory("finspang")
    [pending] = pending_registrations(world)

    # The whole log, incrementally, then verified; the entries pulled are exactly the chain.
    log = pull_log(world)
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    actions = {e["action"] for e in log}
    assert {"evidence.snapshot_taken", "queue.decided", "registration.requested"} <= actions
    verified = world.client.get("/v1/log/verify", headers=auth(world.registrar)).json()
    assert verified == {
        "ok": True,
        "entries": len(log),
        "head_seq": log[-1]["seq"],
        "head_hash": log[-1]["hash"],
        "records_checked": verified["records_checked"],
    }
    # The comment, its assessment, evidence, item, decision and registration at least.
    assert verified["records_checked"] >= 6

    # What the registrar needs to register, in one item.
    reg = world.client.get(f"/v1/registrations/{pending['id']}", headers=auth(world.registrar)).json()
    assert reg == pending
    assert reg["status"] == "pending" and reg["diarienummer"] is None and reg["kind"] == "inkommen handling"
    assert reg["subject_line"].startswith("Inkommen kommentar på Facebook (Kommunen)")
    assert reg["sender"] == {"name": "Testa Testsson", "external_id": "5550001"}
    assert reg["channel"] == {"platform": "facebook", "name": "Facebook"}
    assert reg["account"]["external_id"] == world.account.external_id
    assert reg["text"] == PNR_TEXT.replace("ärendet", "ärende nummer 1")
    assert [v["text"] for v in reg["versions"]] == [reg["text"]]
    assert reg["platform_created_at"].startswith("2023-11-14T22:13:20")
    assert "personal_data" in reg["categories"]
    assert reg["decision"]["reason"] == "Personnummer ska diarieföras."
    assert reg["decision"]["actor"].startswith("user:")  # the editor, not the key
    assert reg["evidence_id"] in [e["id"] for e in reg["evidence"]]
    for link in reg["evidence"]:
        assert world.client.get(link["json_url"], headers=auth(world.registrar)).status_code == 200
        assert world.client.get(link["pdf_url"], headers=auth(world.registrar)).status_code == 200

    # A pending item already has a package, without a number; the same state gives the same bytes.
    first = world.client.get(reg["package_url"], headers=auth(world.registrar))
    assert first.status_code == 200 and first.headers["content-type"] == "application/zip"
    assert f"registrering-{reg['id']}.zip" in first.headers["content-disposition"]
    assert world.client.get(reg["package_url"], headers=auth(world.registrar)).content == first.content
    _, meta, root = check_package(first.content)
    assert meta["diarienummer"] is None and root.find("diarienummer").get("nil") == "true"  # type: ignore[union-attr]

    # Register with a case number; the log gets the entry and still verifies.
    r = world.client.post(
        f"/v1/registrations/{reg['id']}", json={"diarienummer": "KS 2024/567"}, headers=auth(world.registrar)
    )
    assert r.status_code == 200, r.text
    done = r.json()
    assert (done["status"], done["diarienummer"]) == ("registered", "KS 2024/567")
    assert done["registered_by"].startswith("apikey:") and done["registered_at"]
    new = pull_log(world, after=log[-1]["seq"])
    assert [(e["action"], e["payload"]["diarienummer"]) for e in new] == [
        ("registration.registered", "KS 2024/567")
    ]
    assert new[0]["comment_id"] == reg["comment_id"] and new[0]["actor"] == done["registered_by"]
    assert world.client.get("/v1/log/verify", headers=auth(world.registrar)).json()["ok"] is True

    package = world.client.get(reg["package_url"], headers=auth(world.registrar))
    assert "registrering-KS-2024-567.zip" in package.headers["content-disposition"]
    files, meta, root = check_package(package.content)
    assert package.content != first.content
    expected = {"metadata.json", "metadata.xml", "LASMIG.txt"}
    for link in reg["evidence"]:
        expected |= {f"evidence/{link['id']}.{ext}" for ext in ("json", "canonical.json", "pdf")}
    assert set(files) == expected
    assert meta["diarienummer"] == "KS 2024/567" and meta["registered_by"] == done["registered_by"]
    assert meta["municipality"] == "finspang" and meta["subject_line"] == reg["subject_line"]
    assert root.findtext("diarienummer") == "KS 2024/567"
    assert root.findtext("sender/external_id") == "5550001"
    assert [s.findtext("sha256") for s in root.iterfind("evidence/snapshot")] == [
        e["sha256"] for e in reg["evidence"]
    ]
    assert [c.text for c in root.iterfind("categories/category")] == reg["categories"]

    listed = world.client.get(
        "/v1/registrations", params={"status": "registered"}, headers=auth(world.registrar)
    )
    assert [i["id"] for i in listed.json()["items"]] == [reg["id"]]
    assert world.client.get(
        "/v1/registrations", params={"status": "pending"}, headers=auth(world.registrar)
    ).json() == {"items": [], "next_cursor": None}


def test_refusals_format_twice_roles_and_tenants(world_factory: Any) -> None:
    world = world_factory("finspang")
    [reg] = pending_registrations(world)
    url = f"/v1/registrations/{reg['id']}"

    def post(body: dict[str, Any], key: str | None = None) -> Any:
        return world.client.post(url, json=body, headers=auth(key or world.registrar))

    malformed = post({"diarienummer": "567 hej"})
    assert malformed.status_code == 422
    assert malformed.json()["error"] == "Unprocessable" and "KS 2024/567" in malformed.json()["detail"]
    assert post({"diarienummer": "KS 2024/567", "note": "x"}).status_code == 422
    assert post({}).status_code == 422
    # Editors and account owners neither read nor register; another tenant's registrar sees nothing.
    for key in (world.editor, world.owner):
        assert post({"diarienummer": "KS 2024/567"}, key).status_code == 403
        assert world.client.get("/v1/registrations", headers=auth(key)).status_code == 403
        assert world.client.get(f"{url}/package", headers=auth(key)).status_code == 403
    other = create_tenant(world.session, name="annan", preset="malmo")
    stranger = create_key(world.session, tenant=other, role="registrar")
    assert post({"diarienummer": "KS 2024/567"}, stranger).status_code == 404
    assert world.client.get(url, headers=auth(stranger)).status_code == 404
    assert world.client.get(f"{url}/package", headers=auth(stranger)).status_code == 404
    assert world.client.get("/v1/registrations", headers=auth(stranger)).json()["items"] == []
    assert world.client.get("/v1/registrations/999999", headers=auth(world.registrar)).status_code == 404

    # The municipality's own format wins over the default; one that does not compile refuses clearly.
    tenant = world.session.get(Tenant, world.tenant.id)
    tenant.diarienummer_pattern = "KS[("
    world.session.commit()
    broken = post({"diarienummer": "KS 2024/567"})
    assert broken.status_code == 422 and "diarienummer_pattern" in broken.json()["detail"]
    tenant.diarienummer_pattern = r"\d{4}-\d{1,5}"
    world.session.commit()
    own = post({"diarienummer": "KS 2024/567"})
    assert own.status_code == 422 and "'2024-567'" in own.json()["detail"]
    assert world.client.get(url, headers=auth(world.registrar)).json()["status"] == "pending"

    r = post({"diarienummer": " 2024-17 "})
    assert r.status_code == 200 and r.json()["diarienummer"] == "2024-17"
    twice = post({"diarienummer": "2024-18"})
    assert twice.status_code == 409 and "2024-17" in twice.json()["detail"]
    assert world.client.get(url, headers=auth(world.registrar)).json()["diarienummer"] == "2024-17"


def test_two_registrars_at_once_one_wins_and_pages(
    world_factory: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = world_factory("helsingborg")
    regs = pending_registrations(world, count=3)
    assert [r["id"] for r in regs] == sorted(r["id"] for r in regs)

    page = world.client.get("/v1/registrations", params={"limit": 2}, headers=auth(world.registrar)).json()
    rest = world.client.get(
        "/v1/registrations", params={"limit": 2, "cursor": page["next_cursor"]}, headers=auth(world.registrar)
    ).json()
    assert [i["id"] for i in page["items"] + rest["items"]] == [r["id"] for r in regs]
    assert rest["next_cursor"] is None
    bad = world.client.get("/v1/registrations", params={"cursor": "x1"}, headers=auth(world.registrar))
    assert bad.status_code == 400

    admin = create_key(world.session, tenant=world.tenant, role="admin")
    target = regs[1]["id"]
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def register(key: str, number: str) -> None:
        barrier.wait()
        r = world.client.post(f"/v1/registrations/{target}", json={"diarienummer": number}, headers=auth(key))
        results[number] = r.status_code

    threads = [
        threading.Thread(target=register, args=args)
        for args in ((world.registrar, "KS 2024/1"), (admin, "KS 2024/2"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results.values()) == [200, 409]
    winner = next(number for number, code in results.items() if code == 200)
    assert (
        world.client.get(f"/v1/registrations/{target}", headers=auth(admin)).json()["diarienummer"] == winner
    )
    world.session.commit()
    logged = world.session.scalars(
        select(ModerationLogEntry.payload).where(ModerationLogEntry.action == "registration.registered")
    ).all()
    assert [p["diarienummer"] for p in logged] == [winner]
    assert (
        world.session.scalar(select(func.count()).select_from(ModerationLogEntry))
        == pull_log(world)[-1]["seq"]
    )

    # The same queue from a shell.
    world.session.commit()
    monkeypatch.setenv("UPPSIKT_DATABASE_URL", world.settings.database_url)
    capsys.readouterr()
    assert main(["registrations", "list", "--tenant", "helsingborg", "--status", "pending"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in listed] == [regs[0]["id"], regs[2]["id"]]
    last = str(regs[2]["id"])
    assert main(["registrations", "register", "--tenant", "helsingborg", last, "KS 2024/3"]) == 0
    assert main(["registrations", "register", "--tenant", "helsingborg", last, "KS 2024/4"]) == 2
    assert "fel: Kommentaren är redan diarieförd som KS 2024/3." in capsys.readouterr().err
    out = tmp_path / "paket.zip"
    assert main(["registrations", "package", "--tenant", "helsingborg", last, "--out", str(out)]) == 0
    _, meta, _ = check_package(out.read_bytes())
    assert (meta["diarienummer"], meta["registered_by"]) == ("KS 2024/3", "user:cli")
