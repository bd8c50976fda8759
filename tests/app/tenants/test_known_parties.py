"""The municipality's own contact details and public officials reach the classifier.

A resident who quotes the contact centre's number or names the council's chair
has not published a private person's data.  An admin sets the lists (API or
``uppsikt tenant set-known-parties``); the running worker classifies with them
from its next batch, for that tenant only; bad input gets one Swedish line and
changes nothing; the moderation log says that the lists changed, not what they hold.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.assessment.service import TenantClassifier
from app.models import Assessment, ModerationLogEntry
from app.tenants.service import set_known_parties
from tests.e2e.server import uppsikt
from tests.factories import auth, create_key, create_tenant

TEXT = (
    "Ring oss på 042-10 50 00 eller mejla lena.holm@helsingborg.se, "
    "så svarar Anna Berg på frågan om snöröjningen."
)
KNOWN = {
    # Written otherwise than in the comment: the number and the address are compared as such.
    "phones": ["+46 42 10 50 00"],
    "emails": ["Lena.Holm@Helsingborg.se"],
    "public_officials": ["Anna  Berg"],
}


def personal(findings: list[dict[str, Any]]) -> dict[str, str]:
    """The personal-data findings of an assessment: what was found → its rule."""
    found = [f for f in findings if f["category"] == "personal_data"]
    return {span["text"]: f["rule_id"] for f in found for span in f["spans"]}


def latest_findings(world: Any) -> list[dict[str, Any]]:
    world.session.commit()
    assessment = world.session.scalars(select(Assessment).order_by(Assessment.id.desc()).limit(1)).one()
    return list(assessment.findings)


def test_known_parties_set_by_an_admin_are_used_from_the_next_batch(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    admin = create_key(world.session, tenant=world.tenant, role="admin", subject="admin@kommun.example")
    world.comment(comment="1", message=TEXT)
    world.process()
    assert personal(latest_findings(world)) == {
        "042-10 50 00": "pii.phone",
        "lena.holm@helsingborg.se": "pii.email",
        "Anna Berg": "pii.person_name",
    }

    r = world.client.put("/v1/tenant/known-parties", headers=auth(admin), json=KNOWN)
    assert r.status_code == 200, r.text
    stored = {
        "phones": ["+46 42 10 50 00"],
        "emails": ["lena.holm@helsingborg.se"],
        "public_officials": ["Anna Berg"],
    }
    assert r.json() == stored
    assert world.client.get("/v1/tenant/known-parties", headers=auth(admin)).json() == stored

    # The same worker, without a restart: the municipality's own details and its official's
    # name are no personal data to act on.
    world.comment(comment="2", message=TEXT)
    world.process()
    assert personal(latest_findings(world)) == {}

    logged = world.session.scalars(
        select(ModerationLogEntry).where(ModerationLogEntry.action == "tenant.known_parties_set")
    ).one()
    assert logged.actor == "user:admin@kommun.example" and logged.subject_id == str(world.tenant.id)
    assert logged.payload == {"phones": 1, "emails": 1, "public_officials": 1}
    assert "Berg" not in str(logged.payload) and "042" not in str(logged.payload)


def test_a_link_to_the_municipalitys_own_site_is_no_spam_once_its_mailboxes_are_known(
    world_factory: Any,
) -> None:
    """The site is read off the own mailboxes' domain: nothing else to keep up to date."""
    world = world_factory("helsingborg")
    admin = create_key(world.session, tenant=world.tenant, role="admin", subject="admin@kommun.example")
    link = "Här: https://www.helsingborg.se/trafik-och-resor/parkering/"

    def spam() -> list[str]:
        return [f["rule_id"] for f in latest_findings(world) if f["category"] == "spam"]

    world.comment(comment="1", message=link)
    world.process()
    assert spam() == ["spam.model"]  # an address the classifier does not know

    own = {"emails": ["info@helsingborg.se"]}
    r = world.client.put("/v1/tenant/known-parties", headers=auth(admin), json=own)
    assert r.status_code == 200, r.text
    world.comment(comment="2", message=link)
    world.process()
    assert spam() == []


