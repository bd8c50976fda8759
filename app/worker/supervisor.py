"""``uppsikt serve``'s worker: a child process, supervised.

The worker used to be a thread of the API process; it shared the interpreter
lock with the event loop and the API acknowledged deliveries at a tenth of
its bare rate while the worker drained.  As a child process it has its own
interpreter, runs at the configured niceness (acknowledgements go first), is
restarted with backoff if it dies, and stops with the server.  Standard
input is its wake-up line: the API writes a byte when a delivery is stored,
and the child sees end-of-file if the server is killed, and stops too.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import threading
import time

from app.logging import get_logger
from app.settings import Settings

log = get_logger("app.worker")

#: Restart delays after unexpected exits: 1, 2, 4 … at most 30 seconds.
RESTART_BASE_S = 1.0
RESTART_CAP_S = 30.0
#: A child that ran this long before dying starts the backoff over.
STABLE_AFTER_S = 60.0


class WorkerSupervisor:
    def __init__(self, settings: Settings, *, command: list[str] | None = None) -> None:
        self.settings = settings
        self.command = command or [sys.executable, "-m", "app.cli", "worker", "--wake-on-stdin"]
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._supervise, name="uppsikt-supervisor", daemon=True)

    def start(self) -> None:
        """Start the worker and wait until it has loaded the classifier (as the in-process
        worker once did before the server answered), so that the first comment is not slow."""
        self._spawn()
        process = self.process
        assert process is not None and process.stdout is not None
        if process.stdout.readline().strip() != b"ready":
            log.error("worker.supervisor.not_ready", pid=process.pid, code=process.poll())
        self._thread.start()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def wake(self) -> None:
        """Tell the worker a delivery is waiting; never blocks the caller."""
        process = self.process
        if process is None or process.stdin is None:
            return
        with contextlib.suppress(BlockingIOError, BrokenPipeError, OSError, ValueError):
            os.write(process.stdin.fileno(), b"w")

    def close(self, timeout: float = 15.0) -> None:
        self._stopping.set()
        with self._lock:
            process = self.process
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        _close_pipes(process)
        self._thread.join(timeout=5)
        log.info("worker.supervisor.stopped", pid=process.pid)

    def _spawn(self) -> None:
        env = {**os.environ, "UPPSIKT_DATABASE_URL": self.settings.database_url}
        process = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)  # noqa: S603
        assert process.stdin is not None
        os.set_blocking(process.stdin.fileno(), False)
        with self._lock:
            self.process = process
        log.info("worker.supervisor.started", pid=process.pid)

    def _supervise(self) -> None:
        delay = RESTART_BASE_S
        while not self._stopping.is_set():
            process = self.process
            assert process is not None
            started = time.monotonic()
            code = process.wait()
            if self._stopping.is_set():
                return
            _close_pipes(process)
            if time.monotonic() - started > STABLE_AFTER_S:
                delay = RESTART_BASE_S
            log.error("worker.supervisor.exited", pid=process.pid, code=code, restart_in_s=delay)
            if self._stopping.wait(delay):
                return
            delay = min(RESTART_CAP_S, delay * 2)
            self.restarts += 1
            self._spawn()


def _close_pipes(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            with contextlib.suppress(OSError):
                stream.close()
