"""`audit_table` gives the same table whatever form the assessments come in (dicts, other
mappings, `Assessment` objects, a generator) and the same as `audit_many` and `audit_frame`
(output columns as codes and float buffers): the same outcomes, scores and texts, and for a
bad row the same precise error."""

from __future__ import annotations

import copy
import math
import random
import types
from decimal import Decimal

import pytest

import hf_fidelity as hf


def _docs(label, n, seed=11):
    """Assessments as dicts (the file's shape), with gaps, not-applicable answers,
    blank evidence and measured values written as Decimal, int, float and text."""
    rng = random.Random(seed)
    data = label.to_dict(decimals="float")
    docs = []
    for i in range(n):
        model = "act" if i % 3 else "icm"
        quality = rng.choice([1.8, 2.6, 3.1, 3.5, 3.8])
        responses = {}
        for d in data["domains"]:
            for it in d["items"]:
                if model not in (it.get("team_models") or data["team_models"]) or rng.random() < 0.004:
                    continue
                ind = (it.get("variants", {}).get(model) or {}).get("indicator") or it.get("indicator")
                if ind:
                    v = rng.choice([0, 12.5, 40, 50, 74.9, 75, 89.99, 90, 100])
                    r = {"value": rng.choice([Decimal(str(v)), v, str(v)]) if not isinstance(v, int) else v}
                elif it.get("not_applicable") in ("allowed", "justified") and rng.random() < 0.05:
                    blank = it.get("not_applicable") == "allowed"
                    r = {"not_applicable": True, "justification": rng.choice(["no such service here"] + ["  "] * blank)}
                else:
                    r = {"level": max(1, min(4, round(rng.gauss(quality, 0.7))))}
                if it.get("evidence") == "required" and "not_applicable" not in r:
                    r["evidence"] = rng.choice([["intake files"], ["a", "  "], ("minutes",)] + [["file"]] * 40)
                elif rng.random() < 0.1:
                    r["evidence"] = rng.choice([["intake files"], ["  "], []])
                if rng.random() < 0.02:
                    r["comment"] = "checked on site"
                responses[it["id"]] = r
        doc = {
            "format": "hf-fidelity/assessment/v1",
            "project": {"id": f"p{i:05d}", "name": f"Project {i}"},
            "team_model": model,
            "date": "2026-03-01",
            "assessor": {"kind": rng.choice(["self_assessment", "lab", "peer"])},
            "responses": responses,
        }
        if i % 7 == 0:
            doc["comment"] = "second round"
            doc["project"]["location"] = "Gent"
        docs.append(doc)
    return docs


def _slow(docs):
    """The same assessments as read-only mappings rather than dicts."""
    return [types.MappingProxyType(d) for d in docs]


def _same(a, b):
    assert a.keys() == b.keys()
    for k in a:
        assert len(a[k]) == len(b[k])
        for x, y in zip(a[k], b[k]):
            assert x == y or (isinstance(x, float) and math.isnan(x) and math.isnan(y)), (k, x, y)
            assert type(x) is type(y), (k, x, y)


@pytest.mark.parametrize("decimals", ["decimal", "float", "str"])
def test_dicts_and_other_mappings_agree(label, decimals):
    docs = _docs(label, 1500)
    fast = label.audit_table(docs, decimals=decimals, plan=True)
    slow = label.audit_table(_slow(docs), decimals=decimals, plan=True)
    _same(fast, slow)
    assert fast["outcome"] == [d.outcome for d in label.audit_many(_slow(docs))]
    # A mix of outcomes: the 2.0 label is strict, so random answers are mostly refused.
    assert {"refused", "incomplete"} <= set(fast["outcome"]) and len(set(fast["outcome"])) >= 3


def test_dicts_with_unusual_fields_still_agree(label):
    docs = _docs(label, 300, seed=5)
    docs[3]["rubric"] = {"id": "hfb-label", "version": "2.0.0"}
    docs[4]["period"] = {"from": "2025-01-01", "to": "2025-12-31"}
    docs[5]["expected_outcome"] = "granted"
    docs[6]["responses"]["privacy"] = {"level": 3.0}  # a whole float as a level
    docs[7]["responses"]["privacy"] = {"level": 3, "not_applicable": False}
    docs[8]["date"] = __import__("datetime").date(2026, 3, 1)
    docs[9]["project"]["location"] = None
    _same(label.audit_table(docs), label.audit_table(_slow(docs)))


