"""One reconciliation run for one account: list, compare, store the difference, log.

A run has four steps, and only two of them hold a database transaction, both
short:

1. *start* (write): the account's run state — a platform that answered with
   a throttle earlier set ``resume_after``, and until then nothing is asked
   of it (on demand or scheduled alike);
2. *list* (no transaction): the platform's API, page by page.  A throttle
   or quota answer ends the listing where it is: what was read still counts,
   the rest waits for ``resume_after``;
3. *compare* (read): what we have stored of the listed posts and comments
   (``app.reconcile.service.observations``);
4. *store* (write): the difference as deliveries of source ``polled`` in the
   inbox, the run state and one ``reconcile.run`` entry in the moderation log,
   committed together.  The worker's pipeline then treats them like webhooks.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import sessionmaker

from app.crypto import TokenCipher
from app.db import begin_write
from app.errors import NotFound
from app.logging import get_logger
from app.models import Account, utcnow
from app.modlog.service import record
from app.platforms.errors import PlatformPermanentError, PlatformTransientError
from app.platforms.linkedin.listing import LinkedInListingClient
from app.platforms.listing import Listing
from app.platforms.meta.listing import MetaListingClient
from app.platforms.youtube.client import YouTubeClient
from app.platforms.youtube.oauth import YouTubeAccessTokens
from app.reconcile import repository
from app.reconcile.quota import DailyQuota
from app.reconcile.service import (
    DEFAULT_PAUSE_S,
    LOG_ACTION,
    REASON_NO_TOKEN,
    RunSummary,
    delivery_bodies,
    observations,
)
from app.settings import Settings
from app.unit_of_work import UnitOfWork
from app.webhooks import repository as inbox
from app.webhooks.service import delivery_row

log = get_logger("app.reconcile")


class ListingClients:
    """The platforms' listing clients of one run (or one worker), closed together."""

    def __init__(self, settings: Settings, session_factory: sessionmaker[UnitOfWork]) -> None:
        self.meta = MetaListingClient(
            base_url=settings.meta_graph_url,
            api_version=settings.meta_graph_version,
            timeout=settings.platform_timeout_s,
        )
        self.linkedin = LinkedInListingClient(
            base_url=settings.linkedin_api_url,
            api_version=settings.linkedin_api_version,
            timeout=settings.platform_timeout_s,
        )
        self.youtube = YouTubeClient(
            base_url=settings.youtube_api_url,
            timeout=settings.platform_timeout_s,
            spend=DailyQuota(session_factory, platform="youtube", limit=settings.youtube_daily_quota).spend,
        )
        self.youtube_tokens = YouTubeAccessTokens(settings)

    def list(
        self, account: Account, token: str, *, since: datetime, max_posts: int, listing: Listing
    ) -> None:
        if account.platform == "facebook":
            self.meta.list_facebook(
                account.external_id, access_token=token, since=since, max_posts=max_posts, listing=listing
            )
        elif account.platform == "instagram":
            self.meta.list_instagram(
                account.external_id, access_token=token, since=since, max_posts=max_posts, listing=listing
            )
        elif account.platform == "linkedin":
            self.linkedin.list_organization(
                account.external_id, access_token=token, since=since, max_posts=max_posts, listing=listing
            )
        elif account.platform == "youtube":
            self.youtube.list_channel(
                account.external_id,
                access_token=self.youtube_tokens.access_token(token),
                since=since,
                max_threads=max_posts * 20,
                listing=listing,
            )
        else:
            raise ValueError(account.platform)

    def close(self) -> None:
        self.meta.close()
        self.linkedin.close()
        self.youtube.close()
        self.youtube_tokens.close()


# -- one run --------------------------------------------------------------------------------


def default_since(settings: Settings, now: datetime) -> datetime:
    return now - timedelta(days=settings.reconcile_lookback_days)


