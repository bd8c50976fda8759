"""Sending the message outbox: e-mail and webhooks, once, with retries.

Like the platform-action outbox (``app.actions.worker``): a message is leased
in one short transaction (status ``sending``, committed *before* the send),
sent outside any transaction, and its outcome written in a second one.  A
worker that dies mid-send leaves the row ``sending``; when the lease runs out
another worker cannot know whether it arrived, and sends it again with the
same ``webhook-id`` / ``Message-ID``, so the receiver sees one message twice
at worst and can tell — a lost message would be worse than a recognisable
duplicate.  Transient failures are retried with backoff; permanent ones, or
too many attempts, end as ``failed`` with a Swedish reason that shows on the
destination and in ``/metrics``.
"""

from __future__ import annotations

import base64
import json
import random
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from app.crypto import TokenCipher
from app.db import begin_write
from app.destinations.service import parse_secrets
from app.evidence.pdf import render_evidence_pdf
from app.evidence.service import pdf_document
from app.logging import get_logger
from app.models import OutboundMessage, utcnow
from app.notifications import mail, repository, service, webhooks
from app.notifications.errors import PermanentSendError, SendError, TransientSendError
from app.platforms.errors import compute_backoff
from app.settings import Settings
from app.unit_of_work import UnitOfWork
from app.worker.loop import poll_until_stopped, run_until_idle

log = get_logger("app.notifications")

REASON_NO_DESTINATION = "Mottagaren finns inte längre – lägg till den igen och skicka om."
REASON_NO_SECRET = "Webhookens hemlighet kan inte läsas (UPPSIKT_SECRET_KEY har bytts?) – ange den igen."  # noqa: S105
REASON_GAVE_UP = "Meddelandet kunde inte skickas efter {n} försök och gavs upp. Senaste fel: {last}"


@dataclass(frozen=True, slots=True)
class Job:
    id: int
    message_id: str
    kind: str
    channel: str
    event_type: str
    to: str
    subject: str
    body: str
    data: dict[str, Any]
    created_at: str
    item_id: int | None
    keys: tuple[bytes, ...] = ()
    evidence: dict[str, Any] | None = field(default=None)


