"""Benchmark ``classifiers.classify`` and the privacy detector on 30-word comments.

Run ``python bench/classify.py`` (not part of the test suite).  Prints
comments per second and p50/p99 latency per comment for

* ``classify`` in one process and in two processes (``multiprocessing``
  with the ``spawn`` start method, the engine built once per process in the
  pool initializer and its objects frozen out of the garbage collector's
  reach, as a worker does: ``app.runtime.freeze_long_lived_objects``);
* the privacy detector alone (``classifiers.pii.find_privacy``, presidio
  based) in one and two processes;

and writes the figures with machine details to
``bench/results/classify-<date>.json``.

The comments are 30 words each, drawn deterministically from the labelled
corpus (sentences of several comments joined and cut at 30 words), so they
mix every category.  A separate warm-up set runs first: per-word caches in the
detectors fill as a long-running worker's would, without the measured texts
being seen before.  Each measurement runs ``--repeat`` passes over different
comments; the fastest pass is reported (other processes on a shared machine
only ever slow a pass down) and every pass is kept in the JSON file, with the
load average at the start.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from app.runtime import freeze_long_lived_objects

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "classifiers" / "data" / "corpus.jsonl"
RESULTS = Path(__file__).resolve().parent / "results"

_FALLBACK = [
    "Hej! När öppnar badhuset igen efter renoveringen, och kommer priserna att höjas?",
    "Gatlampan på Storgatan är trasig sedan en vecka, kan ni skicka någon?",
    "Vilken j@vla idiot som planerade den här korsningen, skäms!",
    "Rabattkod SOMMAR20 ger 20 % på allt i vår webbshop, DM för pris.",
    "Rösta på oss i valet, vi står för en tryggare kommun.",
]


def comments(n: int, seed: int, words: int = 30) -> list[str]:
    """``n`` comments of exactly ``words`` words, deterministic for a seed."""
    if CORPUS.exists():
        with CORPUS.open(encoding="utf-8") as fh:
            pool = [json.loads(line)["text"] for line in fh if line.strip()]
    else:
        pool = _FALLBACK
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        acc: list[str] = []
        while len(acc) < words:
            acc.extend(rng.choice(pool).split())
        out.append(" ".join(acc[:words]))
    return out


_fn: Callable[[str], object] | None = None


_frozen = False


def _init(target: str, warm: list[str]) -> None:
    global _fn, _frozen
    _fn = _target(target)
    if not _frozen:
        # What ``uppsikt worker`` does once, when its engine is built and before any
        # comment: the objects made at start-up are kept from the garbage collector,
        # which would otherwise walk them in every full collection (one such walk cost
        # ~75 ms per 4,000 comments here).  Once per process, as in the worker: the
        # caches later passes fill stay in the collector's reach.
        freeze_long_lived_objects()
        _frozen = True
    for text in warm:
        _fn(text)


def _target(name: str) -> Callable[[str], object]:
    if name == "classify":
        from classifiers import classify, warm_up

        warm_up()
        return classify
    from classifiers.pii import find_privacy
    from classifiers.pii import warm_up as pii_warm_up

    pii_warm_up()
    return lambda text: find_privacy(text, None)


def _timed(text: str) -> float:
    assert _fn is not None
    start = time.perf_counter()
    _fn(text)
    return time.perf_counter() - start


def _summary(latencies: list[float], wall: float) -> dict[str, float]:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return {
        "comments": len(latencies),
        "comments_per_s": round(len(latencies) / wall, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(p99 * 1000, 3),
        "wall_s": round(wall, 3),
    }


def run_one_process(target: str, texts: list[str], warm: list[str]) -> dict[str, float]:
    _init(target, warm)
    start, cpu_start = time.perf_counter(), time.process_time()
    latencies = [_timed(t) for t in texts]
    summary = _summary(latencies, time.perf_counter() - start)
    # CPU time is what the process itself spent; on a busy machine it is a steadier
    # figure than wall time, and its inverse is the single-core capacity.
    cpu = (time.process_time() - cpu_start) / len(texts)
    summary["cpu_ms_per_comment"] = round(cpu * 1000, 3)
    summary["comments_per_cpu_s"] = round(1 / cpu, 1)
    return summary


def run_processes(target: str, texts: list[str], warm: list[str], processes: int) -> dict[str, float]:
    ctx = mp.get_context("spawn")
    with ctx.Pool(processes, initializer=_init, initargs=(target, warm)) as pool:
        pool.map(_timed, warm[: processes * 10], chunksize=10)  # every worker is up and warm
        start = time.perf_counter()
        latencies = pool.map(_timed, texts, chunksize=50)
        wall = time.perf_counter() - start
    return _summary(latencies, wall)


def machine() -> dict[str, object]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu_model": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark classify() and the privacy detector.")
    parser.add_argument("-n", type=int, default=3000, help="comments per measurement")
    parser.add_argument("--warm", type=int, default=2000, help="warm-up comments (different from measured)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="passes per measurement; the fastest is reported, all are kept"
    )
    args = parser.parse_args()
    warm = comments(args.warm, seed=2)
    measured = [comments(args.n, seed=10 + k) for k in range(max(1, args.repeat))]
    from classifiers import warm_up

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    results: dict[str, object] = {
        "machine": machine(),
        "load_average_at_start": load,
        "model_version": warm_up(),
        "words_per_comment": 30,
    }
    runs: dict[str, dict[str, float]] = {}
    passes: dict[str, list[dict[str, float]]] = {}
    for target in ("classify", "privacy"):
        for name, run in (
            (f"{target}/1 process", lambda t, k: run_one_process(t, measured[k], warm)),
            (f"{target}/2 processes", lambda t, k: run_processes(t, measured[k], warm, 2)),
        ):
            # On a shared machine other work steals time; the fastest pass is the
            # closest to what the code costs, and every pass is kept in the file.
            # Each pass measures different comments, so no pass sees its texts twice.
            passes[name] = [run(target, k) for k in range(len(measured))]
            runs[name] = max(passes[name], key=lambda r: r["comments_per_s"])
    results["runs"] = runs
    results["all_passes"] = passes
    print(f"load average at start: {load}")
    print(f"{'run':<24}{'comments/s':>12}{'p50 ms':>10}{'p99 ms':>10}{'CPU ms':>10}{'per CPU-s':>11}")
    for name, r in runs.items():
        cpu_ms = f"{r['cpu_ms_per_comment']:>10.3f}" if "cpu_ms_per_comment" in r else f"{'':>10}"
        per_cpu = f"{r['comments_per_cpu_s']:>11.0f}" if "comments_per_cpu_s" in r else f"{'':>11}"
        print(
            f"{name:<24}{r['comments_per_s']:>12.0f}{r['p50_ms']:>10.3f}{r['p99_ms']:>10.3f}{cpu_ms}{per_cpu}"
        )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"classify-{dt.date.today().isoformat()}.json"
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
