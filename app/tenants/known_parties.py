"""What the classifier must know about the municipality itself (``tenants.known_parties``).

A resident who quotes the contact centre's number, or names the mayor, has
not published a private person's data: the municipality's own phone numbers
and e-mail addresses are never reported as personal data, and the names of
its public officials may be named in their role even without a title before
the name (no personal-data finding; sensitive data about them is still found).  A link to
the site of the own mailboxes' domain (``info@helsingborg.se`` → ``helsingborg.se``, not a
webmail provider's) is the municipality's own page, which no guideline calls spam: it is
not taken for spam for being a link, though the words around it still are read.  The
classifier reads these from its context (``classifiers.pii`` and ``classifiers.text``: ``own_contacts``,
``public_officials``); ``app.assessment.service.TenantClassifier`` puts each
tenant's there.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.errors import BadRequest, Unprocessable

#: Enough for a municipality's switchboard, contact centre and departments.
MAX_CONTACTS = 100
#: Enough for every elected member of a large council and its senior officials.
MAX_OFFICIALS = 1_000

_PHONE_CHARACTERS = re.compile(r"\+?[\d\s()-]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")
_NAME = re.compile(r"[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*")


class KnownParties(BaseModel):
    """The municipality's own phone numbers and e-mail addresses, and its public officials."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    phones: tuple[str, ...] = Field(default=(), max_length=MAX_CONTACTS)
    emails: tuple[str, ...] = Field(default=(), max_length=MAX_CONTACTS)
    public_officials: tuple[str, ...] = Field(default=(), max_length=MAX_OFFICIALS)

    @field_validator("phones")
    @classmethod
    def _phones(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        # Imported here: the privacy package loads presidio and spaCy (about 1.5 s), which
        # every CLI command that touches tenants would otherwise wait for.
        from classifiers.pii.recognizers import national_number

        for n, value in enumerate(values, start=1):
            digits = national_number(value)
            if not _PHONE_CHARACTERS.fullmatch(value.strip()) or not 5 <= len(digits) <= 12:
                raise ValueError(f"nummer {n} är inget telefonnummer – skriv det som 08-123 456 78")
        return _distinct(" ".join(v.split()) for v in values)

    @field_validator("emails")
    @classmethod
    def _emails(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for n, value in enumerate(values, start=1):
            if len(value.strip()) > 254 or not _EMAIL.fullmatch(value.strip()):
                raise ValueError(f"nummer {n} är ingen e-postadress – skriv den som kontakt@kommun.se")
        return _distinct(v.strip().casefold() for v in values)

    @field_validator("public_officials")
    @classmethod
    def _officials(cls, values: tuple[str, ...]) -> tuple[str, ...]:
        for n, value in enumerate(values, start=1):
            name = " ".join(value.split())
            if not 2 <= len(name) <= 100 or not _NAME.fullmatch(name):
                raise ValueError(f"nummer {n} är inget namn – skriv förnamn och efternamn, som Anna Berg")
        return _distinct(" ".join(v.split()) for v in values)

    def classifier_context(self) -> dict[str, Any]:
        """The keys ``classifiers.classify`` reads, empty when nothing is set."""
        context: dict[str, Any] = {}
        if self.phones or self.emails:
            context["own_contacts"] = {"phones": list(self.phones), "emails": list(self.emails)}
        if self.public_officials:
            context["public_officials"] = list(self.public_officials)
        return context


_Text = Annotated[str, Field(max_length=254)]


class KnownPartiesWrite(BaseModel):
    """The body of ``PUT /v1/tenant/known-parties``: replaces all three lists (a list left
    out is emptied); what the values must look like is checked by :class:`KnownParties`."""

    model_config = ConfigDict(extra="forbid")

    phones: list[_Text] = Field(default_factory=list, max_length=MAX_CONTACTS)
    emails: list[_Text] = Field(default_factory=list, max_length=MAX_CONTACTS)
    public_officials: list[_Text] = Field(default_factory=list, max_length=MAX_OFFICIALS)


def _distinct(values: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def parse_known_parties(raw: dict[str, Any]) -> KnownParties:
    """Validate what a person typed; one Swedish line that says what to correct (by
    position: the values are never echoed, as for every other request)."""
    try:
        return KnownParties.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(first["loc"][0]) if first.get("loc") else ""
        message = str(first.get("msg", "")).removeprefix("Value error, ")
        kind = first.get("type")
        if kind == "too_long":
            limit = MAX_OFFICIALS if field == "public_officials" else MAX_CONTACTS
            message = f"högst {limit} uppgifter"
        elif kind == "extra_forbidden":
            message = "okänt fält – de som finns är phones, emails och public_officials"
        elif kind != "value_error":
            message = "ska vara en lista med texter"
        raise BadRequest(f"{_FIELD_SV.get(field, field)}: {message}.") from None


def stored_known_parties(raw: dict[str, Any] | None) -> KnownParties:
    """The stored value (validated when it was set); a bad one stops classification loudly."""
    try:
        return KnownParties.model_validate(raw or {})
    except ValidationError:
        raise Unprocessable(
            "Tenantens kända parter (known_parties) är ogiltiga – sätt dem igen med "
            "'uppsikt tenant set-known-parties'."
        ) from None


_FIELD_SV = {
    "phones": "Telefonnummer",
    "emails": "E-postadresser",
    "public_officials": "Offentliga företrädare",
}
