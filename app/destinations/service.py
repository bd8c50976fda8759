"""Adding, listing and removing a tenant's destinations.

Addresses are checked when they are added, not when the first message fails:
a mistyped mailbox would otherwise only show as a failure days later, on a
message that mattered.  A webhook must have a Standard Webhooks secret
(``whsec_`` + base64), because a receiver that cannot verify the sender can
be fooled into filing anything.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from app.crypto import TokenCipher
from app.destinations import repository
from app.errors import Conflict, NotFound, Unprocessable
from app.models import DESTINATION_KINDS, Destination, Tenant, utcnow
from app.modlog.service import record
from app.notifications.settings import settings_of

EMAIL_RE = re.compile(r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
REASON_REMOVED = "Mottagaren togs bort innan meddelandet hann skickas – lägg till den igen och skicka om."


@dataclass(frozen=True, slots=True)
class Overview:
    destination: Destination
    pending: int
    failed: int
    last_error: str | None
    registrar: bool


def parse_secrets(raw: str) -> list[bytes]:
    """The HMAC keys in a ``whsec_<base64>`` secret (several, space-separated, during a rotation)."""
    keys = []
    for part in raw.split():
        if not part.startswith("whsec_"):
            raise Unprocessable("Hemligheten ska ha formen whsec_<base64> (Standard Webhooks).")
        try:
            key = base64.b64decode(part[len("whsec_") :], validate=True)
        except (binascii.Error, ValueError):
            raise Unprocessable("Hemligheten efter whsec_ är inte giltig base64.") from None
        if not 16 <= len(key) <= 64:
            raise Unprocessable("Hemligheten ska vara 16–64 byte (24 eller 32 är vanligt).")
        keys.append(key)
    if not keys:
        raise Unprocessable("En webhook behöver en hemlighet (whsec_<base64>) att signera med.")
    return keys


def _check_url(address: str) -> str:
    try:
        parts = urlsplit(address)
        host, _ = parts.hostname, parts.port
    except ValueError:  # an unbalanced [ or a port that is not a number
        host = None
    local = host in LOCAL_HOSTS
    if (
        not host
        or any(c.isspace() for c in address)
        or not (parts.scheme == "https" or (parts.scheme == "http" and local))
    ):
        raise Unprocessable("Adressen ska vara en https-URL (http bara till den egna datorn).")
    return address


def _clean_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > 100 or any(ord(c) < 32 for c in name):
        raise Unprocessable("Namnet ska vara 1–100 tecken utan radbrytningar.")
    return name


def add_destination(
    session: Session,
    *,
    tenant: Tenant,
    name: str,
    kind: str,
    address: str,
    secret: str | None,
    registrar: bool,
    cipher: TokenCipher,
    actor: str,
) -> Destination:
    name = _clean_name(name)
    address = address.strip()
    if kind not in DESTINATION_KINDS:
        raise Unprocessable(f"Okänd sort {kind!r}; välj en av {', '.join(DESTINATION_KINDS)}.")
    if kind == "email":
        if not EMAIL_RE.match(address):
            raise Unprocessable("E-postadressen ser inte giltig ut, t.ex. registrator@kommun.se.")
        if secret:
            raise Unprocessable("En e-postmottagare har ingen hemlighet.")
    else:
        _check_url(address)
    ciphertext = None
    if kind == "webhook":
        parse_secrets(secret or "")
        ciphertext = cipher.encrypt(" ".join((secret or "").split()))
    elif secret:
        raise Unprocessable("Teams och Slack signerar inte; ange ingen hemlighet.")
    if repository.by_name(session, tenant.id, name) is not None:
        raise Conflict(f"Det finns redan en mottagare som heter {name!r}.")
    destination = Destination(
        tenant_id=tenant.id,
        name=name,
        kind=kind,
        address=address,
        secret_ciphertext=ciphertext,
        created_at=utcnow(),
    )
    repository.add(session, destination)
    if registrar:
        _set_registrar(session, tenant, name)
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action="destination.added",
        subject_type="destination",
        subject_id=destination.id,
        payload={"name": name, "kind": kind, "registrar": registrar},
    )
    return destination


def _set_registrar(session: Session, tenant: Tenant, name: str | None) -> None:
    current = settings_of(tenant.notifications)
    tenant.notifications = current.model_copy(update={"registrar": name}).model_dump(mode="json")
    session.flush()


def remove_destination(session: Session, *, tenant: Tenant, destination: Destination, actor: str) -> int:
    """Remove it; messages still owed to it are failed with a reason, never silently dropped."""
    failed = repository.fail_unsent(session, destination.id, REASON_REMOVED)
    if settings_of(tenant.notifications).registrar == destination.name:
        _set_registrar(session, tenant, None)
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action="destination.removed",
        subject_type="destination",
        subject_id=destination.id,
        payload={"name": destination.name, "kind": destination.kind, "unsent_failed": failed},
    )
    repository.delete(session, destination)
    return failed


def require_destination(session: Session, *, tenant_id: int, name: str) -> Destination:
    destination = repository.by_name(session, tenant_id, name)
    if destination is None:
        raise NotFound(f"Ingen mottagare heter {name!r}; se uppsikt destination list.")
    return destination


def overview(session: Session, *, tenant: Tenant) -> list[Overview]:
    counts = repository.message_counts(session, tenant.id)
    errors = repository.last_errors(session, tenant.id)
    registrar = settings_of(tenant.notifications).registrar
    return [
        Overview(
            destination=d,
            pending=counts.get((d.id, "pending"), 0) + counts.get((d.id, "sending"), 0),
            failed=counts.get((d.id, "failed"), 0),
            last_error=errors.get(d.id),
            registrar=d.name == registrar,
        )
        for d in repository.of_tenant(session, tenant.id)
    ]
