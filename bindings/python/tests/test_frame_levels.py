"""A measured item rated on the scale in a table: `<item>:level` columns."""

from __future__ import annotations

import pytest

import hf_fidelity as hf

pd = pytest.importorskip("pandas")


def _needs_evidence(pathways):
    return {i["id"] for d in pathways.to_dict()["domains"] for i in d["items"] if i.get("evidence") == "required"}


def _row(pathways, **answers):
    row = {"project_id": "p1", "name": "P", "team_model": "act", "date": "2026-03-01"}
    for i in pathways.items:
        if "act" in i["team_models"]:
            # Every measured item rated on the scale, through its level column.
            row[f"{i['id']}:level" if "act" in i["measured_for"] else i["id"]] = 3
            if i["id"] in _needs_evidence(pathways):
                row[f"{i['id']}:evidence"] = "file"
    row.pop("staff_ratio:level")
    row.update(answers)
    return row


def _doc(row, pathways, staff_ratio):
    responses = {k.removesuffix(":level"): {"level": v} for k, v in row.items() if k.removesuffix(":level") in pathways.item_ids}
    for k in responses:
        if k in _needs_evidence(pathways):
            responses[k]["evidence"] = ["file"]
    responses["staff_ratio"] = staff_ratio
    return {
        "format": "hf-fidelity/assessment/v1",
        "project": {"id": "p1", "name": "P"},
        "team_model": "act",
        "date": "2026-03-01",
        "assessor": {"kind": "self_assessment"},
        "responses": responses,
    }


def test_a_level_column_rates_a_measured_item_on_the_scale():
    pathways = hf.load_rubric("hf-pathways")
    level = pathways.audit_frame(pd.DataFrame([_row(pathways, **{"staff_ratio:level": 2})]), decimals="exact")
    as_level = pathways.audit(_doc(_row(pathways), pathways, {"level": 2}))
    assert level["mean_of_items"][0] == as_level.mean_of_items
    assert as_level.item_levels["staff_ratio"] == 2
    # In the item's own column, 2 is a measured value: 2 participants per FTE, level 4.
    value = pathways.audit_frame(pd.DataFrame([_row(pathways, staff_ratio=2)]), decimals="exact")
    as_value = pathways.audit(_doc(_row(pathways), pathways, {"value": 2}))
    assert value["mean_of_items"][0] == as_value.mean_of_items and as_value.item_levels["staff_ratio"] == 4
    assert level["mean_of_items"][0] != value["mean_of_items"][0]


def test_an_item_answered_twice_or_a_level_the_rubric_refuses_is_an_error(label):
    pathways = hf.load_rubric("hf-pathways")
    both = pd.DataFrame([_row(pathways, staff_ratio=2, **{"staff_ratio:level": 2})])
    with pytest.raises(hf.AssessmentError, match="both answer item `staff_ratio`"):
        pathways.audit_frame(both)
    # The label asks for the measured value: a level is refused, not read as one.
    row = {"project_id": "p1", "name": "P", "team_model": "act", "date": "2026-03-01", "staff_ratio:level": 3}
    with pytest.raises(hf.AssessmentError, match="must be measured"):
        label.audit_frame(pd.DataFrame([row]))
