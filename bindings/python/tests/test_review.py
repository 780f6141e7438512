"""The review from Python: reconcile, compare, agreement, on the example review."""

from __future__ import annotations

from pathlib import Path

import pytest

import hf_fidelity as hf

ROOT = Path(__file__).resolve().parents[3]
REVIEW = ROOT / "examples" / "review"
LAB, PEER, OWN, CONSENSUS = (REVIEW / f for f in ("reviewer-lab.yaml", "reviewer-peer.yaml", "self-assessment.yaml", "consensus.yaml"))


@pytest.fixture(scope="module")
def label() -> hf.Rubric:
    return hf.Rubric.shipped("hfb-label")


def test_reconcile_matches_the_command_line_golden(label):
    draft = label.reconcile([LAB, PEER], self_assessment=OWN, lang="nl")
    assert draft == (ROOT / "tests" / "golden" / "review" / "draft.nl.yaml").read_text(encoding="utf-8")
    # The draft reads as an assessment, undecided until the open items are filled in.
    assert label.audit(draft).outcome == "incomplete"


def test_compare_and_agreement(label):
    c = label.compare(OWN, CONSENSUS, decimals="str")
    assert (c["a"]["outcome"], c["b"]["outcome"]) == ("ready_for_review", "granted")
    assert c["differ_by_two_or_more"] == ["participant_representation"]
    assert c["mean_difference"] == "0.15"
    report = label.agreement([LAB, PEER, OWN, CONSENSUS])
    project = report["projects"][0]
    assert project["agreement"]["exact"] == 37
    assert sorted(project["icc"]["icc"]) == ["1,1", "1,k", "2,1", "2,k", "3,1", "3,k"]
    assert report["self_vs_consensus"]["projects"][0]["differ"] == 5


def test_agreement_frame(label):
    pd = pytest.importorskip("pandas")
    frame = hf.agreement_frame([LAB, PEER], rubric=label)
    assert list(frame["scope"]) == ["project", "network"]
    assert frame.loc[0, "icc_raters"] == 2
    assert pd.api.types.is_float_dtype(frame["icc_2_1"])
    assert 0.7 < frame.loc[0, "icc_2_1"] < 0.9


def test_bad_review_input_raises(label):
    with pytest.raises(hf.AssessmentError, match="rates project"):
        label.reconcile([LAB, ROOT / "examples" / "conditional-improving.yaml"])