class MessageWorker:
    def __init__(
        self,
        session_factory: sessionmaker[UnitOfWork],
        settings: Settings,
        *,
        name: str = "messages",
        rng: random.Random | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.settings = settings
        self.name = name
        self.rng = rng or random.Random()
        self.cipher = TokenCipher(settings)
        self.http = httpx.Client(timeout=settings.webhook_timeout_s, follow_redirects=False)
        self.smtp = mail.SmtpConfig(
            url=settings.smtp_url.get_secret_value(),
            mail_from=settings.mail_from,
            timeout_s=settings.smtp_timeout_s,
            ca_file=settings.smtp_ca_file,
        )
        self._wake = threading.Event()
        self._last_tick = 0.0

    def close(self) -> None:
        self.http.close()

    def wake(self) -> None:
        self._wake.set()

    def run_forever(self, stop: threading.Event) -> None:
        log.info("messages.started", name=self.name)

        def one_round() -> int:
            self.maybe_tick()
            return self.run_once()

        poll_until_stopped(
            stop,
            self._wake,
            one_round,
            interval_s=self.settings.worker_poll_interval_s,
            failed_event="messages.round.failed",
        )
        log.info("messages.stopped", name=self.name)

    def run_once(self) -> int:
        jobs = self._lease()
        for job in jobs:
            self._record(job, self._send(job))
        return len(jobs)

    def run_until_idle(self, max_rounds: int = 100) -> int:
        return run_until_idle(self.run_once, max_rounds)

    # -- the schedule: overdue items and digests --------------------------------------------

    def maybe_tick(self) -> int:
        interval = self.settings.notification_tick_s
        if interval <= 0 or time.monotonic() - self._last_tick < interval:
            return 0
        self._last_tick = time.monotonic()
        return self.tick()

    def tick(self) -> int:
        session = self.session_factory()
        try:
            begin_write(session)
            done = service.tick(session, now=utcnow(), actor=self.name)
            session.commit()
            return done
        except DBAPIError:
            session.rollback()
            log.warning("messages.tick.rolled_back")
            return 0
        finally:
            session.close()

    # -- lease ------------------------------------------------------------------------------

    def _lease(self) -> list[Job]:
        session = self.session_factory()
        try:
            begin_write(session)
            now = utcnow()
            jobs = []
            for message in repository.claim_due(session, now=now, limit=self.settings.message_batch_size):
                if message.status == "sending":
                    # Its sender died or hung mid-send: the outcome is unknown, so send it again
                    # under the same id rather than risk that it never arrived.
                    log.warning(
                        "messages.unknown_outcome", message_id=message.message_id, attempts=message.attempts
                    )
                job = self._job(session, message)
                if job is None:
                    continue
                message.status = "sending"
                message.attempts += 1
                message.lease_until = now + timedelta(seconds=self.settings.message_lease_s)
                jobs.append(job)
            session.commit()
            return jobs
        except DBAPIError:
            session.rollback()
            log.warning("messages.lease.rolled_back")
            return []
        finally:
            session.close()

    def _job(self, session: Any, message: OutboundMessage) -> Job | None:
        to = message.recipient
        keys: tuple[bytes, ...] = ()
        if message.destination_id is not None:
            destination = repository.destination(session, message.destination_id)
            if destination is None:
                service.mark_failed(
                    session, message, reason=REASON_NO_DESTINATION, code="no_destination", actor=self.name
                )
                return None
            to = destination.address
            if message.channel == "webhook":
                secret = (
                    self.cipher.decrypt(destination.secret_ciphertext)
                    if destination.secret_ciphertext
                    else None
                )
                if not secret:
                    service.mark_failed(
                        session, message, reason=REASON_NO_SECRET, code="no_secret", actor=self.name
                    )
                    return None
                keys = tuple(parse_secrets(secret))
        evidence = repository.evidence(session, message.evidence_id)
        assert to is not None
        return Job(
            id=message.id,
            message_id=message.message_id,
            kind=message.kind,
            channel=message.channel,
            event_type=message.event_type,
            to=to,
            subject=message.subject,
            body=message.body,
            data=dict(message.data),
            created_at=message.created_at.isoformat(),
            item_id=message.item_id,
            keys=keys,
            evidence=pdf_document(evidence) if evidence is not None else None,
        )

    # -- send -------------------------------------------------------------------------------

    def _link(self, job: Job) -> str | None:
        if job.item_id is None:
            return None
        return f"{self.settings.public_url.rstrip('/')}/inkorg/{job.item_id}"

    def _pdf(self, job: Job) -> tuple[str, bytes] | None:
        if job.evidence is None:
            return None
        return f"bevisunderlag-{job.evidence['evidence_id']}.pdf", render_evidence_pdf(job.evidence)

    def _send(self, job: Job) -> SendError | None:
        try:
            link = self._link(job)
            if job.channel == "email":
                body = job.body if link is None else f"{job.body}\n\nÖppna ärendet: {link}\n"
                pdf = self._pdf(job)
                attachments = (mail.Attachment(pdf[0], pdf[1]),) if pdf else ()
                message = mail.build_message(
                    mail_from=self.smtp.mail_from,
                    to=job.to,
                    subject=job.subject,
                    body=body,
                    message_id=job.message_id,
                    attachments=attachments,
                )
                mail.send(self.smtp, message)
            elif job.channel == "webhook":
                data = dict(job.data)
                pdf = self._pdf(job)
                if pdf is not None:
                    data["evidence_pdf"] = {"filename": pdf[0], "base64": _b64(pdf[1])}
                if link:
                    data["link"] = link
                body_bytes = webhooks.standard_body(
                    event_type=job.event_type, created_at=job.created_at, data=data
                )
                webhooks.post(self.http, job.to, body_bytes, message_id=job.message_id, keys=job.keys)
            else:
                text = f"Uppsikt ärende {job.item_id}." if job.item_id else "Uppsikt."
                card = (
                    webhooks.teams_card(title=job.subject, text=text, link=link)
                    if job.channel == "teams"
                    else webhooks.slack_message(title=job.subject, text=text, link=link)
                )
                webhooks.post(self.http, job.to, _json(card))
        except SendError as exc:
            return exc
        return None

    # -- outcome ----------------------------------------------------------------------------

    def _record(self, job: Job, error: SendError | None) -> None:
        session = self.session_factory()
        try:
            begin_write(session)
            message = repository.by_id(session, job.id)
            if message is None or message.status != "sending":
                return
            if error is None:
                service.mark_sent(session, message, actor=self.name)
            elif isinstance(error, PermanentSendError):
                service.mark_failed(session, message, reason=error.reason, code=error.code, actor=self.name)
            elif (
                isinstance(error, TransientSendError)
                and message.attempts >= self.settings.message_max_attempts
            ):
                service.mark_failed(
                    session,
                    message,
                    reason=REASON_GAVE_UP.format(n=message.attempts, last=error.reason),
                    code="gave_up",
                    actor=self.name,
                )
            else:
                delay = compute_backoff(
                    message.attempts,
                    retry_after=error.retry_after,
                    base=self.settings.message_backoff_base_s,
                    cap=self.settings.message_backoff_cap_s,
                    rng=self.rng,
                )
                service.retry_later(session, message, delay_s=delay, reason=error.reason, code=error.code)
                log.info(
                    "messages.retry",
                    message_id=job.message_id,
                    attempts=message.attempts,
                    delay_s=round(delay, 2),
                )
            session.commit()
            log.info(
                "messages.result",
                message_id=job.message_id,
                kind=job.kind,
                channel=job.channel,
                outcome="sent" if error is None else error.code,
            )
        finally:
            session.close()


def _b64(content: bytes) -> str:
    return base64.b64encode(content).decode("ascii")


def _json(value: dict[str, Any]) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")
