"""`audit_frame` reads any Arrow table (pandas through pyarrow, polars, pyarrow) in Rust:
every kind of table gives the same outcomes and scores, every cell reads as the same answer
in a dict reads, and every row agrees with the full decision of the same assessment."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

import hf_fidelity as hf

pd = pytest.importorskip("pandas")
pa = pytest.importorskip("pyarrow")
pl = pytest.importorskip("polars")


def _rows(label, n, seed=3):
    """Wide rows of the label rubric, with the odd gap and values Python writes oddly."""
    rng = random.Random(seed)
    data = label.to_dict(decimals="float")
    needs_evidence = [i["id"] for d in data["domains"] for i in d["items"] if i.get("evidence") == "required"]
    items = [it for d in data["domains"] for it in d["items"]]
    rows = []
    for i in range(n):
        model = ("icm", "act", "fact")[i % 3]
        quality = rng.choice([1.8, 2.6, 3.1, 3.5, 3.8])
        row = {"project_id": f"p{i}", "name": f"P {i}", "team_model": model, "date": "2026-03-01"}
        for it in items:
            if model not in (it.get("team_models") or data["team_models"]) or rng.random() < 0.003:
                continue
            ind = (it.get("variants", {}).get(model) or {}).get("indicator") or it.get("indicator")
            if ind:
                row[it["id"]] = rng.choice([0.0, 0.5, 1.0, 2.5, 7.25, 12.5, 14.999, 15.0, 1e-05, 33.3, 60.0, 99.9, 100.0])
            else:
                row[it["id"]] = max(1, min(4, round(rng.gauss(quality, 0.7))))
        for g in (g for g in needs_evidence if g in row):
            row[f"{g}:evidence"] = rng.choice(["file"] * 60 + ["a; b", "  ", None, "x\ny"])
        rows.append(row)
    return rows


def _doc(row):
    """A wide row as the assessment a file would hold."""
    responses = {}
    for k, v in row.items():
        if k in ("project_id", "name", "team_model", "date") or k.endswith(":evidence") or v is None:
            continue
        if isinstance(v, str) and v.strip().lower() in ("n/a", "na", "not_applicable"):
            cell = {"not_applicable": True}
        elif isinstance(v, float):
            cell = {"value": Decimal(repr(v))}
        else:
            cell = {"level": v}
        evidence = row.get(f"{k}:evidence")
        if evidence is not None and "not_applicable" not in cell:
            cell["evidence"] = [e for e in evidence.replace("\n", ";").split(";")]
        responses[k] = cell
    return {
        "format": "hf-fidelity/assessment/v1",
        "project": {"id": row["project_id"], "name": row["name"]},
        "team_model": row["team_model"],
        "date": row["date"],
        "assessor": {"kind": "self_assessment"},
        "responses": responses,
    }


def test_pandas_polars_and_pyarrow_give_the_same_table(label):
    df = pd.DataFrame(_rows(label, 600))
    out = label.audit_frame(df, decimals="exact", on_error="record", plan=True)
    assert isinstance(out, pd.DataFrame)
    from_polars = label.audit_frame(pl.from_pandas(df), decimals="exact", on_error="record", plan=True)
    assert isinstance(from_polars, pl.DataFrame)
    from_arrow = label.audit_frame(pa.Table.from_pandas(df, preserve_index=False), decimals="exact", on_error="record", plan=True)
    assert isinstance(from_arrow, pa.Table)
    assert from_polars.columns == list(out.columns) == from_arrow.column_names
    for c in out.columns:
        expected = [None if (x is None or x != x) else x for x in out[c].tolist()]
        if c == "date":
            expected = [None if pd.isna(x) else x.date() for x in out[c]]
        assert from_polars[c].to_list() == expected, c
        assert from_arrow[c].to_pylist() == expected, c
    assert {"refused", "incomplete"} <= set(out["outcome"])


def test_every_row_agrees_with_its_full_decision(label):
    rows = [r for r in _rows(label, 400) if all(v is not None and str(v).strip() for k, v in r.items() if k.endswith(":evidence"))]
    df = pd.DataFrame(rows)
    out = label.audit_frame(df, plan=True, decimals="exact")
    decisions = label.audit_many([_doc(r) for r in rows])
    assert list(out["outcome"]) == [d.outcome for d in decisions]
    assert list(out["overall"]) == [d.overall for d in decisions]
    assert list(out["domain:separation"]) == [d.domain_scores["separation"] for d in decisions]
    assert list(out["failed_rules"]) == [", ".join(d.failed_rules) for d in decisions]
    assert list(out["plan_target"].fillna("-")) == [d.plan.get("target") or "-" for d in decisions]
    assert list(out["plan_steps"]) == [d.plan["total_steps"] for d in decisions]
    assert "plan_target" not in label.audit_frame(df).columns
    # The default: float64 scores, the nearest float to each exact score.
    floats = label.audit_frame(df)
    assert floats["overall"].dtype == "float64" and floats["domain:separation"].dtype == "float64"
    assert list(floats["overall"]) == [float(d.overall) for d in decisions]
    assert floats["overall"].describe()["count"] == len(rows)
    text = label.audit_frame(df, decimals="str")
    assert list(text["overall"]) == [str(d.overall) for d in decisions]


def test_odd_cells_read_as_the_answers_they_stand_for(label):
    """Text in a level column, a non-integral level, not-applicable, a blank: in a mixed
    pandas column, and the same cells as text in polars; each gives the decision of the
    answer it stands for in a dict. (A table's text column holds every cell as text, so
    `"3"` there is level 3; a dict, like a file, says 3.)"""
    rows = _rows(label, 40)
    df = pd.DataFrame(rows)
    df["privacy"] = df["privacy"].astype(object)
    odd = {5: "n/a", 7: "lots", 9: 2.5, 11: " ", 13: "3"}
    for row, v in odd.items():
        df.loc[row, "privacy"] = v
    out = label.audit_frame(df, on_error="record")
    assert out["outcome"][7] == "error" and out["error"][7].startswith("row 7 (project `p7`), column `privacy`: expected a level")
    assert out["outcome"][9] == "error" and "level 2.5 is not a whole number" in out["error"][9]
    assert "privacy" in out["missing"][11].split(", ") or out["outcome"][11] == "error"
    for row in (5, 11, 13):
        doc = _doc({**rows[row], "privacy": None if row == 11 else ("n/a" if row == 5 else 3)})
        try:
            d = label.audit(doc)
            assert out["outcome"][row] == d.outcome, row
        except hf.AssessmentError as e:
            assert out["outcome"][row] == "error" and e.problems[0].message in out["error"][row], row
    as_text = pl.from_pandas(df.astype({"privacy": str}).replace({"privacy": {"nan": None, "None": None}}))
    from_polars = label.audit_frame(as_text, on_error="record")
    assert from_polars["outcome"].to_list() == list(out["outcome"])


def test_errors_name_the_index_label_the_project_and_the_column(label):
    df = pd.DataFrame(_rows(label, 5))
    df.index = [f"r{i}" for i in range(5)]
    df["privacy"] = df["privacy"].astype(object)
    df.loc["r3", "privacy"] = "lots"
    with pytest.raises(hf.AssessmentError) as e:
        label.audit_frame(df)
    assert e.value.row == 3 and e.value.index == "r3"
    assert "`<table>`: at `privacy`: row 3 (index 'r3') (project `p3`), column `privacy`: expected a level" in e.value.message, e.value.message


def test_tables_of_other_types_are_read(label):
    """Dictionary-encoded text (pandas categories), large strings, date32 and timestamp
    dates, decimal128 values, list evidence: each reads as the plain column does."""
    rows = _rows(label, 30)
    plain = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)
    base = label.audit_frame(plain, decimals="exact", on_error="record")
    table = plain
    for name in ("team_model", "project_id"):
        i = table.column_names.index(name)
        table = table.set_column(i, name, table.column(name).dictionary_encode())
    i = table.column_names.index("name")
    table = table.set_column(i, "name", table.column("name").cast(pa.large_string()))
    i = table.column_names.index("date")
    table = table.set_column(i, "date", pa.array([pd.Timestamp(r["date"]) for r in rows], type=pa.timestamp("ns")))
    measured = [c for c in table.column_names if table.column(c).type == pa.float64()]
    for name in measured:
        i = table.column_names.index(name)
        values = [None if v is None else Decimal(repr(v)) for v in table.column(name).to_pylist()]
        table = table.set_column(i, name, pa.array(values, type=pa.decimal128(12, 5)))
    evidence = [c for c in table.column_names if c.endswith(":evidence")]
    for name in evidence:
        i = table.column_names.index(name)
        lists = [None if v is None else v.replace("\n", ";").split(";") for v in table.column(name).to_pylist()]
        table = table.set_column(i, name, pa.array(lists, type=pa.list_(pa.string())))
    again = label.audit_frame(table, decimals="exact", on_error="record")
    assert again.drop(["error"]).equals(base.drop(["error"])) if "error" in base.column_names else again.equals(base)


def test_a_column_of_a_type_no_cell_may_have_is_named(label):
    rows = _rows(label, 3)
    table = pa.Table.from_pandas(pd.DataFrame(rows), preserve_index=False)
    i = table.column_names.index("privacy")
    table = table.set_column(i, "privacy", pa.array([True, False, True]))
    with pytest.raises(hf.AssessmentError, match=r"column `privacy`: expected a level \(a whole number\), found a boolean"):
        label.audit_frame(table)


@pytest.mark.parametrize(
    "value",
    [10.0, 10.000000000000002, 9.999999999999998, 15.0, 15.000000000000002, 0.1 + 0.2, 12.345678, 1e-05, 1e-07, 0.0, 20.5, 123456789.25, 1e12 + 0.5],
)
def test_a_float_is_read_as_the_decimal_python_writes(label, value):
    """A measured float is the decimal of its repr, on both sides of a band's limit: the
    staff ratio's bands end at 10, 15 and 20 participants per FTE."""
    row = _rows(label, 2)[1]
    assert row["team_model"] == "act"
    row["staff_ratio"] = value
    out = label.audit_frame(pd.DataFrame([row]), decimals="exact", on_error="record")
    doc = _doc(row)
    doc["responses"]["staff_ratio"]["value"] = Decimal(repr(value))
    try:
        d = label.audit(doc)
    except hf.AssessmentError as e:
        assert out["outcome"][0] == "error" and e.problems[0].message in out["error"][0]
        return
    assert out["outcome"][0] == d.outcome and out["mean_of_items"][0] == d.mean_of_items
    assert out["domain:team"][0] == d.domain_scores["team"]


