"""Running the outbox against the platforms.

An action is leased in one short transaction, the platform is called outside
any transaction (a slow API never holds a database lock), and the outcome is
written in a second transaction.  Transient failures (throttling, 5xx,
timeouts) are retried with backoff and jitter, honouring the platform's own
wait; permanent ones end the action as failed with a Swedish reason the editor
sees on the item.  A reply whose outcome is unknown (the worker died during
the call) is not sent again but failed with a reason, so nothing is posted
twice; hide, unhide and delete are safe to repeat.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from app.actions import repository, service
from app.crypto import TokenCipher
from app.db import begin_write
from app.logging import get_logger
from app.models import Account, Comment, PlatformAction, utcnow
from app.platforms.capabilities import capabilities, missing_sv
from app.platforms.errors import PlatformPermanentError, PlatformTransientError, compute_backoff
from app.platforms.linkedin.client import LinkedInClient
from app.platforms.meta.client import MetaGraphClient
from app.platforms.youtube.client import YouTubeClient
from app.reconcile.quota import DailyQuota
from app.settings import Settings
from app.unit_of_work import UnitOfWork

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


@dataclass(frozen=True, slots=True)
class Job:
    action_id: int
    kind: str
    platform: str
    target: str
    message: str | None
    token: str | None
    organization: str
    attempts: int


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
        self.meta = MetaGraphClient(
            base_url=settings.meta_graph_url,
            api_version=settings.meta_graph_version,
            timeout=settings.platform_timeout_s,
        )
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

        self._wake = threading.Event()

    def close(self) -> None:
        self.meta.close()
        self.linkedin.close()
        self.youtube.close()

    def wake(self) -> None:
        self._wake.set()

    def run_forever(self, stop: threading.Event) -> None:
        """The outbox loop, on its own thread: a slow platform never holds up the inbox."""
        log.info("actions.started", name=self.name)
        while not stop.is_set():
            try:
                done = self.run_once()
            except Exception as exc:  # the loop must outlive any single failure
                log.exception("actions.round.failed", error=type(exc).__name__)
                done = 0
            if done == 0:
                self._wake.wait(self.settings.worker_poll_interval_s)
                self._wake.clear()
        log.info("actions.stopped", name=self.name)

    def run_once(self) -> int:
        jobs = self._lease()
        for job in jobs:
            self._run(job)
        return len(jobs)

    def run_until_idle(self, max_rounds: int = 100) -> int:
        total = 0
        for _ in range(max_rounds):
            done = self.run_once()
            total += done
            if done == 0:
                break
        return total

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
        return Job(
            action_id=action.id,
            kind=action.kind,
            platform=comment.platform,
            target=action.target_external_id,
            message=action.message,
            token=token,
            organization=account.external_id,
            attempts=action.attempts,
        )

    # -- call -----------------------------------------------------------------------------

    def _call(self, job: Job) -> str | None:
        action = DECISION_ACTION_OF_KIND[job.kind]
        if not capabilities(job.platform).can(action):
            raise PlatformPermanentError(f"{missing_sv(job.platform, action)}.", "not_supported")
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
            )
        if job.platform == "youtube":
            return self._call_youtube(job, job.token)
        platform: Literal["facebook", "instagram"] = "facebook" if job.platform == "facebook" else "instagram"
        if job.kind in ("hide", "unhide"):
            self.meta.hide_comment(
                job.target, platform=platform, hidden=job.kind == "hide", access_token=job.token
            )
            return None
        if job.kind == "delete":
            self.meta.delete_comment(job.target, access_token=job.token)
            return None
        return self.meta.reply(
            job.target, platform=platform, message=job.message or "", access_token=job.token
        )

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

    def _run(self, job: Job) -> None:
        outcome: tuple[str, object]
        try:
            outcome = ("done", self._call(job))
        except PlatformTransientError as exc:
            outcome = ("transient", exc)
        except PlatformPermanentError as exc:
            outcome = ("permanent", exc)
        self._record(job, outcome)

    def _record(self, job: Job, outcome: tuple[str, object]) -> None:
        session = self.session_factory()
        try:
            begin_write(session)
            action = repository.by_id(session, job.action_id)
            if action is None or action.status != "running":
                return
            kind, value = outcome
            if kind == "done":
                service.mark_done(
                    session, action, result_id=value if isinstance(value, str) else None, actor=self.name
                )
            elif kind == "permanent" and isinstance(value, PlatformPermanentError):
                service.mark_failed(session, action, reason=value.reason, code=value.code, actor=self.name)
            elif isinstance(value, PlatformTransientError):
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
            session.commit()
            log.info("actions.result", action_id=job.action_id, kind=job.kind, outcome=kind)
        finally:
            session.close()
