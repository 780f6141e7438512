"""Assessments given as dicts (what `yaml.safe_load` or `json.load` give): the time to read
one, against the floors of the same job, side by side in interleaved runs.

    python bindings/python/bench/dicts.py              # 2,000 dicts, 5 rounds
    python bindings/python/bench/dicts.py --count 500

The dicts are the shipped examples (`examples/*.yaml`), as `json.loads` gives them, repeated.
Measured per dict, medians of the rounds:

- ``from_dict``: `Assessment.from_dict(d)` (written as the file's JSON, read by the one reader);
- ``from_str``: `Assessment.from_str(text)` on the same assessment's JSON text (the engine's
  reader alone; the floor for the reading half);
- ``json.dumps``: Python's own C writer over the same dict (the floor for the writing half);
- ``audit_table``: `rubric.audit_table(dicts)` (read, then summarised on all cores).
"""

from __future__ import annotations

import argparse
import json
import pathlib
import statistics
import time

import hf_fidelity as hf

ROOT = pathlib.Path(__file__).resolve().parents[3]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    label = hf.load_rubric("hfb-label")
    examples = [hf.Assessment.from_path(p) for p in sorted((ROOT / "examples").glob("*.yaml"))]
    texts = [a.to_json() for a in examples]
    docs = [json.loads(t) for t in texts]
    n = args.count
    dicts = [docs[i % len(docs)] for i in range(n)]
    strs = [texts[i % len(texts)] for i in range(n)]

    def from_dict() -> None:
        for d in dicts:
            hf.Assessment.from_dict(d)

    def from_str() -> None:
        for t in strs:
            hf.Assessment.from_str(t)

    def dumps() -> None:
        for d in dicts:
            json.dumps(d)

    def table() -> None:
        label.audit_table(dicts)

    runs = {"from_dict": from_dict, "from_str": from_str, "json.dumps": dumps, "audit_table": table}
    times: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(args.rounds):
        for name, f in runs.items():
            t = time.perf_counter()
            f()
            times[name].append((time.perf_counter() - t) / n * 1e6)
    base = statistics.median(times["from_dict"])
    print(f"{n} dicts, {args.rounds} rounds, medians (hf_fidelity from {hf.__file__})")
    print(f"{'what':<12} {'us per dict':>12} {'vs from_dict':>13}")
    for name in runs:
        m = statistics.median(times[name])
        print(f"{name:<12} {m:>12.1f} {m / base:>12.2f}x")


if __name__ == "__main__":
    main()
