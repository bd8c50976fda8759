"""Personal data other than identity numbers and names: positives, hard negatives, allow-list."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from classifiers.pii import MODEL_VERSION, find_privacy
from classifiers.pii.engine import Entity, resolve_overlaps

from .conftest import CONTEXT, analyse, spans_of, subtypes


@pytest.mark.parametrize(
    ("text", "subtype", "expected"),
    [
        ("Ring mig på 070-123 45 67 efter fem.", "phone", "070-123 45 67"),
        ("Mobil: 0701234567", "phone", "0701234567"),
        ("Nås på +46 70 123 45 67 hela dagen.", "phone", "+46 70 123 45 67"),
        ("Tel 0046-73-123 45 67.", "phone", "0046-73-123 45 67"),
        ("Ring 08-123 456 78 i morgon.", "phone", "08-123 456 78"),
        ("Hemnumret är 031-12 34 56.", "phone", "031-12 34 56"),
        ("Ring 0480-123 45 så pratar vi.", "phone", "0480-123 45"),
        ("Telefon 0812345678 funkar.", "phone", "0812345678"),
        ("Mejla anna.svensson@example.se om det.", "email", "anna.svensson@example.se"),
        ("Sätt in på SE45 5000 0000 0583 9825 7466 tack.", "iban", "SE45 5000 0000 0583 9825 7466"),
        ("Kortet 4111 1111 1111 1111 drogs två gånger.", "card_number", "4111 1111 1111 1111"),
        ("Min IP är 192.168.10.12 om det hjälper.", "ip_address", "192.168.10.12"),
        ("Hon bor på Storgatan 12 sedan i fjol.", "address", "Storgatan 12"),
        ("Adressen är Kvarngatan 5B, andra våningen.", "address", "Kvarngatan 5B"),
        ("Han bor på Björkvägen 3 i Ekby.", "address", "Björkvägen 3"),
        ("Skicka till Lilla Nygatan 14 i stan.", "address", "Lilla Nygatan 14"),
        ("Vi bor på Drottning Kristinas väg 22.", "address", "Drottning Kristinas väg 22"),
        ("Det händer på Skolbacken 7 varje kväll.", "address", "Skolbacken 7"),
        ("Bor vid Kyrktorget 2 bredvid kyrkan.", "address", "Kyrktorget 2"),
        ("Hon bor på storgatan 12 numera.", "address", "storgatan 12"),
        ("Möts vid Hamnplan 4 på fredag.", "address", "Hamnplan 4"),
        ("Postadress 123 45 Exempelby, tack.", "postal_code", "123 45"),
        ("Storgatan 12, 12345 Ekby.", "postal_code", "12345"),
        ("Bilen ABC 123 stod där hela natten.", "licence_plate", "ABC 123"),
        ("Regnr ABC12D kör för fort varje dag.", "licence_plate", "ABC12D"),
        ("Lastbilen MLB 456 blockerar infarten.", "licence_plate", "MLB 456"),
        ("den vita skåpbilen gmu40d står utanför förskolan", "licence_plate", "gmu40d"),
        ("skrotbil på parkeringen sen i augusti reg oet 78x", "licence_plate", "oet 78x"),
        ("fick en p-bot på dzj73f fast jag hade betalat", "licence_plate", "dzj73f"),
        ("till ägaren av pgz 09d: du är en självgod idiot", "licence_plate", "pgz 09d"),
        ("idioten i wdb 88e körde nästan på ett barn", "licence_plate", "wdb 88e"),  # the deed after
        ("owl45k har stått mitt på vändplanen i tre dagar", "licence_plate", "owl45k"),
        ("MOTORCYKELN MXL 703 KÖR I 100 GENOM OMRÅDET", "licence_plate", "MXL 703"),
        (
            "Kontonummer 8327-9, 123 456 789-0 om ni vill swisha tillbaka.",
            "bank_account",
            "8327-9, 123 456 789-0",
        ),
        ("Swedbank 8105-9 944 123 456-7 om ni vill betala.", "bank_account", "8105-9 944 123 456-7"),
        ("Betala till bankgiro 5050-1055 senast fredag.", "bank_account", "5050-1055"),
    ],
)
def test_positive(text: str, subtype: str, expected: str) -> None:
    assert expected in spans_of(analyse(text), subtype)


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Mötet är 2024-05-21 kl 18.30.", "phone"),
        ("Ordernummer 0123456789 har inte kommit.", "phone"),
        ("Ring kundtjänst på 020-123 456.", "phone"),
        ("Ring 0771-123 456 för information.", "phone"),
        ("Priset var 1 299 kr och 3-1 i matchen.", "phone"),
        ("Vi pratade om detaljplan 2 i går.", "address"),
        ("Bussen går från hållplats 4 varje timme.", "address"),
        ("Stora torget ska rustas upp.", "address"),
        ("vi tar det bästa gången 2 gånger.", "address"),
        ("Det kostade 12345 kronor.", "postal_code"),
        ("Vi var 123 45 personer.", "postal_code"),
        ("Siffrorna 12345 67890 stämmer inte.", "postal_code"),
        ("JAG HAR 100 KR OCH DET RÄCKER INTE FÖR ATT FIXA DETTA NU", "licence_plate"),
        ("Det kostar SEK 500 i månaden.", "licence_plate"),
        ("Vi hade DEC 2023 som mål.", "licence_plate"),
        ("Mitt användarnamn är abc123 på forumet.", "licence_plate"),
        ("mitt användarnamn är abc123 och jag kör linux", "licence_plate"),  # no deed of a car
        ("Bilen går typ 100 km/h på vår gata.", "licence_plate"),  # a word and a number
        ("Bilen har 100 hästkrafter och kostar för mycket.", "licence_plate"),
        ("Jag har tagit bilen till jobbet i ett år, min kod är abc123.", "licence_plate"),  # far off
        ("Skylten VÅD 123 är inte möjlig.", "licence_plate"),
        ("Bokning 1234-5678 gäller på fredag.", "bank_account"),
        ("Artikel 5050-1055 i katalogen.", "bank_account"),
        ("Besök www.example.se för mer info.", "email"),
        ("Kortet SE45 5000 0000 0583 9825 7466 är ett konto.", "card_number"),
    ],
)
def test_hard_negative(text: str, subtype: str) -> None:
    assert subtype not in subtypes(analyse(text))


def test_card_inside_iban_is_dropped_in_favour_of_the_iban() -> None:
    text = "Betala till SE45 5000 0000 0583 9825 7466 tack."
    assert subtypes(analyse(text)) == {"iban"}


def test_overlap_keeps_longest_span_and_is_order_independent() -> None:
    entities = [
        Entity("CREDIT_CARD", 16, 35, 1.0),
        Entity("IBAN_CODE", 12, 41, 1.0),
        Entity("PHONE_NUMBER", 50, 60, 0.9),
        Entity("SE_IDENTITY_NUMBER", 50, 60, 1.0),
    ]
    kept = resolve_overlaps(entities)
    assert [(e.entity_type, e.start) for e in kept] == [("IBAN_CODE", 12), ("SE_IDENTITY_NUMBER", 50)]
    assert resolve_overlaps(list(reversed(entities))) == kept
    preferred = resolve_overlaps(entities, {(50, 60): "PHONE_NUMBER"})
    assert [e.entity_type for e in preferred] == ["IBAN_CODE", "PHONE_NUMBER"]


def test_own_contacts_are_not_reported() -> None:
    text = "Kontakta 08-123 456 78 eller lena.holm@kommunen.se, inte 070-765 43 21 eller anna@example.se."
    own = {"phones": ["+46 8 123 456 78"], "emails": ["Lena.Holm@kommunen.se"]}
    findings = analyse(text, own_contacts=own)
    assert spans_of(findings, "phone") == ["070-765 43 21"]
    assert spans_of(findings, "email") == ["anna@example.se"]
    without = analyse(text)
    assert spans_of(without, "phone") == ["08-123 456 78", "070-765 43 21"]
    assert spans_of(without, "email") == ["lena.holm@kommunen.se", "anna@example.se"]


def test_an_organisations_shared_mailbox_is_not_a_person() -> None:
    text = (
        "Mejla info@kommunen.se, Kontakt.Bygglov@kommunen.se eller kundtjanst@foretaget.example "
        "– eller anna.info@kommunen.se, infoanna@example.se och per.holm@kommunen.se."
    )
    assert spans_of(analyse(text), "email") == [
        "anna.info@kommunen.se",
        "infoanna@example.se",
        "per.holm@kommunen.se",
    ]


def test_finding_shape() -> None:
    (finding,) = analyse("Ring 070-123 45 67.")
    assert finding.category == "personal_data"
    assert finding.rule_id == "pii.phone"
    assert finding.model_version == MODEL_VERSION
    assert finding.explanation.endswith(".") and finding.explanation.count(".") == 1
    assert "070" not in finding.explanation


def test_deterministic_and_empty() -> None:
    text = "Anna Svensson på Storgatan 12 har diabetes, ring 070-123 45 67."
    first = find_privacy(text, CONTEXT)
    assert first == find_privacy(text, dict(CONTEXT))
    assert first
    assert find_privacy("", CONTEXT) == []
    assert find_privacy("   ", None) == []
    assert find_privacy("Bra jobbat med parken!", None) == []


def test_public_interface_accepts_iso_reference_date() -> None:
    assert find_privacy("Ring 070-123 45 67.", {"reference_date": "2026-01-01"})


PACKAGE = Path(__file__).resolve().parents[3] / "classifiers" / "pii"
FORBIDDEN = ("fastapi", "sqlalchemy", "httpx", "structlog", "app")


def test_package_imports_nothing_forbidden() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_importing_the_package_loads_no_service_module() -> None:
    """httpx is left out here: spaCy (a hard dependency of presidio) imports it via weasel."""
    code = (
        "import sys, classifiers.pii as p; p.warm_up(); "
        "print(','.join(m for m in ('fastapi','sqlalchemy','structlog','app') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize(
    "text",
    [
        "Kontaktcenter nås på 0470-410 00 vardagar 8-17.",
        "Ska man ringa växeln på 08-465 004 00 om man vill nå bygglov?",
        "Vad är numret till kontaktcenter? Är det fortfarande 031-390 06 00?",
        "Felanmälan görs på 0980-319 200, det står på hemsidan.",
        "Kommunens krisnummer 0470-410 00 är bemannat dygnet runt.",
        "Socialjouren nås på 08-465 004 00 efter kontorstid och på helger.",
        "Vad är numret till vårdcentralens rådgivning, står det 031-390 06 00 överallt?",
        "Snöskottning? Ring Snöfixarna AB på 08-465 004 36!",
        "Fönsterputs för företag och privat, ring 08-465 004 33.",
    ],
)
def test_an_organisations_line_is_not_a_persons_number(text: str) -> None:
    assert spans_of(analyse(text), "phone") == []


def test_a_persons_number_near_an_organisations_line_is_still_reported() -> None:
    text = "Kontaktcenter svarade aldrig, så jag ringde min granne Eva i stället på 070-765 43 21."
    assert spans_of(analyse(text), "phone") == ["070-765 43 21"]
    assert spans_of(analyse("Ring min granne på 070-765 43 21."), "phone") == ["070-765 43 21"]
    # A private seller's number is a person's: no business word stands before it.
    assert spans_of(analyse("Säljer en soffa, ring mig på 070-765 43 21."), "phone") == ["070-765 43 21"]


def test_version_names_every_classifiers_module_the_privacy_code_uses() -> None:
    """The privacy version is a digest of source files; a module outside the package that the
    detectors import (the shared pattern prefilters) must be in it, or a change there would
    ship under the old version.  ``classifiers.types`` holds only the finding's shape."""
    import ast
    from pathlib import Path

    import classifiers.pii
    from classifiers.pii import digested_sources

    package = Path(classifiers.pii.__file__).parent
    root = package.parent.parent
    digested = {p.resolve() for p in digested_sources()}
    used: set[str] = set()
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("classifiers."):
                used.add(node.module)
    outside = {m for m in used if not m.startswith("classifiers.pii") and m != "classifiers.types"}
    assert outside, "the privacy package imports no shared module any more; simplify this test"
    for module in outside:
        path = root / (module.replace(".", "/") + ".py")
        assert path.resolve() in digested, f"{module} changes the detectors but not MODEL_VERSION"
