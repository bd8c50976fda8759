"""The registration package: one zip a registrar files in the register (diarium).

Contents (paths inside the zip, sorted; every entry has the fixed time
1980-01-01 00:00 so the same registration in the same state always gives the
same bytes):

* ``evidence/<id>.json`` — each evidence snapshot of the comment as stored
  (id, reason, taken_at, sha256, document), pretty-printed for reading;
* ``evidence/<id>.canonical.json`` — the snapshot's ``document`` in its
  canonical form: its SHA-256 *is* the snapshot's ``sha256``, so the filed copy
  can be shown to be unchanged;
* ``evidence/<id>.pdf`` — the same snapshot rendered for people;
* ``evidence/<id>/<sha256>.<ext>`` — each image the comment carried, as kept
  with the snapshot (``app.evidence.media``); the file name is its SHA-256;
* ``metadata.json`` and ``metadata.xml`` — the registration metadata (below);
* ``LASMIG.txt`` — a short Swedish description of the package;
* ``SHA256SUMS`` — ``<hex>  <path>`` per file above, ``sha256sum -c`` format.

``metadata.xml`` is ``metadata.json`` as XML, so the two never disagree: the
root element is ``<registration>``; every key becomes a child element of the
same name; an object becomes an element with children; a list becomes an
element holding one child per item, named ``category`` (in ``categories``),
``snapshot`` (in ``evidence``) or ``action`` (in ``actions``); ``null`` is an
empty element with ``nil="true"``; times are ISO-8601 in UTC.  UTF-8, with an
XML declaration.  Characters XML 1.0 cannot carry (control characters from a
platform's author name, say) are written as ``[U+XXXX]``.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from app.evidence.pdf import render_evidence_pdf
from app.evidence.service import canonical_json, pdf_document
from app.models import EvidenceSnapshot
from app.registrations.schemas import RegistrationRead

SCHEMA = "uppsikt.registration-package/1"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
SUMS = "SHA256SUMS"
#: The element name of one item of each list in ``metadata.xml``.
LIST_ITEMS = {"categories": "category", "evidence": "snapshot", "actions": "action"}
_XML_INVALID = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_FILENAME_UNSAFE = re.compile(r"[^0-9A-Za-zÅÄÖåäö]+")

README = """Registreringspaket från Uppsikt
================================

Paketet innehåller underlaget för att diarieföra en kommentar (inkommen handling).

metadata.json / metadata.xml   uppgifter för diariet: ärendemening, diarienummer, inkom,
                               avsändare, kanal, konto, beslut och bevisunderlagens kontrollsummor
