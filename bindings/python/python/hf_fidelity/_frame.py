"""Audits of tables in wide form: pandas and polars DataFrames, pyarrow tables, and any
other table that offers the Arrow C stream interface (``__arrow_c_stream__``, e.g. DuckDB
results). The table's columns are read in Rust as Arrow arrays; pandas and polars are
imported only when such a frame comes in.

Column conventions (one row per project and assessment round):

==================  =========================================================================
column              meaning
==================  =========================================================================
``project_id``      required: the project's stable id (text or integer)
``name``            the project's name (defaults to the id)
``team_model``      one of the rubric's team models, e.g. ``act``, ``icm`` or ``fact``
                    (or pass ``team_model=`` to set every row; not both)
``date``            ``YYYY-MM-DD`` text, a date or a timestamp (or ``date=`` for every row)
``assessor``        ``self_assessment`` (the default, so a row never awards a label a review
                    must award), ``lab`` or ``peer`` (or ``assessor=`` for every row)
``assessor_name``,  optional text
``location``,
``comment``
``round``,          optional, copied to the output as they are
``region``
``outcome:<id>``    an outcome indicator the rubric defines (``outcome:housing_retention_12m``):
                    a number, empty when not reported, checked against the indicator's
                    bounds, never scored, and copied to the output beside the scores
*item id*           one column per rubric item (e.g. ``no_housing_readiness``): the level
                    (1-4), or, for an item the rubric measures for the row's team model
                    (``Rubric.items[...]["measured_for"]``, e.g. ``staff_ratio``), the
                    measured value. Empty (null, NaN, blank text) means no answer;
                    ``"not_applicable"`` (or ``"n/a"``, ``"na"``) means not applicable.
                    Measured values are read exactly from integers, decimals and text; a
                    float is read from its shortest repr (``12.5`` -> 12.5).
``<item>:level``    the level of a measured item rated on the scale (research data), never
                    read as a measured value; give either ``<item>`` or ``<item>:level``
``<item>:evidence`` evidence for the item's answer (text, pieces separated by ``;`` or line
                    breaks, or a list of texts); the label requires evidence for its gate items
``<item>:justif…``  ``<item>:justification`` (why not applicable) and ``<item>:comment``
==================  =========================================================================

Any other column raises ``AssessmentError`` (a misspelt item id would otherwise count as an
unanswered item) unless ``extra="ignore"``.
"""

from __future__ import annotations

from typing import Any, Literal, Mapping, NamedTuple, Optional

from ._native import AssessmentError, HfFidelityError, Rubric


