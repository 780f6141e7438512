"""Type stubs of the native module `hf_fidelity._native` (the Rust engine)."""

from __future__ import annotations

import os
from decimal import Decimal
from typing import Any, Iterable, Literal, Mapping, Optional, Sequence, Union, final

__all__ = [
    "engine_version",
    "AssessmentError",
    "HfFidelityError",
    "Problem",
    "RecordError",
    "RubricError",
    "Assessment",
    "AuditRecord",
    "Decision",
    "Rubric",
    "Verification",
    "shipped_rubrics",
    "verify",
    "_history_json",
    "_network_json",
]

_Decimals = Literal["decimal", "float", "str"]
_Path = Union[str, os.PathLike[str]]
_AssessmentSource = Union["Assessment", Mapping[str, Any], _Path]
_RubricSource = Union["Rubric", _Path]

class HfFidelityError(Exception):
    """Base of every hf-fidelity error."""

    message: str
    origin: Optional[str]
    problems: list[Problem]
    kind: Optional[str]
    path: Optional[str]
    line: Optional[int]
    column: Optional[int]
    # Set on errors from batches: the position in the list (audit_many), or for a row of
    # audit_frame its index label (pandas; else its position); None on every other error.
    index: Optional[Any]
    # The position of the bad row of audit_frame; None on every other error.
    row: Optional[int]

class RubricError(HfFidelityError): ...
class AssessmentError(HfFidelityError): ...
class RecordError(HfFidelityError): ...

# A native class: it cannot be subclassed.
@final
class Problem:
    kind: str
    path: str
    line: Optional[int]
    column: Optional[int]
    message: str
    def to_dict(self) -> dict[str, Any]: ...