def reconcile_account(
    session_factory: sessionmaker[UnitOfWork],
    settings: Settings,
    clients: ListingClients,
    *,
    account_id: int,
    since: datetime | None = None,
    actor: str,
    claimed: bool = False,
    now: datetime | None = None,
) -> RunSummary:
    """Run steps 1–4 (module docstring) for one account; ``claimed``: the schedule has
    already marked the run started (``repository.claim_due``)."""
    now = now or utcnow()
    since = since or default_since(settings, now)
    session = session_factory()
    try:
        begin_write(session)
        account = session.get(Account, account_id)
        if account is None:
            raise NotFound("Kontot finns inte.")
        summary = RunSummary(account.id, account.platform, account.display_name, since)
        state = repository.state_for(session, account.id)
        if not claimed and state.resume_after is not None and state.resume_after > now:
            summary.stopped_code = "paused"
            summary.resume_after = state.resume_after
            summary.stopped = (
                f"plattformen bad oss vänta till {state.resume_after.astimezone(UTC):%Y-%m-%d %H:%M} UTC; "
                "försök igen därefter"
            )
            session.rollback()
            return summary
        state.last_started_at = now
        token = (
            TokenCipher(settings).decrypt(account.access_token_ciphertext)
            if account.access_token_ciphertext
            else None
        )
        session.commit()
    finally:
        session.close()

    listing = Listing()
    if token is None:
        summary.stopped, summary.stopped_code = REASON_NO_TOKEN, "token_missing"
    else:
        try:
            clients.list(account, token, since=since, max_posts=settings.reconcile_max_posts, listing=listing)
        except PlatformTransientError as exc:
            # Stop here and resume later: a throttled platform counts the calls made while limited.
            wait = exc.retry_after if exc.retry_after is not None else DEFAULT_PAUSE_S
            summary.stopped, summary.stopped_code = exc.reason.rstrip("."), exc.code
            summary.resume_after = now + timedelta(seconds=wait)
        except PlatformPermanentError as exc:
            summary.stopped, summary.stopped_code = exc.reason.rstrip("."), exc.code
    summary.listed = len({c.id for c in listing.comments})
    summary.complete_posts = len(listing.complete_posts)
    summary.calls = listing.calls

    session = session_factory()
    try:
        known = repository.known_comments(
            session,
            account.id,
            post_ids=sorted(listing.complete_posts | {c.post_id for c in listing.comments}),
            external_ids=sorted(
                {c.id for c in listing.comments} | {c.parent_id for c in listing.comments if c.parent_id}
            ),
        )
        session.rollback()
        items = observations(listing, known, since=since)
        for item in items:
            kind = item["kind"]
            setattr(summary, kind, getattr(summary, kind) + 1)
        observed_at = utcnow()
        begin_write(session)
        for body in delivery_bodies(account, items, observed_at=observed_at):
            row, _ = delivery_row(
                source="polled", body=body, headers={}, signature_scheme="polled", tenant_id=account.tenant_id
            )
            inbox.store(session, row)
            delivery_id = inbox.id_by_dedupe_key(session, row["dedupe_key"])
            if delivery_id is not None:
                summary.delivery_ids.append(delivery_id)
        state = repository.state_for(session, account.id)
        state.resume_after = summary.resume_after
        state.last_error = summary.stopped
        state.last_counts = summary.counts()
        if summary.stopped is None:
            state.last_complete_at = observed_at
        record(
            session,
            tenant_id=account.tenant_id,
            actor=actor,
            action=LOG_ACTION,
            subject_type="account",
            subject_id=account.id,
            account_id=account.id,
            payload={"platform": account.platform, **summary.counts()},
        )
        session.commit()
    finally:
        session.close()
    log.info(
        "reconcile.run",
        account_id=account.id,
        platform=account.platform,
        listed=summary.listed,
        added=summary.added,
        edited=summary.edited,
        removed=summary.removed,
        calls=summary.calls,
        stopped=summary.stopped_code,
    )
    return summary
