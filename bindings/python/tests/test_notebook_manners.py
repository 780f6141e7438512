"""What a notebook expects of the objects: they pickle (for multiprocessing, joblib and
caches), and Ctrl-C stops a long audit."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import time

import pytest

import hf_fidelity as hf
from conftest import ROOT


def test_rubrics_assessments_decisions_and_records_pickle(label):
    again = pickle.loads(pickle.dumps(label))
    assert again.sha256 == label.sha256 and again.item_ids == label.item_ids
    path = ROOT / "examples" / "fact-flanders-conditional.yaml"
    a = hf.Assessment.from_path(str(path))
    back = pickle.loads(pickle.dumps(a))
    assert json.loads(back.to_json()) == json.loads(a.to_json())
    d = label.audit(a)
    d2 = pickle.loads(pickle.dumps(d))
    assert d2.to_json() == d.to_json() and d2.outcome == "conditional"
    assert d2.report("markdown", "nl") == d.report("markdown", "nl")
    r = pickle.loads(pickle.dumps(d.record))
    assert r == d.record
    # A decision without its rubric (read from a record) pickles too.
    bare = hf.AuditRecord.from_json(d.to_json()).decision
    assert pickle.loads(pickle.dumps(bare)).to_json() == d.to_json()


@pytest.mark.parametrize("way", ["audit_table", "audit_many"])
def test_ctrl_c_stops_a_long_audit(label, way):
    # A real SIGINT, as a terminal or Jupyter's "interrupt" sends it, from another process:
    # it arrives while the engine holds the GIL, as Ctrl-C does.
    doc = json.loads(hf.Assessment.from_path(str(ROOT / "examples" / "act-city-granted.yaml")).to_json())
    docs = [doc] * 40_000
    killer = subprocess.Popen(["sh", "-c", f"sleep 0.5; kill -INT {os.getpid()}"])
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            getattr(label, way)(docs)
    finally:
        killer.wait()
    # The whole audit takes many seconds; it stops within about a second of the signal.
    assert time.monotonic() - start < 2.5


def test_labels_name_items_domains_principles_and_outcomes_for_plots(label):
    nl = label.labels("nl")
    assert list(nl) == ["items", "domains", "principles", "outcomes"]
    assert list(nl["items"]) == label.item_ids and list(nl["domains"]) == label.domain_ids
    assert nl["outcomes"]["granted"] == "toegekend" and label.labels()["outcomes"]["granted"] == "granted"
    assert label.labels("fr")["items"]["fact_board"].startswith("Tableau FACT")
    with pytest.raises(ValueError):
        label.labels("de-CH")


def test_a_rubric_shows_as_a_table_in_jupyter(label):
    html = label._repr_html_()
    assert html.startswith('<div class="hf-rubric"><strong>Housing First Belgium label</strong> (hfb-label 2.3.0)')
    assert html.count("<tr>") == len(label.item_ids) + 1
    # An item for one model says which.
    assert "<code>fact_board</code></td><td>FACT board: scaling support up and down</td><td>FACT</td>" in html


def test_a_missing_rubric_file_is_named_as_a_file(tmp_path):
    missing = tmp_path / "my-rubric.yaml"
    with pytest.raises(hf.HfFidelityError) as e:
        hf.load_rubric(str(missing))
    assert str(missing) in str(e.value) and "cannot read" in str(e.value)
    with pytest.raises(hf.HfFidelityError, match="no shipped rubric has the id `hfb-lable`"):
        hf.load_rubric("hfb-lable")


def test_every_error_has_index_and_row_none_outside_a_batch(label):
    with pytest.raises(hf.HfFidelityError) as e:
        hf.load_rubric("hfb-lable")
    assert e.value.index is None and e.value.row is None
    with pytest.raises(hf.AssessmentError) as e:
        label.audit_many([{"format": "hf-fidelity/assessment/v1"}])
    assert e.value.index == 0 and e.value.row is None
