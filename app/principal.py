"""Who is calling, as every service and repository sees it (no web types here)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    tenant_id: int
    role: str
    subject: str | None
    key_id: int | None
    #: Accounts this principal may see; ``None`` means every account of the tenant.
    account_ids: frozenset[int] | None

    @property
    def actor(self) -> str:
        """Who acts, as the log and the queue record it: the person when the key or token
        names one (the same person through the API and the web inbox), else the key."""
        if self.subject:
            return f"user:{self.subject}"
        return f"apikey:{self.key_id}"

    @property
    def rate_key(self) -> str:
        """Whose request budget a request spends: the key's, or the person's within the tenant."""
        if self.key_id is not None:
            return f"apikey:{self.key_id}"
        return f"user:{self.tenant_id}:{self.subject}"

    def may_see_account(self, account_id: int) -> bool:
        return self.account_ids is None or account_id in self.account_ids