# A native class: it cannot be subclassed.
@final
class Rubric:
    def __reduce__(self) -> tuple[Any, tuple[str, str]]: ...
    @staticmethod
    def shipped(id: str) -> Rubric: ...
    @staticmethod
    def from_path(path: _Path) -> Rubric: ...
    @staticmethod
    def from_yaml(text: str, origin: str = "<string>") -> Rubric: ...
    @staticmethod
    def load(source: _RubricSource) -> Rubric: ...
    @property
    def id(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def team_models(self) -> list[str]: ...
    @property
    def scale(self) -> tuple[int, int]: ...
    def labels(self, lang: str = "en") -> dict[str, dict[str, str]]: ...
    def _repr_html_(self) -> str: ...
    @property
    def domain_ids(self) -> list[str]: ...
    @property
    def principle_ids(self) -> list[str]: ...
    @property
    def item_ids(self) -> list[str]: ...
    @property
    def items(self) -> list[dict[str, Any]]: ...
    def to_dict(self, decimals: _Decimals = "decimal") -> dict[str, Any]: ...
    def check(self, assessment: _AssessmentSource) -> list[Problem]: ...
    def audit(self, assessment: _AssessmentSource) -> Decision: ...
    def reconcile(
        self,
        ratings: Iterable[_AssessmentSource],
        self_assessment: Optional[_AssessmentSource] = None,
        lang: str = "en",
    ) -> str: ...
    def compare(self, a: _AssessmentSource, b: _AssessmentSource, decimals: _Decimals = "decimal") -> dict[str, Any]: ...
    def agreement(self, ratings: Iterable[_AssessmentSource], decimals: _Decimals = "decimal") -> dict[str, Any]: ...
    def audit_many(
        self, assessments: Iterable[_AssessmentSource], *, on_error: Literal["raise", "return"] = "raise"
    ) -> list[Union[Decision, HfFidelityError]]: ...
    def audit_table(
        self, assessments: Iterable[_AssessmentSource], *, decimals: _Decimals = "decimal", plan: bool = False
    ) -> dict[str, list[Any]]:
        """Columns of outcomes and scores; ``plan=True`` adds ``plan_target`` and ``plan_steps``."""
    def audit_frame(
        self,
        frame: Any,
        *,
        decimals: Literal["float", "exact", "decimal", "str"] = "float",
        on_error: Literal["raise", "record"] = "raise",
        extra: Literal["error", "ignore"] = "error",
        team_model: Optional[str] = None,
        date: Any = None,
        assessor: Optional[str] = None,
        plan: bool = False,
        items: bool = False,
        rules: bool = False,
        require_evidence: bool = True,
    ) -> Any:
        """A table of outcomes and scores, of the kind that came in (pandas, polars, pyarrow);
        with ``items=True`` or ``rules=True`` a ``FrameAudit`` with the long tables too; see
        `hf_fidelity.audit_frame`.

        ``plan=True`` adds the improvement plan's ``plan_target`` and ``plan_steps`` columns
        (off by default: the plan costs more than the rest of a row)."""
    def _audit_arrow(
        self,
        table: Any,
        *,
        decimals: Literal["float", "exact", "decimal", "str"] = "float",
        on_error: Literal["raise", "record"] = "raise",
        extra: Literal["error", "ignore"] = "error",
        team_model: Any = None,
        date: Any = None,
        assessor: Any = None,
        plan: bool = False,
        items: bool = False,
        rules: bool = False,
        require_evidence: bool = True,
    ) -> tuple[Any, Optional[Any], Optional[Any]]: ...
    def validate_frame(
        self,
        frame: Any,
        *,
        extra: Literal["error", "ignore"] = "error",
        team_model: Optional[str] = None,
        date: Any = None,
        assessor: Optional[str] = None,
    ) -> Any:
        """Every problem of every row, as a table; see `hf_fidelity.validate_frame`."""
    def _validate_arrow(
        self,
        table: Any,
        *,
        extra: Literal["error", "ignore"] = "error",
        team_model: Any = None,
        date: Any = None,
        assessor: Any = None,
    ) -> Any: ...
    def audit_row(
        self,
        row: Any,
        *,
        extra: Literal["error", "ignore"] = "error",
        team_model: Optional[str] = None,
        date: Any = None,
        assessor: Optional[str] = None,
    ) -> Decision:
        """The full decision of one row in wide form; see `hf_fidelity.audit_row`."""
    def _audit_row_arrow(
        self,
        table: Any,
        *,
        extra: Literal["error", "ignore"] = "error",
        team_model: Any = None,
        date: Any = None,
        assessor: Any = None,
    ) -> Decision: ...

# A native class: it cannot be subclassed.
@final
class Assessment:
    def __reduce__(self) -> tuple[Any, tuple[str, str]]: ...
    @staticmethod
    def from_path(path: _Path) -> Assessment: ...
    @staticmethod
    def from_str(text: str, origin: str = "<string>") -> Assessment: ...
    @staticmethod
    def from_dict(data: Mapping[str, Any]) -> Assessment: ...
    @staticmethod
    def load(source: _AssessmentSource) -> Assessment: ...
    @property
    def project_id(self) -> str: ...
    @property
    def project_name(self) -> str: ...
    @property
    def team_model(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def origin(self) -> str: ...
    @property
    def expected_outcome(self) -> Optional[str]: ...
    def to_dict(self, decimals: _Decimals = "decimal") -> dict[str, Any]: ...
    def to_json(self) -> str: ...

# A native class: it cannot be subclassed.
@final
class Decision:
    def __reduce__(self) -> tuple[Any, tuple[str, str | None]]: ...
    @staticmethod
    def _unpickle(record: str, rubric: str | None) -> Decision: ...
    @property
    def outcome(self) -> Literal["granted", "conditional", "refused", "incomplete"]: ...
    @property
    def message(self) -> str: ...
    def message_in(self, lang: str) -> str: ...
    @property
    def reaudit_months(self) -> Optional[int]: ...
    @property
    def team_model(self) -> str: ...
    @property
    def project_id(self) -> str: ...
    @property
    def project_name(self) -> str: ...
    @property
    def date(self) -> str: ...
    @property
    def overall(self) -> Optional[Decimal]: ...
    @property
    def mean_of_items(self) -> Optional[Decimal]: ...
    @property
    def mean_of_domains(self) -> Optional[Decimal]: ...
    @property
    def domain_scores(self) -> dict[str, Optional[Decimal]]: ...
    @property
    def principle_scores(self) -> dict[str, Optional[Decimal]]: ...
    @property
    def item_levels(self) -> dict[str, Optional[int]]: ...
    @property
    def scores(self) -> dict[str, Any]: ...
    @property
    def items(self) -> list[dict[str, Any]]: ...
    @property
    def rules(self) -> list[dict[str, Any]]: ...
    @property
    def failed_rules(self) -> list[str]: ...
    @property
    def plan(self) -> dict[str, Any]: ...
    @property
    def warnings(self) -> list[dict[str, Any]]: ...
    @property
    def target_public(self) -> dict[str, Any] | None: ...
    @property
    def missing(self) -> list[str]: ...
    @property
    def not_applicable(self) -> list[str]: ...
    @property
    def record(self) -> AuditRecord: ...
    def to_dict(self, decimals: _Decimals = "decimal") -> dict[str, Any]: ...
    def to_json(self) -> str: ...
    def report(
        self, format: Literal["text", "markdown", "md", "html"] = "text", lang: str = "en", rubric: Optional[Rubric] = None
    ) -> str: ...
    def to_html(self) -> str: ...
    def _repr_html_(self) -> str: ...

# A native class: it cannot be subclassed.
@final
class AuditRecord:
    def __reduce__(self) -> tuple[Any, tuple[str, str]]: ...
    @staticmethod
    def from_json(text: str, origin: str = "<string>") -> AuditRecord: ...
    @staticmethod
    def from_path(path: _Path) -> AuditRecord: ...
    def to_json(self) -> str: ...
    def to_yaml(self) -> str: ...
    def to_dict(self, decimals: _Decimals = "decimal") -> dict[str, Any]: ...
    @property
    def decision(self) -> Decision: ...
    @property
    def input(self) -> Assessment: ...
    @property
    def rubric(self) -> dict[str, str]: ...
    @property
    def assessment(self) -> dict[str, str]: ...
    @property
    def engine(self) -> dict[str, str]: ...

# A native class: it cannot be subclassed.
@final
class Verification:
    @property
    def holds(self) -> bool: ...
    @property
    def mismatches(self) -> list[dict[str, Any]]: ...
    @property
    def messages(self) -> list[str]: ...
    def __bool__(self) -> bool: ...

def verify(
    record: Union[AuditRecord, Decision, _Path], rubric: _RubricSource, assessment: Optional[_AssessmentSource] = None
) -> Verification: ...
def shipped_rubrics() -> list[dict[str, str]]: ...
def engine_version() -> str: ...

def _history_json(
    paths: Sequence[_Path], *, project: Optional[str] = None, as_of: Any = None, rubric: Optional[str] = None
) -> str: ...
def _network_json(
    paths: Sequence[_Path], *, as_of: Any = None, expiring_within: int = 6, rubric: Optional[str] = None
) -> str: ...
