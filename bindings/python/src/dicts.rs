//! `audit_table` over assessments given as dicts, `Assessment` objects, paths or texts:
//! each is read by the one reader of assessments, under the limits of a file, and
//! summarised on all cores with the GIL released, a block of rows at a time. A dict is
//! written as its file's JSON with the GIL held ([`Taken::of`]) and read by the workers.
//!
//! `bench/dicts.py` on the shipped examples: about 110 µs a dict, on two cores (330-350 µs
//! when each dict had a reader of its own, walked with the GIL held).

use crate::errors::{self, Doc};
use crate::objects::{Taken, par_map_with, with_index, worker_panicked};
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
        let mut rows: Vec<(usize, Taken)> = Vec::with_capacity(BLOCK);
        for (i, v) in iter.by_ref().take(BLOCK) {
            let v = v?;
            rows.push((i, Taken::of(py, &v).map_err(|e| with_index(py, e, i))?));
        }
        // After a rejection only reading matters: an unreadable assessment later on is
        // raised first.
        let summarise = rejected.is_none();
        let done: Vec<Row> = py
            .detach(|| {
                par_map_with(
                    &rows,
                    || (),
                    |(), (_, t)| {
                        let a = match t.read() {
                            Ok(a) => a,
                            Err(e) => return Row::Unreadable(e),
                        };
                        if !summarise {
                            return Row::Read;
                        }
                        match rubric.summarise_assessment(&a.value, &a.origin, plan) {
                            Ok(s) => Row::Summarised(Meta::of(&a.value), s),
                            Err(e) => Row::Rejected(a.locate(e)),
                        }
                    },
                )
            })
            .ok_or_else(worker_panicked)?;
        for ((i, _), row) in rows.iter().zip(done) {
            match row {
                Row::Unreadable(e) => return Err(with_index(py, errors::to_py(py, &e, Doc::Assessment), *i)),
                Row::Rejected(e) if rejected.is_none() => rejected = Some((*i, e)),
                Row::Summarised(m, s) if rejected.is_none() => {
                    metas.push(m);
                    summaries.push(s);
                }
                Row::Read | Row::Rejected(_) | Row::Summarised(..) => {}
            }
        }
    }
    match rejected {
        Some((i, e)) => Err(with_index(py, errors::to_py(py, &e, Doc::Assessment), i)),
        None => Ok((metas, summaries)),
    }
}

/// What became of one assessment of a block.
#[expect(
    clippy::large_enum_variant,
    reason = "nearly every row is summarised: boxing the large variant would cost an allocation per row to save space on rare ones"
)]
enum Row {
    /// A dict the one reader refused.
    Unreadable(hf_fidelity::Error),
    /// Read; not summarised, as an earlier one was rejected.
    Read,
    /// The engine rejected it.
    Rejected(hf_fidelity::Error),
    /// Its row.
    Summarised(Meta, Summary),
}