def test_outcome_indicators_and_region_pass_through_beside_fidelity(label):
    """`outcome:<id>` columns are checked against the rubric's indicators and come back
    beside the scores, as they came in, so fidelity and outcomes can be related."""
    rows = _rows(label, 30)
    rng = random.Random(5)
    for k, r in enumerate(rows):
        r["region"] = ("flanders", "brussels", "wallonia")[k % 3]
        r["outcome:housing_retention_12m"] = None if k % 7 == 0 else round(rng.uniform(60, 100), 1)
        r["outcome:participants"] = rng.randint(10, 60)
    for kind in ("pandas", "polars", "pyarrow"):
        if kind == "pandas":
            df = pd.DataFrame(rows)
        elif kind == "polars":
            df = pl.DataFrame(rows, infer_schema_length=None)
        else:
            df = pa.Table.from_pylist(rows)
        out = label.audit_frame(df, on_error="record")
        if kind == "pyarrow":
            cols, column = out.column_names, lambda name: out[name].to_pylist()
        else:
            cols, column = list(out.columns), lambda name: out[name].to_list()
        assert cols.index("region") < cols.index("outcome") < cols.index("outcome:housing_retention_12m") < cols.index("evidence_checked")
        got = column("outcome:housing_retention_12m")
        want = [r["outcome:housing_retention_12m"] for r in rows]
        assert [None if g != g else g for g in got] == want, kind
        assert column("outcome:participants") == [r["outcome:participants"] for r in rows], kind
        assert column("region") == [r["region"] for r in rows], kind
    # A researcher relates them: float columns, ready for numpy.
    np = pytest.importorskip("numpy")
    out = label.audit_frame(pd.DataFrame(rows), on_error="record")
    ok = out[(out["outcome"] != "error") & out["outcome:housing_retention_12m"].notna()]
    r = np.corrcoef(ok["overall"].to_numpy(float), ok["outcome:housing_retention_12m"].to_numpy(float))
    assert r.shape == (2, 2)


