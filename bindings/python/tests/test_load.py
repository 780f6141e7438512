"""Loading rubrics and assessments from every kind of source."""

from __future__ import annotations

import json
import pathlib

import pytest

import hf_fidelity as hf
from conftest import CORPUS, EXAMPLES, ROOT


def test_shipped_rubrics_are_listed():
    shipped = hf.shipped_rubrics()
    assert [r["id"] for r in shipped] == ["hf-pathways", "hfb-label"]
    assert all(r["version"] and r["title"] and r["file"].endswith(".yaml") for r in shipped)


@pytest.mark.parametrize(
    "source",
    ["hfb-label", str(ROOT / "rubrics" / "hfb-label.yaml"), ROOT / "rubrics" / "hfb-label.yaml"],
    ids=["id", "str-path", "pathlike"],
)
def test_rubric_from_id_and_paths(source):
    r = hf.load_rubric(source)
    assert (r.id, r.version) == ("hfb-label", "2.3.0")
    assert r.sha256 == hf.Rubric.shipped("hfb-label").sha256


def test_rubric_from_yaml_text(mini_yaml):
    r = hf.load_rubric(mini_yaml)
    assert r.id == "mini"
    assert hf.Rubric.from_yaml(mini_yaml).sha256 == r.sha256
    assert hf.load_rubric(r) is not r and hf.load_rubric(r).sha256 == r.sha256


def test_rubric_introspection(label):
    assert label.team_models == ["act", "icm", "fact"]
    assert label.scale == (1, 4)
    assert "separation" in label.domain_ids and label.principle_ids
    assert label.item_ids == [i["id"] for i in label.items]
    ratio = next(i for i in label.items if i["id"] == "staff_ratio")
    assert ratio["measured_for"] == ["act", "icm", "fact"]
    d = label.to_dict()
    assert d["id"] == "hfb-label" and d["policy"]["outcomes"][0]["outcome"] == "granted"
    assert repr(label).startswith("<Rubric hfb-label 2.3.0")


def test_assessment_from_path_str_json_and_dict(mini_doc):
    path = EXAMPLES[0]
    a = hf.Assessment.from_path(path)
    assert a.origin == str(path)
    b = hf.load_assessment(str(path))
    c = hf.Assessment.from_str(path.read_text())
    d = hf.load_assessment(a.to_json())  # JSON text
    e = hf.Assessment.from_dict(json.loads(a.to_json()))
    for x in (b, c, d, e):
        assert x.to_dict() == a.to_dict()
    assert (a.project_id, a.team_model, a.date) == (b.project_id, "act", b.date)
    m = hf.load_assessment(mini_doc)
    assert m.origin == "<dict>" and m.project_id == "p1"
    assert "responses" in repr(m)


def test_assessment_dict_accepts_dates_and_decimals(mini_doc):
    import datetime
    from decimal import Decimal

    mini_doc["date"] = datetime.date(2026, 2, 1)
    mini_doc["period"] = {"from": datetime.date(2025, 2, 1), "to": "2026-01-31"}
    mini_doc["responses"]["ratio"]["value"] = Decimal("12.30")
    a = hf.Assessment.from_dict(mini_doc)
    assert a.date == "2026-02-01"
    assert a.to_dict()["responses"]["ratio"]["value"] == Decimal("12.30")
    assert str(a.to_dict()["responses"]["ratio"]["value"]) == "12.30"
    assert a.to_dict(decimals="str")["responses"]["ratio"]["value"] == "12.30"


def test_rubric_with_extends_from_path(tmp_path: pathlib.Path):
    base = (CORPUS / "mini-rubric.yaml").read_text()
    (tmp_path / "base.yaml").write_text(base)
    r = hf.Rubric.from_path(tmp_path / "base.yaml")
    assert r.id == "mini"