def _error(label, docs):
    with pytest.raises(hf.HfFidelityError) as e:
        label.audit_table(docs)
    return type(e.value), str(e.value), e.value.index, [(p.path, p.message) for p in e.value.problems]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda d: d["responses"].update(privacy={"level": 9}),  # outside the scale
        lambda d: d["responses"].update(privacy={"level": True}),  # a bool
        lambda d: d["responses"].update(privacy={"level": 2, "value": 3}),  # both
        lambda d: d["responses"].update(privacy={"level": 2, "extra": 1}),  # unknown field
        lambda d: d["responses"].update(no_such_item={"level": 2}),  # unknown item
        lambda d: d["responses"].update(staff_ratio={"value": "lots"}),  # not a number
        lambda d: d["responses"].update(staff_ratio={"value": Decimal("-5")}),  # out of range
        lambda d: d["responses"].update(privacy={"value": Decimal("2.5")}),  # value on a level item
        lambda d: d["responses"]["no_housing_readiness"].pop("evidence", None),  # evidence required
        lambda d: d["responses"].update(privacy={"level": 3, "evidence": "a file"}),  # not a list
        lambda d: d["responses"].update(privacy={"not_applicable": True}),  # forbidden
        lambda d: d.update(date="1 March 2026"),
        lambda d: d.update(team_model="hybrid"),
        lambda d: d.update(format="v0"),
        lambda d: d["project"].update(id="  "),
        lambda d: d["project"].pop("name"),
        lambda d: d.pop("assessor"),
        lambda d: d.update(responses=[]),
    ],
)
def test_a_bad_row_gives_the_same_error_either_way(label, spoil):
    docs = _docs(label, 600, seed=2)
    docs = [d for d in docs if "no_housing_readiness" in d["responses"]]
    bad = copy.deepcopy(docs)
    spoil(bad[450])
    fast = _error(label, bad)
    assert fast == _error(label, _slow(bad))
    assert fast[2] == 450 and fast[1].startswith("assessment 450:")


def test_a_later_unreadable_row_is_raised_before_an_earlier_rejected_one(label):
    docs = _docs(label, 5000, seed=4)
    docs[10]["responses"]["privacy"] = {"level": 9}  # rejected by the engine
    docs[4500] = 42  # cannot be read at all: raised first, as reading all comes first
    for d in (docs, _slow(docs[:4500]) + docs[4500:]):
        with pytest.raises(hf.AssessmentError) as e:
            label.audit_table(d)
        assert e.value.index == 4500


def test_generators_and_assessment_objects_mix(label):
    docs = _docs(label, 50, seed=8)
    mixed = [hf.load_assessment(d) if i % 2 else d for i, d in enumerate(docs)]
    _same(label.audit_table(iter(mixed)), label.audit_table(docs))


pd = pytest.importorskip("pandas")


@pytest.mark.parametrize("decimals", ["exact", "float", "str"])
def test_a_frame_and_its_dicts_give_the_same_columns(label, decimals):
    """`audit_frame` (Arrow columns) and `audit_table` (dicts) are two readers of the same
    answers: every output cell agrees, in each decimal mode."""
    rows, docs = [], []
    for i, d in enumerate(_docs(label, 2000, seed=9)):
        row = {"project_id": d["project"]["id"], "name": d["project"]["name"], "team_model": d["team_model"], "date": d["date"]}
        row["assessor"] = d["assessor"]["kind"]
        for k, r in d["responses"].items():
            if r.get("not_applicable"):
                continue
            row[k] = float(r["value"]) if "value" in r else r["level"]
            if r.get("evidence"):
                row[f"{k}:evidence"] = "; ".join(r["evidence"])
        if i == 17:
            row["privacy"] = "lots"
        else:
            kept = {k: v for k, v in d["responses"].items() if not v.get("not_applicable")}
            for v in kept.values():
                if "value" in v:
                    v["value"] = Decimal(repr(float(v["value"])))
                v.pop("comment", None)
            docs.append({**d, "responses": kept})
        rows.append(row)
    df = pd.DataFrame(rows)
    df.index = [f"r{i}" for i in range(len(df))]
    out = label.audit_frame(df, decimals=decimals, on_error="record", plan=True)
    assert out.loc["r17", "outcome"] == "error"
    table = label.audit_table(docs, decimals="decimal" if decimals == "exact" else decimals, plan=True)
    kept = out.drop(index="r17")
    for c in table:
        got = kept[c].tolist()
        if c == "date":
            got = [x.strftime("%Y-%m-%d") for x in kept[c]]
        want = [None if (x is None or x != x) else x for x in table[c]]
        got = [None if (x is None or x != x) else x for x in got]
        assert got == want, c
    assert {"refused", "incomplete", "error"} <= set(out["outcome"]) and len(set(out["outcome"])) >= 4
