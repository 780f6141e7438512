"""Many at once: lists of assessments, tables, and pandas DataFrames in wide form."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest

import hf_fidelity as hf
from conftest import EXAMPLES


def test_audit_many_keeps_order(label):
    docs = [hf.load_assessment(p) for p in EXAMPLES] * 50  # hundreds: run on several threads
    decisions = label.audit_many(docs)
    assert [d.outcome for d in decisions] == [label.audit(a).outcome for a in docs]
    assert [d.project_id for d in decisions] == [a.project_id for a in docs]
    assert label.audit_many([]) == []
    assert [d.outcome for d in label.audit_many(iter(EXAMPLES))] == [d.outcome for d in decisions[: len(EXAMPLES)]]


def test_audit_many_errors(label, mini_doc):
    good = hf.load_assessment(EXAMPLES[0])
    with pytest.raises(hf.AssessmentError) as e:
        label.audit_many([good, mini_doc, good])
    assert e.value.index == 1 and e.value.message.startswith("assessment 1:")
    out = label.audit_many([good, mini_doc, 42, good], on_error="return")
    assert isinstance(out[0], hf.Decision) and isinstance(out[3], hf.Decision)
    assert isinstance(out[1], hf.AssessmentError) and out[1].index == 1
    assert isinstance(out[2], hf.AssessmentError) and out[2].index == 2


def test_audit_table(label):
    table = label.audit_table(EXAMPLES)
    assert table["outcome"] == [label.audit(p).outcome for p in EXAMPLES]
    assert all(isinstance(v, Decimal) for v in table["overall"])
    assert "domain:separation" in table and "principle:harm_reduction" in table
    floats = label.audit_table(EXAMPLES, decimals="float")
    assert all(isinstance(v, float) for v in floats["overall"])


pd = pytest.importorskip("pandas")


def wide(label, paths):
    """Examples in wide form: metadata columns and one column per item."""
    rows = []
    for p in paths:
        a = hf.load_assessment(p).to_dict()
        row = {"project_id": a["project"]["id"], "name": a["project"]["name"], "team_model": a["team_model"], "date": a["date"], "assessor": a["assessor"]["kind"]}
        for item, r in a["responses"].items():
            if r.get("not_applicable"):
                row[item] = "not_applicable"
                row[f"{item}:justification"] = r.get("justification")
            else:
                row[item] = r["level"] if "level" in r else r["value"]
            if r.get("evidence"):
                row[f"{item}:evidence"] = "; ".join(r["evidence"])
        rows.append(row)
    return pd.DataFrame(rows)


def test_audit_frame_matches_single_audits(label):
    df = wide(label, EXAMPLES)
    df.index = [f"r{i}" for i in range(len(df))]
    out = label.audit_frame(df, decimals="exact")
    assert list(out.index) == list(df.index)
    singles = [label.audit(p) for p in EXAMPLES]
    assert list(out["outcome"]) == [d.outcome for d in singles]
    assert list(out["overall"]) == [d.overall for d in singles]
    assert list(out["domain:separation"]) == [d.domain_scores["separation"] for d in singles]
    assert list(out["failed_rules"]) == [", ".join(d.failed_rules) for d in singles]
    assert list(out["missing"]) == [", ".join(d.missing) for d in singles]
    assert isinstance(out["overall"].iloc[0], Decimal)
    assert hf.audit_frame(label, df, decimals="exact").equals(out)
    # Scores are float64 by default: the nearest float to each exact score.
    floats = label.audit_frame(df)
    assert floats["overall"].dtype == "float64"
    assert list(floats["overall"]) == [float(d.overall) for d in singles]


def test_audit_frame_float_nan_and_extra_columns(label):
    df = wide(label, EXAMPLES)
    df["round"] = range(len(df))
    out = label.audit_frame(df, decimals="float")
    assert out["overall"].dtype == "float64" and list(out["round"]) == list(range(len(df)))
    # Float columns with NaN gaps: NaN is an unanswered item.
    df2 = df.copy()
    df2["housing_choice"] = df2["housing_choice"].astype("float64")
    df2.loc[0, "housing_choice"] = float("nan")
    out2 = label.audit_frame(df2)
    assert out2["outcome"].iloc[0] == "incomplete" and out2["missing"].iloc[0] == "housing_choice"
    df2["province"] = "East Flanders"
    with pytest.raises(hf.AssessmentError, match="province"):
        label.audit_frame(df2)
    assert label.audit_frame(df2, extra="ignore")["outcome"].tolist() == out2["outcome"].tolist()


def test_audit_frame_defaults_and_errors(label):
    df = wide(label, EXAMPLES[:2]).drop(columns=["date", "assessor"])
    out = label.audit_frame(df, date="2026-01-01", assessor="lab")
    assert list(out["date"].dt.strftime("%Y-%m-%d")) == ["2026-01-01"] * 2
    with pytest.raises(hf.AssessmentError, match="date"):
        label.audit_frame(df)
    bad = wide(label, EXAMPLES[:3])
    bad.loc[1, "privacy"] = 9
    with pytest.raises(hf.AssessmentError) as e:
        label.audit_frame(bad)
    assert e.value.row == 1 and e.value.path == "responses.privacy.level"
    kept = label.audit_frame(bad, on_error="record")
    assert list(kept["outcome"])[1] == "error" and "privacy" in kept["error"].iloc[1]
    assert pd.isna(kept["error"].iloc[0]) and kept["outcome"].iloc[0] != "error"
    bad["privacy"] = bad["privacy"].astype(object)
    bad.loc[2, "privacy"] = "lots"
    kept = label.audit_frame(bad, on_error="record")
    assert kept["outcome"].iloc[2] == "error" and kept["project_id"].iloc[2] == bad["project_id"].iloc[2]
    with pytest.raises(TypeError):
        label.audit_frame([1, 2])


def test_a_keyword_and_a_column_of_the_same_name_are_refused(label):
    """`team_model=`, `date=` and `assessor=` set every row: beside a column of that name, one
    of the two would be silently ignored (the keyword was, before)."""
    df = wide(label, EXAMPLES[:2])
    for keyword, value in [("team_model", "icm"), ("date", "2026-01-01"), ("assessor", "lab")]:
        with pytest.raises(hf.AssessmentError, match=f"`{keyword}` is given both as a column and as {keyword}="):
            label.audit_frame(df, **{keyword: value})


def test_a_missing_project_id_names_the_column_only(label):
    """An empty id cell once suggested a `project_id=` keyword, which does not exist."""
    df = wide(label, EXAMPLES[:2])
    df["project_id"] = df["project_id"].astype(object)
    df.loc[1, "project_id"] = None
    with pytest.raises(hf.AssessmentError) as e:
        label.audit_frame(df)
    assert e.value.row == 1 and "project_id=" not in str(e.value), str(e.value)
    assert "add a `project_id` column" in str(e.value)


def test_timestamps_and_nullable_ints(label):
    df = wide(label, EXAMPLES[:1])
    df["date"] = pd.to_datetime(df["date"])
    df["privacy"] = df["privacy"].astype("Int64")
    assert label.audit_frame(df)["date"].iloc[0].strftime("%Y-%m-%d") == str(hf.load_assessment(EXAMPLES[0]).date)


def test_pandas_is_imported_only_when_needed():
    import subprocess

    code = "import sys, hf_fidelity as hf; r = hf.load_rubric('hfb-label'); r.audit_table([]); print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