def test_only_admins_set_known_parties_and_bad_input_changes_nothing(world_factory: Any) -> None:
    world = world_factory("helsingborg")
    admin = create_key(world.session, tenant=world.tenant, role="admin")
    assert world.client.put("/v1/tenant/known-parties", headers=auth(admin), json=KNOWN).status_code == 200

    assert world.client.get("/v1/tenant/known-parties", headers=auth(world.editor)).status_code == 403
    denied = world.client.put("/v1/tenant/known-parties", headers=auth(world.editor), json={"phones": []})
    assert denied.status_code == 403

    for body, says in (
        ({"phones": ["+46 42 10 50 00", "ring mig"]}, "Telefonnummer: nummer 2 är inget telefonnummer"),
        ({"emails": ["kontakt.helsingborg.se"]}, "E-postadresser: nummer 1 är ingen e-postadress"),
        (
            {"public_officials": ["Anna Berg", "070-123 45 67"]},
            "Offentliga företrädare: nummer 2 är inget namn",
        ),
    ):
        r = world.client.put("/v1/tenant/known-parties", headers=auth(admin), json=body)
        assert r.status_code == 400, r.text
        detail = r.json()["detail"]
        assert detail.startswith(says), detail
        assert "ring mig" not in detail and "070" not in detail  # the input is never echoed
    unknown = world.client.put("/v1/tenant/known-parties", headers=auth(admin), json={"fax": []})
    assert unknown.status_code == 422

    after = world.client.get("/v1/tenant/known-parties", headers=auth(admin)).json()
    assert after["phones"] == ["+46 42 10 50 00"] and after["public_officials"] == ["Anna Berg"]


def test_a_tenants_known_parties_never_reach_another_tenants_comments(session: Session) -> None:
    ours = create_tenant(session, name="helsingborg", preset="helsingborg")
    theirs = create_tenant(session, name="malmo", preset="malmo")
    set_known_parties(session, tenant=ours, raw=KNOWN, actor="test")
    session.commit()
    classify = TenantClassifier()
    classify.refresh(session)

    mine = classify(TEXT, {"platform": "facebook", "tenant_id": ours.id})
    other = classify(TEXT, {"platform": "facebook", "tenant_id": theirs.id})
    assert [f for f in mine.findings if f.category == "personal_data"] == []
    assert {f.subtype for f in other.findings if f.category == "personal_data"} == {
        "phone",
        "email",
        "person_name",
    }

    # Emptied lists are followed as well.
    set_known_parties(session, tenant=ours, raw={}, actor="test")
    session.commit()
    classify.refresh(session)
    again = classify(TEXT, {"platform": "facebook", "tenant_id": ours.id})
    assert {f.subtype for f in again.findings if f.category == "personal_data"} == {
        "phone",
        "email",
        "person_name",
    }


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_cli_sets_known_parties_from_flags_and_a_file(
    session: Session, database_url: str, tmp_path: Path
) -> None:
    tenant = create_tenant(session, name="helsingborg", preset="helsingborg")
    council = tmp_path / "fullmaktige.txt"
    council.write_text("# Kommunfullmäktige 2026\nAnna Berg\nPer-Olof Ek  # ordförande\n\n", encoding="utf-8")

    done = uppsikt(
        database_url,
        "tenant",
        "set-known-parties",
        "helsingborg",
        "--phone",
        "042-10 50 00",
        "--email",
        "kontaktcenter@helsingborg.se",
        "--official",
        "Lisa Holm",
        "--officials-file",
        str(council),
    )
    assert done.returncode == 0, done.stderr
    assert "1 egna telefonnummer, 1 egna e-postadresser och 3 offentliga företrädare" in done.stdout
    session.expire_all()
    assert session.get(type(tenant), tenant.id).known_parties["public_officials"] == [  # type: ignore[union-attr]
        "Lisa Holm",
        "Anna Berg",
        "Per-Olof Ek",
    ]

    bad = uppsikt(database_url, "tenant", "set-known-parties", "helsingborg", "--phone", "ring växeln")
    assert bad.returncode != 0
    assert bad.stderr.startswith("fel: Telefonnummer: nummer 1 är inget telefonnummer"), bad.stderr
    assert "Traceback" not in bad.stderr
    session.expire_all()
    assert session.get(type(tenant), tenant.id).known_parties["phones"] == ["042-10 50 00"]  # type: ignore[union-attr]

    nowhere = str(tmp_path / "nej.txt")
    missing = uppsikt(database_url, "tenant", "set-known-parties", "helsingborg", "--officials-file", nowhere)
    assert missing.returncode != 0 and missing.stderr.startswith("fel: Kan inte läsa"), missing.stderr


def test_commands_that_manage_tenants_do_not_load_the_privacy_models() -> None:
    """presidio and spaCy take about 1.5 s to import: a CLI command that creates a tenant or an
    account, or the service module behind it, must not wait for them (validating a known
    party's phone number loads them when it runs)."""
    probe = (
        "import sys, app.cli, app.tenants.service, app.tenants.known_parties; "
        "print(sorted(m for m in ('presidio_analyzer', 'spacy') if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"
