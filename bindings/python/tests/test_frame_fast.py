"""The DataFrame fast path (columns in bulk, dense summaries) reads every cell as the
cell-by-cell path does, and reports what the full decision reports."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest

import hf_fidelity as hf
from hf_fidelity import _frame

pd = pytest.importorskip("pandas")



def _rows(label, n, seed=3):
    """Wide rows of the label rubric, with the odd gap, bad cell and unusual number."""
    rng = random.Random(seed)
    data = label.to_dict(decimals="float")
    # The items whose answers need evidence (the label's gate items), read from the rubric.
    needs_evidence = [i["id"] for d in data["domains"] for i in d["items"] if i.get("evidence") == "required"]
    items = [(it, d["id"]) for d in data["domains"] for it in d["items"]]
    rows = []
    for i in range(n):
        model = ("icm", "act", "fact")[i % 3]
        quality = rng.choice([1.8, 2.6, 3.1, 3.5, 3.8])
        row = {"project_id": f"p{i}", "name": f"P {i}", "team_model": model, "date": "2026-03-01"}
        for it, _ in items:
            models = it.get("team_models") or data["team_models"]
            if model not in models or rng.random() < 0.003:
                continue
            ind = (it.get("variants", {}).get(model) or {}).get("indicator") or it.get("indicator")
            if ind:
                # Measured: values a researcher types, including ones Python writes oddly.
                row[it["id"]] = rng.choice([0.0, 0.5, 1.0, 2.5, 7.25, 12.5, 14.999, 15.0, 1e-05, 33.3, 60.0, 99.9, 100.0])
            else:
                row[it["id"]] = max(1, min(4, round(rng.gauss(quality, 0.7))))
        for g in needs_evidence:
            row[f"{g}:evidence"] = rng.choice(["file"] * 60 + ["a; b", "  ", None, "x\ny"])
        rows.append(row)
    return rows


def _columns(df, encode):
    return {c: (_frame._encoded(df[c]) if encode and c not in _frame._META else _frame._cells(df[c])) for c in df.columns}


def _same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        for x, y in zip(a[k], b[k]):
            assert x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y)), (k, x, y)


@pytest.mark.parametrize("n", [50, 3000])
def test_encoded_columns_read_as_cell_by_cell(label, n):
    df = pd.DataFrame(_rows(label, n))
    # Odd cells: text in a level column, a non-integral level, not-applicable, a bad evidence.
    df["privacy"] = df["privacy"].astype(object)
    df.loc[5, "privacy"] = "n/a"
    df.loc[7, "privacy"] = "lots"
    df.loc[9, "privacy"] = 2.5
    df.loc[11, "privacy"] = " "
    for decimals in ("str", "decimal", "float"):
        fast = label._audit_columns(_columns(df, True), len(df), decimals=decimals, on_error="record", plan=True)
        slow = label._audit_columns(_columns(df, False), len(df), decimals=decimals, on_error="record", plan=True)
        _same(fast, slow)
    assert fast["outcome"][7] == "error" and "row 7" in fast["error"][7]
    assert fast["outcome"][9] == "error" and "not a whole number" in fast["error"][9]
    if n >= 1000:
        assert {"refused", "incomplete", "error"} <= set(fast["outcome"])


def test_fast_path_matches_full_decisions(label):
    rows = [r for r in _rows(label, 400) if all(v is not None and str(v).strip() for k, v in r.items() if k.endswith(":evidence"))]
    df = pd.DataFrame(rows)
    out = label.audit_frame(df, plan=True)
    docs = []
    for r in rows:
        responses = {}
        for k, v in r.items():
            if k in ("project_id", "name", "team_model", "date") or k.endswith(":evidence"):
                continue
            cell = {"value": Decimal(repr(v))} if isinstance(v, float) else {"level": v}
            if f"{k}:evidence" in r:
                cell["evidence"] = [r[f"{k}:evidence"]]
            responses[k] = cell
        docs.append(
            {
                "format": "hf-fidelity/assessment/v1",
                "project": {"id": r["project_id"], "name": r["name"]},
                "team_model": r["team_model"],
                "date": r["date"],
                "assessor": {"kind": "self_assessment"},
                "responses": responses,
            }
        )
    decisions = label.audit_many(docs)
    assert list(out["outcome"]) == [d.outcome for d in decisions]
    assert list(out["overall"]) == [d.overall for d in decisions]
    assert list(out["failed_rules"]) == [", ".join(d.failed_rules) for d in decisions]
    assert list(out["plan_target"].fillna("-")) == [d.plan.get("target") or "-" for d in decisions]
    assert list(out["plan_steps"]) == [d.plan["total_steps"] for d in decisions]
    table = label.audit_table(docs, plan=True)
    assert table["outcome"] == list(out["outcome"]) and table["plan_steps"] == list(out["plan_steps"])
    assert "plan_target" not in label.audit_frame(df).columns
