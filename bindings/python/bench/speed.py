"""Issue 7 ("speed"): 100,000 label audits in Rust, from a DataFrame and from a list of
dicts, against a straightforward pure-Python implementation of the same scoring and gates
for the ``hfb-label`` rubric.

    python bindings/python/bench/speed.py            # 100,000 assessments
    python bindings/python/bench/speed.py --n 20000  # fewer

The pure-Python version is what a researcher would write for this one rubric: look up each
item's level (or turn a measured value into a level through the rubric's bands), take the
mean per domain and overall, check the gate items, pick the outcome. It is written to be
reasonably quick (plain loops over dicts, no pandas per row). The script checks that its
outcomes agree with the engine's on every row, then prints the times and the speed-ups.

What the Rust rows measure:

- ``audit_frame``: numeric item columns cross as float64 bytes and text columns as lists
  the engine reads once per distinct object; rows are validated and summarised by the dense
  path (``CompiledRubric::summarise``) on all cores with the GIL released; scores come back
  as one float64 buffer per column (``decimals="float"``) or as codes into the few distinct
  ``Decimal`` objects (the default), expanded with numpy.
- ``audit_table``: each dict is read straight into dense answers (the full conversion to an
  ``Assessment`` only for rows it cannot read exactly, e.g. with a ``period``), then as above.
- ``audit_many``: complete audit records (every rule's numbers, texts, the assessment's
  SHA-256): not a like-for-like comparison with the pure-Python loop.

Timings on a shared 2-core machine vary by 20% or more from run to run: run it several
times and compare medians.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from decimal import Decimal

import pandas as pd

import hf_fidelity as hf

RUBRIC_ID = "hfb-label"

# The hfb-label policy, written out by hand as a researcher would (rubrics/hfb-label.yaml).
GATES = [
    "no_housing_readiness",
    "no_tenancy_conditions",
    "support_through_housing_loss",
    "no_psychiatric_treatment_requirement",
    "no_substance_use_treatment_requirement",
    "harm_reduction",
    "service_choice",
    "contact_frequency",
]
GRANTED_OVERALL, GRANTED_DOMAIN, GRANTED_GATE = 3.5, 3.0, 3
CONDITIONAL_OVERALL, CONDITIONAL_GATE = 3.0, 2


def rubric_tables(rubric: hf.Rubric):
    """Items (id, domain, team models, required) and the bands of measured items, per model."""
    data = rubric.to_dict(decimals="float")
    items, bands = [], {}
    for d in data["domains"]:
        for it in d["items"]:
            models = it.get("team_models") or data["team_models"]
            items.append((it["id"], d["id"], tuple(models), it.get("required", True)))
            for m in data["team_models"]:
                ind = (it.get("variants", {}).get(m) or {}).get("indicator") or it.get("indicator")
                if ind:
                    bands[(it["id"], m)] = ind["bands"]
    return items, bands


def band_level(bands, v):
    for b in bands:
        if "at_least" in b and v < b["at_least"]:
            continue
        if "above" in b and v <= b["above"]:
            continue
        if "at_most" in b and v > b["at_most"]:
            continue
        if "below" in b and v >= b["below"]:
            continue
        return b["level"]
    return None


def pure_python_outcomes(rows, items, bands):
    """The label outcome of every row (a dict: metadata and one key per item)."""
    out = []
    for row in rows:
        model = row["team_model"]
        levels = {}
        sums, counts = {}, {}
        missing = False
        for item, domain, models, required in items:
            if model not in models:
                continue
            v = row.get(item)
            if v is None or v != v:  # None or NaN: no answer
                if required:
                    missing = True
                continue
            b = bands.get((item, model))
            level = band_level(b, v) if b else int(v)
            levels[item] = level
            sums[domain] = sums.get(domain, 0) + level
            counts[domain] = counts.get(domain, 0) + 1
        if missing:
            out.append("incomplete")
            continue
        overall = sum(levels.values()) / len(levels)
        domain_means = [sums[d] / counts[d] for d in sums]
        gates = [levels[g] for g in GATES if g in levels]
        if overall >= GRANTED_OVERALL and min(domain_means) >= GRANTED_DOMAIN and min(gates) >= GRANTED_GATE:
            out.append("granted")
        elif overall >= CONDITIONAL_OVERALL and min(gates) >= CONDITIONAL_GATE:
            out.append("conditional")
        else:
            out.append("refused")
    return out


def make_rows(n, items, bands, seed=7):
    """n synthetic self-assessments in wide form: every outcome occurs, some rows miss an item."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        model = "act" if i % 3 else "icm"
        quality = rng.choice([1.8, 2.6, 3.1, 3.5, 3.8])
        row = {"project_id": f"p{i:06d}", "name": f"Project {i}", "team_model": model, "date": "2026-03-01"}
        for item, _domain, models, _required in items:
            if model not in models:
                continue
            if rng.random() < 0.002:
                continue  # unanswered: the row is incomplete
            level = max(1, min(4, round(rng.gauss(quality, 0.7))))
            b = bands.get((item, model))
            if b:
                # A measured value inside the band of that level (exact to 0.5).
                band = next(x for x in b if x["level"] == level)
                lo = band.get("at_least", band.get("above", 0.0))
                hi = band.get("at_most", band.get("below", lo + 20.0))
                v = lo + (hi - lo) / 2
                row[item] = float(round(v * 2) / 2)
            else:
                row[item] = level
        for g in GATES:  # the label requires evidence for its gate items
            row[f"{g}:evidence"] = "self-assessment file"
        rows.append(row)
    return rows


