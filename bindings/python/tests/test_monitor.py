"""`history` and `network` as tidy frames: the same numbers the engine's JSON gives."""

from __future__ import annotations

import pytest

import hf_fidelity as hf

pd = pytest.importorskip("pandas")


def test_history_frames_by_domain_item_and_round(root):
    folder = root / "examples" / "history"
    by_round = hf.history(folder, as_of="2027-06-01", by="round")
    assert list(by_round["outcome"]) == ["refused", "conditional", "conditional"]
    assert list(by_round["round"]) == [1, 2, 3] and by_round["overall"].dtype == "float64"
    data = hf.history(folder, as_of="2027-06-01", frame=False)
    assert [w["kind"] for w in data["warnings"]] == ["lapsed", "reaudit_overdue"]
    by_domain = hf.history(folder, as_of="2027-06-01")
    assert len(by_domain) == 3 * len(data["rounds"][0]["domains"])
    services = by_domain[by_domain["domain"] == "services"]["mean"].tolist()
    assert services == [float(r["domains"][3]["mean"]) for r in data["rounds"]]
    items = hf.history(folder, as_of="2027-06-01", by="item")
    harm = items[items["item"] == "harm_reduction"]["level"].tolist()
    assert harm == [1, 2, 2]
    # The levels moved between rounds are the moves the engine lists, real or corrections.
    corrected = items[items["corrected"]]
    assert list(zip(corrected["round"], corrected["item"])) == [(3, "crisis_coverage")]
    for k, r in enumerate(data["rounds"][1:], start=2):
        moved = {m["item"] for m in r["since_previous"]["moved"] + r["since_previous"].get("corrected", [])}
        before = items[items["round"] == k - 1].set_index("item")["level"]
        after = items[items["round"] == k].set_index("item")["level"]
        assert moved == {i for i in after.index if not (pd.isna(after[i]) and pd.isna(before[i])) and after[i] != before[i]}


def test_network_frames_by_domain_project_and_item(root):
    paths = [root / "examples", root / "examples" / "history", root / "examples" / "review"]
    by_project = hf.network(paths, as_of="2026-11-30", by="project")
    assert len(by_project) == 8 and by_project.set_index("project").loc["ghent-act-dampoort", "rating"] == "consensus"
    by_domain = hf.network(paths, as_of="2026-11-30")
    assert len(by_domain) == 8 * by_domain["domain"].nunique()
    for domain, group in by_domain.groupby("domain"):
        assert group["median"].nunique() == 1
        assert group["median"].iloc[0] == pytest.approx(group["mean"].median())
        assert (group["mean"] - group["median"]).round(3).tolist() == group["from_median"].round(3).tolist()
    items = hf.network(paths, as_of="2026-11-30", by="item")
    per_item = items.groupby("item")["projects"].sum()
    rated = items.groupby("item")["rated"].first()
    assert (per_item == rated).all()


def test_outcome_indicators_come_as_columns_beside_fidelity(root):
    # The generated network: every LAB round reports outcome indicators (not scored).
    by_project = hf.network(root / "examples" / "network", as_of="2026-11-30", by="project")
    data = hf.network(root / "examples" / "network", as_of="2026-11-30", frame=False)
    assert len(by_project) == 20 and set(by_project["region"]) == {"flanders", "brussels", "wallonia"}
    retention = by_project["outcome:housing_retention_12m"]
    assert retention.dtype == "float64" and retention.notna().all()
    spread = {o["indicator"]: o for o in data["outcome_indicators"]}
    assert retention.median() == pytest.approx(float(spread["housing_retention_12m"]["median"]))
    # Fidelity and outcomes side by side, as a researcher relates them.
    assert -1.0 <= by_project["overall"].corr(retention) <= 1.0
    rounds = hf.history(root / "examples" / "history", as_of="2027-06-01", by="round")
    assert rounds["outcome:participants"].tolist()[1:] == [38.0, 42.0] and pd.isna(rounds["outcome:participants"][0])


def test_records_of_several_projects_need_a_project(root):
    with pytest.raises(hf.HfFidelityError, match="--project"):
        hf.history([root / "examples" / "history", root / "examples" / "act-city-granted.yaml"])
