"""A dict is read as the file it stands for: written as that file's JSON and read by the
engine's one reader, so a dict and its file give the same assessment, the same problems
(by path, without a line) and the same record."""

from __future__ import annotations

import datetime
import json
import types
from decimal import Decimal

import pytest

import hf_fidelity as hf

from conftest import EXAMPLES


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_as_a_dict_gives_the_record_of_its_file(label, path):
    a = hf.Assessment.from_path(path)
    doc = json.loads(a.to_json())
    assert hf.Assessment.from_dict(doc).to_dict() == a.to_dict()
    from_file = label.audit(a).record.to_json()
    from_dict = label.audit(doc).record.to_json()
    # The origin differs; the assessment, its hash and the decision do not.
    assert json.loads(from_dict)["input"] == json.loads(from_file)["input"]
    assert json.loads(from_dict)["decision"] == json.loads(from_file)["decision"]


def test_numbers_are_written_exactly(mini, mini_doc):
    cases = [
        (12, "12"),
        (12.5, "12.5"),
        (0.1, "0.1"),
        (1e-05, "0.00001"),
        (12.0, "12"),  # a float holds no count of places
        (Decimal("12.50"), "12.50"),
        (Decimal("1.2E+1"), "12"),
        ("12.25", "12.25"),
    ]
    for given, written in cases:
        mini_doc["responses"]["ratio"]["value"] = given
        a = hf.Assessment.from_dict(mini_doc)
        assert a.to_dict(decimals="str")["responses"]["ratio"]["value"] == written, given


def test_python_types_a_file_cannot_hold_are_written_as_it_would(mini_doc):
    np = pytest.importorskip("numpy")
    mini_doc["date"] = datetime.datetime(2026, 2, 1, 10, 30)
    mini_doc["responses"]["choice"] = types.MappingProxyType({"level": np.int64(4)})
    mini_doc["responses"]["readiness"] = {"level": 3.0, "evidence": ("intake policy",)}  # a pandas level, a tuple
    mini_doc["responses"]["ratio"] = {"value": np.float64(12.5)}
    a = hf.Assessment.from_dict(mini_doc)
    d = a.to_dict(decimals="str")
    assert a.date == "2026-02-01"
    assert d["responses"]["choice"]["level"] == 4 and d["responses"]["readiness"]["level"] == 3
    assert d["responses"]["readiness"]["evidence"] == ["intake policy"] and d["responses"]["ratio"]["value"] == "12.5"


@pytest.mark.parametrize(
    "spoil, path, message",
    [
        (lambda d: d["responses"]["choice"].update(level=2.5), "responses.choice.level", "found the number `2.5`"),
        (lambda d: d["responses"]["choice"].update(level="3"), "responses.choice.level", "found the text `3`"),
        (lambda d: d["responses"]["choice"].update(level=Decimal("3.0")), "responses.choice.level", "found the number `3.0`"),
        (lambda d: d["responses"]["ratio"].update(value=float("inf")), "responses.ratio.value", "not a finite number"),
        (lambda d: d["responses"]["ratio"].update(value=Decimal("NaN")), "responses.ratio.value", "not a number"),
        (lambda d: d["responses"]["readiness"].update(evidence=["a", object()]), "responses.readiness.evidence[1]", "found object"),
        (lambda d: d["responses"].update({("a", 1): {"level": 2}}), "responses", "keys must be strings, found tuple key ('a', 1)"),
        (lambda d: d.update(date="2026-02-30"), "date", "2026 has no 30 February"),
    ],
)
def test_a_bad_value_is_named_by_its_path(mini_doc, spoil, path, message):
    spoil(mini_doc)
    with pytest.raises(hf.AssessmentError) as e:
        hf.Assessment.from_dict(mini_doc)
    assert e.value.path == path and e.value.line is None and message in e.value.message, e.value.message


def test_a_dict_that_holds_itself_is_refused_not_followed(mini_doc):
    loop: dict = {"note": "x"}
    loop["again"] = loop
    mini_doc["responses"]["choice"]["comment"] = loop
    with pytest.raises(hf.AssessmentError) as e:
        hf.Assessment.from_dict(mini_doc)
    assert "nest deeper than the limit of 64 levels" in e.value.message
    assert e.value.path.startswith("responses.choice.comment.again.again")


def test_many_dicts_are_read_on_the_workers_and_reading_still_comes_first(label):
    docs = [json.loads(hf.Assessment.from_path(p).to_json()) for p in EXAMPLES] * 60  # several blocks of threads
    docs = [json.loads(json.dumps(d)) for d in docs]  # each its own copy
    docs[5]["responses"]["privacy"] = {"level": 9}  # read, then rejected by the engine
    docs[300]["responses"]["privacy"] = {"level": 2.5}  # not read: a level is a whole number
    for audit in (label.audit_many, label.audit_table):
        with pytest.raises(hf.AssessmentError) as e:
            audit(docs)
        assert e.value.index == 300 and e.value.path == "responses.privacy.level", audit
    out = label.audit_many(docs, on_error="return")
    assert out[5].index == 5 and "9" in out[5].message and out[300].index == 300
    assert [d.outcome for i, d in enumerate(out) if i not in (5, 300)] == [
        label.audit(d).outcome for i, d in enumerate(docs) if i not in (5, 300)
    ]
