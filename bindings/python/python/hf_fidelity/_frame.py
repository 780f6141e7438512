"""Audits of pandas DataFrames in wide form. pandas is imported only when called.

Column conventions (one row per project and assessment round):

==================  =========================================================================
column              meaning
==================  =========================================================================
``project_id``      required: the project's stable id (text or integer)
``name``            the project's name (defaults to the id)
``team_model``      one of the rubric's team models, e.g. ``act`` or ``icm`` (or pass ``team_model=`` for every row)
``date``            ``YYYY-MM-DD`` text, ``datetime.date`` or ``pandas.Timestamp``
                    (or pass ``date=`` for every row)
``assessor``        ``self_assessment`` (the default, so a row never awards a label a review must award), ``lab`` or ``peer`` (or ``assessor=``)
``assessor_name``,  optional, copied into the assessment
``location``,
``comment``
``round``           optional, copied to the output as is
*item id*           one column per rubric item (e.g. ``no_housing_readiness``): the level
                    (1-4), or, for an item the rubric measures for the row's team model
                    (``Rubric.items[...]["measured_for"]``, e.g. ``staff_ratio``,
                    ``housing_availability``), the measured value. Empty (None, NaN, ``""``)
                    means no answer; ``"not_applicable"`` (or ``"n/a"``, ``"na"``) means not
                    applicable. Measured values are read exactly from ``Decimal``, ``int`` or
                    text; a ``float`` is read from its shortest repr (``12.5`` -> 12.5).
``<item>:evidence``  evidence for the item's answer (text, pieces separated by ``;`` or line
                    breaks, or a list); the label requires evidence for its gate items
``<item>:justif…``  ``<item>:justification`` (why not applicable) and ``<item>:comment``
==================  =========================================================================

Any other column raises ``AssessmentError`` (a misspelt item id would otherwise count as an
unanswered item) unless ``extra="ignore"``.
"""

from __future__ import annotations

from typing import Any, Optional

from ._native import AssessmentError, Rubric


_META = ("project_id", "name", "team_model", "date", "assessor", "assessor_name", "location", "comment", "round")
# Metadata columns with few distinct values: read once per distinct value.
_CODED_META = ("team_model", "date", "assessor")


def _encoded(series: Any) -> Any:
    """An item or side column for the engine, encoded in bulk where that reads the same.

    Float columns go as little-endian float64 bytes (NaN: no answer), integer columns as
    int64 bytes, date columns as ``pandas.factorize`` codes (int64 bytes, -1 for gaps) with
    their distinct values, so each distinct date is read once. Anything else (text, mixed
    types, ``Decimal``, lists, ...) goes cell by cell, as a list (gaps as ``None``), which
    the engine reads once per distinct object.
    """
    import numpy as np
    import pandas as pd

    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":
        return ("f64", np.ascontiguousarray(series.to_numpy(), dtype="<f8").tobytes())
    if isinstance(dtype, np.dtype) and dtype.kind == "i":
        return ("i64", np.ascontiguousarray(series.to_numpy(), dtype="<i8").tobytes())
    # Text goes as a list: the engine reads each distinct object once (cells of a text
    # column share a few objects), which is quicker than hashing every text here.
    inferred = pd.api.types.infer_dtype(series, skipna=True)
    if inferred in ("string", "empty"):
        return series.to_numpy(dtype=object, na_value=None).tolist()
    # Only dates are factorised (each cell is a new Timestamp object): values that compare
    # equal across types (1, 1.0, True, Decimal("1.0")) would be merged, and they do not
    # read the same.
    if inferred in ("datetime64", "datetime", "date"):
        try:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
        except TypeError:
            return _cells(series)
        values = uniques.tolist() if hasattr(uniques, "tolist") else list(uniques)
        return ("codes", np.ascontiguousarray(codes, dtype="<i8").tobytes(), values)
    return _cells(series)


def _cells(series: Any) -> list:
    """A column's cells as Python objects, pandas' missing markers as ``None``/NaN."""
    import numpy as np

    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "fiu":
        # Plain numeric columns: floats with NaN for gaps, which the engine reads as empty.
        return series.tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def audit_frame(
    rubric: Rubric,
    frame: Any,
    *,
    decimals: str = "decimal",
    on_error: str = "raise",
    extra: str = "error",
    team_model: Optional[str] = None,
    date: Any = None,
    assessor: Optional[str] = None,
    plan: bool = False,
) -> Any:
    """Audits every row of ``frame`` (wide form, see the module docs) against ``rubric``.

    Returns a DataFrame with the same index and one row per input row, in the same order:
    ``project_id``, ``name``, ``team_model``, ``date``, ``outcome``, ``overall`` (the score
    the policy uses), ``mean_of_items``, ``mean_of_domains``, ``domain:<id>`` and
    ``principle:<id>`` means, ``failed_rules`` (``outcome/rule``, comma-separated),
    ``missing``, ``warnings`` (and ``round`` when given). ``plan=True`` adds the improvement
    plan's ``plan_target`` (the next better outcome) and ``plan_steps`` (level steps to reach
    it); it is off by default because working out the plan costs more than the rest of a row.

    Scores are ``decimal.Decimal`` (exact) unless ``decimals="float"`` (for plotting) or
    ``"str"``. ``on_error="raise"`` raises ``AssessmentError`` for the first bad row (its
    ``row`` attribute is the position); ``on_error="record"`` sets that row's ``outcome``
    to ``"error"`` and explains it in an ``error`` column. The scoring runs in Rust on all
    cores with the GIL released.
    """
    import pandas as pd

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, found {type(frame).__name__}")
    if frame.columns.duplicated().any():
        dupes = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise AssessmentError(f"the DataFrame has duplicate columns: {', '.join(dupes)}")
    columns = {}
    for name in frame.columns:
        if not isinstance(name, str):
            raise AssessmentError(f"column names must be strings, found {name!r}")
        series = frame[name]
        columns[name] = _cells(series) if name in _META and name not in _CODED_META else _encoded(series)
    out = rubric._audit_columns(
        columns,
        len(frame),
        decimals=decimals,
        on_error=on_error,
        extra=extra,
        team_model=team_model,
        date=date,
        assessor=assessor,
        plan=plan,
        encode=True,
    )
    result = pd.DataFrame({name: _decoded(col) for name, col in out.items()}, index=frame.index)
    if "round" in result.columns:
        result.insert(4, "round", result.pop("round"))
    if decimals == "float":
        for c in result.columns:
            if (c == "overall" or c.startswith(("mean_", "domain:", "principle:"))) and result[c].dtype != "float64":
                result[c] = result[c].astype("float64")
    return result


def _decoded(col: Any) -> Any:
    """An output column of ``_audit_columns(..., encode=True)`` as a list or numpy array:
    ``("f64", bytes)`` holds float scores, ``("codes", bytes, values)`` the position of each
    row's value among the distinct ``values`` (so each distinct value is one Python object)."""
    import numpy as np

    if isinstance(col, list):
        return col
    if col[0] == "f64":
        return np.frombuffer(col[1], dtype="<f8")
    values = np.empty(len(col[2]), dtype=object)
    values[:] = col[2]
    return values[np.frombuffer(col[1], dtype="<u4")]
