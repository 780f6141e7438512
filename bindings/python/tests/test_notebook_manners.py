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