def test_an_outcome_out_of_bounds_or_unknown_is_named_with_its_column(label):
    rows = _rows(label, 3)
    for r in rows:
        r["outcome:housing_retention_12m"] = 80.0
    rows[1]["outcome:housing_retention_12m"] = 120.0
    with pytest.raises(hf.HfFidelityError) as e:
        label.audit_frame(pd.DataFrame(rows))
    assert e.value.row == 1
    assert "outcome:housing_retention_12m" in str(e.value) and "120" in str(e.value)
    problems = label.validate_frame(pd.DataFrame(rows))
    assert list(problems["column"]) == ["outcome:housing_retention_12m"]
    rows[1]["outcome:housing_retention_12m"] = 80.0
    rows[0]["outcome:housing_retention"] = 80.0
    with pytest.raises(hf.HfFidelityError, match="`housing_retention` is not an outcome indicator of rubric `hfb-label`: its columns are `outcome:housing_retention_12m`"):
        label.audit_frame(pd.DataFrame(rows))


def test_rows_of_many_worker_shares_come_back_in_order_with_their_errors(label):
    """More rows than one worker's share (256 at least, per block): the output rows, the
    passed-through columns and the errors stay with their input rows, in order; raising
    names the first bad row."""
    rows = _rows(label, 1500, seed=11)
    for k, r in enumerate(rows):
        for c in [c for c in r if c.endswith(":evidence")]:
            r[c] = "file"
        r["round"] = k
        r["outcome:participants"] = k % 50
    rows[400]["privacy"] = "lots"
    rows[1300]["privacy"] = "plenty"
    df = pd.DataFrame(rows)
    with pytest.raises(hf.AssessmentError) as e:
        label.audit_frame(df)
    assert e.value.row == 400
    out = label.audit_frame(df, on_error="record")
    assert len(out) == 1500
    assert list(out["project_id"]) == [r["project_id"] for r in rows]
    assert list(out["round"]) == list(range(1500))
    assert list(out["outcome:participants"]) == [k % 50 for k in range(1500)]
    errors = [k for k, o in enumerate(out["outcome"]) if o == "error"]
    assert errors == [400, 1300]
    assert "row 1300" in out["error"][1300] and "privacy" in out["error"][1300]
    # The same rows one at a time give the same outcomes.
    for k in range(0, 1500, 97):
        if k in (400, 1300):
            continue
        alone = label.audit_frame(pd.DataFrame([rows[k]]).astype({"privacy": "object"}))
        assert alone["outcome"][0] == out["outcome"][k], k


