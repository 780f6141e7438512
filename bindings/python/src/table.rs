//! Wide tables: one row per project and round, one column per item; out come columns of
//! outcomes and scores, one row per input row, same order.
//!
//! Column conventions (documented for users in `hf_fidelity.audit_frame`):
//!
//! - `project_id` (required), `name` (defaults to the id), `team_model` (`act`/`icm`),
//!   `date` (`YYYY-MM-DD` or a date), `assessor` (`self_assessment`, `lab`, `peer`;
//!   default `self_assessment`), `assessor_name`, `location`, `comment`, `round`
//!   (passed through to the output).
//! - One column per item, named by the item id: a level, or for an item the rubric
//!   measures for the row's team model, the measured value. Empty (`None`, NaN, `""`)
//!   means no answer; `"not_applicable"`, `"n/a"` or `"na"` means not applicable.
//! - `<item>:evidence` (text, pieces separated by `;` or line breaks, or a list),
//!   `<item>:justification` and `<item>:comment` columns go with the item's answer.
//! - Any other column is an error (a misspelt item id would otherwise go unnoticed), unless
//!   `extra="ignore"`.

use crate::convert::{self, Bad};
use crate::errors::{self, Doc};
use crate::objects::{Rubric, failed_rules, par_map, worker_panicked};
use crate::ser::{DecimalMode, Decimals};
use hf_fidelity::assessment::{ASSESSMENT_FORMAT, Assessor, AssessorKind, Project, Response};
use hf_fidelity::rubric::model::OverallMeasure;
use hf_fidelity::{Assessment, CompiledRubric, Decision, TeamModel};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyFloat, PyList, PyString};
use std::collections::BTreeMap;

/// The options of `_audit_columns`.
pub struct Options<'a, 'py> {
    /// How decimals come out.
    pub decimals: DecimalMode,
    /// Report bad rows in an `error` column instead of raising.
    pub keep_errors: bool,
    /// Ignore columns that are neither metadata nor items.
    pub ignore_extra: bool,
    /// The team model of rows without a `team_model` column.
    pub team_model: Option<&'a Bound<'py, PyAny>>,
    /// The date of rows without a `date` column.
    pub date: Option<&'a Bound<'py, PyAny>>,
    /// The assessor kind of rows without an `assessor` column.
    pub assessor: Option<&'a Bound<'py, PyAny>>,
}

const META: &[&str] = &["project_id", "name", "team_model", "date", "assessor", "assessor_name", "location", "comment", "round"];

/// What identifies a row in the output.
pub struct Meta {
    /// The project id.
    pub project_id: String,
    /// The project name.
    pub name: String,
    /// The team model.
    pub team_model: &'static str,
    /// The date.
    pub date: String,
}

impl Meta {
    /// The metadata of an assessment.
    pub fn of(a: &Assessment) -> Self {
        Meta { project_id: a.project.id.clone(), name: a.project.name.clone(), team_model: a.team_model.code(), date: a.date.clone() }
    }
}

/// An item column: its id, cells, and whether a number in it is a measured value, per team
/// model (`[act, icm]`).
struct ItemCol<'py> {
    id: String,
    cells: Vec<Bound<'py, PyAny>>,
    measured: [bool; 2],
    /// `<item>:evidence`, `<item>:justification`, `<item>:comment` columns.
    evidence: Option<Vec<Bound<'py, PyAny>>>,
    justification: Option<Vec<Bound<'py, PyAny>>>,
    comment: Option<Vec<Bound<'py, PyAny>>>,
}

/// Evidence cells: a list of strings, or text with one piece of evidence per line or
/// separated by `;`.
fn evidence(v: &Bound<'_, PyAny>, path: &str) -> Result<Vec<String>, Bad> {
    if let Ok(l) = v.cast::<PyList>() {
        return l.iter().enumerate().map(|(i, s)| label(&s, &format!("{path}[{i}]"))).collect();
    }
    let text = label(v, path)?;
    Ok(text.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect())
}

fn model_ix(m: TeamModel) -> usize {
    match m {
        TeamModel::Act => 0,
        TeamModel::Icm => 1,
    }
}

/// Whether a cell holds no answer.
fn empty(v: &Bound<'_, PyAny>) -> bool {
    if v.is_none() {
        return true;
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return f.value().is_nan();
    }
    if let Ok(s) = v.cast::<PyString>() {
        return s.to_cow().is_ok_and(|s| s.trim().is_empty());
    }
    false
}

fn is_na(v: &Bound<'_, PyAny>) -> bool {
    v.cast::<PyString>().is_ok_and(|s| {
        s.to_cow().is_ok_and(|s| matches!(s.trim().to_ascii_lowercase().as_str(), "not_applicable" | "not applicable" | "n/a" | "na"))
    })
}