def _pandas_to_arrow(frame: Any) -> Any:
    """A pandas DataFrame as a pyarrow table, column by column. Columns pyarrow reads as they
    are (numbers, text, dates, decimals, lists) go without copying cell by cell; a column of
    mixed objects (levels and ``"n/a"`` in one column, say) goes as text, which the engine
    reads the same way."""
    import pyarrow as pa

    arrays = []
    for name in frame.columns:
        series = frame[name]
        try:
            arrays.append(pa.array(series, from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            arrays.append(pa.array([_as_text(x) for x in series.tolist()], type=pa.string()))
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


def _as_text(x: Any) -> Optional[str]:
    """A cell of a mixed column as text: gaps stay gaps, lists of texts are joined as
    evidence is written (``a; b``), anything else is its ``str``."""
    if x is None or (isinstance(x, float) and x != x):
        return None
    if isinstance(x, (list, tuple)):
        return "; ".join(str(e) for e in x)
    try:
        import pandas as pd

        if x is pd.NA or x is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - only pandas frames come here
        pass
    return str(x)


def _kind(frame: Any) -> str:
    """Which library the table comes from: ``pandas``, ``polars``, ``pyarrow`` or ``arrow``
    (any other table with ``__arrow_c_stream__``)."""
    module = type(frame).__module__.split(".")[0]
    if module == "pandas":
        return "pandas"
    if module == "polars":
        return "polars"
    if module == "pyarrow":
        return "pyarrow"
    if hasattr(frame, "__arrow_c_stream__"):
        return "arrow"
    raise TypeError(
        f"expected a table (a pandas or polars DataFrame, a pyarrow Table, or any object with "
        f"__arrow_c_stream__), found {type(frame).__name__}"
    )


class FrameAudit(NamedTuple):
    """What ``audit_frame(..., items=True)`` or ``rules=True`` returns: the table of outcomes
    and scores, and the long tables asked for (``None`` otherwise)."""

    table: Any
    items: Any
    rules: Any


def _input(frame: Any) -> tuple[str, Any]:
    """The kind of ``frame`` and the Arrow table the engine reads."""
    kind = _kind(frame)
    if kind != "pandas":
        return kind, frame
    if frame.columns.duplicated().any():
        dupes = sorted({str(c) for c in frame.columns[frame.columns.duplicated()]})
        raise AssessmentError(f"the DataFrame has duplicate columns: {', '.join(dupes)}")
    for name in frame.columns:
        if not isinstance(name, str):
            raise AssessmentError(f"column names must be strings, found {name!r}")
    return kind, _pandas_to_arrow(frame)


def _output(kind: str, out: Any, index: Any = None, rows: Any = None) -> Any:
    """An Arrow table from the engine as a table of ``kind``: pandas (with ``index``, or the
    input's index labels of the long table's ``rows``), polars, or pyarrow."""
    import pyarrow as pa

    if kind == "pandas":
        result = pa.table(out).to_pandas(date_as_object=False)
        if index is not None:
            result.index = index
        elif rows is not None:
            result.index = rows[result["row"].to_numpy()]
        return result
    if kind == "polars":
        import polars as pl

        return pl.DataFrame(out)
    return pa.table(out)


def audit_frame(
    rubric: Rubric,
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
    """Audits every row of ``frame`` (wide form, see the module docs) against ``rubric``.

    ``frame`` is a pandas or polars DataFrame, a pyarrow Table or RecordBatch, or any table
    with ``__arrow_c_stream__`` (a DuckDB result, say). The result is a table of the same kind
    (pandas with the same index; a pyarrow Table for pyarrow and other Arrow tables) with one
    row per input row, in the same order: ``project_id``, ``name``, ``team_model``, ``date``
    (``round`` and ``region`` when given), ``outcome``, ``overall`` (the score the policy
    uses), ``mean_of_items``, ``mean_of_domains``, ``domain:<id>`` and ``principle:<id>``
    means, ``failed_rules`` (``outcome/rule``, comma-separated), ``missing``, ``warnings``,
    the input's ``outcome:<id>`` columns as they came in, ``evidence_checked``. ``plan=True`` adds the improvement plan's ``plan_target`` (the next better outcome) and
    ``plan_steps`` (level steps to reach it); it is off by default because working out the
    plan costs more than the rest of a row.

    ``items=True`` and ``rules=True`` also give long tables from each row's full decision,
    and the call returns a ``FrameAudit(table, items, rules)``: ``items`` has one row per row
    and item of its team model (``row``, ``project_id``, ``item``, ``domain``, ``status``:
    stated / measured / not_applicable / missing, ``level``, and for a measured item its
    ``value``, ``unit`` and ``band``); ``rules`` one row per row and rule of every outcome
    (``outcome``, ``rule``, ``kind``, ``verdict``, ``observed``, ``threshold``, ``shortfall``,
    ``failing`` items, ``unanswered`` items). In pandas their index is the input's labels.

    ``require_evidence=False`` is a research mode for data without evidence columns: the
    evidence an item requires (and for a review, the kinds of evidence) is not checked, and
    every row's ``evidence_checked`` column says so (it is True otherwise). Such rows are not
    a label audit; ``items`` and ``rules`` (full decisions) are not available in it.

    Scores are float64 by default (the nearest float to the exact score, for ``describe``,
    plots and ``numpy``); ``decimals="exact"`` gives them exactly (Arrow decimal128 with the
    rubric's decimal places: ``decimal.Decimal`` in pandas, ``Decimal`` in polars; the long
    tables' numbers as the engine's text) and ``"str"`` as the engine's text.
    ``on_error="raise"`` raises ``AssessmentError`` for the first bad row, naming the row,
    its index label (pandas), its project and the column (its ``row`` attribute is the
    position, ``index`` the label); ``on_error="record"`` sets that row's ``outcome`` to
    ``"error"`` and explains it in an ``error`` column; ``validate_frame`` lists every
    problem of every row. The scoring runs in Rust on all cores with the GIL released;
    Ctrl-C stops it.
    """
    kind, table = _input(frame)
    try:
        out, item_table, rule_table = rubric._audit_arrow(
            table,
            decimals=decimals,
            on_error=on_error,
            extra=extra,
            team_model=team_model,
            date=date,
            assessor=assessor,
            plan=plan,
            items=items,
            rules=rules,
            require_evidence=require_evidence,
        )
    except HfFidelityError as e:
        if kind == "pandas" and e.row is not None:
            _name_index_label(e, frame.index)
        raise
    index = frame.index if kind == "pandas" else None
    result = _output(kind, out, index=index)
    if not (items or rules):
        return result
    long = [None if t is None else _output(kind, t, rows=index) for t in (item_table, rule_table)]
    return FrameAudit(result, long[0], long[1])


def validate_frame(
    rubric: Rubric,
    frame: Any,
    *,
    extra: Literal["error", "ignore"] = "error",
    team_model: Optional[str] = None,
    date: Any = None,
    assessor: Optional[str] = None,
) -> Any:
    """Every problem of every row of ``frame`` (as ``audit_frame`` reads it), as a table of
    the same kind: ``row`` (the position; in pandas the index is the row's label),
    ``project_id``, ``column`` (the table's column), ``path`` (in the assessment the row
    stands for; empty for a cell that could not be read) and ``message``. Empty when every
    row can be audited. A table that cannot be read at all (a missing ``project_id``
    column, an unknown column) raises ``AssessmentError`` as ``audit_frame`` does."""
    kind, table = _input(frame)
    out = rubric._validate_arrow(table, extra=extra, team_model=team_model, date=date, assessor=assessor)
    return _output(kind, out, rows=frame.index if kind == "pandas" else None)


def audit_row(
    rubric: Rubric,
    row: Any,
    *,
    extra: Literal["error", "ignore"] = "error",
    team_model: Optional[str] = None,
    date: Any = None,
    assessor: Optional[str] = None,
) -> Any:
    """The full ``Decision`` (every rule's numbers, the plan, the audit record) of one row in
    wide form: a mapping of column to cell (a dict, a pandas Series such as ``df.loc[i]``, a
    polars row as ``df.row(i, named=True)``), or a one-row table."""
    if not (isinstance(row, Mapping) or type(row).__name__ == "Series"):
        _, table = _input(row)
    else:
        import pyarrow as pa

        names, arrays = [], []
        for k, v in dict(row.items()).items():
            if isinstance(v, float) and v != v:
                v = None
            try:
                arrays.append(pa.array([v]))
            except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
                arrays.append(pa.array([_as_text(v)], type=pa.string()))
            names.append(str(k))
        table = pa.Table.from_arrays(arrays, names=names)
    return rubric._audit_row_arrow(table, extra=extra, team_model=team_model, date=date, assessor=assessor)


def _name_index_label(e: HfFidelityError, index: Any) -> None:
    """Adds the row's index label to an error about a row of a pandas frame."""
    label = index[e.row]
    e.index = label
    if label != e.row:
        prefix = f"row {e.row}"
        e.message = e.message.replace(prefix, f"{prefix} (index {label!r})", 1)
        e.args = (e.message,)
