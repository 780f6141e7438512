//! The columns of `Rubric.audit_table`: assessments in, one list per output column out
//! (outcomes and scores, as `audit_frame` gives them for tables).

use crate::ser::{DecimalMode, Decimals};
use hf_fidelity::Outcome;
use hf_fidelity::assessment::{Assessor, AssessorKind, Project};
use hf_fidelity::{Assessment, CompiledRubric, Summary, TeamModel};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use rust_decimal::Decimal;
use std::collections::{BTreeMap, HashMap};

/// What identifies a row in the output.
pub struct Meta {
    /// The project id.
    pub project_id: String,
    /// The project name.
    pub name: String,
    /// The team model.
    pub team_model: String,
    /// The date.
    pub date: String,
}

impl Meta {
    /// The metadata of an assessment.
    pub fn of(a: &Assessment) -> Self {
        Meta {
            project_id: a.project.id.clone(),
            name: a.project.name.clone(),
            team_model: a.team_model.code().to_owned(),
            date: a.date.to_string(),
        }
    }
}

/// An assessment with what a summary row shows of it and no answers: the answers go to
/// the dense cells.
pub fn head(format: String, id: String, name: String, team_model: TeamModel, date: hf_fidelity::Date, kind: AssessorKind) -> Assessment {
    Assessment {
        format,
        project: Project { id, name, location: None, region: None },
        rubric: None,
        team_model,
        date,
        period: None,
        assessor: Assessor { kind, name: None },
        rating: None,
        reconciles: Vec::new(),
        expected_outcome: None,
        comment: None,
        target_public: None,
        responses: BTreeMap::new(),
        outcomes: BTreeMap::new(),
    }
}

/// A quick hasher for the small keys of per-call caches (FxHash's mixing); no protection
/// against crafted keys is needed there.
#[derive(Default, Clone, Copy)]
pub struct Fast;

/// The state of [`Fast`].
#[derive(Default)]
pub struct FastHasher(u64);

impl std::hash::BuildHasher for Fast {
    type Hasher = FastHasher;
    fn build_hasher(&self) -> FastHasher {
        FastHasher(0)
    }
}

impl std::hash::Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u128(&mut self, n: u128) {
        self.write_u64(n as u64);
        self.write_u64((n >> 64) as u64);
    }
    fn write_i128(&mut self, n: i128) {
        self.write_u128(n as u128);
    }
}

/// A column's distinct values, each given a code (its position) on first sight, and the
/// code of every row: a table's scores and texts take few distinct values, so each becomes
/// a Python object once.
struct Coder<K> {
    index: HashMap<K, u32, Fast>,
    keys: Vec<K>,
    codes: Vec<u32>,
}

impl<K: std::hash::Hash + Eq + Clone> Coder<K> {
    fn new(rows: usize) -> Self {
        Coder { index: HashMap::default(), keys: Vec::new(), codes: Vec::with_capacity(rows) }
    }

    fn push(&mut self, key: K) {
        let next = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        let keys = &mut self.keys;
        let code = *self.index.entry(key).or_insert_with_key(|k| {
            keys.push(k.clone());
            next
        });
        self.codes.push(code);
    }

    /// The column: a list of one object per row, with `value` making each distinct value's
    /// object.
    fn finish<'py>(self, py: Python<'py>, mut value: impl FnMut(&K) -> PyResult<Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyAny>> {
        let values = self.keys.iter().map(&mut value).collect::<PyResult<Vec<_>>>()?;
        let cells = self
            .codes
            .iter()
            .map(|c| usize::try_from(*c).ok().and_then(|c| values.get(c)).cloned().unwrap_or_else(|| py.None().into_bound(py)));
        Ok(PyList::new(py, cells)?.into_any())
    }
}

/// A decimal as a key: its exact representation (`3.5` and `3.50` differ), quicker to hash
/// than `Decimal`, whose hash normalises first.
fn score_key(d: Option<Decimal>) -> Option<u128> {
    d.map(|d| u128::from_le_bytes(d.serialize()))
}

fn key_score(k: Option<u128>) -> Option<Decimal> {
    k.map(|k| Decimal::deserialize(k.to_le_bytes()))
}

/// A column of scores: per row, `None` (no score) or the decimal (as [`score_key`]).
fn scores<'py>(py: Python<'py>, col: Coder<Option<u128>>, dec: &Decimals<'py>) -> PyResult<Bound<'py, PyAny>> {
    col.finish(py, |k| dec.opt(key_score(*k)))
}

