"""Every item and rule of every row (`items=True`, `rules=True`), every problem of every
row (`validate_frame`), and one row's full decision (`audit_row`): each agrees with the
full decision of the same assessment."""

from __future__ import annotations

from decimal import Decimal

import pytest

import hf_fidelity as hf

pd = pytest.importorskip("pandas")
pl = pytest.importorskip("polars")

from test_frame_arrow import _doc, _rows  # noqa: E402


def _clean_rows(label, n):
    return [r for r in _rows(label, n) if all(v is not None and str(v).strip() for k, v in r.items() if k.endswith(":evidence"))]


def test_items_and_rules_of_every_row_are_those_of_its_decision(label):
    rows = _clean_rows(label, 60)
    df = pd.DataFrame(rows)
    df.index = [f"r{i}" for i in range(len(df))]
    out = label.audit_frame(df, items=True, rules=True, decimals="exact")
    assert isinstance(out, hf.FrameAudit)
    decisions = label.audit_many([_doc(r) for r in rows])
    assert list(out.table["outcome"]) == [d.outcome for d in decisions]
    for k, d in enumerate(decisions):
        mine = out.items[out.items["row"] == k]
        assert set(mine.index) == {f"r{k}"}
        levels = {i: lv for i, lv in d.item_levels.items() if lv is not None}
        assert {i: int(lv) for i, lv in zip(mine["item"], mine["level"]) if lv == lv and lv is not None} == levels
        full = d.to_dict()["decision"]
        measured = {i["id"]: i["measured"] for i in full["items"] if "measured" in i}
        got = {i: (Decimal(v), b) for i, v, b in zip(mine["item"], mine["value"], mine["band"]) if pd.notna(v)}
        assert got == {i: (Decimal(m["value"]), m["band"]) for i, m in measured.items()}
        assert set(mine["status"]) <= {"stated", "measured", "not_applicable", "missing"}
        rules = out.rules[out.rules["row"] == k]
        assert [f"{o}/{r}" for o, r, v in zip(rules["outcome"], rules["rule"], rules["verdict"]) if v == "fail"] == d.failed_rules
        assert len(rules) == len(full["rules"])
    # Only what was asked for.
    only = label.audit_frame(df, rules=True)
    assert only.items is None and only.rules is not None and only.rules["observed"].dtype == "float64"


def test_validate_frame_lists_every_problem_of_every_row(label):
    rows = _clean_rows(label, 8)
    df = pd.DataFrame(rows)
    df.index = [f"r{i}" for i in range(len(df))]
    assert len(label.validate_frame(df)) == 0
    df["privacy"] = df["privacy"].astype(object)
    df.loc["r1", "privacy"] = "lots"
    df.loc["r1", "date"] = "2026-02-30"
    df.loc["r3", "housing_choice"] = 9
    df.loc["r5", "team_model"] = "flexible"
    problems = label.validate_frame(df)
    assert list(problems.index) == ["r1", "r1", "r3", "r5"]
    assert list(problems["column"]) == ["date", "privacy", "housing_choice", "team_model"]
    assert list(problems["project_id"]) == [df.loc[r, "project_id"] for r in ["r1", "r1", "r3", "r5"]]
    assert "2026-02-30" in problems["message"].iloc[0] and "lots" in problems["message"].iloc[1]
    assert problems["path"].iloc[2] == "responses.housing_choice.level" and "outside the scale" in problems["message"].iloc[2]
    # audit_frame reports each bad row's first problem, and from polars the same table.
    kept = label.audit_frame(df, on_error="record")
    first = problems[~problems.index.duplicated()]
    for label_, message in zip(first.index, first["message"]):
        assert message in kept.loc[label_, "error"]
    assert set(kept.index[kept["outcome"] == "error"]) == set(problems.index)
    as_polars = pl.from_pandas(df.astype({"privacy": str}).reset_index(drop=True))
    assert pl.from_pandas(problems.reset_index(drop=True)).equals(label.validate_frame(as_polars))


def test_audit_row_gives_the_full_decision_of_one_row(label):
    rows = _clean_rows(label, 6)
    df = pd.DataFrame(rows)
    for k in range(len(rows)):
        expected = label.audit(_doc(rows[k]))
        from_series = label.audit_row(df.iloc[k])
        from_dict = hf.audit_row(label, rows[k])
        from_polars = label.audit_row(pl.from_pandas(df).row(k, named=True))
        for d in (from_series, from_dict, from_polars):
            assert d.outcome == expected.outcome and d.overall == expected.overall and d.failed_rules == expected.failed_rules
            assert d.plan == expected.plan and hf.verify(d.record, label).holds
    bad = dict(rows[0], privacy="lots")
    with pytest.raises(hf.AssessmentError, match="column `privacy`: expected a level"):
        label.audit_row(bad)


def test_research_mode_without_evidence_is_recorded_in_every_row(label):
    rows = _clean_rows(label, 30)
    df = pd.DataFrame(rows)
    with_evidence = label.audit_frame(df, decimals="exact")
    bare = df.drop(columns=[c for c in df.columns if c.endswith(":evidence")])
    with pytest.raises(hf.AssessmentError, match="needs evidence"):
        label.audit_frame(bare)
    research = label.audit_frame(bare, decimals="exact", require_evidence=False)
    assert list(research["evidence_checked"]) == [False] * len(rows) and list(with_evidence["evidence_checked"]) == [True] * len(rows)
    pd.testing.assert_frame_equal(research.drop(columns="evidence_checked"), with_evidence.drop(columns="evidence_checked"))
    with pytest.raises(ValueError, match="require_evidence=False"):
        label.audit_frame(bare, require_evidence=False, items=True)
