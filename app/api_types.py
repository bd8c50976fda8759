"""Types shared by the API's routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

#: Our ids are 32-bit integers on PostgreSQL: a larger id in a path is a clear 422,
#: not a database error.
ResourceId = Annotated[int, Path(ge=1, le=2**31 - 1)]