def test_rows_read_together_report_their_problems_as_each_row_alone(label):
    """Rows are read a chunk at a time, column after column: a row's problems still come in
    its column order (the first is what raising and `on_error="record"` name), the same as
    validating the row alone, and the rows around it are untouched."""
    rows = _rows(label, 300, seed=5)
    for r in rows:
        for c in [c for c in r if c.endswith(":evidence")]:
            r[c] = "file"
    items = [c for c in rows[0] if c not in ("project_id", "name", "team_model", "date") and ":" not in c]
    first, last = items[0], items[-1]
    for k in (130, 131, 299):
        rows[k][first] = "lots"
        rows[k][last] = "plenty"
    rows[131][first] = 3
    df = pd.DataFrame(rows).astype({first: "object", last: "object"})
    out = label.audit_frame(df, on_error="record")
    assert [k for k, o in enumerate(out["outcome"]) if o == "error"] == [130, 131, 299]
    assert f"column `{first}`" in out["error"][130] and f"column `{last}`" in out["error"][131]
    problems = label.validate_frame(df)
    for k in (130, 131, 299):
        together = problems[problems["row"] == k]
        alone = label.validate_frame(pd.DataFrame([rows[k]]).astype({first: "object", last: "object"}))
        assert list(together["column"]) == list(alone["column"]), k
        assert list(together["message"]) == list(alone["message"]), k
    assert list(problems[problems["row"] == 130]["column"])[:2] == [first, last]
    with pytest.raises(hf.AssessmentError) as e:
        label.audit_frame(df)
    assert e.value.row == 130 and first in str(e.value)
