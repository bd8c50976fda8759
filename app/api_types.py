"""Types shared by the API's routes."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Path

from classifiers import CATEGORIES

#: Our ids are 32-bit integers on PostgreSQL: a larger id in a path is a clear 422,
#: not a database error.
ResourceId = Annotated[int, Path(ge=1, le=2**31 - 1)]

#: A category code as a query parameter: the library's list, so the two never drift.
Category = Literal[CATEGORIES]  # type: ignore[valid-type]