/// A cell's answer; `None` for no answer.
fn response(v: &Bound<'_, PyAny>, measured: bool, path: &str) -> Result<Option<Response>, Bad> {
    if empty(v) {
        return Ok(None);
    }
    if is_na(v) {
        return Ok(Some(Response { not_applicable: true, ..Response::default() }));
    }
    let mut r = Response::default();
    if measured {
        r.value = Some(convert::decimal(v, path)?);
    } else {
        r.level = Some(convert::level(v, path)?);
    }
    Ok(Some(r))
}

/// An id or name cell: text, or a number written as text.
fn label(v: &Bound<'_, PyAny>, path: &str) -> Result<String, Bad> {
    if let Ok(s) = v.cast::<PyString>() {
        return Ok(s.to_cow().map_err(|e| Bad { path: path.into(), message: e.to_string() })?.into_owned());
    }
    if v.extract::<i64>().is_ok() {
        return Ok(v.str().map_err(|e| Bad { path: path.into(), message: e.to_string() })?.to_string());
    }
    Err(Bad { path: path.into(), message: format!("expected text, found {}", convert::type_name(v)) })
}

fn cell<'a, 'py>(cols: &'a BTreeMap<String, Vec<Bound<'py, PyAny>>>, name: &str, row: usize) -> Option<&'a Bound<'py, PyAny>> {
    cols.get(name).and_then(|c| c.get(row)).filter(|v| !empty(v))
}

/// The non-empty cell of an optional side column.
fn side<'py>(c: &Option<Vec<Bound<'py, PyAny>>>, row: usize) -> Option<Bound<'py, PyAny>> {
    c.as_ref().and_then(|c| c.get(row)).filter(|v| !empty(v)).cloned()
}

