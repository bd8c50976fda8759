"""One worker process: the inbox loop, the outbox loop and reconciliation, side by side.

The inbox loop (parse → … → queue, ``app.pipeline``) runs in the main thread;
the outbox (platform calls, ``app.actions.worker``), the message outbox
(e-mail and webhooks, ``app.notifications.worker``) and reconciliation
(``app.reconcile.schedule``, which lists comments through the platforms'
APIs) run in threads of their own, so a slow platform or mail relay — up to
the client's timeout per call — never holds up new comments.  The loops share
nothing but the database.

``uppsikt worker`` runs this directly; ``uppsikt serve`` starts it as a
supervised child process (``app.worker.supervisor``) that it wakes through
its standard input when a delivery has been stored.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from dataclasses import dataclass

from app.actions.worker import ActionWorker
from app.assessment.service import default_classifier, warm_up
from app.db import make_engine, make_session_factory
from app.logging import get_logger
from app.notifications.worker import MessageWorker
from app.operations.metrics import Metrics
from app.reconcile.schedule import ReconcileSchedule
from app.runtime import freeze_long_lived_objects
from app.settings import Settings
from app.worker.inbox import InboxWorker

log = get_logger("app.worker")


@dataclass(frozen=True, slots=True)
class Drained:
    deliveries: int
    actions: int
    messages: int = 0


class WorkerProcess:
    def __init__(self, settings: Settings, *, name: str | None = None) -> None:
        name = name or f"worker:{os.getpid()}"
        warm_up()
        self.engine = make_engine(settings)
        factory = make_session_factory(self.engine)
        freeze_long_lived_objects()
        self.inbox = InboxWorker(
            factory, settings, metrics=Metrics.create(), classify=default_classifier(settings), name=name
        )
        self.outbox = ActionWorker(factory, settings, name=name.replace("worker", "actions", 1))
        #: Reconciliation and YouTube polling, in a thread of their own (``app.reconcile``).
        self.reconcile = ReconcileSchedule(factory, settings, actor=name.replace("worker", "reconcile", 1))
        self.messages = MessageWorker(factory, settings, name=name.replace("worker", "messages", 1))
        self.stop = threading.Event()

    def request_stop(self, *_: object) -> None:
        self.stop.set()
        self.inbox.wake()
        self.outbox.wake()
        self.messages.wake()

    def drain(self) -> Drained:
        """Everything due now, then return (``uppsikt worker --until-idle``)."""
        try:
            deliveries = self.inbox.run_until_idle()
            messages = self.messages.run_until_idle()  # a registrar message may hold a delete
            actions = self.outbox.run_until_idle()
            return Drained(deliveries, actions, messages + self.messages.run_until_idle())
        finally:
            self.close()

    def run(self, *, wake_on_stdin: bool = False) -> None:
        """Until SIGTERM/SIGINT (or, when woken through stdin, until stdin closes:
        the parent is gone)."""
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)
        if wake_on_stdin:
            threading.Thread(target=self._read_wakeups, name="uppsikt-wakeups", daemon=True).start()
            # The supervising server waits for this line: the classifier is loaded, work can start.
            sys.stdout.write("ready\n")
            sys.stdout.flush()
        outbox = threading.Thread(target=self.outbox.run_forever, args=(self.stop,), name="uppsikt-outbox")
        outbox.start()
        reconcile = threading.Thread(
            target=self.reconcile.run_forever, args=(self.stop,), name="uppsikt-reconcile"
        )
        reconcile.start()
        messages = threading.Thread(
            target=self.messages.run_forever, args=(self.stop,), name="uppsikt-messages"
        )
        messages.start()
        try:
            self.inbox.run_forever(self.stop)
        finally:
            self.request_stop()
            outbox.join(timeout=self.outbox.settings.platform_timeout_s + 5)
            reconcile.join(timeout=self.outbox.settings.platform_timeout_s + 5)
            settings = self.messages.settings
            messages.join(timeout=max(settings.smtp_timeout_s, settings.webhook_timeout_s) + 5)
            self.close()

    def _read_wakeups(self) -> None:
        stream = sys.stdin.buffer
        while True:
            data = stream.read1(4096) if hasattr(stream, "read1") else stream.read(1)
            if not data:
                log.info("worker.parent_gone")
                self.request_stop()
                return
            self.inbox.wake()

    def close(self) -> None:
        self.outbox.close()
        self.reconcile.close()
        close_classifier = getattr(self.inbox.classify, "close", None)
        if close_classifier is not None:
            close_classifier()
        self.messages.close()
        self.engine.dispose()
