//! `audit_table` over assessments given as dicts, `Assessment` objects, paths or texts:
//! each is read by the one reader of assessments (`assessment_in`: a dict is converted and
//! held to the limits of a file), and summarised on all cores with the GIL released, a
//! block of rows at a time.
//!
//! Dicts used to have a reader of their own, straight into dense cells, beside the full
//! one; measured on the shipped examples it was no faster (about 180 µs a dict either way:
//! most of the time is converting the dict), so it went.

use crate::errors::{self, Doc};
use crate::objects::{AssessmentIn, assessment_in, par_map_with, with_index, worker_panicked};
use crate::table::Meta;
use hf_fidelity::{CompiledRubric, Summary};
use pyo3::prelude::*;

/// Rows read and summarised at a time.
const BLOCK: usize = 4096;

/// The metadata and summary of every assessment in `assessments` (as `audit_table` takes
/// them), in order. Raises the first assessment that cannot be read, else the first the
/// engine rejects (with its index), as reading them all and then auditing them all would.
///
pub fn summarise_all(
    py: Python<'_>,
    rubric: &CompiledRubric,
    assessments: &Bound<'_, PyAny>,
    plan: bool,
) -> PyResult<(Vec<Meta>, Vec<Summary>)> {
    let mut metas = Vec::new();
    let mut summaries = Vec::new();
    // The engine's first rejection: raised only once every assessment has been read.
    let mut rejected: Option<(usize, hf_fidelity::Error)> = None;
    let mut iter = assessments.try_iter()?.enumerate().peekable();
    while iter.peek().is_some() {
        // Ctrl-C stops a long audit between blocks.
        py.check_signals()?;
        let mut rows: Vec<(usize, AssessmentIn)> = Vec::with_capacity(BLOCK);
        for (i, v) in iter.by_ref().take(BLOCK) {
            let v = v?;
            rows.push((i, assessment_in(py, &v).map_err(|e| with_index(py, e, i))?));
        }
        if rejected.is_some() {
            // Only reading matters now: an unreadable assessment later on is raised first.
            continue;
        }
        let done: Vec<Result<Summary, hf_fidelity::Error>> = py
            .detach(|| {
                par_map_with(&rows, || (), |(), (_, a)| rubric.summarise_assessment(&a.value, &a.origin, plan).map_err(|e| a.locate(e)))
            })
            .ok_or_else(worker_panicked)?;
        for ((i, a), summary) in rows.into_iter().zip(done) {
            match summary {
                Ok(s) => {
                    metas.push(Meta::of(&a.value));
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
