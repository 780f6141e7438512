"""Shared fixtures: the repository's examples, golden records and test corpus."""

from __future__ import annotations

import pathlib

import pytest

import hf_fidelity as hf

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
GOLDEN = ROOT / "tests" / "golden"
CORPUS = ROOT / "tests" / "corpus"


@pytest.fixture(scope="session")
def root() -> pathlib.Path:
    return ROOT


@pytest.fixture(scope="session")
def label() -> hf.Rubric:
    return hf.load_rubric("hfb-label")


@pytest.fixture(scope="session")
def mini_yaml() -> str:
    return (CORPUS / "mini-rubric.yaml").read_text()


@pytest.fixture(scope="session")
def mini(mini_yaml) -> hf.Rubric:
    return hf.Rubric.from_yaml(mini_yaml, "mini-rubric.yaml")


@pytest.fixture()
def mini_doc() -> dict:
    """The corpus' mini assessment as a dict (what yaml.safe_load would give)."""
    return {
        "format": "hf-fidelity/assessment/v1",
        "project": {"id": "p1", "name": "Project One"},
        "rubric": {"id": "mini"},
        "team_model": "act",
        "date": "2026-02-01",
        "assessor": {"kind": "self_assessment"},
        "responses": {
            "choice": {"level": 4},
            "readiness": {"level": 3, "evidence": ["intake policy"]},
            "ratio": {"value": 12},
            "harm": {"not_applicable": True, "justification": "Not relevant here"},
        },
    }
