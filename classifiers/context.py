"""What a caller tells ``classify`` about the municipality, read the same way everywhere.

The tenant's lists (its own phone numbers and addresses, its public officials) reach
the text detectors, the privacy detectors and the pipeline's reading of plainly typed
comments.  A list of the wrong shape must not fail a comment, and all three must read
it alike, so they read it here.  Standard library only: the privacy package, which
needs presidio, is imported lazily, and the text detectors must not wait for it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["entries_of", "own_contacts"]


def entries_of(listed: object) -> list[str]:
    """The entries of a tenant's list: one entry given as a string is one entry, not its
    letters, an entry that is no string (a list with a gap) is skipped rather than failing
    the comment, and blanks typed around an entry are not part of it."""
    if not listed:
        return []
    if isinstance(listed, str):
        listed = [listed]
    if not isinstance(listed, Iterable):
        return []
    return [entry.strip() for entry in listed if isinstance(entry, str) and entry.strip()]


def own_contacts(context: Mapping[str, object]) -> tuple[list[str], list[str]]:
    """The municipality's own phone numbers and e-mail addresses as given, ``([], [])``
    when ``own_contacts`` is missing or no mapping."""
    contacts = context.get("own_contacts")
    if not isinstance(contacts, Mapping):
        return [], []
    return entries_of(contacts.get("phones")), entries_of(contacts.get("emails"))
