"""hf-fidelity: Housing First fidelity scoring and auditable label decisions.

The engine is Rust (the ``hf-fidelity`` crate); this package is a thin layer over it.

>>> import hf_fidelity as hf
>>> rubric = hf.load_rubric("hfb-label")                    # shipped id, path or YAML text
>>> decision = rubric.audit("examples/staircase-refused.yaml")  # path, YAML/JSON text or dict
>>> decision.outcome, decision.overall                      # ('refused', Decimal('3.50'))
>>> decision.failed_rules                                   # ['granted/domain_means', ...]
>>> hf.verify(decision.record, rubric).holds                # True

Scores are exact ``decimal.Decimal`` values; ask for floats with ``to_dict(decimals="float")``
or ``audit_frame(..., decimals="float")``. Errors are ``HfFidelityError`` subclasses
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
from ._frame import audit_frame

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


__all__ = [
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
    "engine_version",
    "load_assessment",
    "load_rubric",
    "shipped_rubrics",
    "verify",
]
