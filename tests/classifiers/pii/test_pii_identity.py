"""Personnummer and samordningsnummer: every Skatteverket test number, every written form."""

from __future__ import annotations

from datetime import date

import pytest

from classifiers.pii.identity import (
    find_identity_numbers,
    is_plain_mobile_shape,
    luhn_valid,
    parse_identity_number,
)
from tests.testdata import skatteverket_numbers

from .conftest import REFERENCE_DATE, analyse, spans_of

KINDS = ("personnummer", "samordningsnummer")


def numbers_of(kind: str) -> tuple[str, ...]:
    return skatteverket_numbers(kind)


def test_the_shipped_lists_are_complete() -> None:
    # Every number of Skatteverket's lists (tests/data/README.md), each valid.
    assert len(numbers_of("personnummer")) == 41_129
    assert len(numbers_of("samordningsnummer")) == 2_264
    assert all(len(n) == 12 and n.isdigit() and luhn_valid(n[2:]) for k in KINDS for n in numbers_of(k))


def written_forms(number: str) -> list[str]:
    """The six ways people write a number; ``+`` only for people aged 100 or more."""
    forms = [
        number,
        f"{number[:8]}-{number[8:]}",
        f"{number[2:8]}-{number[8:]}",
        f"{number[2:8]} {number[8:]}",
    ]
    forms.append(number[2:])
    born = date(int(number[:4]), max(int(number[4:6]), 1), 1)
    if born.replace(year=born.year + 100) <= date(REFERENCE_DATE.year, 1, 1):
        forms.append(f"{number[2:8]}+{number[8:]}")
    return forms


@pytest.mark.parametrize("kind", KINDS)
def test_raw_recognizer_finds_every_test_number_in_every_form(kind: str) -> None:
    missed = []
    checked = 0
    for number in numbers_of(kind):
        for form in written_forms(number):
            text = f"Hej, mitt nummer är {form} om ni behöver det."
            found = find_identity_numbers(text, REFERENCE_DATE)
            checked += 1
            if [(m.text, m.number.kind) for m in found] != [(form, kind)]:
                missed.append(form)
    assert checked > len(numbers_of(kind)) * 5
    assert missed == []


@pytest.mark.parametrize("kind", KINDS)
def test_find_privacy_reports_sampled_numbers_with_exact_span(kind: str) -> None:
    numbers = numbers_of(kind)[::20]
    for number in numbers:
        for form in written_forms(number):
            text = f"Jag skickar {form} till er i morgon."
            findings = analyse(text)
            if is_plain_mobile_shape(form):
                # Also a valid mobile number; without "personnummer" nearby it reads as one.
                assert spans_of(findings, "phone") == [form], form
                findings = analyse(f"Mitt personnummer är {form}.")
            assert spans_of(findings, kind) == [form], form
            (finding,) = [f for f in findings if f.subtype == kind]
            assert finding.rule_id == f"pii.{kind}"
            assert finding.score == 1.0
            assert number[8:] not in finding.explanation and number[2:8] not in finding.explanation


def test_plus_form_of_a_young_person_is_read_as_born_a_century_earlier() -> None:
    # 000229 is a real date in 2000 but not in 1900, which is what "+" means here.
    valid_2000 = next(n for n in numbers_of("personnummer") if n.startswith("20000229"))
    assert parse_identity_number(f"{valid_2000[2:8]}-{valid_2000[8:]}", REFERENCE_DATE) is not None
    assert parse_identity_number(f"{valid_2000[2:8]}+{valid_2000[8:]}", REFERENCE_DATE) is None


def test_twelve_digit_date_in_the_future_is_rejected() -> None:
    number = "202312312388"
    assert parse_identity_number(number, date(2024, 1, 1)) is not None
    assert parse_identity_number(number, date(2023, 12, 30)) is None


def _with_valid_check_digit(nine: str) -> str:
    return nine + next(str(d) for d in range(10) if luhn_valid(nine + str(d)))


def _valid(nine: str) -> str:
    """A 10-digit number ending in the right Luhn digit (so only the tested rule can reject it)."""
    return _with_valid_check_digit(nine)


def _dashed(ten: str) -> str:
    return f"{ten[:6]}-{ten[6:]}"


#: A real test number in 10-digit form, used inside longer strings.
VALID = "8112189876" if luhn_valid("8112189876") else _valid("811218987")

NEAR_MISSES = [
    "Mötet är 2024-05-21 kl 18.30 i stadshuset.",
    "Ring 070-123 45 67 eller 08-123 456 78.",
    "Mitt ordernummer är 5512-8823-9912.",
    f"Ordernummer {VALID[:9]}{(int(VALID[9]) + 1) % 10} gick inte igenom.",  # wrong check digit
    f"Ärende {_dashed(VALID[:9] + str((int(VALID[9]) + 3) % 10))} ska vara avslutat.",  # wrong check digit
    f"Född {_dashed(_valid('010229123'))} säger hon.",  # 29 February 2001 and 1901 do not exist
    f"Nummer {_dashed(_valid('810431123'))} är fel.",  # 31 April
    f"Fel månad {_dashed(_valid('811318123'))}.",  # month 13
    f"Serienummer {_dashed(_valid('811218000'))}.",  # serial 000
    "Betala till SE35 5000 0000 0549 1000 0003 senast fredag.",
    "IBAN SE3550000000054910000003 är fel.",
    "Kortet 4111 1111 1111 1111 spärrades.",
    "Kortnummer 5174092016759934 läckte.",
    "Ring +46702820199 efter lunch.",
    "Ring 0046702820199 efter lunch.",
    f"Spårningsnummer 88{VALID}12 och 1{VALID}.",
    f"Mätare 12 {VALID[:6]} {VALID[6:]} är avläst.",
    f"Kod ABC{VALID} funkar inte.",
    f"Version 19{VALID[:6]}.{VALID[6:]} är ute.",
    f"Tel 08-{VALID} hela dagen.",
    "Resultatet blev 3-1 och 2-2 i helgen.",
]


def test_valid_base_number_is_found_on_its_own() -> None:
    """The near misses below embed this number; alone it must be found."""
    assert [m.text for m in find_identity_numbers(f"Nr {VALID} och {_dashed(VALID)}.", REFERENCE_DATE)] == [
        VALID,
        _dashed(VALID),
    ]


@pytest.mark.parametrize("text", NEAR_MISSES)
def test_near_misses_are_not_identity_numbers(text: str) -> None:
    findings = analyse(text)
    assert spans_of(findings, "personnummer") == []
    assert spans_of(findings, "samordningsnummer") == []


def test_a_real_number_next_to_near_misses_is_still_found() -> None:
    number = numbers_of("personnummer")[1234]
    form = f"{number[2:8]}-{number[8:]}"
    text = f"Kl 18.30 den 2024-05-21 ringde han från 070-123 45 67 och sa {form}."
    assert spans_of(analyse(text), "personnummer") == [form]


def test_plain_mobile_that_is_also_a_valid_number_reads_as_phone_unless_named() -> None:
    candidates = [n for n in numbers_of("personnummer") if n[2:4] == "07" and n[4] in "02369"]
    number = candidates[0][2:]
    assert spans_of(analyse(f"Sms:a mig på {number} i kväll."), "phone") == [number]
    assert spans_of(analyse(f"Mitt personnummer är {number}."), "personnummer") == [number]
