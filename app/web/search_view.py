"""The records-search form: what a registrar types, checked, turned into ``search()``'s arguments.

Dates are whole Swedish days: "från 2026-03-01 till 2026-03-31" means from midnight in
Stockholm on the first to midnight after the last, so a request for "March" gets all of
March however the clocks changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TypedDict
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from app.web.inbox_view import FormError

STOCKHOLM = ZoneInfo("Europe/Stockholm")
STATES = ("visible", "hidden", "deleted_by_author", "deleted_by_us")
ORDERS = ("chronological", "sender")


class Criteria(TypedDict):
    """``app.search.service.search``'s filters, by their names there."""

    author: str | None
    text: str | None
    since: datetime | None
    until: datetime | None
    account_id: int | None
    states: Sequence[str] | None
    order: str


def _day(text: str, target: str, label: str, errors: list[FormError]) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        errors.append(FormError(f"Skriv {label} som år-månad-dag, till exempel 2026-03-01.", target))
        return None


@dataclass
class SearchForm:
    author: str = ""
    text: str = ""
    since: str = ""
    until: str = ""
    account: str = ""
    order: str = "chronological"
    states: list[str] = field(default_factory=list)
    #: Whether the person asked for a search (the form was sent), not only opened the page.
    submitted: bool = False

    def query(self) -> str:
        """The form as a query string, for the next page's link."""
        pairs = [
            ("avsandare", self.author),
            ("text", self.text),
            ("fran", self.since),
            ("till", self.until),
            ("konto", self.account),
            ("ordning", self.order),
            *(("tillstand", s) for s in self.states),
            ("sok", "1"),
        ]
        return urlencode([(k, v) for k, v in pairs if v])

    def criteria(self, account_ids: set[int]) -> tuple[Criteria, list[FormError]]:
        """``search()``'s keyword arguments, or the errors to show (with the field each is about)."""
        errors: list[FormError] = []
        since = _day(self.since, "fran", "från-datumet", errors)
        until = _day(self.until, "till", "till-datumet", errors)
        if since and until and until < since:
            errors.append(FormError("Till-datumet ligger före från-datumet.", "till"))
        account_id = None
        if self.account:
            account_id = int(self.account) if self.account.isdigit() else -1
            if account_id not in account_ids:
                errors.append(FormError("Välj ett av kontona i listan.", "konto"))
        if len(self.author) > 300 or len(self.text) > 500:
            errors.append(FormError("Sökorden är för långa – korta dem.", "text"))
        criteria: Criteria = {
            "author": self.author.strip() or None,
            "text": self.text.strip() or None,
            "since": datetime.combine(since, time(), STOCKHOLM) if since else None,
            "until": datetime.combine(until + timedelta(days=1), time(), STOCKHOLM) if until else None,
            "account_id": account_id,
            "states": [s for s in self.states if s in STATES] or None,
            "order": self.order if self.order in ORDERS else "chronological",
        }
        return criteria, errors
