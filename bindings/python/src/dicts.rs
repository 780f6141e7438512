//! `audit_table` over assessments given as dicts: each dict is read straight into dense
//! cells (no `Assessment` with its maps and strings per dict), and summarised on all cores
//! with the GIL released, a block of rows at a time.
//!
//! The fast reading only accepts what it can read exactly as [`convert::assessment`] does:
//! plain dicts with the usual fields, text where text is due, whole-number levels, answers
//! to items of the rubric. Anything else (another kind of source, an unusual field or value,
//! a row the engine rejects) goes the full way, which produces the same summary or the
//! precise error.

use crate::convert;
use crate::errors::{self, Doc};
use crate::objects::{AssessmentIn, assessment_in, par_map_with, with_index, worker_panicked};
use crate::table::{Fast, Meta};
use hf_fidelity::assessment::AssessorKind;
use hf_fidelity::{Assessment, Cell, CompiledRubric, DenseAnswer, Summary};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use std::collections::HashMap;

/// Rows read and summarised at a time.
const BLOCK: usize = 4096;

/// One row on its way to the engine.
// Nearly every row is `Fast`: boxing its head would only add an allocation per row.
#[allow(clippy::large_enum_variant)]
enum Row {
    /// Read here: the head (everything but the responses) and the dense answers, at
    /// `start..start + width` of the block's cells.
    Fast(Assessment, usize),
    /// Read the full way.
    Slow(AssessmentIn),
}

/// Text, or `None` for anything else.
fn text(v: &Bound<'_, PyAny>) -> Option<String> {
    v.cast::<PyString>().ok()?.to_cow().ok().map(|s| s.into_owned())
}

/// Whether a text holds anything but blanks (what validation asks of evidence and
/// justifications); `None` for anything but text.
fn filled(v: &Bound<'_, PyAny>) -> Option<bool> {
    Some(!v.cast::<PyString>().ok()?.to_cow().ok()?.trim().is_empty())
}

/// A dict's fields, by position in `known`, `None` values left out (absent, as `convert`
/// reads them); `None` for anything but a dict whose keys are all texts in `known`.
fn fields<'py, const N: usize>(v: &Bound<'py, PyAny>, known: &[&str; N]) -> Option<[Option<Bound<'py, PyAny>>; N]> {
    let d = v.cast::<PyDict>().ok()?;
    let mut out = [const { None }; N];
    for (k, v) in d.iter() {
        let k = k.cast_into::<PyString>().ok()?;
        let k = k.to_cow().ok()?;
        let slot = known.iter().position(|x| *x == k).and_then(|i| out.get_mut(i))?;
        if !v.is_none() {
            *slot = Some(v);
        }
    }
    Some(out)
}

const TOP: &[&str; 10] =
    &["format", "project", "rubric", "team_model", "date", "period", "assessor", "expected_outcome", "comment", "responses"];
const PROJECT: &[&str; 3] = &["id", "name", "location"];
const ASSESSOR: &[&str; 2] = &["kind", "name"];
const RESPONSE: &[&str; 6] = &["level", "value", "not_applicable", "justification", "evidence", "comment"];

/// What a row's dict is read with: the rubric's item index by id, and measured values
/// already read, by their text (`convert::decimal` reads a `float` or a `Decimal` from its
/// text alone).
struct Reader<'a, 'py> {
    items: HashMap<&'a str, usize, Fast>,
    decimal_type: Option<Bound<'py, PyAny>>,
    values: HashMap<String, Option<rust_decimal::Decimal>, Fast>,
}

impl<'py> Reader<'_, 'py> {
    /// The head and dense answers of a dict (answers into `cells`, one empty slot per
    /// item); `None` when the dict needs the full way.
    fn read(&mut self, v: &Bound<'py, PyAny>, cells: &mut [Option<DenseAnswer>]) -> Option<Assessment> {
        let [format, project, rubric, team_model, date, period, assessor, expected, comment, responses] = fields(v, TOP)?;
        // Fields the summary does not show but the full way checks: leave them to it.
        if rubric.is_some() || period.is_some() || expected.is_some() {
            return None;
        }
        if let Some(c) = comment {
            text(&c)?;
        }
        let format = text(&format?)?;
        let [id, name, location] = fields(&project?, PROJECT)?;
        let (id, name) = (text(&id?)?, text(&name?)?);
        if let Some(l) = location {
            text(&l)?;
        }
        let team_model = convert::team_model(&team_model?, "team_model").ok()?;
        let date = convert::date(&date?, "date").ok()?;
        let [kind, assessor_name] = fields(&assessor?, ASSESSOR)?;
        let kind: AssessorKind = convert::assessor_kind(&kind?, "assessor.kind").ok()?;
        if let Some(n) = assessor_name {
            text(&n)?;
        }
        let responses = responses?;
        for (k, r) in responses.cast::<PyDict>().ok()?.iter() {
            let k = k.cast_into::<PyString>().ok()?;
            let ix = *self.items.get(&*k.to_cow().ok()?)?;
            let answer = self.response(&r)?;
            *cells.get_mut(ix)? = Some(answer);
        }
        Some(crate::table::head(format, id, name, team_model, date, kind))
    }

    /// A measured value, as `convert::decimal` reads it; `None` when it fails.
    fn value(&mut self, v: &Bound<'py, PyAny>) -> Option<rust_decimal::Decimal> {
        let by_text = v.is_exact_instance_of::<PyFloat>() || self.decimal_type.as_ref().is_some_and(|t| v.get_type().is(t));
        if !by_text {
            return convert::decimal(v, "").ok();
        }
        let s = v.str().ok()?;
        let key = s.to_cow().ok()?;
        if let Some(d) = self.values.get(&*key) {
            return *d;
        }
        let d = convert::decimal(v, "").ok();
        self.values.insert(key.into_owned(), d);
        d
    }

    /// One response as a dense answer; `None` when it needs the full way (both a level and
    /// a value, not-applicable and rated, nothing at all, or a value `convert` refuses).
    fn response(&mut self, r: &Bound<'py, PyAny>) -> Option<DenseAnswer> {
        let [level, value, not_applicable, justification, evidence, comment] = fields(r, RESPONSE)?;
        let level = match level {
            None => None,
            Some(l) if l.is_instance_of::<PyInt>() && !l.is_instance_of::<PyBool>() => Some(l.extract::<u8>().ok()?),
            Some(_) => return None,
        };
        let value = match value {
            None => None,
            Some(v) => Some(self.value(&v)?),
        };
        let not_applicable = match not_applicable {
            None => false,
            Some(b) => b.cast::<PyBool>().ok()?.is_true(),
        };
        let cell = match (level, value, not_applicable) {
            (Some(l), None, false) => Cell::Level(l),
            (None, Some(v), false) => Cell::Value(v),
            (None, None, true) => Cell::NotApplicable,
            _ => return None,
        };
        let justification = match justification {
            None => false,
            Some(j) => filled(&j)?,
        };
        let evidence = match evidence {
            None => false,
            Some(e) => {
                let mut any = false;
                let pieces: Vec<Bound<'_, PyAny>> =
                    if let Ok(l) = e.cast::<PyList>() { l.iter().collect() } else { e.cast::<PyTuple>().ok()?.iter().collect() };
                for p in &pieces {
                    any |= filled(p)?;
                }
                any
            }
        };
        if let Some(c) = comment {
            text(&c)?;
        }
        Some(DenseAnswer { cell, evidence, justification })
    }
}

