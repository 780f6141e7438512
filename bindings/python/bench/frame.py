"""Notebooks at columnar speed (issue 13): `audit_frame` against the two versions of the
same decision a researcher would write in ten minutes, on the same rows, in interleaved runs.

    python bindings/python/bench/frame.py                  # 100,000 rows, then 1,000,000
    python bindings/python/bench/frame.py --sizes 20000    # quicker

The rows are self-assessments of the shipped ``hfb-label`` rubric in wide form: one column
per item (levels 1-4, measured values for measured items, gaps where an item does not apply
to the row's team model), evidence for the items that need it, project ids, team models,
dates. Both baselines read the rubric's own tables (items, bands, the policy's rules), as a
researcher reading the YAML would:

- ``loop``: a plain per-row Python loop over column lists, in floats (exact enough here:
  the thresholds are halves and the means have at most 44 items);
- ``numpy``: a vectorised version over numpy arrays.

Each computes the outcome, the mean of items, the domain means and the failed rules; the
script checks that both agree with the engine on every row before it times anything.
Memory: the peak resident memory added while auditing (Linux ``VmHWM``, reset before each
call through ``/proc/self/clear_refs``), against the frame's own size.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from fractions import Fraction

import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa

import hf_fidelity as hf


def rubric_tables(rubric: hf.Rubric):
    data = rubric.to_dict(decimals="str")
    items = []
    for d in data["domains"]:
        for it in d["items"]:
            models = it.get("team_models") or data["team_models"]
            bands = {}
            for m in models:
                ind = (it.get("variants", {}).get(m) or {}).get("indicator") or it.get("indicator")
                if ind:
                    bands[m] = [
                        (b["level"], *(Fraction(b[k]) if k in b else None for k in ("at_least", "above", "at_most", "below"))) for b in ind["bands"]
                    ]
            items.append({"id": it["id"], "domain": d["id"], "models": models, "bands": bands, "evidence": it.get("evidence") == "required"})
    return data, items


def make_frame(items, models, n, seed=1):
    """`n` rows: team models in turn, levels around a per-row quality, measured values."""
    rng = np.random.default_rng(seed)
    model = np.array(models)[np.arange(n) % len(models)]
    quality = rng.choice([2.4, 3.0, 3.4, 3.8], size=n)
    cols = {"project_id": [f"p{i:07d}" for i in range(n)], "team_model": model, "date": np.full(n, "2026-03-01")}
    for it in items:
        applies = np.isin(model, it["models"])
        if it["bands"]:
            # Values spread over the bands' range (percent or a small count).
            top = 100.0 if any(b[3] == 100 or b[2] == 100 for bs in it["bands"].values() for b in bs) else 30.0
            v = np.round(rng.uniform(0, top, size=n), 1)
        else:
            v = np.clip(np.rint(rng.normal(quality, 0.7)), 1, 4)
        cols[it["id"]] = np.where(applies, v, np.nan)
        if it["evidence"]:
            cols[it["id"] + ":evidence"] = np.where(applies, "intake files", None)
    return pd.DataFrame(cols)


def band_level(bands, v):
    for level, at_least, above, at_most, below in bands:
        if (at_least is None or v >= at_least) and (above is None or v > above) and (at_most is None or v <= at_most) and (below is None or v < below):
            return level
    raise ValueError(f"{v} is in no band")


def half_up(s, c):
    """The mean s/c rounded half-up to 2 places, as a float (exact integer arithmetic)."""
    return ((200 * s + c) // (2 * c)) / 100


def loop_baseline(df, data, items):
    """A plain loop over column lists."""
    cols = {c: df[c].tolist() for c in df.columns}
    items = [{**it, "bands": {m: [tuple(None if x is None else float(x) for x in b) for b in bs] for m, bs in it["bands"].items()}} for it in items]
    outcomes_spec = data["policy"]["outcomes"]
    out_outcome, out_mean, out_domains, out_failed = [], [], [], []
    domains = [d["id"] for d in data["domains"]]
    for i in range(len(df)):
        model = cols["team_model"][i]
        levels = {}
        for it in items:
            v = cols[it["id"]][i]
            if v != v:
                continue
            b = it["bands"].get(model)
            levels[it["id"]] = band_level(b, v) if b else int(v)
        sums = {d: [0, 0] for d in domains}
        for it in items:
            if it["id"] in levels:
                s = sums[it["domain"]]
                s[0] += levels[it["id"]]
                s[1] += 1
        total, count = sum(levels.values()), len(levels)
        failed, outcome = [], None
        for o in outcomes_spec:
            ok = True
            for r in o["rules"]:
                k = r["kind"]
                if k == "assessed_by":
                    passed = "self_assessment" in r["assessors"]
                elif k == "min_overall":
                    passed = total >= float(r["threshold"]) * count
                elif k == "min_domain":
                    passed = all(s >= float(r["threshold"]) * c for s, c in sums.values() if c)
                elif k == "max_below":
                    passed = sum(1 for lv in levels.values() if lv < r["level"]) <= r["count"]
                elif k == "min_level":
                    passed = all(levels[x] >= r["level"] for x in r["items"] if x in levels)
                else:
                    raise ValueError(k)
                if not passed:
                    failed.append(f"{o['outcome']}/{r['id']}")
                    ok = False
            if ok and outcome is None:
                outcome = o["outcome"]
        out_outcome.append(outcome or outcomes_spec[-1]["outcome"])
        out_mean.append(half_up(total, count))
        out_domains.append([half_up(s, c) if c else None for s, c in sums.values()])
        out_failed.append(", ".join(failed))
    return out_outcome, out_mean, out_domains, out_failed


def numpy_baseline(df, data, items):
    """The same decision over numpy arrays."""
    n = len(df)
    model = df["team_model"].to_numpy()
    ids = [it["id"] for it in items]
    lv = np.zeros((n, len(items)), dtype=np.int64)
    for j, it in enumerate(items):
        v = df[it["id"]].to_numpy(dtype=np.float64)
        answered = ~np.isnan(v)
        if it["bands"]:
            col = np.zeros(n, dtype=np.int64)
            for m, bands in it["bands"].items():
                rows = answered & (model == m)
                vm = v[rows]
                conds = []
                for level, at_least, above, at_most, below in bands:
                    c = np.ones(vm.shape, dtype=bool)
                    if at_least is not None:
                        c &= vm >= float(at_least)
                    if above is not None:
                        c &= vm > float(above)
                    if at_most is not None:
                        c &= vm <= float(at_most)
                    if below is not None:
                        c &= vm < float(below)
                    conds.append(c)
                col[rows] = np.select(conds, [b[0] for b in bands], 0)
            lv[:, j] = col
        else:
            lv[:, j] = np.where(answered, np.nan_to_num(v), 0).astype(np.int64)
    rated = lv > 0
    total, count = lv.sum(axis=1), rated.sum(axis=1)
    domains = [d["id"] for d in data["domains"]]
    dom_of = np.array([domains.index(it["domain"]) for it in items])
    dsum = np.stack([lv[:, dom_of == k].sum(axis=1) for k in range(len(domains))], axis=1)
    dcnt = np.stack([rated[:, dom_of == k].sum(axis=1) for k in range(len(domains))], axis=1)
    failed_cols, names, outcome = [], [], np.full(n, data["policy"]["outcomes"][-1]["outcome"], dtype=object)
    decided = np.zeros(n, dtype=bool)
    for o in data["policy"]["outcomes"]:
        ok = np.ones(n, dtype=bool)
        for r in o["rules"]:
            k = r["kind"]
            if k == "assessed_by":
                passed = np.full(n, "self_assessment" in r["assessors"])
            elif k == "min_overall":
                t = Fraction(r["threshold"])
                passed = total * t.denominator >= t.numerator * count
            elif k == "min_domain":
                t = Fraction(r["threshold"])
                passed = ((dsum * t.denominator >= t.numerator * dcnt) | (dcnt == 0)).all(axis=1)
            elif k == "max_below":
                passed = (rated & (lv < r["level"])).sum(axis=1) <= r["count"]
            elif k == "min_level":
                cols = [ids.index(x) for x in r["items"]]
                sub = lv[:, cols]
                passed = ((sub >= r["level"]) | (sub == 0)).all(axis=1)
            else:
                raise ValueError(k)
            failed_cols.append(~passed)
            names.append(f"{o['outcome']}/{r['id']}")
            ok &= passed
        outcome[ok & ~decided] = o["outcome"]
        decided |= ok
    failed = np.stack(failed_cols, axis=1)
    names = np.array(names, dtype=object)
    # Failed rules as text, one join per distinct pattern of failures.
    patterns, inverse = np.unique(np.packbits(failed, axis=1), axis=0, return_inverse=True)
    texts = np.array([", ".join(names[np.unpackbits(p, count=failed.shape[1]).astype(bool)]) for p in patterns], dtype=object)
    mean = (200 * total + count) // (2 * count) / 100
    with np.errstate(divide="ignore", invalid="ignore"):
        dmean = np.where(dcnt > 0, (200 * dsum + dcnt) // np.maximum(2 * dcnt, 1) / 100, np.nan)
    return outcome, mean, dmean, texts[inverse.ravel()]


def check(df, data, items, out):
    domains = [d["id"] for d in data["domains"]]
    lo, lm, ld, lf = loop_baseline(df.head(20000), data, items)
    no, nm, nd, nf = numpy_baseline(df, data, items)
    k = min(len(df), 20000)
    assert list(out["outcome"][:k]) == lo == list(no[:k]), "loop/numpy outcomes differ from the engine"
    assert list(out["outcome"]) == list(no)
    assert np.array_equal(out["mean_of_items"].to_numpy(), nm)
    assert lm == list(nm[:k])
    for j, d in enumerate(domains):
        e = out[f"domain:{d}"].to_numpy()
        assert np.array_equal(e, nd[:, j], equal_nan=True), d
        assert [x if x is not None else np.nan for x in (row[j] for row in ld)] == [x for x in e[:k]] or np.allclose(
            np.array([np.nan if r[j] is None else r[j] for r in ld]), e[:k], equal_nan=True
        )
    assert list(out["failed_rules"]) == list(nf)
    assert list(out["failed_rules"][:k]) == lf
    return sorted(set(out["outcome"]))


def rss_peak(fn):
    """(seconds, result, peak resident bytes added while fn ran)."""
    def status(key):
        for line in open("/proc/self/status"):
            if line.startswith(key):
                return int(line.split()[1]) * 1024
        raise KeyError(key)

    gc.collect()
    base = status("VmRSS:")
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    t = time.perf_counter()
    result = fn()
    dt = time.perf_counter() - t
    return dt, result, status("VmHWM:") - base


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000,1000000")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    rubric = hf.load_rubric("hfb-label")
    data, items = rubric_tables(rubric)
    per_row = {}
    for n in [int(x) for x in args.sizes.split(",")]:
        df = make_frame(items, data["team_models"], n)
        size = int(df.memory_usage(deep=True).sum())
        out = rubric.audit_frame(df)
        outcomes = check(df, data, items, out)
        as_polars, as_arrow = pl.from_pandas(df), pa.Table.from_pandas(df, preserve_index=False)
        runs = {
            "audit_frame (pandas)": lambda: rubric.audit_frame(df),
            "audit_frame (polars)": lambda: rubric.audit_frame(as_polars),
            "audit_frame (pyarrow)": lambda: rubric.audit_frame(as_arrow),
            "numpy baseline": lambda: numpy_baseline(df, data, items),
        }
        if n <= 100000:
            runs["per-row loop baseline"] = lambda: loop_baseline(df, data, items)
        times = {k: [] for k in runs}
        peaks = {k: [] for k in runs}
        for _ in range(args.rounds):
            for k, fn in runs.items():
                dt, _, peak = rss_peak(fn)
                times[k].append(dt)
                peaks[k].append(peak)
        print(f"\n{n:,} rows, frame {size / 1e6:.0f} MB, outcomes {outcomes}; median of {args.rounds} interleaved runs")
        engine = statistics.median(times["audit_frame (pandas)"])
        per_row[n] = engine / n
        for k in runs:
            t = statistics.median(times[k])
            print(f"  {k:28s} {t:8.3f} s  {t / n * 1e6:7.2f} us/row  {t / engine:6.2f}x the engine  peak +{max(peaks[k]) / 1e6:7.0f} MB ({max(peaks[k]) / size:.2f}x the frame)")
    if len(per_row) > 1:
        small, large = min(per_row), max(per_row)
        print(f"\ncost per row at {large:,} vs at {small:,}: {per_row[large] / per_row[small]:.2f}x")


if __name__ == "__main__":
    main()
