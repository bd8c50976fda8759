"""Culling (gallring): removing the text and personal data of comments the
municipality has decided are of temporary or minor importance.

What is culled, and only when every condition holds:

* never flagged — no queue item, no evidence, no assessment that found a category;
* never registered — no registration request, pending or done;
* older than the tenant's retention for its platform, counted from when Uppsikt
  first received it (the record's arrival): the tenant's ``retention``
  overrides on top of its preset's ``retention`` (LinkedIn 2 days by default,
  since LinkedIn lets apps store members' comments for 48 hours);
* not under a legal hold, on the comment or on its account;
* not culled already.

Culling keeps the record's skeleton so that the moderation log, which names
comments by id and hashes, still points at something and still verifies (the
log itself is never touched): ids, platform, state, times, every version's
``seq``, times and ``text_sha256``.  It removes every version's text
(``text`` becomes ``""``, ``text_exact`` NULL), the author's name and id, the
attached media links and the images kept of them, and every ``platform_metadata`` key except
``KEPT_METADATA`` — which describe the municipality's own post and the
platform event, never the commenter.

Each run writes one ``retention.run`` log entry per tenant with the criteria
and the counts; a dry run counts with the very same query and changes nothing
but that entry.  Work goes in batches of ``batch_size`` comments; the edge
passes ``commit`` to end a transaction after each batch so a large backlog
never becomes one huge transaction (without it the run is one unit of work
that the caller commits).  Rows culled by a run carry ``culled_at`` equal to
the run's ``now``, which is in its log entry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from app.db import begin_write
from app.errors import NotFound, Unprocessable
from app.logging import get_logger
from app.models import PLATFORMS, Comment, Tenant
from app.modlog.service import record
from app.policies.effective import effective_policy
from app.policies.models import Retention
from app.retention import repository

log = get_logger("app.retention")

#: Metadata keys that survive culling: the municipality's post (Facebook ``post``,
#: Instagram ``media``, LinkedIn ``post``), the hidden flag, and which platform event
#: it was.  Everything else (attached photo or video links, unknown keys) goes.
KEPT_METADATA = ("post", "is_hidden", "field", "media", "action", "notification_id")
#: The keys a tenant's ``retention`` overrides may set.
OVERRIDE_KEYS = ("unflagged_days", "platforms")
DEFAULT_BATCH_SIZE = 500
ACTION = "retention.run"


@dataclass(frozen=True, slots=True)
class Counts:
    examined: int = 0
    culled: int = 0
    kept_hold: int = 0
    kept_flagged: int = 0
    kept_registered: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "examined": self.examined,
            "culled": self.culled,
            "kept_hold": self.kept_hold,
            "kept_flagged": self.kept_flagged,
            "kept_registered": self.kept_registered,
        }


@dataclass(frozen=True, slots=True)
class TenantRetention:
    tenant_id: int
    tenant: str
    unflagged_days: int
    #: Days per platform, and the cut-off each gives: first received before it.
    days: dict[str, int]
    cutoffs: dict[str, datetime]
    counts: Counts
    by_platform: dict[str, Counts] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "tenant_id": self.tenant_id,
            "tenant": self.tenant,
            "unflagged_days": self.unflagged_days,
            "days": dict(self.days),
            "cutoffs": {p: c.isoformat() for p, c in self.cutoffs.items()},
            "counts": self.counts.as_dict(),
            "by_platform": {p: c.as_dict() for p, c in sorted(self.by_platform.items())},
        }


@dataclass(frozen=True, slots=True)
class RetentionReport:
    now: datetime
    dry_run: bool
    tenants: tuple[TenantRetention, ...]

    @property
    def totals(self) -> Counts:
        names = ("examined", "culled", "kept_hold", "kept_flagged", "kept_registered")
        return Counts(**{n: sum(getattr(t.counts, n) for t in self.tenants) for n in names})

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "dry_run": self.dry_run,
            "basis": "first_received_at",
            "totals": self.totals.as_dict(),
            "tenants": [t.as_dict() for t in self.tenants],
        }


def retention_for(tenant: Tenant) -> Retention:
    """The preset's retention with the tenant's overrides (``unflagged_days``,
    ``platforms`` merged over the preset's) — validated, because a misspelt
    key would otherwise cull on a schedule nobody decided."""
    preset = effective_policy(tenant).retention
    overrides = tenant.retention or {}
    unknown = sorted(set(overrides) - set(OVERRIDE_KEYS))
    if unknown:
        raise Unprocessable(f"Tenant {tenant.name}: unknown retention setting(s): {', '.join(unknown)}.")
    merged = preset.model_dump()
    if "unflagged_days" in overrides:
        merged["unflagged_days"] = overrides["unflagged_days"]
    if "platforms" in overrides:
        platforms = overrides["platforms"]
        if not isinstance(platforms, dict):
            raise Unprocessable(f"Tenant {tenant.name}: retention 'platforms' must map platform to days.")
        merged["platforms"] = {**preset.platforms, **platforms}
    try:
        return Retention.model_validate(merged)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise Unprocessable(f"Tenant {tenant.name}: retention overrides are not valid: {problems}") from None


def reduced_metadata(metadata: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metadata.items() if k in KEPT_METADATA}


def run_retention(
    session: Session,
    *,
    now: datetime,
    dry_run: bool,
    tenant_id: int | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    commit: Callable[[Session], None] | None = None,
    actor: str = "retention",
) -> RetentionReport:
    """Cull (or, with ``dry_run``, count) every tenant's or one tenant's comments as of ``now``."""
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    if commit is not None:
        begin_write(session)
    tenants = repository.tenants(session, tenant_id)
    if tenant_id is not None and not tenants:
        raise NotFound("No such tenant.")
    results = []
    for tenant in tenants:
        retention = retention_for(tenant)
        results.append(
            _run_tenant(
                session,
                tenant=tenant,
                retention=retention,
                now=now,
                dry_run=dry_run,
                batch_size=batch_size,
                commit=commit,
                actor=actor,
            )
        )
    return RetentionReport(now=now, dry_run=dry_run, tenants=tuple(results))


def _run_tenant(
    session: Session,
    *,
    tenant: Tenant,
    retention: Retention,
    now: datetime,
    dry_run: bool,
    batch_size: int,
    commit: Callable[[Session], None] | None,
    actor: str,
) -> TenantRetention:
    platforms = sorted(set(PLATFORMS) | set(retention.platforms))
    days = {p: retention.days_for(p) for p in platforms}
    cutoffs = {p: now - timedelta(days=d) for p, d in days.items()}
    default_cutoff = now - timedelta(days=retention.unflagged_days)
    if commit is not None:
        begin_write(session)
    buckets = repository.count_buckets(session, tenant.id, cutoffs, default_cutoff)
    culled_by_platform: dict[str, int] = {}
    if not dry_run:
        after_id = 0
        while True:
            candidates = repository.cullable_ids(
                session, tenant.id, cutoffs, default_cutoff, after_id=after_id, limit=batch_size
            )
            if not candidates:
                break
            after_id = candidates[-1]
            for platform, n in _cull(session, tenant.id, candidates, cutoffs, default_cutoff, now).items():
                culled_by_platform[platform] = culled_by_platform.get(platform, 0) + n
            if len(candidates) < batch_size:
                break
            if commit is not None:
                commit(session)
                begin_write(session)
    by_platform = {}
    for platform in sorted({p for p, _ in buckets}):
        by_platform[platform] = Counts(
            examined=sum(n for (p, _), n in buckets.items() if p == platform),
            culled=buckets.get((platform, "cull"), 0) if dry_run else culled_by_platform.get(platform, 0),
            kept_hold=buckets.get((platform, "hold"), 0),
            kept_flagged=buckets.get((platform, "flagged"), 0),
            kept_registered=buckets.get((platform, "registered"), 0),
        )
    counts = Counts(
        **{
            name: sum(getattr(c, name) for c in by_platform.values())
            for name in ("examined", "culled", "kept_hold", "kept_flagged", "kept_registered")
        }
    )
    result = TenantRetention(
        tenant_id=tenant.id,
        tenant=tenant.name,
        unflagged_days=retention.unflagged_days,
        days=days,
        cutoffs=cutoffs,
        counts=counts,
        by_platform=by_platform,
    )
    record(
        session,
        tenant_id=tenant.id,
        actor=actor,
        action=ACTION,
        subject_type="tenant",
        subject_id=tenant.id,
        payload={
            "dry_run": dry_run,
            "now": now.isoformat(),
            "basis": "first_received_at",
            "unflagged_days": retention.unflagged_days,
            "days": days,
            "cutoffs": {p: c.isoformat() for p, c in cutoffs.items()},
            "counts": counts.as_dict(),
            "by_platform": {p: c.as_dict() for p, c in by_platform.items()},
        },
        at=now,
    )
    if commit is not None:
        commit(session)
    log.info("retention.run", tenant_id=tenant.id, dry_run=dry_run, **counts.as_dict())
    return result


def _cull(
    session: Session,
    tenant_id: int,
    candidates: list[int],
    cutoffs: dict[str, datetime],
    default_cutoff: datetime,
    now: datetime,
) -> dict[str, int]:
    """Cull the candidates that are still cullable once locked; culled counts per platform.

    The second look after locking matters on PostgreSQL: between the first
    select and the lock a worker may have flagged or edited one of them.
    """
    locked = repository.lock_comments(session, candidates)
    confirmed = set(
        repository.cullable_ids(
            session,
            tenant_id,
            cutoffs,
            default_cutoff,
            after_id=0,
            limit=len(candidates),
            among=candidates,
        )
    )
    culled: dict[str, int] = {}
    comment: Comment
    for comment in locked:
        if comment.id not in confirmed:
            continue
        comment.author_name = None
        comment.author_external_id = None
        comment.media_urls = []
        comment.platform_metadata = reduced_metadata(comment.platform_metadata or {})
        comment.culled_at = now
        culled[comment.platform] = culled.get(comment.platform, 0) + 1
    repository.clear_version_texts(session, sorted(confirmed))
    # Images kept as evidence go with the comment (an image can itself be personal data).
    repository.remove_media(session, sorted(confirmed))
    session.flush()
    # The raw deliveries held the same text and names: empty those that carried nothing else.
    repository.clear_delivery_bodies(
        session, repository.deliveries_only_of_culled(session, sorted(confirmed)), now
    )
    return culled