/// The metadata and summary of every assessment in `assessments` (as `audit_table` takes
/// them), in order. Raises the first assessment that cannot be read, else the first the
/// engine rejects (with its index), as reading them all and then auditing them all would.
///
/// A row read here that the engine rejects gets the error the full way gives: the head
/// holds what the full way checks (format, project id, date, team model) and the dense
/// summary fails exactly as the full decision does (`tests/dense.rs`).
pub fn summarise_all(
    py: Python<'_>,
    rubric: &CompiledRubric,
    assessments: &Bound<'_, PyAny>,
    plan: bool,
) -> PyResult<(Vec<Meta>, Vec<Summary>)> {
    let width = rubric.item_count();
    let mut reader = Reader {
        items: rubric.item_ids().enumerate().map(|(ix, id)| (id, ix)).collect(),
        decimal_type: py.import("decimal").and_then(|m| m.getattr("Decimal")).ok(),
        values: HashMap::default(),
    };
    let mut metas = Vec::new();
    let mut summaries = Vec::new();
    // The engine's first rejection: raised only once every assessment has been read.
    let mut rejected: Option<(usize, hf_fidelity::Error)> = None;
    let mut iter = assessments.try_iter()?.enumerate().peekable();
    while iter.peek().is_some() {
        // Ctrl-C stops a long audit between blocks.
        py.check_signals()?;
        let mut rows: Vec<(usize, Row)> = Vec::with_capacity(BLOCK);
        let mut cells: Vec<Option<DenseAnswer>> = Vec::with_capacity(BLOCK.saturating_mul(width));
        for (i, v) in iter.by_ref().take(BLOCK) {
            let v = v?;
            let start = cells.len();
            cells.resize(start.saturating_add(width), None);
            let head = if v.is_exact_instance_of::<PyDict>() { cells.get_mut(start..).and_then(|c| reader.read(&v, c)) } else { None };
            rows.push((
                i,
                match head {
                    Some(h) => Row::Fast(h, start),
                    None => {
                        cells.truncate(start);
                        Row::Slow(assessment_in(py, &v).map_err(|e| with_index(py, e, i))?)
                    }
                },
            ));
        }
        if rejected.is_some() {
            // Only reading matters now: an unreadable assessment later on is raised first.
            continue;
        }
        let cells = &cells;
        let done: Vec<Result<Summary, hf_fidelity::Error>> = py
            .detach(|| {
                par_map_with(
                    &rows,
                    || (),
                    |(), (_, row)| match row {
                        Row::Fast(h, start) => {
                            let slots = cells.get(*start..start.saturating_add(width)).unwrap_or_default();
                            rubric.summarise_with(h, slots, "<dict>", hf_fidelity::SummaryOptions { plan, ..Default::default() })
                        }
                        Row::Slow(a) => rubric.summarise_assessment(&a.value, &a.origin, plan).map_err(|e| a.locate(e)),
                    },
                )
            })
            .ok_or_else(worker_panicked)?;
        for ((i, row), summary) in rows.into_iter().zip(done) {
            match summary {
                Ok(s) => {
                    metas.push(match &row {
                        Row::Fast(h, _) => Meta::of(h),
                        Row::Slow(a) => Meta::of(&a.value),
                    });
                    summaries.push(s);
                }
                Err(e) => {
                    rejected = Some((i, e));
                    break;
                }
            }
        }
    }
    match rejected {
        Some((i, e)) => Err(with_index(py, errors::to_py(py, &e, Doc::Assessment), i)),
        None => Ok((metas, summaries)),
    }
}
