"""hf-fidelity: Housing First fidelity scoring and auditable label decisions.

The engine is Rust (the ``hf-fidelity`` crate); this package is a thin layer over it.

>>> import hf_fidelity as hf
>>> rubric = hf.load_rubric("hfb-label")                    # shipped id, path or YAML text
>>> decision = rubric.audit("examples/staircase-refused.yaml")  # path, YAML/JSON text or dict
>>> decision.outcome, decision.overall                      # ('refused', Decimal('3.50'))
>>> decision.failed_rules                                   # ['granted/domain_means', ...]
>>> hf.verify(decision.record, rubric).holds                # True

Scores are exact ``decimal.Decimal`` values; ask for floats with ``to_dict(decimals="float")``
(``audit_frame`` gives float64 scores unless ``decimals="exact"``). Errors are ``HfFidelityError`` subclasses
(``RubricError``, ``AssessmentError``, ``RecordError``) carrying ``message``, ``origin``,
``path``, ``line``, ``column`` and the list of ``problems``.
"""

from __future__ import annotations

import os
from typing import Any, Mapping, Union

from ._native import (
    Assessment,
    AssessmentError,
    AuditRecord,
    Decision,
    HfFidelityError,
    Problem,
    RecordError,
    Rubric,
    RubricError,
    Verification,
    engine_version,
    shipped_rubrics,
    verify,
)
from ._frame import FrameAudit, audit_frame, audit_row, validate_frame
from ._monitor import history, network

__version__ = engine_version()

RubricSource = Union[Rubric, str, "os.PathLike[str]"]
AssessmentSource = Union[Assessment, Mapping[str, Any], str, "os.PathLike[str]"]


def load_rubric(source: RubricSource) -> Rubric:
    """A rubric from a shipped id (``"hfb-label"``), a path, or YAML text (a string with a
    line break). Raises ``RubricError``."""
    return Rubric.load(source)


def load_assessment(source: AssessmentSource) -> Assessment:
    """A self-assessment from a path, YAML/JSON text, or a dict shaped like the file.
    Raises ``AssessmentError``."""
    return Assessment.load(source)


def audit(assessment: AssessmentSource, rubric: RubricSource = "hfb-label") -> Decision:
    """Audits one assessment against ``rubric`` (the Belgian label by default)."""
    return load_rubric(rubric).audit(assessment)


_ICC_FORMS = ("1,1", "2,1", "3,1", "1,k", "2,k", "3,k")


def agreement_frame(ratings: Any, rubric: RubricSource = "hfb-label") -> Any:
    """The agreement between reviewers as a pandas DataFrame: one row per project and one
    for the network, with the numbers each figure rests on (``targets``, ``raters``),
    exact and within-one agreement, and the six ICCs of Shrout & Fleiss as float columns
    ``icc_1_1`` ... ``icc_3_k``. ``rubric.agreement(ratings)`` gives every figure exactly,
    with the kappas and the per-item table."""
    import pandas as pd

    report = load_rubric(rubric).agreement(ratings, decimals="float")

    def row(scope: str, project: Any, agreement: Any, icc: Any) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scope": scope,
            "project": project,
            "targets": agreement["targets"] if agreement else None,
            "exact_share": agreement["exact_share"] if agreement else None,
            "within_one_share": agreement["within_one_share"] if agreement else None,
            "icc_targets": icc["targets"] if icc else None,
            "icc_raters": icc["raters"] if icc else None,
        }
        for form in _ICC_FORMS:
            value = icc["icc"][form] if icc else None
            out["icc_" + form.replace(",", "_")] = float(value) if value is not None else None
        return out

    rows = [row("project", p["project"], p["agreement"], p["icc"]) for p in report["projects"]]
    rows.append(row("network", None, report["overall"], report["network_icc"]))
    return pd.DataFrame(rows)


__all__ = [
    "agreement_frame",
    "Assessment",
    "AssessmentError",
    "AuditRecord",
    "Decision",
    "HfFidelityError",
    "Problem",
    "RecordError",
    "Rubric",
    "RubricError",
    "Verification",
    "audit",
    "audit_frame",
    "audit_row",
    "history",
    "network",
    "FrameAudit",
    "validate_frame",
    "engine_version",
    "load_assessment",
    "load_rubric",
    "shipped_rubrics",
    "verify",
]