/// The output columns: `project_id`, `name`, `team_model`, `date`, `outcome`, `overall`,
/// `mean_of_items`, `mean_of_domains`, `domain:<id>`..., `principle:<id>`...,
/// `failed_rules`, `missing`, `warnings`, with `plan` also `plan_target`, `plan_steps`
/// (and `error` when errors are kept), each a list.
pub fn output<'py>(
    py: Python<'py>,
    rubric: &CompiledRubric,
    metas: &[Meta],
    results: Vec<Result<Summary, String>>,
    decimals: DecimalMode,
    with_errors: bool,
    plan: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let dec = Decimals::new(py, decimals);
    let none = || py.None().into_bound(py);
    let r = rubric.rubric();
    let item_ids: Vec<&str> = rubric.item_ids().collect();
    let n = results.len();
    let mut project_id = Vec::with_capacity(n);
    let mut name = Vec::with_capacity(n);
    let mut team_model: Coder<&str> = Coder::new(n);
    let mut date: Coder<&str> = Coder::new(n);
    let mut outcome: Coder<Outcome> = Coder::new(n);
    let score = || Coder::<Option<u128>>::new(n);
    let (mut overall, mut items_mean, mut domains_mean) = (score(), score(), score());
    let mut domains: Vec<Coder<Option<u128>>> = r.domains.iter().map(|_| score()).collect();
    let mut principles: Vec<Coder<Option<u128>>> = r.principles.iter().map(|_| score()).collect();
    let mut failed: Coder<Option<Vec<(usize, usize)>>> = Coder::new(n);
    let mut missing: Coder<Option<Vec<usize>>> = Coder::new(n);
    let mut warnings: Coder<Option<Vec<usize>>> = Coder::new(n);
    let mut target: Coder<Option<Outcome>> = Coder::new(if plan { n } else { 0 });
    let (mut steps, mut error) = (Vec::new(), Vec::new());
    let s = |v: &str| PyString::new(py, v).into_any();
    for (m, res) in metas.iter().zip(results) {
        project_id.push(s(&m.project_id));
        name.push(if m.name.is_empty() { none() } else { s(&m.name) });
        team_model.push(m.team_model.as_str());
        date.push(m.date.as_str());
        match res {
            Ok(d) => {
                outcome.push(d.outcome);
                overall.push(score_key(d.overall));
                items_mean.push(score_key(d.mean_of_items));
                domains_mean.push(score_key(d.mean_of_domains));
                for (c, g) in domains.iter_mut().zip(&d.domains) {
                    c.push(score_key(*g));
                }
                for (c, g) in principles.iter_mut().zip(&d.principles) {
                    c.push(score_key(*g));
                }
                failed.push(Some(d.failed_rules));
                missing.push(Some(d.missing));
                warnings.push(Some(d.warnings));
                if plan {
                    let (t, k) = d.plan.unwrap_or((None, 0));
                    target.push(t);
                    steps.push(k.into_pyobject(py)?.into_any());
                }
                if with_errors {
                    error.push(none());
                }
            }
            Err(msg) => {
                outcome.push(Outcome::from("error"));
                for c in
                    [&mut overall, &mut items_mean, &mut domains_mean].into_iter().chain(domains.iter_mut()).chain(principles.iter_mut())
                {
                    c.push(None);
                }
                failed.push(None);
                missing.push(None);
                warnings.push(None);
                if plan {
                    target.push(None);
                    steps.push(none());
                }
                if with_errors {
                    error.push(s(&msg));
                }
            }
        }
    }
    // Texts: an empty key (a row whose metadata could not be read) is None.
    let text = |t: &str| Ok(if t.is_empty() { none() } else { s(t) });
    let joined = |v: Option<String>| Ok(v.map_or_else(none, |v| s(&v)));
    let out = PyDict::new(py);
    out.set_item("project_id", PyList::new(py, project_id)?)?;
    out.set_item("name", PyList::new(py, name)?)?;
    out.set_item("team_model", team_model.finish(py, |t| text(t))?)?;
    out.set_item("date", date.finish(py, |t| text(t))?)?;
    out.set_item("outcome", outcome.finish(py, |t| text(t.code()))?)?;
    out.set_item("overall", scores(py, overall, &dec)?)?;
    out.set_item("mean_of_items", scores(py, items_mean, &dec)?)?;
    out.set_item("mean_of_domains", scores(py, domains_mean, &dec)?)?;
    for (d, c) in r.domains.iter().zip(domains) {
        out.set_item(format!("domain:{}", d.id), scores(py, c, &dec)?)?;
    }
    for (p, c) in r.principles.iter().zip(principles) {
        out.set_item(format!("principle:{}", p.id), scores(py, c, &dec)?)?;
    }
    out.set_item(
        "failed_rules",
        failed.finish(py, |f| {
            joined(f.as_ref().map(|f| {
                f.iter().filter_map(|k| rubric.rule_ref(*k)).map(|(o, id)| format!("{}/{id}", o.code())).collect::<Vec<_>>().join(", ")
            }))
        })?,
    )?;
    out.set_item(
        "missing",
        missing.finish(py, |m| {
            joined(m.as_ref().map(|m| m.iter().filter_map(|ix| item_ids.get(*ix).copied()).collect::<Vec<_>>().join(", ")))
        })?,
    )?;
    out.set_item(
        "warnings",
        warnings.finish(py, |w| {
            joined(
                w.as_ref().map(|w| w.iter().filter_map(|c| r.model_checks.get(*c)).map(|c| c.id.as_str()).collect::<Vec<_>>().join(", ")),
            )
        })?,
    )?;
    if plan {
        out.set_item("plan_target", target.finish(py, |t| Ok(t.as_ref().map_or_else(none, |t| s(t.code()))))?)?;
        out.set_item("plan_steps", PyList::new(py, steps)?)?;
    }
    if with_errors {
        out.set_item("error", PyList::new(py, error)?)?;
    }
    Ok(out)
}