/// Builds the assessment of one row.
fn row_assessment(
    meta: &BTreeMap<String, Vec<Bound<'_, PyAny>>>,
    items: &[ItemCol<'_>],
    opts: &Options<'_, '_>,
    row: usize,
) -> Result<Assessment, Bad> {
    let need = |name: &str| Bad { path: name.into(), message: format!("no `{name}`: add a `{name}` column or pass {name}=...") };
    let id = label(cell(meta, "project_id", row).ok_or_else(|| need("project_id"))?, "project_id")?;
    let name = cell(meta, "name", row).map(|v| label(v, "name")).transpose()?.unwrap_or_else(|| id.clone());
    let tm = cell(meta, "team_model", row).or(opts.team_model).ok_or_else(|| need("team_model"))?;
    let team_model = convert::team_model(tm, "team_model")?;
    let date = convert::date(cell(meta, "date", row).or(opts.date).ok_or_else(|| need("date"))?, "date")?;
    let kind = match cell(meta, "assessor", row).or(opts.assessor) {
        Some(v) => convert::assessor_kind(v, "assessor")?,
        None => AssessorKind::SelfAssessment,
    };
    let text = |n: &str| cell(meta, n, row).map(|v| label(v, n)).transpose();
    let m = model_ix(team_model);
    let mut responses = BTreeMap::new();
    for col in items {
        let Some(v) = col.cells.get(row) else { continue };
        if let Some(mut r) = response(v, col.measured.get(m).copied().unwrap_or(false), &col.id)? {
            if let Some(e) = side(&col.evidence, row) {
                r.evidence = evidence(&e, &format!("{}:evidence", col.id))?;
            }
            if let Some(j) = side(&col.justification, row) {
                r.justification = Some(label(&j, &format!("{}:justification", col.id))?);
            }
            if let Some(c) = side(&col.comment, row) {
                r.comment = Some(label(&c, &format!("{}:comment", col.id))?);
            }
            responses.insert(col.id.clone(), r);
        }
    }
    Ok(Assessment {
        format: ASSESSMENT_FORMAT.to_owned(),
        project: Project { id, name, location: text("location")? },
        rubric: None,
        team_model,
        date,
        period: None,
        assessor: Assessor { kind, name: text("assessor_name")? },
        expected_outcome: None,
        comment: text("comment")?,
        responses,
    })
}

/// Reads the columns, audits every row with the GIL released, returns output columns.
pub fn audit_columns<'py>(
    py: Python<'py>,
    rubric: &Rubric,
    columns: &Bound<'py, PyDict>,
    rows: usize,
    opts: &Options<'_, 'py>,
) -> PyResult<Bound<'py, PyDict>> {
    let r = rubric.inner.rubric();
    let mut meta: BTreeMap<String, Vec<Bound<'py, PyAny>>> = BTreeMap::new();
    let mut items: Vec<ItemCol<'py>> = Vec::new();
    let mut extra = Vec::new();
    let mut sides: Vec<(String, &'static str, Vec<Bound<'py, PyAny>>)> = Vec::new();
    let specs: BTreeMap<&str, &hf_fidelity::rubric::model::Item> =
        r.domains.iter().flat_map(|d| d.items.iter().map(|i| (i.id.as_str(), i))).collect();
    for (k, v) in columns.iter() {
        let name: String = k.extract().map_err(|_| {
            errors::assessment_problem(py, "<table>", "", format!("column names must be strings, found {}", convert::type_name(&k)))
        })?;
        let list = v.cast::<PyList>().map_err(|_| errors::assessment_problem(py, "<table>", &name, "a column must be a list".into()))?;
        if list.len() != rows {
            return Err(errors::assessment_problem(py, "<table>", &name, format!("the column has {} cells, not {rows}", list.len())));
        }
        let cells: Vec<Bound<'py, PyAny>> = list.iter().collect();
        if META.contains(&name.as_str()) {
            meta.insert(name, cells);
        } else if let Some(item) = specs.get(name.as_str()) {
            let measured = [rubric.measured(item, TeamModel::Act), rubric.measured(item, TeamModel::Icm)];
            items.push(ItemCol { id: name, cells, measured, evidence: None, justification: None, comment: None });
        } else if let Some((item, which)) = name
            .rsplit_once(':')
            .and_then(|(i, w)| Some((i, ["evidence", "justification", "comment"].into_iter().find(|x| *x == w)?)))
            .filter(|(i, _)| specs.contains_key(i))
        {
            sides.push((item.to_owned(), which, cells));
        } else {
            extra.push(name);
        }
    }
    for (item, which, cells) in sides {
        match items.iter_mut().find(|c| c.id == item) {
            Some(col) => match which {
                "evidence" => col.evidence = Some(cells),
                "justification" => col.justification = Some(cells),
                _ => col.comment = Some(cells),
            },
            None => extra.push(format!("{item}:{which}")),
        }
    }
    if !extra.is_empty() && !opts.ignore_extra {
        return Err(errors::assessment_problem(
            py,
            "<table>",
            extra.first().map_or("", |s| s.as_str()),
            format!(
                "column(s) {} are neither metadata ({}) nor items of rubric `{}`: fix the names, or pass extra=\"ignore\"",
                extra.iter().map(|e| format!("`{e}`")).collect::<Vec<_>>().join(", "),
                META.join(", "),
                r.id
            ),
        ));
    }
    if !meta.contains_key("project_id") {
        return Err(errors::assessment_problem(py, "<table>", "project_id", "the table has no `project_id` column".into()));
    }

    // Build the assessments (needs the GIL: the cells are Python objects).
    let mut inputs: Vec<Option<Assessment>> = Vec::with_capacity(rows);
    let mut errs: Vec<Option<String>> = vec![None; rows];
    for row in 0..rows {
        match row_assessment(&meta, &items, opts, row) {
            Ok(a) => inputs.push(Some(a)),
            Err(b) => {
                let err = errors::assessment_problem(py, "<table>", &b.path, format!("row {row}: {}", b.message));
                let _ = err.value(py).setattr("row", row);
                if !opts.keep_errors {
                    return Err(err);
                }
                if let Some(slot) = errs.get_mut(row) {
                    *slot = Some(err.value(py).str().map(|s| s.to_string()).unwrap_or_default());
                }
                inputs.push(None);
            }
        }
    }

    // Decide every row, the GIL released, on all cores.
    let compiled = rubric.inner.clone();
    let decisions: Vec<Option<Result<Decision, hf_fidelity::Error>>> =
        py.detach(|| par_map(&inputs, |a| a.as_ref().map(|a| compiled.decide_named(a, "<table>")))).ok_or_else(worker_panicked)?;

    let mut results = Vec::with_capacity(rows);
    let mut metas = Vec::with_capacity(rows);
    for (row, (d, a)) in decisions.into_iter().zip(&inputs).enumerate() {
        metas.push(
            a.as_ref()
                .map_or_else(|| Meta { project_id: String::new(), name: String::new(), team_model: "", date: String::new() }, Meta::of),
        );
        match d {
            Some(Ok(d)) => results.push(Ok(d)),
            Some(Err(e)) => {
                let err = errors::to_py(py, &e, Doc::Assessment);
                let v = err.value(py);
                let _ = v.setattr("row", row);
                let msg = format!("row {row}: {e}");
                let _ = v.setattr("message", &msg);
                let _ = v.setattr("args", (msg.clone(),));
                if !opts.keep_errors {
                    return Err(err);
                }
                results.push(Err(msg));
            }
            None => results.push(Err(errs.get(row).cloned().flatten().unwrap_or_default())),
        }
    }
    // Metadata cells for rows that failed early come from the table itself.
    for (row, m) in metas.iter_mut().enumerate() {
        if m.project_id.is_empty() {
            m.project_id = cell(&meta, "project_id", row).and_then(|v| label(v, "").ok()).unwrap_or_default();
        }
    }
    let out = output(py, &rubric.inner, &metas, results, opts.decimals, opts.keep_errors)?;
    if let Some(round) = meta.get("round") {
        out.set_item("round", PyList::new(py, round)?)?;
    }
    Ok(out)
}

