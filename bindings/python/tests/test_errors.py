"""Errors: the exception hierarchy, with message, path, line, column and problems."""

from __future__ import annotations

import pytest

import hf_fidelity as hf


def test_hierarchy():
    for cls in (hf.RubricError, hf.AssessmentError, hf.RecordError):
        assert issubclass(cls, hf.HfFidelityError)
    assert issubclass(hf.HfFidelityError, Exception)
    assert hf.RubricError.__module__ == "hf_fidelity"


def test_rubric_yaml_error_has_line_and_column(mini_yaml):
    bad = mini_yaml.replace("threshold: 3.5", "threshold: 3.5e0", 1)
    with pytest.raises(hf.RubricError) as e:
        hf.Rubric.from_yaml(bad, "bad.yaml")
    err = e.value
    assert err.origin == "bad.yaml"
    assert "exponent" in err.message and err.message == str(err)
    assert err.path == "policy.outcomes[0].rules[0].threshold"
    assert err.line == 98 and isinstance(err.column, int)
    assert len(err.problems) == 1 and err.problems[0].line == err.line and err.kind == "shape"


def test_rubric_validation_lists_every_problem(mini_yaml):
    bad = mini_yaml.replace("items: [readiness]", "items: [nothing]").replace("level: 4, at_least: 0, at_most: 10", "level: 4, at_least: 0, at_most: 9")
    with pytest.raises(hf.RubricError) as e:
        hf.load_rubric(bad)
    assert len(e.value.problems) >= 2
    assert all(p.line for p in e.value.problems)
    assert {p.kind for p in e.value.problems} >= {"unknown_reference", "bands"}


def test_unknown_rubric_and_missing_file(tmp_path):
    with pytest.raises(hf.RubricError, match="no shipped rubric"):
        hf.load_rubric("no-such-rubric")
    with pytest.raises(hf.RubricError, match="cannot read"):
        hf.Rubric.from_path(tmp_path / "missing.yaml")
    with pytest.raises(hf.AssessmentError, match="cannot read") as e:
        hf.load_assessment(tmp_path / "missing.yaml")
    assert e.value.origin.endswith("missing.yaml") and e.value.problems == []
    with pytest.raises(hf.RecordError):
        hf.AuditRecord.from_path(tmp_path / "missing.json")


def test_assessment_text_error_has_line(mini):
    text = "format: hf-fidelity/assessment/v1\nproject: {id: p1, name: P}\nteam_model: act\ndate: 2026-02-01\nassessor: {kind: self_assessment}\nresponses:\n  choice: {level: 9}\n"
    with pytest.raises(hf.AssessmentError) as e:
        mini.audit(text)
    assert e.value.path == "responses.choice.level" and e.value.line == 7 and e.value.kind == "out_of_range"
    # A team model is any id; whether the rubric covers it is the audit's question.
    with pytest.raises(hf.AssessmentError) as e:
        hf.Assessment.from_str(text.replace("team_model: act", "team_model: ACME corp"))
    assert e.value.path == "team_model" and e.value.line == 3
    with pytest.raises(hf.AssessmentError) as e:
        mini.audit(text.replace("team_model: act", "team_model: acme"))
    assert e.value.path == "team_model" and e.value.line == 3 and e.value.kind == "unknown_reference"


def test_dict_errors_have_paths(mini, mini_doc):
    mini_doc["responses"]["choice"] = {"level": 4, "colour": "blue"}
    with pytest.raises(hf.AssessmentError) as e:
        hf.Assessment.from_dict(mini_doc)
    assert e.value.path == "responses.choice.colour" and e.value.line is None and e.value.origin == "<dict>"
    for value, where in [(True, "responses.ratio.value"), (float("nan"), "responses.ratio.value"), ("1e3", "responses.ratio.value"), ([1], "responses.ratio.value")]:
        doc = dict(mini_doc, responses={"ratio": {"value": value}})
        with pytest.raises(hf.AssessmentError) as e:
            hf.Assessment.from_dict(doc)
        assert e.value.path == where, value
    del mini_doc["responses"]["choice"]["colour"]  # a dict is read in order, as its file would be
    with pytest.raises(hf.AssessmentError, match="missing field `project`"):
        hf.Assessment.from_dict({k: v for k, v in mini_doc.items() if k != "project"})
    with pytest.raises(hf.AssessmentError, match="keys must be strings"):
        hf.Assessment.from_dict(dict(mini_doc, responses={1: {"level": 2}}))


def test_dicts_are_held_to_the_limits_of_a_file(mini_doc):
    # A dict is held to what a file may hold, so that the record made of it reads back.
    with pytest.raises(hf.AssessmentError) as e:
        hf.Assessment.from_dict(dict(mini_doc, comment="x" * 70_000))
    assert e.value.path == "comment" and e.value.kind == "too_large" and e.value.line is None
    assert "longer than the limit of 65536 bytes" in str(e.value)


def test_invalid_answers_raise_with_every_problem(mini, mini_doc):
    mini_doc["responses"]["readiness"] = {"level": 3}  # evidence required
    mini_doc["responses"]["harm"] = {"not_applicable": True}  # justification required
    mini_doc["responses"]["ghost"] = {"level": 2}
    with pytest.raises(hf.AssessmentError) as e:
        mini.audit(mini_doc)
    paths = [p.path for p in e.value.problems]
    assert paths == ["responses.ghost", "responses.harm.justification", "responses.readiness.evidence"]
    assert e.value.path == "responses.ghost"


def test_wrong_rubric_and_wrong_types(label, mini, mini_doc):
    with pytest.raises(hf.AssessmentError, match="rubric `mini`"):
        label.audit(mini_doc)
    for bad in (42, None, 3.5, object()):
        with pytest.raises(hf.HfFidelityError):
            label.audit(bad)
        with pytest.raises(hf.HfFidelityError):
            hf.load_rubric(bad)
    with pytest.raises(hf.RecordError):
        hf.AuditRecord.from_json("{}")
    with pytest.raises(hf.RecordError):
        hf.verify("{not json", label)
    with pytest.raises(hf.AssessmentError):
        hf.Assessment.from_str("")


def test_huge_and_hostile_input_does_not_crash(label):
    with pytest.raises(hf.AssessmentError):
        hf.Assessment.from_str("a: " + "[" * 10_000)
    with pytest.raises(hf.AssessmentError):
        hf.Assessment.from_dict({"responses": {"x": {"level": 10**40}}})
    with pytest.raises(hf.AssessmentError):
        hf.Assessment.from_str("x" * (5 * 1024 * 1024))
