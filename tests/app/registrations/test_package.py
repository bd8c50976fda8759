"""The package's building blocks without a database: case-number checks, XML, the zip."""

from __future__ import annotations

import io
import unicodedata
import xml.etree.ElementTree as ET
import zipfile

import pytest

from app.errors import Unprocessable
from app.registrations.package import deterministic_zip, metadata_xml, sha256sums
from app.registrations.service import check_diarienummer
from app.settings import Settings

DEFAULT = Settings.model_fields["diarienummer_pattern"].default


@pytest.mark.parametrize("number", ["KS 2024/567", "BUN 2025/1", "KS-SBF 2024/12-3", "ÅVN 2026/99"])
def test_default_format_accepts_case_numbers(number: str) -> None:
    assert check_diarienummer(number, DEFAULT) == number


@pytest.mark.parametrize("number", ["ks 2024/567", "KS 24/567", "KS 2024/", "2024/567", "x KS 2024/567", " "])
def test_default_format_refuses_with_the_format_and_an_example(number: str) -> None:
    with pytest.raises(Unprocessable) as raised:
        check_diarienummer(number, DEFAULT)
    assert "for example 'KS 2024/567'" in raised.value.detail and DEFAULT in raised.value.detail


def test_numbers_are_stored_trimmed_and_composed() -> None:
    decomposed = unicodedata.normalize("NFD", "ÅVN 2026/99")
    assert decomposed != "ÅVN 2026/99"
    assert check_diarienummer(f"  {decomposed}\n", DEFAULT) == "ÅVN 2026/99"


def test_a_pattern_without_anchors_still_has_to_match_the_whole_number() -> None:
    assert check_diarienummer("2024-5", r"\d{4}-\d+") == "2024-5"
    with pytest.raises(Unprocessable, match="for example '2024-567'"):
        check_diarienummer("Dnr 2024-5 (KS)", r"\d{4}-\d+")


def test_a_broken_or_exampleless_pattern_says_so() -> None:
    with pytest.raises(Unprocessable, match="not a valid regular expression"):
        check_diarienummer("KS 2024/567", "KS[(")
    with pytest.raises(Unprocessable) as raised:
        check_diarienummer("KS 2024/567", r"X-\d+")
    assert "for example" not in raised.value.detail and r"X-\d+" in raised.value.detail


def test_xml_is_well_formed_whatever_the_platform_sent() -> None:
    data = {
        "diarienummer": None,
        "sender": {"name": "Testa <&> \x01Testsson\u202e\ufffe", "external_id": "5550001"},
        "categories": ["personal_data", "question"],
        "evidence": [{"id": 1, "sha256": "ab" * 32}],
        "flag": True,
    }
    xml = metadata_xml(data)
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    root = ET.fromstring(xml)  # noqa: S314 - our own output, parsed to check it
    assert root.find("diarienummer").get("nil") == "true"  # type: ignore[union-attr]
    assert root.findtext("sender/name") == "Testa <&> [U+0001]Testsson\u202e[U+FFFE]"
    assert [c.text for c in root.iterfind("categories/category")] == ["personal_data", "question"]
    assert root.findtext("evidence/snapshot/sha256") == "ab" * 32
    assert root.findtext("flag") == "true"


def test_zip_bytes_depend_only_on_names_and_contents() -> None:
    files = {"metadata.json": b"{}", "evidence/1.json": b"[]", "a.txt": "å".encode()}
    first = deterministic_zip(files)
    assert deterministic_zip(dict(reversed(list(files.items())))) == first
    assert deterministic_zip({**files, "a.txt": b"b"}) != first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == sorted(files)
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        assert {archive.read(name) for name in files} == set(files.values())
    sums = sha256sums(files).decode().splitlines()
    assert [line.split("  ")[1] for line in sums] == sorted(files)