evidence/<id>.json             bevisunderlaget (ögonblicksbilden) så som det är sparat
evidence/<id>.canonical.json   bevisunderlagets kanoniska form; dess SHA-256 är bevisets kontrollsumma
evidence/<id>.pdf              bevisunderlaget i läsbar form
evidence/<id>/<sha256>.<typ>   bilder i kommentaren, med sin SHA-256 som filnamn
SHA256SUMS                     kontrollsummor för alla filer (kontrollera med: sha256sum -c SHA256SUMS)
"""


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def evidence_paths(snapshot_id: int) -> dict[str, str]:
    base = f"evidence/{snapshot_id}"
    return {"json": f"{base}.json", "canonical_json": f"{base}.canonical.json", "pdf": f"{base}.pdf"}


def image_path(snapshot_id: int, sha256: str, content_type: str | None) -> str:
    subtype = (content_type or "").partition("/")[2].split("+")[0]
    extension = {"jpeg": "jpg"}.get(subtype, subtype) if subtype.isalnum() else "bin"
    return f"evidence/{snapshot_id}/{sha256}.{extension or 'bin'}"


def metadata(
    registration: RegistrationRead, snapshots: Sequence[EvidenceSnapshot], *, municipality: str
) -> dict[str, Any]:
    reg = registration
    return {
        "schema": SCHEMA,
        "registration_id": reg.id,
        "status": reg.status,
        "kind": reg.kind,
        "subject_line": reg.subject_line,
        "diarienummer": reg.diarienummer,
        "municipality": municipality,
        "received_at": _iso(reg.received_at),
        "platform_created_at": _iso(reg.platform_created_at),
        "sender": {"name": reg.sender.name, "external_id": reg.sender.external_id},
        "channel": {"platform": reg.channel.platform, "name": reg.channel.name},
        "account": {
            "id": reg.account.id,
            "platform": reg.account.platform,
            "external_id": reg.account.external_id,
            "display_name": reg.account.display_name,
        },
        "comment": {"id": reg.comment_id, "external_id": reg.comment_external_id, "state": reg.comment_state},
        "categories": list(reg.categories),
        "requested_at": _iso(reg.requested_at),
        "registered_by": reg.registered_by,
        "registered_at": _iso(reg.registered_at),
        "decision": None
        if reg.decision is None
        else {
            "id": reg.decision.id,
            "actor": reg.decision.actor,
            "decided_at": _iso(reg.decision.decided_at),
            "reason": reg.decision.reason,
            "actions": list(reg.decision.actions),
        },
        "primary_evidence_id": reg.evidence_id,
        "evidence": [
            {
                "id": s.id,
                "reason": s.reason,
                "taken_at": _iso(s.taken_at),
                "sha256": s.sha256,
                **evidence_paths(s.id),
            }
            for s in snapshots
        ],
    }


def _xml_text(value: str) -> str:
    return _XML_INVALID.sub(lambda m: f"[U+{ord(m.group()):04X}]", value)


def _xml_fill(element: ET.Element, value: Any) -> None:
    if value is None:
        element.set("nil", "true")
    elif isinstance(value, Mapping):
        for key, child in value.items():
            _xml_fill(ET.SubElement(element, str(key)), child)
    elif isinstance(value, list | tuple):
        item_name = LIST_ITEMS.get(element.tag, "item")
        for child in value:
            _xml_fill(ET.SubElement(element, item_name), child)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    else:
        element.text = _xml_text(str(value))


def metadata_xml(data: Mapping[str, Any]) -> bytes:
    root = ET.Element("registration")
    _xml_fill(root, data)
    ET.indent(root)
    buffer = io.BytesIO()
    ET.ElementTree(root).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue() + b"\n"


def _pretty(value: Any) -> bytes:
    """Readable UTF-8; a lone surrogate is written as its JSON escape so the file stays valid."""
    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)
    text = _SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return (text + "\n").encode("utf-8")


def _stored(snapshot: EvidenceSnapshot) -> dict[str, Any]:
    return {
        "id": snapshot.id,
        "comment_id": snapshot.comment_id,
        "account_id": snapshot.account_id,
        "reason": snapshot.reason,
        "taken_at": _iso(snapshot.taken_at),
        "sha256": snapshot.sha256,
        "document": snapshot.document,
    }


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    return "".join(f"{hashlib.sha256(files[p]).hexdigest()}  {p}\n" for p in sorted(files)).encode()


def deterministic_zip(files: Mapping[str, bytes]) -> bytes:
    """A zip whose bytes depend only on the file names and contents."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16  # a regular file, rw-r--r--
            archive.writestr(info, files[name], compresslevel=6)
    return buffer.getvalue()


def build_package(
    registration: RegistrationRead, snapshots: Sequence[EvidenceSnapshot], *, municipality: str
) -> bytes:
    files: dict[str, bytes] = {}
    for snapshot in snapshots:
        paths = evidence_paths(snapshot.id)
        files[paths["json"]] = _pretty(_stored(snapshot))
        files[paths["canonical_json"]] = canonical_json(snapshot.document)
        document = pdf_document(snapshot)
        files[paths["pdf"]] = render_evidence_pdf(document)
        for image in document["images"]:
            if image["data"] is not None:
                files[image_path(snapshot.id, image["sha256"], image["content_type"])] = image["data"]
    data = metadata(registration, snapshots, municipality=municipality)
    files["metadata.json"] = _pretty(data)
    files["metadata.xml"] = metadata_xml(data)
    files["LASMIG.txt"] = README.encode("utf-8")
    files[SUMS] = sha256sums(files)
    return deterministic_zip(files)


def package_filename(registration: RegistrationRead) -> str:
    """``registrering-KS-2024-567.zip`` once registered, ``registrering-12.zip`` before."""
    label = _FILENAME_UNSAFE.sub("-", registration.diarienummer or "").strip("-")
    return f"registrering-{label or registration.id}.zip"
