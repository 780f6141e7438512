"""Audits: the decision object, its dict/JSON forms, agreement with the CLI, verify."""

from __future__ import annotations

import json
import os
import subprocess
from decimal import Decimal

import pytest

import hf_fidelity as hf
from conftest import EXAMPLES, GOLDEN, ROOT


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_agrees_with_the_cli_record(label, example):
    """The golden records are what `hf-fidelity audit X --format json` writes."""
    d = label.audit(example)
    golden = (GOLDEN / f"{example.stem}.record.json").read_text()
    assert d.to_json() == golden
    want = json.loads(golden)["decision"]
    assert d.outcome == want["outcome"]
    assert str(d.mean_of_items) == want["scores"]["items"]["mean"]
    assert {k: str(v) for k, v in d.domain_scores.items()} == {
        g["id"]: g["score"]["mean"] for g in want["scores"]["domains"]
    }
    assert hf.load_assessment(example).expected_outcome == d.outcome


CLI = os.environ.get("HF_FIDELITY_CLI")


@pytest.mark.skipif(not CLI, reason="set HF_FIDELITY_CLI to the built hf-fidelity binary (ci.sh does)")
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_agrees_with_the_live_cli(label, example):
    out = subprocess.run(
        [CLI, "audit", str(example.relative_to(ROOT)), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert out.stdout, out.stderr
    d = label.audit(example)
    assert json.loads(out.stdout) == json.loads(d.to_json())


def test_decision_fields(label, root):
    d = label.audit(root / "examples" / "staircase-refused.yaml")
    assert d.outcome == "refused"
    assert d.message == "The Housing First label is refused."
    assert d.message_in("fr").startswith("Le label")
    assert d.team_model == "act" and d.project_id == "namur-shelter-track-hf" and d.date == "2026-03-20"
    assert d.overall == d.mean_of_items == Decimal("3.22")
    assert isinstance(d.mean_of_domains, Decimal)
    assert d.domain_scores["separation"] == Decimal("2.14")
    assert all(isinstance(v, Decimal) for v in d.principle_scores.values())
    assert d.item_levels["no_housing_readiness"] == 1
    assert d.scores["items"]["exact"] == "132/41"
    assert {"granted/core_gates", "conditional/core_gates", "ready_for_review/self_assessment"} <= set(d.failed_rules)
    gates = next(r for r in d.rules if r["outcome"] == "conditional" and r["id"] == "core_gates")
    assert gates["verdict"] == "fail" and gates["failing"][0] == "no_housing_readiness"
    assert gates["threshold"] == Decimal("3")
    review = next(r for r in d.rules if r["id"] == "external_review" and r["outcome"] == "granted")
    assert review["verdict"] == "pass" and review.get("threshold") is None
    assert d.plan["target"] == "conditional"
    assert {"no_housing_readiness", "no_tenancy_conditions"} <= {r["item"] for r in d.plan["raises"]}
    assert d.items[0]["id"] and d.missing == [] and d.not_applicable == [] and d.warnings == []
    assert d.reaudit_months is None
    assert "refused" in repr(d)


def test_incomplete_and_warnings(label, root):
    d = label.audit(root / "examples" / "young-project-incomplete.yaml")
    assert d.outcome == "incomplete" and len(d.missing) == 4 and d.plan["answer"] == d.missing
    w = label.audit(root / "examples" / "act-mismatch-self-assessment.yaml")
    assert w.outcome == "ready_for_review" and w.reaudit_months is None and w.warnings[0]["id"]


def test_to_dict_decimals(label, root):
    d = label.audit(root / "examples" / "act-city-granted.yaml")
    exact = d.to_dict()
    assert exact == d.to_dict(decimals="decimal")
    assert isinstance(exact["decision"]["scores"]["items"]["mean"], Decimal)
    floats = d.to_dict(decimals="float")
    assert isinstance(floats["decision"]["scores"]["items"]["mean"], float)
    text = d.to_dict(decimals="str")
    assert text == json.loads(d.to_json())
    assert list(exact) == ["format", "engine", "rubric", "assessment", "decision", "input"]
    with pytest.raises(ValueError):
        d.to_dict(decimals="double")


def test_record_round_trip_and_verify(label, root, tmp_path):
    a = hf.load_assessment(root / "examples" / "conditional-improving.yaml")
    d = label.audit(a)
    rec = d.record
    assert rec.decision.outcome == d.outcome and rec.input.to_dict() == a.to_dict()
    assert rec.rubric["id"] == "hfb-label" and rec.engine["version"] == hf.__version__
    back = hf.AuditRecord.from_json(d.to_json())
    assert back == rec and back.to_json() == d.to_json()
    assert hf.AuditRecord.from_json(rec.to_yaml()) == rec
    path = tmp_path / "r.json"
    path.write_text(d.to_json())
    assert hf.AuditRecord.from_path(path) == rec
    for record in (rec, d, d.to_json(), str(path), path):
        v = hf.verify(record, label)
        assert v.holds and bool(v) and v.mismatches == [] and "holds" in repr(v)
    assert hf.verify(rec, "hfb-label", a).holds


def test_verify_finds_a_tampered_record(label, root):
    d = label.audit(root / "examples" / "staircase-refused.yaml")
    tampered = d.to_json().replace('"outcome": "refused"', '"outcome": "granted"', 1)
    v = hf.verify(tampered, label)
    assert not v.holds
    assert any(m["kind"] == "field_differs" and m["path"] == "decision.outcome" for m in v.mismatches)
    assert any("decision.outcome" in m for m in v.messages)
    other = label.audit(root / "examples" / "act-city-granted.yaml")
    v = hf.verify(d.record, label, other.record.input)
    assert not v.holds and v.mismatches[0]["kind"] == "assessment_changed"
    v = hf.verify(d.record, "hf-pathways")
    assert not v.holds and v.mismatches[0]["kind"] == "rubric_changed"


def test_reports_and_html(label, root):
    d = label.audit(root / "examples" / "staircase-refused.yaml")
    html = d._repr_html_()
    assert html.startswith("<div") and "<table>" in html and "REFUSED" in html and "no_housing_readiness" in html
    assert d.to_html() == html
    assert "OUTCOME: REFUSED" in d.report()
    assert d.report("text") == (GOLDEN / "staircase-refused.txt").read_text()
    assert d.report("markdown").startswith("#")
    assert "<html" in d.report("html").lower()
    assert "REFUS" in d.report("text", lang="fr")
    # A decision read back from a record needs the rubric for the full reports.
    back = hf.AuditRecord.from_json(d.to_json()).decision
    with pytest.raises(hf.RubricError):
        back.report()
    assert back.report(rubric=label) == d.report()
    with pytest.raises(ValueError):
        d.report("pdf")


def test_audit_convenience_and_check(label, root, mini, mini_doc):
    assert hf.audit(root / "examples" / "act-city-granted.yaml").outcome == "granted"
    assert mini.check(mini_doc) == []
    mini_doc["responses"]["choice"]["level"] = 7
    problems = mini.check(mini_doc)
    assert problems[0].kind == "out_of_range" and problems[0].path == "responses.choice.level"
    assert problems[0].to_dict()["path"] == "responses.choice.level" and "choice" in str(problems[0])


def test_target_public_from_a_file_and_a_dict(label, root):
    path = root / "examples" / "staircase-refused.yaml"
    d = label.audit(path)
    assert d.target_public == {
        "declared": True,
        "outside": [{"kind": "ethos", "categories": [9]}, {"kind": "duration", "duration": {"months": 1, "within_months": 1}}],
    }
    doc = json.loads(hf.Assessment.from_path(str(path)).to_json())
    assert label.audit(doc).target_public == d.target_public
    doc["target_public"]["ethos"] = [1, 14]
    with pytest.raises(hf.AssessmentError) as e:
        label.audit(doc)
    assert e.value.path == "target_public.ethos[1]" and "ETHOS category 14 does not exist" in str(e.value)
    del doc["target_public"]
    assert label.audit(doc).target_public == {"declared": False}
