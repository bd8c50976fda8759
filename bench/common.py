"""Shared parts of the benchmarks: machine details, scratch databases, real
server processes, signed Meta deliveries, peak memory, and a small HTTP load
generator.

The load generator speaks HTTP/1.1 over raw asyncio streams (uvloop when
present) instead of using an HTTP client library, because on a 2-core machine
the generator shares the CPU with the server and the database: every
microsecond it spends per request is taken from what it measures.  The same
generator drives the bare FastAPI ceiling and Uppsikt, so the ratio between
them is fair even where the absolute figures are not.

Run ``python bench/common.py bare-server --port P`` to serve the ceiling app
alone (the benchmarks start it themselves).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import hashlib
import heapq
import hmac
import json
import os
import platform
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
POSTGRES_ADMIN_DSN = os.environ.get(
    "UPPSIKT_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
BENCH_META_SECRET = "bench-meta-secret"  # noqa: S105 - a throwaway secret for a scratch database
BENCH_PAGE_ID = "200000000000001"

#: Made-up comments of the kind a municipal Page receives; varied so that the
#: classifier does realistic work, distinct per delivery through the comment id.
TEXTS = (
    "Hej! När plogas Storgatan? Det har inte hänt något sedan i måndags.",
    "Tack för en fin sommarfestival i parken, barnen älskade den!",
    "Varför är gatlampan på Björkvägen fortfarande trasig? Det är mörkt och otryggt.",
    "Ring mig på 070-123 45 67 så berättar jag mer om bygglovet.",
    "Ni på kommunen är helt värdelösa, sluta slösa med våra skattepengar.",
    "Köp billiga solglasögon på www.exempel-rea.se, 80 % rabatt idag!",
    "Min granne Testa Testsson bygger utan bygglov, gör något åt det.",
    "Öppettiderna på biblioteket under julen, var hittar jag dem?",
    "Bra initiativ med nya cykelbanan längs ån 👍",
    "Skolmaten har blivit mycket bättre i höst, tack till köket på Ängsskolan.",
)


# -- machine and results -------------------------------------------------------------------


def _cpu_model() -> str:
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _ram_mb() -> int | None:
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    return None


def _git(*args: str) -> str | None:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip()


def postgres_version(dsn: str = POSTGRES_ADMIN_DSN) -> str | None:
    import psycopg

    try:
        with psycopg.connect(dsn, connect_timeout=5) as conn:
            row = conn.execute("SHOW server_version").fetchone()
    except psycopg.OperationalError:
        return None
    return str(row[0]) if row else None


def machine_info(*, postgres_dsn: str | None = POSTGRES_ADMIN_DSN) -> dict[str, Any]:
    """Everything a reader needs to judge a figure, gathered, never typed."""
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_mb": _ram_mb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "postgresql": postgres_version(postgres_dsn) if postgres_dsn else None,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "git_revision": _git("rev-parse", "HEAD"),
        "git_dirty": bool(status) if status is not None else None,
    }


def cpu_ticks() -> list[int]:
    """The machine's CPU time so far, per state (the first line of ``/proc/stat``)."""
    with contextlib.suppress(OSError, ValueError):
        return [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    return []


#: Where each state's ticks stand in a ``/proc/stat`` cpu line.
_CPU_STATES = (("user", 0), ("system", 2), ("idle", 3), ("iowait", 4), ("steal", 7))


def cpu_shares(before: list[int], after: list[int]) -> dict[str, float]:
    """Percent of the CPU time between two ``cpu_ticks()`` readings spent in each state."""
    if not before or not after:
        return {}
    delta = [a - b for a, b in zip(after, before, strict=True)]
    total = sum(delta)
    if not total:
        return {}
    return {f"{name}_pct": round(100 * delta[i] / total, 1) for name, i in _CPU_STATES}


def io_pressure_us() -> int | None:
    """Microseconds so far in which some task waited for I/O (``/proc/pressure/io``)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        first = Path("/proc/pressure/io").read_text().splitlines()[0]
        return int(first.rsplit("total=", 1)[1])
    return None


@dataclass
class MachineLoad:
    """What the whole machine did during a phase: a stall in a figure is told
    apart as the CPU (busy, stolen by the hypervisor) or the disk (iowait, I/O
    pressure) only by looking at the same seconds."""

    ticks: list[int] = field(default_factory=cpu_ticks)
    io_us: int | None = field(default_factory=io_pressure_us)
    started: float = field(default_factory=time.monotonic)

    def since(self) -> dict[str, float | None]:
        io_after = io_pressure_us()
        seconds = time.monotonic() - self.started
        shares: dict[str, float | None] = {**cpu_shares(self.ticks, cpu_ticks())}
        shares["io_pressure_pct"] = (
            round(100 * (io_after - self.io_us) / 1e6 / seconds, 2)
            if io_after is not None and self.io_us is not None and seconds > 0
            else None
        )
        return shares


def steal_since(before: list[int]) -> float | None:
    """Percent of the CPU time since ``before`` that the hypervisor gave to someone else.

    On a virtual machine this is how much of a figure's noise came from outside: a run
    with a few percent of steal is not comparable with a quiet one.
    """
    return cpu_shares(before, cpu_ticks()).get("steal_pct")


def write_results(name: str, data: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    path = RESULTS / f"{name}-{stamp}.json"
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# -- databases -----------------------------------------------------------------------------


def sqlalchemy_url(dsn: str) -> str:
    return dsn.replace("postgresql://", "postgresql+psycopg://", 1)


@contextlib.contextmanager
def scratch_postgres(admin_dsn: str = POSTGRES_ADMIN_DSN, *, label: str = "bench") -> Iterator[str]:
    """A fresh PostgreSQL database for one run, dropped afterwards whatever happens."""
    import psycopg

    name = f"uppsikt_{label}_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(admin_dsn, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = admin_dsn.rpartition("/")
    try:
        yield sqlalchemy_url(f"{base}/{name}")
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextlib.contextmanager
def scratch_sqlite() -> Iterator[str]:
    with tempfile.TemporaryDirectory(prefix="uppsikt-bench-") as folder:
        yield f"sqlite:///{folder}/uppsikt.db"


def migrate(url: str) -> None:
    from app import schema

    schema.upgrade(url)


def arrange_account(url: str, *, page_id: str = BENCH_PAGE_ID) -> None:
    """A tenant with one Facebook Page, so deliveries for it become comments."""
    from sqlalchemy import create_engine

    from app.tenants.service import add_account, create_tenant
    from app.unit_of_work import UnitOfWork

    engine = create_engine(url)
    try:
        with UnitOfWork(engine) as session:
            tenant = create_tenant(session, name="benchkommun", preset="helsingborg", actor="bench")
            add_account(
                session,
                tenant=tenant,
                platform="facebook",
                external_id=page_id,
                display_name="Benchkommunen",
                owner="agare@example.se",
                editors=["red1@example.se"],
                actor="bench",
            )
            session.commit()
    finally:
        engine.dispose()


# -- deliveries ----------------------------------------------------------------------------


def meta_comment_body(seq: int, *, page_id: str = BENCH_PAGE_ID, run: str = "r") -> bytes:
    """A Page ``feed`` comment delivery, serialised as Meta does (non-ASCII
    escaped); ``seq`` makes the comment, and so the body, distinct."""
    post = f"{page_id}_{900 + seq % 7}"
    created = 1_700_000_000 + seq
    document = {
        "object": "page",
        "entry": [
            {
                "id": page_id,
                "time": created + 2,
                "changes": [
                    {
                        "field": "feed",
                        "value": {
                            "item": "comment",
                            "verb": "add",
                            "comment_id": f"{900 + seq % 7}_{run}{seq}",
                            "post_id": post,
                            "parent_id": post,
                            "created_time": created,
                            "from": {"id": str(5_550_000 + seq % 997), "name": "Testa Testsson"},
                            "message": f"{TEXTS[seq % len(TEXTS)]} (#{seq})",
                        },
                    }
                ],
            }
        ],
    }
    return json.dumps(document, ensure_ascii=True).encode("ascii")


def store_deliveries(url: str, count: int, *, run: str, chunk: int = 2000) -> None:
    """Store ``count`` signed comment deliveries as the webhook would have: same row, same headers."""
    from sqlalchemy import create_engine, insert

    from app.models import WebhookDelivery
    from app.webhooks.service import delivery_row

    engine = create_engine(url)
    try:
        for first in range(0, count, chunk):
            rows = []
            for seq in range(first, min(count, first + chunk)):
                body = meta_comment_body(seq, run=run)
                headers = {
                    "content-type": "application/json",
                    "user-agent": "facebookexternalua",
                    "x-hub-signature-256": meta_signature(body),
                }
                row, _ = delivery_row(source="meta", body=body, headers=headers, signature_scheme="sha256")
                rows.append(row)
            with engine.begin() as conn:
                conn.execute(insert(WebhookDelivery), rows)
    finally:
        engine.dispose()


def meta_signature(body: bytes, secret: str = BENCH_META_SECRET) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def meta_request(
    seq: int, *, host: str, run: str, path: str = "/webhooks/meta", page_id: str = BENCH_PAGE_ID
) -> bytes:
    body = meta_comment_body(seq, run=run, page_id=page_id)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"User-Agent: facebookexternalua\r\nX-Hub-Signature-256: {meta_signature(body)}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


# -- processes -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def server_env(database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UPPSIKT_")}
    env.update(
        {
            "UPPSIKT_DATABASE_URL": database_url,
            "UPPSIKT_META_APP_SECRETS": BENCH_META_SECRET,
            "UPPSIKT_WORKER_IN_PROCESS": "false",
            **extra,
        }
    )
    return env


@dataclass
class Server:
    proc: subprocess.Popen[bytes]
    host: str
    port: int

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"


def wait_healthy(proc: subprocess.Popen[bytes], host: str, port: int, timeout: float = 90.0) -> None:
    import httpx

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(f"http://{host}:{port}/healthz", timeout=1).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise TimeoutError("server did not start")
        time.sleep(0.1)


@contextlib.contextmanager
def running(
    cmd: list[str], env: dict[str, str], *, host: str, port: int, log: Path | None = None
) -> Iterator[Server]:
    out: Any = log.open("wb") if log is not None else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=out, stderr=out)
    try:
        wait_healthy(proc, host, port)
        yield Server(proc, host, port)
    finally:
        stop(proc)
        if log is not None:
            out.close()


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def uppsikt_serve(
    database_url: str, *, port: int, log: Path | None = None, **extra: str
) -> contextlib.AbstractContextManager[Server]:
    """``uppsikt serve``; its JSON log goes to ``log`` if given, else nowhere."""
    cmd = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    return running(cmd, server_env(database_url, **extra), host="127.0.0.1", port=port, log=log)


def commit_times(log: Path, window: tuple[float, float] | None = None) -> dict[str, Any]:
    """From a server's log: how long its group commits took, in the database and in all,
    and how long the oldest row of each batch waited for it to start; only the commits
    logged inside ``window`` (two ``time.time()`` values) if given.

    Tells a stall inside the commit (the disk, the database) from one elsewhere
    in the server when an acknowledgement's latency jumps; the slowest commits
    are listed with their times, to be matched with the slowest acknowledgements.
    """
    total: list[float] = []
    database: list[float] = []
    queued: list[float] = []
    rows: list[int] = []
    slowest: list[tuple[float, str, float]] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        if '"webhook.inbox.committed"' not in line:
            continue
        with contextlib.suppress(ValueError, KeyError):
            entry = json.loads(line)
            at = dt.datetime.fromisoformat(entry["timestamp"]).timestamp()
            if window is not None and not window[0] <= at <= window[1]:
                continue
            ms, db_ms = float(entry["ms"]), float(entry["db_ms"])
            total.append(ms)
            database.append(db_ms)
            queued.append(float(entry.get("queued_ms", 0.0)))
            rows.append(int(entry["rows"]))
            slowest.append((ms, entry["timestamp"], db_ms))

    def spread(values: list[float]) -> dict[str, float | None]:
        ordered = sorted(values)
        return {p: percentile(ordered, q) for p, q in (("p50", 50), ("p99", 99), ("max", 100))}

    slowest.sort(reverse=True)
    return {
        "batches": len(rows),
        "mean_rows": round(sum(rows) / len(rows), 1) if rows else None,
        "commit_ms": spread(total),
        "in_database_ms": spread(database),
        "queued_ms": spread(queued),
        "slowest": [{"at": at, "ms": ms, "db_ms": db} for ms, at, db in slowest[:5]],
    }


def bare_serve(*, port: int) -> contextlib.AbstractContextManager[Server]:
    cmd = [sys.executable, str(Path(__file__).resolve()), "bare-server", "--port", str(port)]
    return running(cmd, server_env("sqlite://"), host="127.0.0.1", port=port)


def peak_rss_mb(pid: int) -> float | None:
    """The process's high-water resident set (VmHWM), in MiB."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    return None


# -- the ceiling ---------------------------------------------------------------------------


def bare_app() -> Any:
    """FastAPI reading the body and answering 200 — nothing else.  The same
    uvicorn settings as ``uppsikt serve``: what Uppsikt could reach if storing
    a delivery cost nothing."""
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/webhooks/meta")
    async def deliver(request: Request) -> dict[str, str]:
        body = await request.body()
        return {"status": "stored", "bytes": str(len(body))}

    return app


def serve_bare(port: int) -> None:
    import uvicorn

    uvicorn.run(bare_app(), host="127.0.0.1", port=port, log_config=None, access_log=False)


# -- load generator ------------------------------------------------------------------------


@dataclass
class LoadResult:
    mode: str
    connections: int
    duration_s: float
    target_rate: float | None
    sent: int = 0
    ok: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    #: Every 200, warm-up included: the database must hold at least this many rows.
    acked_total: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    #: ``time.time()`` of the measured part's start and end, to match a server's log.
    window: tuple[float, float] = (0.0, 0.0)
    #: The slowest acknowledgements: (ms, ``time.time()`` when scheduled).
    slowest: list[tuple[float, float]] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        lat = sorted(self.latencies_ms)
        return {
            "mode": self.mode,
            "connections": self.connections,
            "duration_s": round(self.duration_s, 3),
            "target_rate": self.target_rate,
            "sent": self.sent,
            "ok": self.ok,
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "transport_errors": self.errors,
            "throughput_per_s": round(self.ok / self.duration_s, 1) if self.duration_s else 0.0,
            "ack_ms": {
                "p50": percentile(lat, 50),
                "p90": percentile(lat, 90),
                "p99": percentile(lat, 99),
                "max": round(lat[-1], 2) if lat else None,
            },
            "slowest_acks": [
                {"at": dt.datetime.fromtimestamp(at, dt.UTC).isoformat(), "ms": round(ms, 2)}
                for ms, at in sorted(self.slowest, reverse=True)[:5]
            ],
        }


def percentile(sorted_values: list[float], p: float) -> float | None:
    if not sorted_values:
        return None
    index = min(len(sorted_values) - 1, max(0, round(p / 100 * len(sorted_values) + 0.5) - 1))
    return round(sorted_values[index], 2)


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
            break
    if length:
        await reader.readexactly(length)
    return status


async def _load(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    *,
    connections: int,
    duration: float,
    rate: float | None,
    warmup: float,
    stop: threading.Event | None,
) -> LoadResult:
    result = LoadResult(
        mode="fixed-rate" if rate else "full-speed", connections=connections, duration_s=0.0, target_rate=rate
    )
    counter = 0
    # perf_counter, not loop.time(): uvloop's clock has millisecond resolution.
    clock = time.perf_counter
    start = clock() + 0.05
    measure_from = start + warmup
    end = measure_from + duration
    to_wall = time.time() - clock()

    async def connection() -> None:
        nonlocal counter
        reader, writer = await asyncio.open_connection(host, port)
        try:
            while True:
                seq = counter
                counter += 1
                if rate:
                    # Open loop: each request has a scheduled time; latency counts from it,
                    # so a slow server cannot hide its queue (no coordinated omission).
                    scheduled = start + seq / rate
                    if scheduled >= end or (stop is not None and stop.is_set()):
                        return
                    delay = scheduled - clock()
                    if delay > 0:
                        await asyncio.sleep(delay)
                else:
                    scheduled = clock()
                    if scheduled >= end or (stop is not None and stop.is_set()):
                        return
                writer.write(make_request(seq))
                try:
                    status = await _read_response(reader)
                except (asyncio.IncompleteReadError, ConnectionError):
                    if scheduled >= measure_from:
                        result.errors += 1
                    return
                done = clock()
                if status == 200:
                    result.acked_total += 1
                if scheduled < measure_from:
                    continue
                result.sent += 1
                result.statuses[status] = result.statuses.get(status, 0) + 1
                if status == 200:
                    result.ok += 1
                    ms = (done - scheduled) * 1000
                    result.latencies_ms.append(ms)
                    if len(result.slowest) < 5:
                        heapq.heappush(result.slowest, (ms, scheduled + to_wall))
                    elif ms > result.slowest[0][0]:
                        heapq.heapreplace(result.slowest, (ms, scheduled + to_wall))
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    await asyncio.gather(*(connection() for _ in range(connections)))
    result.duration_s = min(duration, max(0.0, clock() - measure_from))
    result.window = (measure_from + to_wall, clock() + to_wall)
    return result


def run_load(
    host: str,
    port: int,
    make_request: Callable[[int], bytes],
    *,
    connections: int,
    duration: float,
    rate: float | None = None,
    warmup: float = 1.0,
    stop: threading.Event | None = None,
) -> LoadResult:
    """Drive the server for ``warmup + duration`` seconds (or until ``stop``
    is set); only what was sent after the warm-up is counted."""
    try:
        import uvloop

        runner: Callable[..., Any] = uvloop.run
    except ImportError:  # pragma: no cover - uvloop ships with uvicorn[standard]
        runner = asyncio.run
    return runner(
        _load(
            host,
            port,
            make_request,
            connections=connections,
            duration=duration,
            rate=rate,
            warmup=warmup,
            stop=stop,
        )
    )


def print_table(rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    widths = [max(len(title), *(len(str(r.get(key, ""))) for r in rows)) for key, title in columns]
    print("  ".join(title.ljust(w) for (_, title), w in zip(columns, widths, strict=True)))
    for r in rows:
        print("  ".join(str(r.get(key, "")).ljust(w) for (key, _), w in zip(columns, widths, strict=True)))


# -- a competing disk writer ---------------------------------------------------------------


def write_and_sync(folder: Path, stop_after: float) -> int:
    """Write 4 MiB and fsync it, again and again, for ``stop_after`` seconds; returns MiB written.

    What a noisy neighbour on a virtual machine's disk does: the benchmark's
    ``--disk-writer`` runs this beside the server to show what a slow disk does
    to a durable acknowledgement, and what that looks like in the figures.
    """
    chunk = os.urandom(4 << 20)
    written = 0
    deadline = time.monotonic() + stop_after
    with tempfile.NamedTemporaryFile(dir=folder, prefix="uppsikt-disk-writer-") as f:
        while time.monotonic() < deadline:
            if written % 256 == 0:
                f.seek(0)  # stay within 256 MiB of disk
            f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
            written += 4
    return written


@contextlib.contextmanager
def disk_writer(enabled: bool) -> Iterator[None]:
    """``write_and_sync`` in a process of its own while the block runs, if ``enabled``;
    in the temporary folder, which is where the SQLite scratch databases are."""
    if not enabled:
        yield
        return
    here = str(Path(__file__).resolve())
    cmd = [sys.executable, here, "disk-writer", "--dir", tempfile.gettempdir(), "--seconds", "3600"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL)
    try:
        yield
    finally:
        stop(proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    bare = sub.add_parser("bare-server", help="serve the bare FastAPI ceiling app")
    bare.add_argument("--port", type=int, required=True)
    writer = sub.add_parser("disk-writer", help="write and fsync 4 MiB at a time, as a noisy neighbour")
    writer.add_argument("--dir", type=Path, required=True)
    writer.add_argument("--seconds", type=float, required=True)
    args = parser.parse_args(argv)
    if args.command == "bare-server":
        serve_bare(args.port)
    elif args.command == "disk-writer":
        # Stopped with SIGTERM: leave through the ``with`` so the file is removed.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        print(f"{write_and_sync(args.dir, args.seconds)} MiB written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