def to_assessment(row, items):
    """A wide row as a dict shaped like an assessment file (for `audit_many`)."""
    return {
        "format": "hf-fidelity/assessment/v1",
        "project": {"id": row["project_id"], "name": row["name"]},
        "team_model": row["team_model"],
        "date": row["date"],
        "assessor": {"kind": "self_assessment"},
        "responses": {
            it: {
                **({"value": Decimal(str(row[it]))} if isinstance(row[it], float) else {"level": row[it]}),
                **({"evidence": [row[f"{it}:evidence"]]} if f"{it}:evidence" in row else {}),
            }
            for it, *_ in items
            if it in row
        },
    }


def timed(f):
    t = time.perf_counter()
    r = f()
    return time.perf_counter() - t, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    args = ap.parse_args()
    n = args.n

    rubric = hf.load_rubric(RUBRIC_ID)
    items, bands = rubric_tables(rubric)
    rows = make_rows(n, items, bands)
    df = pd.DataFrame(rows)
    docs = [to_assessment(r, items) for r in rows]
    print(f"{n:,} assessments, rubric {rubric.id} {rubric.version}, {len(items)} items, {os.cpu_count()} cores, Python {sys.version.split()[0]}")

    results = []
    t_py, py_out = timed(lambda: pure_python_outcomes(rows, items, bands))
    results.append(("pure Python (loops over row dicts)", t_py))

    t, frame = timed(lambda: rubric.audit_frame(df))
    results.append(("Rust: audit_frame(DataFrame), Decimal scores", t))
    t, frame_f = timed(lambda: rubric.audit_frame(df, decimals="float"))
    results.append(("Rust: audit_frame(DataFrame), float scores", t))
    t, table = timed(lambda: rubric.audit_table(docs))
    results.append(("Rust: audit_table(list of dicts)", t))
    t, decisions = timed(lambda: rubric.audit_many(docs))
    results.append(("Rust: audit_many(list of dicts), full audit records", t))

    rust_out = list(frame["outcome"])
    assert rust_out == py_out, "pure Python and Rust disagree"
    assert list(frame_f["outcome"]) == rust_out
    assert table["outcome"] == rust_out
    assert [d.outcome for d in decisions] == rust_out
    counts = pd.Series(rust_out).value_counts().to_dict()
    print(f"outcomes agree on all {n:,} rows: {counts}")
    print()
    print(f"| {'implementation':<52} | {'time (s)':>8} | {'per audit (us)':>14} | {'speed-up':>8} |")
    print(f"|{'-' * 54}|{'-' * 10}:|{'-' * 16}:|{'-' * 10}:|")
    for name, t in results:
        print(f"| {name:<52} | {t:8.3f} | {t / n * 1e6:14.2f} | {t_py / t:7.1f}x |")


if __name__ == "__main__":
    main()