/// The output columns: `project_id`, `name`, `team_model`, `date`, `outcome`, `overall`,
/// `mean_of_items`, `mean_of_domains`, `domain:<id>`..., `principle:<id>`...,
/// `failed_rules`, `missing`, `warnings`, `plan_target`, `plan_steps` (and `error` when
/// errors are kept).
pub fn output<'py>(
    py: Python<'py>,
    rubric: &CompiledRubric,
    metas: &[Meta],
    results: Vec<Result<Decision, String>>,
    decimals: DecimalMode,
    with_errors: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let dec = Decimals::new(py, decimals);
    let none = || py.None().into_bound(py);
    let r = rubric.rubric();
    let n = results.len();
    let col = || Vec::<Bound<'py, PyAny>>::with_capacity(n);
    let (mut project_id, mut name, mut team_model, mut date) = (col(), col(), col(), col());
    let (mut outcome, mut overall, mut items_mean, mut domains_mean) = (col(), col(), col(), col());
    let mut domains: Vec<Vec<Bound<'py, PyAny>>> = r.domains.iter().map(|_| col()).collect();
    let mut principles: Vec<Vec<Bound<'py, PyAny>>> = r.principles.iter().map(|_| col()).collect();
    let (mut failed, mut missing, mut warnings, mut target, mut steps, mut error) = (col(), col(), col(), col(), col(), col());
    let s = |v: &str| PyString::new(py, v).into_any();
    for (m, res) in metas.iter().zip(results) {
        project_id.push(s(&m.project_id));
        name.push(if m.name.is_empty() { none() } else { s(&m.name) });
        team_model.push(if m.team_model.is_empty() { none() } else { s(m.team_model) });
        date.push(if m.date.is_empty() { none() } else { s(&m.date) });
        match res {
            Ok(d) => {
                outcome.push(s(d.outcome.code()));
                let sc = &d.scores;
                overall.push(dec.opt(match sc.overall_measure {
                    OverallMeasure::MeanOfItems => sc.items.mean,
                    OverallMeasure::MeanOfDomains => sc.mean_of_domains,
                })?);
                items_mean.push(dec.opt(sc.items.mean)?);
                domains_mean.push(dec.opt(sc.mean_of_domains)?);
                for (c, g) in domains.iter_mut().zip(&sc.domains) {
                    c.push(dec.opt(g.score.mean)?);
                }
                for (c, g) in principles.iter_mut().zip(&sc.principles) {
                    c.push(dec.opt(g.score.mean)?);
                }
                failed.push(s(&failed_rules(&d).join(", ")));
                missing.push(s(&d.missing.join(", ")));
                warnings.push(s(&d.warnings.iter().map(|w| w.id.as_str()).collect::<Vec<_>>().join(", ")));
                target.push(d.plan.target.map_or_else(none, |t| s(t.code())));
                steps.push(d.plan.total_steps.into_pyobject(py)?.into_any());
                error.push(none());
            }
            Err(msg) => {
                outcome.push(s("error"));
                for c in
                    [&mut overall, &mut items_mean, &mut domains_mean, &mut failed, &mut missing, &mut warnings, &mut target, &mut steps]
                {
                    c.push(none());
                }
                for c in domains.iter_mut().chain(principles.iter_mut()) {
                    c.push(none());
                }
                error.push(s(&msg));
            }
        }
    }
    let out = PyDict::new(py);
    let put = |k: &str, v: Vec<Bound<'py, PyAny>>| -> PyResult<()> { out.set_item(k, PyList::new(py, v)?) };
    put("project_id", project_id)?;
    put("name", name)?;
    put("team_model", team_model)?;
    put("date", date)?;
    put("outcome", outcome)?;
    put("overall", overall)?;
    put("mean_of_items", items_mean)?;
    put("mean_of_domains", domains_mean)?;
    for (d, c) in r.domains.iter().zip(domains) {
        put(&format!("domain:{}", d.id), c)?;
    }
    for (p, c) in r.principles.iter().zip(principles) {
        put(&format!("principle:{}", p.id), c)?;
    }
    put("failed_rules", failed)?;
    put("missing", missing)?;
    put("warnings", warnings)?;
    put("plan_target", target)?;
    put("plan_steps", steps)?;
    if with_errors {
        put("error", error)?;
    }
    Ok(out)
}
