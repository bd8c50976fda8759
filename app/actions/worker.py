"""Running the outbox against the platforms.

An action is leased in one short transaction, the platform is called outside
any transaction (a slow API never holds a database lock), and the outcome is
written in a second transaction.  Transient failures (throttling, 5xx,
timeouts) are retried with backoff and jitter, honouring the platform's own
wait; permanent ones end the action as failed with a Swedish reason the editor
sees on the item.  A reply whose outcome is unknown (the worker died during
the call) is not sent again but failed with a reason, so nothing is posted
twice; hide, unhide and delete are safe to repeat.

A throttle answer pauses the whole account (a Page's calls share one budget,
and Meta keeps counting calls made while limited): its other actions wait
until the time the platform gave.  A retired ``LinkedIn-Version`` is not the
action's fault: the action waits without using up its attempts, and the
account carries an operator alert (log line, ``/metrics``, the register).
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from app.actions import repository, service
from app.connections.schedule import TokenCheckSchedule
from app.crypto import TokenCipher
from app.db import begin_write
from app.logging import get_logger
from app.models import Account, Comment, PlatformAction, utcnow
from app.platforms.capabilities import capabilities, is_live_comment, missing_sv
from app.platforms.errors import REASON_GONE, PlatformPermanentError, PlatformTransientError, compute_backoff
from app.platforms.linkedin.client import VERSION_RETIRED, LinkedInClient
from app.platforms.meta.client import MetaGraphClient
from app.platforms.youtube.client import YouTubeClient
from app.platforms.youtube.oauth import YouTubeAccessTokens
from app.reconcile.quota import DailyQuota
from app.settings import Settings
from app.unit_of_work import UnitOfWork
from app.worker.loop import poll_until_stopped, run_until_idle

log = get_logger("app.actions")

REASON_NO_EVIDENCE = "Inget bevisunderlag finns för kommentaren – åtgärden körs inte utan bevis."
REASON_NO_TOKEN = (
    "Kontot saknar en giltig åtkomsttoken – kontoansvarig behöver ange en (uppsikt account set-token)."  # noqa: S105
)
REASON_UNKNOWN_OUTCOME = (
    "Svaret kan ha publicerats men bekräftelsen kom aldrig fram – kontrollera på plattformen "
    "i stället för att svaret skickas två gånger."
)
#: The decision action each outbox kind carries out, as the capability registry names it.
DECISION_ACTION_OF_KIND = {"hide": "hide", "unhide": "unhide", "delete": "remove", "reply": "answer"}
REASON_GAVE_UP = "Plattformen svarade inte efter {n} försök – åtgärden gavs upp. Senaste fel: {last}"
REASON_WRONG_ACCOUNT = (
    "Plattformen hittar inte kommentaren, och kontots token kommer inte heller åt kontot (kod 100/33): "
    "fel token eller saknad behörighet – kontoansvarig behöver koppla kontot igen (uppsikt account connect)."
)
#: Transient failures that stop every call to the account, not only this action's.
PAUSING_CODES = frozenset({"rate_limited", "temporarily_blocked", VERSION_RETIRED})
#: The account alert each operator-level failure sets.
ALERT_OF_CODE = {VERSION_RETIRED: "linkedin_version_retired"}


@dataclass(frozen=True, slots=True)
class Job:
    action_id: int
    kind: str
    platform: str
    target: str
    message: str | None
    token: str | None
    #: The account's id on the platform (Page id, Instagram account id, organization URN).
    organization: str
    attempts: int
    account_id: int = 0
    #: The account's own Graph host (Instagram Login), else the service-wide one.
    api_base: str | None = None
    #: The comment's parent comment, for a LinkedIn reply to a reply.
    parent: str | None = None
    #: A comment on a live broadcast: the platform refuses every action.
    live: bool = False


class ActionWorker:
    def __init__(
        self,
        session_factory: sessionmaker[UnitOfWork],
        settings: Settings,
        *,
        name: str = "actions",
        rng: random.Random | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.name = name
        self.rng = rng or random.Random()
        self.cipher = TokenCipher(settings)
        self.meta = self._meta_client(settings.meta_graph_url)
        self._meta_by_base: dict[str, MetaGraphClient] = {settings.meta_graph_url.rstrip("/"): self.meta}
        self.linkedin = LinkedInClient(
            base_url=settings.linkedin_api_url,
            api_version=settings.linkedin_api_version,
            timeout=settings.platform_timeout_s,
        )
        #: Every YouTube call spends from the project's daily quota first (``app.reconcile.quota``).
        self.youtube = YouTubeClient(
            base_url=settings.youtube_api_url,
            timeout=settings.platform_timeout_s,
            spend=DailyQuota(session_factory, platform="youtube", limit=settings.youtube_daily_quota).spend,
        )
        #: Hour-long Google access tokens from the accounts' refresh tokens.
        self.youtube_tokens = YouTubeAccessTokens(settings)

        self._wake = threading.Event()

    def _meta_client(self, base_url: str) -> MetaGraphClient:
        return MetaGraphClient(
            base_url=base_url,
            api_version=self.settings.meta_graph_version,
            timeout=self.settings.platform_timeout_s,
            app_secret=self.settings.meta_call_secret,
        )

    def meta_for(self, api_base: str | None) -> MetaGraphClient:
        """The Graph client for an account's host (one per host, reused)."""
        if not api_base:
            return self.meta
        key = api_base.rstrip("/")
        if key not in self._meta_by_base:
            self._meta_by_base[key] = self._meta_client(key)
        return self._meta_by_base[key]

    def close(self) -> None:
        for client in self._meta_by_base.values():
            client.close()
        self.linkedin.close()
        self.youtube.close()
        self.youtube_tokens.close()

    def wake(self) -> None:
        self._wake.set()

    def run_forever(self, stop: threading.Event) -> None:
        """The outbox loop, on its own thread: a slow platform never holds up the inbox.

        The daily token check runs here too: it calls the platforms, as the outbox does.
        """
        log.info("actions.started", name=self.name)
        tokens = TokenCheckSchedule(self.session_factory, self.settings, actor=f"{self.name}:tokens")
        try:
            self._loop(stop, tokens)
        finally:
            tokens.close()
        log.info("actions.stopped", name=self.name)

    def _loop(self, stop: threading.Event, tokens: TokenCheckSchedule) -> None:
        def one_round() -> int:
            done = self.run_once()
            tokens.maybe_run()
            return done

        poll_until_stopped(
            stop,
            self._wake,
            one_round,
            interval_s=self.settings.worker_poll_interval_s,
            failed_event="actions.round.failed",
        )

    def run_once(self) -> int:
        jobs = self._lease()
        paused: dict[int, datetime] = {}
        for job in jobs:
            if job.account_id in paused:
                # Throttled earlier in this batch: not called, and not counted as a try.
                self._defer(job, paused[job.account_id])
                continue
            until = self._run(job)
            if until is not None:
                paused[job.account_id] = until
        return len(jobs)

    def run_until_idle(self, max_rounds: int = 100) -> int:
        return run_until_idle(self.run_once, max_rounds)

    # -- lease ----------------------------------------------------------------------------

    def _lease(self) -> list[Job]:
        session = self.session_factory()
        try:
            begin_write(session)
            now = utcnow()
            jobs = []
            for action in repository.claim_due(session, now=now, limit=self.settings.action_batch_size):
                if action.status == "running" and action.kind == "reply":
                    service.mark_failed(
                        session,
                        action,
                        reason=REASON_UNKNOWN_OUTCOME,
                        code="unknown_outcome",
                        actor=self.name,
                    )
                    continue
                account, comment = repository.target(session, action)
                if action.kind in ("hide", "delete") and not repository.evidence_exists(
                    session, action.evidence_id, action.comment_id
                ):
                    service.mark_failed(
                        session, action, reason=REASON_NO_EVIDENCE, code="no_evidence", actor=self.name
                    )
                    continue
                action.status = "running"
                action.attempts += 1
                action.lease_until = now + timedelta(seconds=self.settings.action_lease_s)
                jobs.append(self._job(action, account, comment))
            session.commit()
            return jobs
        except DBAPIError:
            session.rollback()
            log.warning("actions.lease.rolled_back")
            return []
        finally:
            session.close()

    def _job(self, action: PlatformAction, account: Account, comment: Comment) -> Job:
        token = (
            self.cipher.decrypt(account.access_token_ciphertext) if account.access_token_ciphertext else None
        )
        parent = comment.parent_external_id
        return Job(
            action_id=action.id,
            kind=action.kind,
            platform=comment.platform,
            target=action.target_external_id,
            message=action.message,
            token=token,
            organization=account.external_id,
            attempts=action.attempts,
            account_id=account.id,
            api_base=account.api_base,
            parent=parent if parent and parent.startswith("urn:li:comment:") else None,
            live=is_live_comment(comment.platform_metadata),
        )

    # -- call -----------------------------------------------------------------------------

    def _call(self, job: Job) -> str | None:
        action = DECISION_ACTION_OF_KIND[job.kind]
        if not capabilities(job.platform, live=job.live).can(action):
            raise PlatformPermanentError(
                f"{missing_sv(job.platform, action, live=job.live)}.", "not_supported"
            )
        if not job.token:
            raise PlatformPermanentError(REASON_NO_TOKEN, "token_missing")
        if job.platform == "linkedin":
            if job.kind == "delete":
                self.linkedin.delete_comment(
                    job.target, organization_urn=job.organization, access_token=job.token
                )
                return None
            return self.linkedin.reply(
                job.target,
                organization_urn=job.organization,
                message=job.message or "",
                access_token=job.token,
                parent_comment_urn=job.parent,
            )
        if job.platform == "youtube":
            return self._call_youtube(job, self.youtube_tokens.access_token(job.token))
        meta = self.meta_for(job.api_base)
        try:
            return self._call_meta(meta, job, job.token)
        except PlatformPermanentError as exc:
            if exc.code != "object_unavailable":
                raise
            raise self._explain_unavailable(meta, job, job.token, exc) from exc

    def _call_meta(self, meta: MetaGraphClient, job: Job, token: str) -> str | None:
        platform: Literal["facebook", "instagram"] = "facebook" if job.platform == "facebook" else "instagram"
        if job.kind in ("hide", "unhide"):
            meta.hide_comment(job.target, platform=platform, hidden=job.kind == "hide", access_token=token)
            return None
        if job.kind == "delete":
            meta.delete_comment(job.target, access_token=token)
            return None
        return meta.reply(job.target, platform=platform, message=job.message or "", access_token=token)

    def _explain_unavailable(
        self, meta: MetaGraphClient, job: Job, token: str, exc: PlatformPermanentError
    ) -> PlatformPermanentError:
        """Graph's 100/33 means gone *or* not allowed (§7.7): ask with the same token
        whether the account itself is readable, and say which it is."""
        try:
            readable = meta.can_read(job.organization, access_token=token)
        except PlatformTransientError:
            return exc  # cannot tell now; the ambiguous reason says both
        if readable:
            return PlatformPermanentError(REASON_GONE, "comment_gone", detail=exc.detail)
        return PlatformPermanentError(REASON_WRONG_ACCOUNT, "token_wrong_account", detail=exc.detail)

    def _call_youtube(self, job: Job, token: str) -> str | None:
        """Hide is "held for review" (unhide publishes again), delete is ``comments.delete``."""
        if job.kind in ("hide", "unhide"):
            status = "heldForReview" if job.kind == "hide" else "published"
            self.youtube.set_moderation_status(job.target, status=status, access_token=token)
            return None
        if job.kind == "delete":
            self.youtube.delete_comment(job.target, access_token=token)
            return None
        return self.youtube.reply(job.target, message=job.message or "", access_token=token)

    def _run(self, job: Job) -> datetime | None:
        """Call the platform and record the outcome; returns until when the account is paused."""
        outcome: tuple[str, object]
        try:
            outcome = ("done", self._call(job))
        except PlatformTransientError as exc:
            outcome = ("transient", exc)
        except PlatformPermanentError as exc:
            outcome = ("permanent", exc)
        return self._record(job, outcome)

    def _defer(self, job: Job, until: datetime) -> None:
        session = self.session_factory()
        try:
            begin_write(session)
            action = repository.by_id(session, job.action_id)
            if action is not None and action.status == "running":
                action.status, action.lease_until = "pending", None
                action.attempts = max(0, action.attempts - 1)
                action.next_attempt_at = until
            session.commit()
        finally:
            session.close()

    def _record(self, job: Job, outcome: tuple[str, object]) -> datetime | None:
        session = self.session_factory()
        paused_until: datetime | None = None
        try:
            begin_write(session)
            action = repository.by_id(session, job.action_id)
            if action is None or action.status != "running":
                return None
            kind, value = outcome
            if kind == "done":
                service.mark_done(
                    session, action, result_id=value if isinstance(value, str) else None, actor=self.name
                )
                service.clear_alert(session, action.account_id, platform=job.platform, actor=self.name)
            elif kind == "permanent" and isinstance(value, PlatformPermanentError):
                service.mark_failed(session, action, reason=value.reason, code=value.code, actor=self.name)
            elif isinstance(value, PlatformTransientError):
                alert = ALERT_OF_CODE.get(value.code)
                if alert is not None:
                    # Not this action's fault: it waits for the operator without using up its tries.
                    action.attempts = max(0, action.attempts - 1)
                    service.raise_alert(session, action.account_id, alert=alert, actor=self.name)
                    log.error(
                        "actions.platform_alert",
                        alert=alert,
                        account_id=action.account_id,
                        linkedin_version=self.settings.linkedin_api_version,
                        fix="set UPPSIKT_LINKEDIN_API_VERSION to a current version (YYYYMM) and restart",
                    )
                if action.attempts >= self.settings.action_max_attempts:
                    service.mark_failed(
                        session,
                        action,
                        code="gave_up",
                        actor=self.name,
                        reason=REASON_GAVE_UP.format(n=action.attempts, last=value.reason),
                    )
                else:
                    delay = compute_backoff(
                        action.attempts,
                        retry_after=value.retry_after,
                        base=self.settings.action_backoff_base_s,
                        cap=self.settings.action_backoff_cap_s,
                        rng=self.rng,
                    )
                    action.status, action.lease_until = "pending", None
                    action.next_attempt_at = utcnow() + timedelta(seconds=delay)
                    action.last_error, action.error_code = value.reason, value.code
                    log.info(
                        "actions.retry",
                        action_id=action.id,
                        attempts=action.attempts,
                        delay_s=round(delay, 2),
                    )
                    if value.code in PAUSING_CODES:
                        paused_until = action.next_attempt_at
                        service.pause_account(session, action.account_id, until=paused_until)
                        log.info("actions.account_paused", account_id=action.account_id, code=value.code)
            session.commit()
            log.info("actions.result", action_id=job.action_id, kind=job.kind, outcome=kind)
            return paused_until
        finally:
            session.close()
