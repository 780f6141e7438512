//! The Python classes: `Rubric`, `Assessment`, `Decision`, `AuditRecord`, `Verification`,
//! and the module functions.

use crate::convert;
use crate::errors::{self, Doc, Problem};
use crate::ser::{DecimalMode, Decimals, to_py};
use hf_fidelity::decision::Verdict;
use hf_fidelity::{CompiledRubric, Lang, Loader, SHIPPED};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyMapping, PyString};
use std::path::PathBuf;
use std::sync::Arc;

/// `os.fspath(v)` for `str` and `os.PathLike`; `None` for anything else.
fn fspath(v: &Bound<'_, PyAny>) -> Option<PathBuf> {
    if v.is_instance_of::<PyString>() {
        return None;
    }
    v.extract::<PathBuf>().ok()
}

fn lang(code: &str) -> PyResult<Lang> {
    code.parse::<Lang>().map_err(|e| PyValueError::new_err(e.to_string()))
}

/// Runs `f` over `items` on all cores, the GIL released by the caller; results in order.
/// `None` if a worker panicked (the engine does not panic; this is a safety net).
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Option<Vec<R>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(256);
    if items.len() <= chunk {
        return Some(items.iter().map(&f).collect());
    }
    let f = &f;
    std::thread::scope(|s| {
        let handles: Vec<_> = items.chunks(chunk).map(|c| s.spawn(move || c.iter().map(f).collect::<Vec<R>>())).collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            out.extend(h.join().ok()?);
        }
        Some(out)
    })
}

/// As [`par_map`], each worker with its own scratch state made by `init` (buffers, caches).
pub fn par_map_with<T: Sync, S, R: Send>(items: &[T], init: impl Fn() -> S + Sync, f: impl Fn(&mut S, &T) -> R + Sync) -> Option<Vec<R>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(256);
    let run = |c: &[T]| {
        let mut state = init();
        c.iter().map(|x| f(&mut state, x)).collect::<Vec<R>>()
    };
    if items.len() <= chunk {
        return Some(run(items));
    }
    let run = &run;
    std::thread::scope(|s| {
        let handles: Vec<_> = items.chunks(chunk).map(|c| s.spawn(move || run(c))).collect();
        let mut out = Vec::with_capacity(items.len());
        for h in handles {
            out.extend(h.join().ok()?);
        }
        Some(out)
    })
}

pub fn worker_panicked() -> PyErr {
    errors::HfFidelityError::new_err("a worker thread stopped unexpectedly; please report this as a bug")
}

// ------------------------------------------------------------------------------------------
// Rubric

/// A validated, compiled fidelity rubric and label policy.
///
/// Load it once (`Rubric.shipped("hfb-label")`, `Rubric.from_path(...)`,
/// `Rubric.from_yaml(...)`, or `load_rubric(...)`) and audit any number of assessments.
#[pyclass(frozen, module = "hf_fidelity", name = "Rubric")]
pub struct Rubric {
    pub(crate) inner: Arc<CompiledRubric>,
}

impl Rubric {
    fn wrap(r: Result<CompiledRubric, hf_fidelity::Error>, py: Python<'_>) -> PyResult<Self> {
        r.map(|inner| Rubric { inner: Arc::new(inner) }).map_err(|e| errors::to_py(py, &e, Doc::Rubric))
    }

    /// Measured (indicator) items for `model`: the item id and whether a number in a table
    /// cell is a measured value rather than a level.
    pub(crate) fn measured(&self, item: &hf_fidelity::rubric::model::Item, model: &hf_fidelity::TeamModel) -> bool {
        item.variants.get(model).and_then(|v| v.indicator.as_ref()).or(item.indicator.as_ref()).is_some()
    }

    /// Audits many assessments with the GIL released, on all cores.
    pub(crate) fn audit_all(&self, py: Python<'_>, inputs: &[Taken]) -> PyResult<Vec<Result<hf_fidelity::AuditRecord, Failed>>> {
        let rubric = &self.inner;
        let mut out = Vec::with_capacity(inputs.len());
        // A chunk at a time, so that Ctrl-C (checked between chunks, with the GIL) stops a
        // long audit within a fraction of a second.
        for chunk in inputs.chunks(CHUNK) {
            py.check_signals()?;
            let done = py.detach(|| {
                par_map(chunk, |t| {
                    let a = t.read().map_err(Failed::Unreadable)?;
                    rubric.audit_named(&a.value, &a.origin).map_err(|e| Failed::Rejected(a.locate(e)))
                })
            });
            out.extend(done.ok_or_else(worker_panicked)?);
        }
        Ok(out)
    }
}

/// Why an assessment of many was not audited.
pub enum Failed {
    /// The one reader refused it (a dict, read by a worker).
    Unreadable(hf_fidelity::Error),
    /// The engine rejected it.
    Rejected(hf_fidelity::Error),
}

impl Failed {
    fn error(&self) -> &hf_fidelity::Error {
        match self {
            Failed::Unreadable(e) | Failed::Rejected(e) => e,
        }
    }
}

/// What `__reduce__` returns for pickling: the callable that rebuilds the object, and its
/// arguments.
type Reduced<'py, A> = (Bound<'py, PyAny>, A);

/// Assessments audited between two checks for Ctrl-C (about 50 ms of work).
const CHUNK: usize = 4096;

/// An assessment on its way into the engine, with where it came from.
#[derive(Clone)]
pub struct AssessmentIn {
    pub value: Arc<hf_fidelity::Assessment>,
    pub origin: String,
    /// The text it was read from, to give problems a line and column.
    pub text: Option<Arc<str>>,
}

impl AssessmentIn {
    /// Gives an engine error the line and column of the problem, when the text is known.
    pub fn locate(&self, e: hf_fidelity::Error) -> hf_fidelity::Error {
        match &self.text {
            Some(t) => e.locate(t),
            None => e,
        }
    }
}

/// An assessment taken from Python: read, or a dict written as its file's JSON (under the
/// GIL) and still to be read by the one reader, which needs no GIL ([`Taken::read`]).
pub enum Taken {
    /// Read already (an `Assessment`, a path, YAML/JSON text).
    Read(AssessmentIn),
    /// A dict, written as the JSON its file would hold.
    Written(Vec<u8>),
}

/// Where a dict's problems are said to be.
const DICT: &str = "<dict>";

impl Taken {
    /// Takes anything the API accepts as an assessment: a dict (or other mapping) is only
    /// written, anything else is read.
    pub fn of(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !v.is_instance_of::<Assessment>() && (v.is_instance_of::<PyDict>() || v.is_instance_of::<PyMapping>()) {
            let json = convert::json(v, Loader::default().limits.max_depth)
                .map_err(|b| errors::assessment_problem(py, DICT, &b.path, b.message))?;
            return Ok(Taken::Written(json));
        }
        assessment_in(py, v).map(Taken::Read)
    }

    /// The assessment: a written dict is read here, as a file is, under a file's limits
    /// (problems by path: a dict has no lines).
    pub fn read(&self) -> Result<AssessmentIn, hf_fidelity::Error> {
        match self {
            Taken::Read(a) => Ok(a.clone()),
            Taken::Written(json) => Loader::default().assessment_from_written_json(json, DICT).map(|a| AssessmentIn {
                value: Arc::new(a),
                origin: DICT.to_owned(),
                text: None,
            }),
        }
    }
}

/// Converts anything the API accepts as an assessment: an `Assessment`, a mapping shaped
/// like the file, a path, or YAML/JSON text.
pub fn assessment_in(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<AssessmentIn> {
    if let Ok(a) = v.cast::<Assessment>() {
        let a = a.get();
        return Ok(AssessmentIn { value: a.inner.clone(), origin: a.origin.clone(), text: a.text.clone() });
    }
    if v.is_instance_of::<PyDict>() || v.is_instance_of::<PyMapping>() {
        let taken = Taken::of(py, v)?;
        return py.detach(|| taken.read()).map_err(|e| errors::to_py(py, &e, Doc::Assessment));
    }
    if let Some(path) = fspath(v) {
        return Assessment::from_path(py, path).map(|a| AssessmentIn { value: a.inner, origin: a.origin, text: a.text });
    }
    if let Ok(s) = v.cast::<PyString>() {
        let s = s.to_cow()?;
        let a =
            if looks_like_text(&s) { Assessment::from_str(py, &s, "<string>")? } else { Assessment::from_path(py, PathBuf::from(&*s))? };
        return Ok(AssessmentIn { value: a.inner, origin: a.origin, text: a.text });
    }
    Err(errors::raise(
        py,
        Doc::Assessment,
        format!("expected an Assessment, a dict, a path or YAML/JSON text as the assessment, found {}", convert::type_name(v)),
        None,
        Vec::new(),
    ))
}

/// A rating for the review functions, from anything `assessment_in` accepts.
fn rating_in(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<hf_fidelity::review::Rating> {
    let a = assessment_in(py, v)?;
    Ok(hf_fidelity::review::Rating { assessment: (*a.value).clone(), origin: a.origin })
}

/// Ratings from a list (or any iterable) of what `assessment_in` accepts.
fn ratings_in(py: Python<'_>, v: &Bound<'_, PyAny>) -> PyResult<Vec<hf_fidelity::review::Rating>> {
    v.try_iter()?.map(|item| rating_in(py, &item?)).collect()
}

/// Whether a string is a document rather than a path or an id.
fn looks_like_text(s: &str) -> bool {
    s.contains('\n') || s.trim_start().starts_with('{')
}

/// The options every table call shares: decimals, extra columns, and the values the
/// keywords set for every row.
fn table_options<'py>(
    py: Python<'py>,
    decimals: &str,
    extra: &str,
    [team_model, date, assessor]: [Option<&Bound<'py, PyAny>>; 3],
) -> PyResult<crate::arrow::Options> {
    let keyword = |b: crate::convert::Bad| errors::assessment_problem(py, "<table>", &b.path, b.message);
    Ok(crate::arrow::Options {
        scores: crate::arrow::Scores::parse(decimals)?,
        keep_errors: false,
        ignore_extra: match extra {
            "error" => false,
            "ignore" => true,
            other => return Err(PyValueError::new_err(format!("extra must be \"error\" or \"ignore\", not {other:?}"))),
        },
        team_model: team_model.map(|v| crate::convert::team_model(v, "team_model")).transpose().map_err(keyword)?,
        date: date.map(|v| crate::convert::date(v, "date")).transpose().map_err(keyword)?,
        assessor: assessor.map(|v| crate::convert::assessor_kind(v, "assessor")).transpose().map_err(keyword)?,
        plan: false,
        items: false,
        rules: false,
        evidence: hf_fidelity::EvidenceCheck::Required,
    })
}

#[pymethods]
impl Rubric {
    /// A rubric shipped with the engine, by id (`hf-pathways`, `hfb-label`).
    #[staticmethod]
    fn shipped(py: Python<'_>, id: &str) -> PyResult<Self> {
        Self::wrap(hf_fidelity::shipped_rubric(id), py)
    }

    /// A rubric from a YAML file (a relative `extends` is resolved next to it).
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        Self::wrap(py.detach(|| Loader::default().rubric_from_path(&path)), py)
    }

    /// A rubric from YAML text; `origin` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, origin = "<string>"))]
    fn from_yaml(py: Python<'_>, text: &str, origin: &str) -> PyResult<Self> {
        Self::wrap(py.detach(|| Loader::default().rubric_from_str(text, origin)), py)
    }

    /// A rubric from a shipped id, a path, or YAML text (a string with a line break).
    #[staticmethod]
    fn load(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(r) = source.cast::<Rubric>() {
            return Ok(Rubric { inner: r.get().inner.clone() });
        }
        if let Some(path) = fspath(source) {
            return Self::from_path(py, path);
        }
        let s: String = source.extract().map_err(|_| {
            errors::raise(
                py,
                Doc::Rubric,
                format!("expected a rubric id, a path or YAML text, found {}", convert::type_name(source)),
                None,
                Vec::new(),
            )
        })?;
        if s.contains('\n') {
            return Self::from_yaml(py, &s, "<string>");
        }
        Self::wrap(py.detach(|| Loader::default().rubric(&s)), py)
    }

    /// The rubric id.
    #[getter]
    fn id(&self) -> String {
        self.inner.rubric().id.clone()
    }

    /// The rubric version.
    #[getter]
    fn version(&self) -> String {
        self.inner.rubric().version.clone()
    }

    /// The title, in English (see `to_dict()` for every language).
    #[getter]
    fn title(&self) -> String {
        self.inner.rubric().title.en.to_string()
    }

    /// SHA-256 of the rubric's canonical content (what audit records name).
    #[getter]
    fn sha256(&self) -> String {
        self.inner.sha256().to_owned()
    }

    /// The team models the rubric covers (`act`, `icm`).
    #[getter]
    fn team_models(&self) -> Vec<String> {
        self.inner.rubric().team_models.iter().map(|m| m.code().to_owned()).collect()
    }

    /// The scale's lowest and highest level.
    #[getter]
    fn scale(&self) -> (u8, u8) {
        (self.inner.rubric().scale.min, self.inner.rubric().scale.max)
    }

    /// The rubric's names in `lang` (`en`, `nl`, `fr`) for tables and plots: a dict of
    /// `items`, `domains`, `principles` and `outcomes`, each id -> title, in rubric order.
    #[pyo3(signature = (lang = "en"))]
    fn labels<'py>(&self, py: Python<'py>, lang: &str) -> PyResult<Bound<'py, PyDict>> {
        let lang = self::lang(lang)?;
        let r = self.inner.rubric();
        let out = PyDict::new(py);
        let items = PyDict::new(py);
        let domains = PyDict::new(py);
        for d in &r.domains {
            domains.set_item(&d.id, d.title.get(lang))?;
            for i in &d.items {
                items.set_item(&i.id, i.title.get(lang))?;
            }
        }
        let principles = PyDict::new(py);
        for p in &r.principles {
            principles.set_item(&p.id, p.title.get(lang))?;
        }
        let outcomes = PyDict::new(py);
        for o in &r.policy.outcomes {
            outcomes.set_item(o.outcome.as_str(), o.title.get(lang))?;
        }
        out.set_item("items", items)?;
        out.set_item("domains", domains)?;
        out.set_item("principles", principles)?;
        out.set_item("outcomes", outcomes)?;
        Ok(out)
    }

    /// The rubric as an HTML table in Jupyter: its title, version, team models, outcomes,
    /// and each domain with its items.
    fn _repr_html_(&self) -> String {
        crate::html::rubric(&self.inner)
    }

    /// Domain ids, in rubric order.
    #[getter]
    fn domain_ids(&self) -> Vec<String> {
        self.inner.rubric().domains.iter().map(|d| d.id.clone()).collect()
    }

    /// Principle ids, in rubric order.
    #[getter]
    fn principle_ids(&self) -> Vec<String> {
        self.inner.rubric().principles.iter().map(|p| p.id.clone()).collect()
    }

    /// Item ids, in rubric order.
    #[getter]
    fn item_ids(&self) -> Vec<String> {
        self.inner.rubric().domains.iter().flat_map(|d| d.items.iter().map(|i| i.id.clone())).collect()
    }

    /// One dict per item, in rubric order: `id`, `domain`, `title`, `principles`,
    /// `team_models` (those it applies to), `measured_for` (the team models for which it is
    /// answered with a measured `value` rather than a `level`), `required`,
    /// `not_applicable` (`forbidden`, `allowed`, `justified`).
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let r = self.inner.rubric();
        let list = PyList::empty(py);
        for d in &r.domains {
            for i in &d.items {
                let dict = PyDict::new(py);
                dict.set_item("id", &i.id)?;
                dict.set_item("domain", &d.id)?;
                dict.set_item("title", i.title.en.as_str())?;
                dict.set_item("principles", &i.principles)?;
                let models: Vec<&str> = i
                    .team_models
                    .as_ref()
                    .unwrap_or(&r.team_models)
                    .iter()
                    .filter(|m| r.team_models.contains(m))
                    .map(|m| m.code())
                    .collect();
                let measured: Vec<&str> = r.team_models.iter().filter(|m| self.measured(i, m)).map(|m| m.code()).collect();
                dict.set_item("team_models", models)?;
                dict.set_item("measured_for", measured)?;
                dict.set_item("required", i.required)?;
                let na = to_py(&Decimals::new(py, DecimalMode::Str), &i.not_applicable)?;
                dict.set_item("not_applicable", na)?;
                list.append(dict)?;
            }
        }
        Ok(list)
    }

    /// The whole rubric as plain Python data (the YAML's fields), decimals as asked.
    #[pyo3(signature = (decimals = "decimal"))]
    fn to_dict<'py>(&self, py: Python<'py>, decimals: &str) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Decimals::new(py, DecimalMode::parse(decimals)?), self.inner.rubric())
    }

    /// Every problem of `assessment` against this rubric (empty when it can be audited).
    fn check(&self, py: Python<'_>, assessment: &Bound<'_, PyAny>) -> PyResult<Vec<Problem>> {
        let a = assessment_in(py, assessment)?;
        let mut problems = self.inner.check_assessment(&a.value);
        if let Some(t) = &a.text {
            hf_fidelity::error::locate_problems(t, &mut problems);
        }
        Ok(problems.iter().map(Problem::from).collect())
    }

    /// Drafts the consensus of two or more reviewers' ratings (each as `audit` accepts) as
    /// YAML with comments in `lang`: agreed items filled in, the others open with every
    /// rater's answer side by side (and the self-assessment's, when given).
    #[pyo3(signature = (ratings, self_assessment = None, lang = "en"))]
    fn reconcile(
        &self,
        py: Python<'_>,
        ratings: &Bound<'_, PyAny>,
        self_assessment: Option<&Bound<'_, PyAny>>,
        lang: &str,
    ) -> PyResult<String> {
        let lang = self::lang(lang)?;
        let reviews = ratings_in(py, ratings)?;
        let own = self_assessment.map(|s| rating_in(py, s)).transpose()?;
        hf_fidelity::review::reconcile(&self.inner, &reviews, own.as_ref(), lang).map_err(|e| errors::to_py(py, &e, Doc::Assessment))
    }

    /// Two ratings of one project side by side: both outcomes, every item's levels, the
    /// items one and two or more levels apart, and the mean difference (first minus second).
    #[pyo3(signature = (a, b, decimals = "decimal"))]
    fn compare<'py>(&self, py: Python<'py>, a: &Bound<'py, PyAny>, b: &Bound<'py, PyAny>, decimals: &str) -> PyResult<Bound<'py, PyAny>> {
        let (a, b) = (rating_in(py, a)?, rating_in(py, b)?);
        let c = hf_fidelity::review::compare(&self.inner, &a, &b).map_err(|e| errors::to_py(py, &e, Doc::Assessment))?;
        to_py(&Decimals::new(py, DecimalMode::parse(decimals)?), &c)
    }

    /// Agreement between the reviewers of the same projects (a list of ratings, each as
    /// `audit` accepts): exact and within-one agreement, the six ICCs of Shrout & Fleiss,
    /// weighted kappa per pair of raters, and self-assessments against the consensus.
    #[pyo3(signature = (ratings, decimals = "decimal"))]
    fn agreement<'py>(&self, py: Python<'py>, ratings: &Bound<'py, PyAny>, decimals: &str) -> PyResult<Bound<'py, PyAny>> {
        let ratings = ratings_in(py, ratings)?;
        let report = hf_fidelity::review::agreement(&self.inner, &ratings).map_err(|e| errors::to_py(py, &e, Doc::Assessment))?;
        to_py(&Decimals::new(py, DecimalMode::parse(decimals)?), &report)
    }

    /// Audits one assessment (an `Assessment`, a dict, a path or YAML/JSON text) and returns
    /// its `Decision`. Raises `AssessmentError` when the assessment is invalid.
    fn audit(&self, py: Python<'_>, assessment: &Bound<'_, PyAny>) -> PyResult<Decision> {
        let a = assessment_in(py, assessment)?;
        let rubric = self.inner.clone();
        let record = py.detach(|| rubric.audit_named(&a.value, &a.origin).map_err(|e| a.locate(e)));
        let record = record.map_err(|e| errors::to_py(py, &e, Doc::Assessment))?;
        Ok(Decision { record: Arc::new(record), rubric: Some(self.inner.clone()) })
    }

    /// Audits many assessments (each as `audit` accepts) on all cores, the GIL released;
    /// one `Decision` per input, same order.
    ///
    /// `on_error="raise"` (default) raises the first invalid assessment's error, with its
    /// position in `index`; `on_error="return"` puts the exception object in its place.
    #[pyo3(signature = (assessments, *, on_error = "raise"))]
    fn audit_many<'py>(&self, py: Python<'py>, assessments: &Bound<'py, PyAny>, on_error: &str) -> PyResult<Bound<'py, PyList>> {
        let keep = match on_error {
            "raise" => false,
            "return" => true,
            other => return Err(PyValueError::new_err(format!("on_error must be \"raise\" or \"return\", not {other:?}"))),
        };
        let mut inputs = Vec::new();
        let mut early: Vec<(usize, PyErr)> = Vec::new();
        for (i, v) in assessments.try_iter()?.enumerate() {
            if i % CHUNK == 0 {
                py.check_signals()?;
            }
            match Taken::of(py, &v?) {
                Ok(a) => inputs.push(a),
                Err(e) if keep => {
                    early.push((i, e));
                }
                Err(e) => return Err(with_index(py, e, i)),
            }
        }
        let results = self.audit_all(py, &inputs)?;
        if !keep {
            // Reading all comes before auditing any: an unreadable dict is raised before an
            // earlier assessment the engine rejects. (Nothing failed early: it was raised.)
            if let Some((i, e)) = results.iter().enumerate().find_map(|(i, r)| match r {
                Err(Failed::Unreadable(e)) => Some((i, e)),
                _ => None,
            }) {
                return Err(with_index(py, errors::to_py(py, e, Doc::Assessment), i));
            }
        }
        let out = PyList::empty(py);
        let mut results = results.into_iter();
        let mut early = early.into_iter().peekable();
        let total = inputs.len().saturating_add(early.len());
        for i in 0..total {
            if early.peek().is_some_and(|(j, _)| *j == i) {
                if let Some((_, e)) = early.next() {
                    out.append(with_index(py, e, i).value(py))?;
                }
                continue;
            }
            match results.next() {
                Some(Ok(record)) => out.append(Decision { record: Arc::new(record), rubric: Some(self.inner.clone()) })?,
                Some(Err(e)) => {
                    let err = with_index(py, errors::to_py(py, e.error(), Doc::Assessment), i);
                    if keep {
                        out.append(err.value(py))?;
                    } else {
                        return Err(err);
                    }
                }
                None => return Err(worker_panicked()),
            }
        }
        Ok(out)
    }

    /// Audits a pandas DataFrame in wide form (one row per project and round, one column per
    /// item); see `hf_fidelity.audit_frame` for the column conventions. pandas is imported
    /// only here.
    #[pyo3(signature = (frame, **kwargs))]
    fn audit_frame<'py>(
        slf: &Bound<'py, Self>,
        frame: &Bound<'py, PyAny>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let module = slf.py().import("hf_fidelity._frame")?;
        module.getattr("audit_frame")?.call((slf, frame), kwargs)
    }

    /// Every problem of every row of a wide table, as a table; see
    /// `hf_fidelity.validate_frame`.
    #[pyo3(signature = (frame, **kwargs))]
    fn validate_frame<'py>(
        slf: &Bound<'py, Self>,
        frame: &Bound<'py, PyAny>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("hf_fidelity._frame")?.getattr("validate_frame")?.call((slf, frame), kwargs)
    }

    /// The full `Decision` of one row in wide form; see `hf_fidelity.audit_row`.
    #[pyo3(signature = (row, **kwargs))]
    fn audit_row<'py>(slf: &Bound<'py, Self>, row: &Bound<'py, PyAny>, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Bound<'py, PyAny>> {
        slf.py().import("hf_fidelity._frame")?.getattr("audit_row")?.call((slf, row), kwargs)
    }

    /// The engine behind `audit_frame`: an Arrow table (any object with
    /// `__arrow_c_stream__`) in; out an Arrow table of outcomes and scores, one row per input
    /// row in the same order, and the long tables of items and rules when asked (else None).
    #[pyo3(signature = (table, *, decimals = "float", on_error = "raise", extra = "error", team_model = None, date = None, assessor = None, plan = false, items = false, rules = false, require_evidence = true))]
    #[expect(clippy::too_many_arguments, reason = "the keywords of `audit_frame`, passed through")]
    fn _audit_arrow<'py>(
        &self,
        py: Python<'py>,
        table: pyo3_arrow::PyRecordBatchReader,
        decimals: &str,
        on_error: &str,
        extra: &str,
        team_model: Option<&Bound<'py, PyAny>>,
        date: Option<&Bound<'py, PyAny>>,
        assessor: Option<&Bound<'py, PyAny>>,
        plan: bool,
        items: bool,
        rules: bool,
        require_evidence: bool,
    ) -> PyResult<(pyo3_arrow::PyTable, Option<pyo3_arrow::PyTable>, Option<pyo3_arrow::PyTable>)> {
        if !require_evidence && (items || rules) {
            // Items and rules come from full decisions, whose audit records hold the evidence.
            return Err(PyValueError::new_err(
                "items=True and rules=True come from full decisions, which need the evidence: not with require_evidence=False",
            ));
        }
        let mut opts = table_options(py, decimals, extra, [team_model, date, assessor])?;
        opts.keep_errors = match on_error {
            "raise" => false,
            "record" => true,
            other => return Err(PyValueError::new_err(format!("on_error must be \"raise\" or \"record\", not {other:?}"))),
        };
        opts.plan = plan;
        opts.items = items;
        opts.rules = rules;
        opts.evidence = if require_evidence { hf_fidelity::EvidenceCheck::Required } else { hf_fidelity::EvidenceCheck::NotChecked };
        let out = crate::arrow::audit(py, self, table, &opts)?;
        Ok((out.table, out.items, out.rules))
    }

    /// The engine behind `validate_frame`: every problem of every row of an Arrow table, as
    /// an Arrow table (`row`, `project_id`, `column`, `path`, `message`).
    #[pyo3(signature = (table, *, extra = "error", team_model = None, date = None, assessor = None))]
    fn _validate_arrow<'py>(
        &self,
        py: Python<'py>,
        table: pyo3_arrow::PyRecordBatchReader,
        extra: &str,
        team_model: Option<&Bound<'py, PyAny>>,
        date: Option<&Bound<'py, PyAny>>,
        assessor: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<pyo3_arrow::PyTable> {
        let opts = table_options(py, "float", extra, [team_model, date, assessor])?;
        crate::arrow::validate(py, self, table, &opts)
    }

    /// The engine behind `audit_row`: the full decision of the first row of an Arrow table.
    #[pyo3(signature = (table, *, extra = "error", team_model = None, date = None, assessor = None))]
    fn _audit_row_arrow<'py>(
        &self,
        py: Python<'py>,
        table: pyo3_arrow::PyRecordBatchReader,
        extra: &str,
        team_model: Option<&Bound<'py, PyAny>>,
        date: Option<&Bound<'py, PyAny>>,
        assessor: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Decision> {
        let opts = table_options(py, "float", extra, [team_model, date, assessor])?;
        let record = crate::arrow::audit_row(py, self, table, &opts)?;
        Ok(Decision { record: Arc::new(record), rubric: Some(self.inner.clone()) })
    }

    /// Audits assessments (each as `audit` accepts) into columns of outcomes and scores, the
    /// same columns as `audit_frame`, without pandas: a dict of column name -> list.
    /// `plan=True` adds the improvement plan's `plan_target` and `plan_steps` columns.
    #[pyo3(signature = (assessments, *, decimals = "decimal", plan = false))]
    fn audit_table<'py>(
        &self,
        py: Python<'py>,
        assessments: &Bound<'py, PyAny>,
        decimals: &str,
        plan: bool,
    ) -> PyResult<Bound<'py, PyDict>> {
        let mode = DecimalMode::parse(decimals)?;
        let (meta, rows) = crate::dicts::summarise_all(py, &self.inner, assessments, plan)?;
        crate::table::output(py, &self.inner, &meta, rows.into_iter().map(Ok).collect(), mode, false, plan)
    }

    /// Pickles as its JSON (the same rubric, the same SHA-256), read back with `Rubric.from_yaml`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py, (String, &'static str)>> {
        let json =
            serde_json::to_string(self.inner.rubric()).map_err(|e| errors::raise(py, Doc::Rubric, e.to_string(), None, Vec::new()))?;
        Ok((py.get_type::<Rubric>().getattr("from_yaml")?, (json, "<pickle>")))
    }

    fn __repr__(&self) -> String {
        let r = self.inner.rubric();
        format!("<Rubric {} {}: {}>", r.id, r.version, r.title.en)
    }
}

/// Adds `index` (the position in a batch) to an exception and to its message.
pub fn with_index(py: Python<'_>, e: PyErr, index: usize) -> PyErr {
    let v = e.value(py);
    let _ = v.setattr("index", index);
    if let Ok(m) = v.getattr("message").and_then(|m| m.extract::<String>()) {
        let m = format!("assessment {index}: {m}");
        let _ = v.setattr("message", &m);
        let _ = v.setattr("args", (m,));
    }
    e
}

// ------------------------------------------------------------------------------------------
// Assessment

/// A project's self-assessment (or audit answers), read but not yet checked against a
/// rubric. Load it with `Assessment.from_path`, `from_str` (YAML or JSON), `from_dict`, or
/// `load_assessment(...)`.
#[pyclass(frozen, module = "hf_fidelity", name = "Assessment")]
pub struct Assessment {
    pub(crate) inner: Arc<hf_fidelity::Assessment>,
    origin: String,
    text: Option<Arc<str>>,
}

#[pymethods]
impl Assessment {
    /// An assessment from a YAML or JSON file.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let read = py.detach(|| {
            let bytes = std::fs::read(&path).map_err(|source| hf_fidelity::Error::Read { path: path.clone(), source })?;
            let a = Loader::default().assessment_from_bytes(&bytes, &path.display().to_string())?;
            Ok::<_, hf_fidelity::Error>((a, String::from_utf8(bytes).ok()))
        });
        let (a, text) = read.map_err(|e| errors::to_py(py, &e, Doc::Assessment))?;
        Ok(Assessment { inner: Arc::new(a), origin: path.display().to_string(), text: text.map(Arc::from) })
    }

    /// An assessment from YAML or JSON text; `origin` names it in errors.
    #[staticmethod]
    #[pyo3(signature = (text, origin = "<string>"))]
    fn from_str(py: Python<'_>, text: &str, origin: &str) -> PyResult<Self> {
        let a = py.detach(|| Loader::default().assessment_from_str(text, origin)).map_err(|e| errors::to_py(py, &e, Doc::Assessment))?;
        Ok(Assessment { inner: Arc::new(a), origin: origin.to_owned(), text: Some(Arc::from(text)) })
    }

    /// An assessment from a dict shaped like the file (as `yaml.safe_load` or `json.load`
    /// give it), read as that file would be: written as the JSON the file would hold and
    /// read by the one reader, under the limits of a file, so that its record reads back.
    /// Decimals may be `Decimal`, `int`, `str`, or `float` (read from its repr; a whole
    /// float such as `3.0` is the whole number 3); dates `YYYY-MM-DD` text or
    /// `datetime.date`.
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<Self> {
        if !(data.is_instance_of::<PyDict>() || data.is_instance_of::<PyMapping>()) {
            let found = format!("expected a mapping (dict), found {}", convert::type_name(data));
            return Err(errors::assessment_problem(py, DICT, "", found));
        }
        let a = assessment_in(py, data)?;
        Ok(Assessment { inner: a.value, origin: a.origin, text: a.text })
    }

    /// An assessment from an `Assessment`, a dict, a path, or YAML/JSON text.
    #[staticmethod]
    fn load(py: Python<'_>, source: &Bound<'_, PyAny>) -> PyResult<Self> {
        let a = assessment_in(py, source)?;
        Ok(Assessment { inner: a.value, origin: a.origin, text: a.text })
    }

    /// The project's id.
    #[getter]
    fn project_id(&self) -> String {
        self.inner.project.id.clone()
    }

    /// The project's name.
    #[getter]
    fn project_name(&self) -> String {
        self.inner.project.name.clone()
    }

    /// The team model (`act`, `icm`).
    #[getter]
    fn team_model(&self) -> String {
        self.inner.team_model.code().to_owned()
    }

    /// The assessment date, `YYYY-MM-DD`.
    #[getter]
    fn date(&self) -> String {
        self.inner.date.to_string()
    }

    /// Where it was read from: a file name, `<string>` or `<dict>`.
    #[getter]
    fn origin(&self) -> String {
        self.origin.clone()
    }

    /// The expected outcome the submitter wrote, if any.
    #[getter]
    fn expected_outcome(&self) -> Option<String> {
        self.inner.expected_outcome.as_ref().map(|o| o.code().to_owned())
    }

    /// The assessment as plain Python data (the file's fields), decimals as asked.
    #[pyo3(signature = (decimals = "decimal"))]
    fn to_dict<'py>(&self, py: Python<'py>, decimals: &str) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Decimals::new(py, DecimalMode::parse(decimals)?), &*self.inner)
    }

    /// The assessment as JSON (decimals as strings, exactly).
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        serde_json::to_string_pretty(&*self.inner).map_err(|e| errors::raise(py, Doc::Assessment, e.to_string(), None, Vec::new()))
    }

    /// Pickles as its JSON, read back with `Assessment.from_str`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py, (String, String)>> {
        let json = serde_json::to_string(&*self.inner).map_err(|e| errors::raise(py, Doc::Assessment, e.to_string(), None, Vec::new()))?;
        Ok((py.get_type::<Assessment>().getattr("from_str")?, (json, self.origin.clone())))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Assessment {} ({}) {} {}, {} responses>",
            self.inner.project.id,
            self.inner.project.name,
            self.inner.team_model.code(),
            self.inner.date,
            self.inner.responses.len()
        )
    }
}

// ------------------------------------------------------------------------------------------
// Decision

/// A label decision with its audit record: outcome, scores, every rule with its numbers,
/// the improvement plan, warnings. Renders as an HTML table in Jupyter.
#[pyclass(frozen, module = "hf_fidelity", name = "Decision")]
pub struct Decision {
    pub(crate) record: Arc<hf_fidelity::AuditRecord>,
    /// The rubric that decided, when known (needed for the full reports).
    pub(crate) rubric: Option<Arc<CompiledRubric>>,
}

impl Decision {
    fn d(&self) -> &hf_fidelity::Decision {
        &self.record.decision
    }
    fn dec<'py>(py: Python<'py>) -> Decimals<'py> {
        Decimals::new(py, DecimalMode::Decimal)
    }
}

#[pymethods]
impl Decision {
    /// The id of one of the rubric's outcomes (e.g. `granted`, `conditional`, `refused`),
    /// or `incomplete`.
    #[getter]
    fn outcome(&self) -> String {
        self.d().outcome.code().to_owned()
    }

    /// What the outcome means, in English (`message_in(lang)` for others).
    #[getter]
    fn message(&self) -> String {
        self.d().message.en.to_string()
    }

    /// The outcome's message in `lang` (`en`, `nl`, `fr`, `de`).
    fn message_in(&self, lang: &str) -> PyResult<String> {
        Ok(self.d().message.get(self::lang(lang)?).to_owned())
    }

    /// Months until the next audit, where the outcome sets one.
    #[getter]
    fn reaudit_months(&self) -> Option<u32> {
        self.d().reaudit_months
    }

    /// The team model the project was judged as.
    #[getter]
    fn team_model(&self) -> String {
        self.d().team_model.code().to_owned()
    }

    /// The project's id.
    #[getter]
    fn project_id(&self) -> String {
        self.record.assessment.project.clone()
    }

    /// The project's name.
    #[getter]
    fn project_name(&self) -> String {
        self.record.assessment.name.clone()
    }

    /// The assessment date.
    #[getter]
    fn date(&self) -> String {
        self.record.assessment.date.to_string()
    }

    /// The overall score the policy uses (mean of items or mean of domains), rounded as the
    /// rubric says, as `Decimal`; `None` when nothing is rated.
    #[getter]
    fn overall<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::dec(py).opt(self.d().scores.overall())
    }

    /// The mean of all rated items, as `Decimal`.
    #[getter]
    fn mean_of_items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::dec(py).opt(self.d().scores.items.mean)
    }

    /// The mean of the domain means, as `Decimal`.
    #[getter]
    fn mean_of_domains<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Self::dec(py).opt(self.d().scores.mean_of_domains)
    }

    /// Domain id -> mean (`Decimal`, `None` when no item of it is rated), rubric order.
    #[getter]
    fn domain_scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dec = Self::dec(py);
        let out = PyDict::new(py);
        for g in &self.d().scores.domains {
            out.set_item(g.id.as_str(), dec.opt(g.score.mean)?)?;
        }
        Ok(out)
    }

    /// Principle id -> mean (`Decimal`, `None` when no item of it is rated), rubric order.
    #[getter]
    fn principle_scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let dec = Self::dec(py);
        let out = PyDict::new(py);
        for g in &self.d().scores.principles {
            out.set_item(g.id.as_str(), dec.opt(g.score.mean)?)?;
        }
        Ok(out)
    }

    /// Item id -> the level that counts (`int`; `None` when missing, not applicable or not
    /// for this team model), rubric order.
    #[getter]
    fn item_levels<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let out = PyDict::new(py);
        for i in &self.d().items {
            out.set_item(i.id.as_str(), i.level)?;
        }
        Ok(out)
    }

    /// Every score: `items` (all items), `mean_of_domains`, `domains`, `principles`, each
    /// with `rated`, `sum`, `max`, `mean`, `exact` (a fraction) and `percent`.
    #[getter]
    fn scores<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Self::dec(py), &self.d().scores)
    }

    /// Every item of the rubric with how its level was reached (`status`, `level`,
    /// `measured`).
    #[getter]
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Self::dec(py), &self.d().items)
    }

    /// Every rule of every outcome, in policy order: `outcome`, `id`, `kind`, `verdict`,
    /// `observed`, `observed_exact`, `threshold`, `shortfall`, `failing`, `unanswered`,
    /// `message`. These are the reasons for the outcome.
    #[getter]
    fn rules<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Self::dec(py), &self.d().rules)
    }

    /// The rules that fail, as `outcome/rule` (e.g. `granted/gates`).
    #[getter]
    fn failed_rules(&self) -> Vec<String> {
        failed_rules(self.d())
    }

    /// What it takes to reach the next better outcome: `target`, `answer` (items to answer
    /// first), `raises` (item, from, to), `total_steps`, `reachable`.
    #[getter]
    fn plan<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Self::dec(py), &self.d().plan)
    }

    /// Warnings from the rubric's model checks (e.g. an ACT team that looks like ICM).
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Self::dec(py), &self.d().warnings)
    }

    /// The project's own admission criteria against the rubric's minimum target public
    /// (`declared`, and `outside`: every way they admit someone the minimum does not), or
    /// `None` for a rubric that states no target public.
    #[getter]
    fn target_public<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Self::dec(py), &self.d().target_public)
    }

    /// Required items with no answer.
    #[getter]
    fn missing(&self) -> Vec<String> {
        self.d().missing.iter().map(ToString::to_string).collect()
    }

    /// Items answered not-applicable.
    #[getter]
    fn not_applicable(&self) -> Vec<String> {
        self.d().not_applicable.iter().map(ToString::to_string).collect()
    }

    /// The audit record: the decision with the rubric, engine and assessment it came from.
    #[getter]
    fn record(&self) -> AuditRecord {
        AuditRecord { inner: self.record.clone() }
    }

    /// The audit record as plain Python data, the same fields as `to_json()`; decimals as
    /// `decimal.Decimal` (default), `"float"` or `"str"`.
    #[pyo3(signature = (decimals = "decimal"))]
    fn to_dict<'py>(&self, py: Python<'py>, decimals: &str) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Decimals::new(py, DecimalMode::parse(decimals)?), &*self.record)
    }

    /// The audit record as JSON, byte for byte what `hf-fidelity audit --format json` writes.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.record.to_json().map_err(|e| errors::to_py(py, &e, Doc::Record))
    }

    /// A report: `format` is `text`, `markdown` or `html` (a full page); `lang` is `en`,
    /// `nl`, `fr` or `de`. Needs the rubric, given here or kept from `Rubric.audit`.
    #[pyo3(signature = (format = "text", lang = "en", rubric = None))]
    fn report(&self, py: Python<'_>, format: &str, lang: &str, rubric: Option<&Bound<'_, Rubric>>) -> PyResult<String> {
        let rubric = match (rubric, &self.rubric) {
            (Some(r), _) => r.get().inner.clone(),
            (None, Some(r)) => r.clone(),
            (None, None) => {
                return Err(errors::raise(
                    py,
                    Doc::Rubric,
                    "this decision was read from a record: pass the rubric".into(),
                    None,
                    Vec::new(),
                ));
            }
        };
        let l = self::lang(lang)?;
        let record = self.record.clone();
        let render: fn(&hf_fidelity::AuditRecord, &CompiledRubric, Lang) -> String = match format {
            "text" => hf_fidelity::report::text,
            "markdown" | "md" => hf_fidelity::report::markdown,
            "html" => hf_fidelity::report::html,
            other => return Err(PyValueError::new_err(format!("format must be \"text\", \"markdown\" or \"html\", not {other:?}"))),
        };
        Ok(py.detach(|| render(&record, &rubric, l)))
    }

    /// A compact HTML table for Jupyter: outcome, scores, rules and plan.
    fn _repr_html_(&self) -> String {
        crate::html::decision(&self.record)
    }

    /// The same as `_repr_html_`.
    fn to_html(&self) -> String {
        crate::html::decision(&self.record)
    }

    /// Pickles as its record's JSON (and its rubric's, when it has one).
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py, (String, Option<String>)>> {
        let record = serde_json::to_string(&*self.record).map_err(|e| errors::raise(py, Doc::Record, e.to_string(), None, Vec::new()))?;
        let rubric = self
            .rubric
            .as_ref()
            .map(|r| serde_json::to_string(r.rubric()))
            .transpose()
            .map_err(|e| errors::raise(py, Doc::Rubric, e.to_string(), None, Vec::new()))?;
        Ok((py.get_type::<Decision>().getattr("_unpickle")?, (record, rubric)))
    }

    /// A decision from a record's JSON and its rubric's (what `__reduce__` gives).
    #[staticmethod]
    fn _unpickle(py: Python<'_>, record: &str, rubric: Option<&str>) -> PyResult<Self> {
        let r = py.detach(|| hf_fidelity::AuditRecord::from_str(record, "<pickle>")).map_err(|e| errors::to_py(py, &e, Doc::Record))?;
        let rubric = match rubric {
            Some(text) => Some(Arc::new(
                py.detach(|| Loader::default().rubric_from_str(text, "<pickle>")).map_err(|e| errors::to_py(py, &e, Doc::Rubric))?,
            )),
            None => None,
        };
        Ok(Decision { record: Arc::new(r), rubric })
    }

    fn __repr__(&self) -> String {
        let s = &self.d().scores;
        format!(
            "<Decision {}: {} (mean of items {}, failed rules: {})>",
            self.record.assessment.project,
            self.d().outcome.code(),
            s.items.mean.map_or("-".into(), |m| m.to_string()),
            {
                let f = failed_rules(self.d());
                if f.is_empty() { "none".into() } else { f.join(", ") }
            }
        )
    }
}

/// The failing rules of a decision, as `outcome/rule`.
pub fn failed_rules(d: &hf_fidelity::Decision) -> Vec<String> {
    d.rules.iter().filter(|r| r.verdict == Verdict::Fail).map(|r| format!("{}/{}", r.outcome.code(), r.id)).collect()
}

// ------------------------------------------------------------------------------------------
// AuditRecord

/// An audit record: a decision with the rubric, engine and assessment it came from. Written
/// with `to_json()`, read back with `AuditRecord.from_json(...)`, checked with `verify`.
#[pyclass(frozen, module = "hf_fidelity", name = "AuditRecord")]
pub struct AuditRecord {
    pub(crate) inner: Arc<hf_fidelity::AuditRecord>,
}

#[pymethods]
impl AuditRecord {
    /// A record from its JSON (or YAML) text.
    #[staticmethod]
    #[pyo3(signature = (text, origin = "<string>"))]
    fn from_json(py: Python<'_>, text: &str, origin: &str) -> PyResult<Self> {
        let r = py
            .detach(|| hf_fidelity::AuditRecord::from_str(text, origin).map_err(|e| e.locate(text)))
            .map_err(|e| errors::to_py(py, &e, Doc::Record))?;
        Ok(AuditRecord { inner: Arc::new(r) })
    }

    /// A record from a JSON or YAML file.
    #[staticmethod]
    fn from_path(py: Python<'_>, path: PathBuf) -> PyResult<Self> {
        let text = std::fs::read_to_string(&path)
            .map_err(|source| errors::to_py(py, &hf_fidelity::Error::Read { path: path.clone(), source }, Doc::Record))?;
        Self::from_json(py, &text, &path.display().to_string())
    }

    /// The record as JSON, as the command-line tool writes it.
    fn to_json(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.to_json().map_err(|e| errors::to_py(py, &e, Doc::Record))
    }

    /// The record as YAML.
    fn to_yaml(&self, py: Python<'_>) -> PyResult<String> {
        self.inner.to_yaml().map_err(|e| errors::to_py(py, &e, Doc::Record))
    }

    /// The record as plain Python data; decimals as asked.
    #[pyo3(signature = (decimals = "decimal"))]
    fn to_dict<'py>(&self, py: Python<'py>, decimals: &str) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Decimals::new(py, DecimalMode::parse(decimals)?), &*self.inner)
    }

    /// The decision in the record.
    #[getter]
    fn decision(&self) -> Decision {
        Decision { record: self.inner.clone(), rubric: None }
    }

    /// The answers the record judged.
    #[getter]
    fn input(&self) -> Assessment {
        Assessment { inner: Arc::new(self.inner.input.clone()), origin: "<record>".into(), text: None }
    }

    /// `id`, `version` and `sha256` of the rubric used.
    #[getter]
    fn rubric<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Decimals::new(py, DecimalMode::Str), &self.inner.rubric)
    }

    /// `project`, `name`, `team_model`, `date` and `sha256` of the assessment judged.
    #[getter]
    fn assessment<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Decimals::new(py, DecimalMode::Str), &self.inner.assessment)
    }

    /// `name` and `version` of the engine that decided.
    #[getter]
    fn engine<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Decimals::new(py, DecimalMode::Str), &self.inner.engine)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<AuditRecord>().is_ok_and(|o| *o.get().inner == *self.inner)
    }

    /// Pickles as its JSON, read back with `AuditRecord.from_json`.
    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Reduced<'py, (String, &'static str)>> {
        let json = serde_json::to_string(&*self.inner).map_err(|e| errors::raise(py, Doc::Record, e.to_string(), None, Vec::new()))?;
        Ok((py.get_type::<AuditRecord>().getattr("from_json")?, (json, "<pickle>")))
    }

    fn __repr__(&self) -> String {
        format!(
            "<AuditRecord {} by {} {}: {}>",
            self.inner.assessment.project,
            self.inner.rubric.id,
            self.inner.rubric.version,
            self.inner.decision.outcome.code()
        )
    }
}

// ------------------------------------------------------------------------------------------
// verify

/// The result of `verify`: `holds` is true when re-running reproduces the record exactly;
/// `mismatches` lists every difference (dicts with `kind` and details).
#[pyclass(frozen, module = "hf_fidelity", name = "Verification")]
pub struct Verification {
    inner: hf_fidelity::Verification,
}

#[pymethods]
impl Verification {
    /// True when re-running reproduces the record exactly.
    #[getter]
    fn holds(&self) -> bool {
        self.inner.holds
    }

    /// Every difference found.
    #[getter]
    fn mismatches<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        to_py(&Decimals::new(py, DecimalMode::Str), &self.inner.mismatches)
    }

    /// Each difference in words.
    #[getter]
    fn messages(&self) -> Vec<String> {
        self.inner.mismatches.iter().map(|m| m.to_string()).collect()
    }

    fn __bool__(&self) -> bool {
        self.inner.holds
    }

    fn __repr__(&self) -> String {
        if self.inner.holds {
            "<Verification: holds>".into()
        } else {
            format!("<Verification: {} mismatch(es): {}>", self.inner.mismatches.len(), self.messages().join("; "))
        }
    }
}

/// Re-runs `record` (an `AuditRecord`, a `Decision`, or record JSON text or a path) with
/// `rubric` (a `Rubric`, an id, a path or YAML) and, when given, `assessment` (otherwise the
/// record's own input), and reports every difference.
#[pyfunction]
#[pyo3(signature = (record, rubric, assessment = None))]
pub fn verify(
    py: Python<'_>,
    record: &Bound<'_, PyAny>,
    rubric: &Bound<'_, PyAny>,
    assessment: Option<&Bound<'_, PyAny>>,
) -> PyResult<Verification> {
    let record: Arc<hf_fidelity::AuditRecord> = if let Ok(r) = record.cast::<AuditRecord>() {
        r.get().inner.clone()
    } else if let Ok(d) = record.cast::<Decision>() {
        d.get().record.clone()
    } else if let Some(path) = fspath(record) {
        AuditRecord::from_path(py, path)?.inner
    } else if let Ok(s) = record.extract::<String>() {
        if looks_like_text(&s) {
            AuditRecord::from_json(py, &s, "<string>")?.inner
        } else {
            AuditRecord::from_path(py, PathBuf::from(s))?.inner
        }
    } else {
        return Err(errors::raise(
            py,
            Doc::Record,
            format!("expected an AuditRecord, a Decision, or record JSON, found {}", convert::type_name(record)),
            None,
            Vec::new(),
        ));
    };
    let rubric = Rubric::load(py, rubric)?;
    let assessment = assessment.map(|a| assessment_in(py, a)).transpose()?;
    let inner = rubric.inner.clone();
    let v = py
        .detach(|| hf_fidelity::verify(&record, &inner, assessment.as_ref().map(|a| &*a.value)))
        .map_err(|e| errors::to_py(py, &e, Doc::Record))?;
    Ok(Verification { inner: v })
}

/// The rubrics shipped with the engine: one dict per rubric with `id`, `version`, `title`
/// and `file`.
#[pyfunction]
pub fn shipped_rubrics(py: Python<'_>) -> PyResult<Bound<'_, PyList>> {
    let out = PyList::empty(py);
    for s in SHIPPED {
        let r = hf_fidelity::shipped_rubric(s.id).map_err(|e| errors::to_py(py, &e, Doc::Rubric))?;
        let d = PyDict::new(py);
        d.set_item("id", s.id)?;
        d.set_item("version", &r.rubric().version)?;
        d.set_item("title", r.rubric().title.en.as_str())?;
        d.set_item("file", s.file)?;
        out.append(d)?;
    }
    Ok(out)
}

/// Records named by where they came from, and the rubrics they were read or audited with.
type Records = (Vec<(String, hf_fidelity::AuditRecord)>, Vec<CompiledRubric>);

/// The records of `paths` (records as they are, assessments audited), folders expanded.
fn records_of(py: Python<'_>, paths: Vec<PathBuf>, rubric: Option<&str>) -> PyResult<Records> {
    let loader = hf_fidelity::Loader::default();
    let read = || -> Result<_, hf_fidelity::Error> {
        let mut records = Vec::new();
        let mut rubrics = Vec::new();
        for p in &paths {
            for f in hf_fidelity::load::documents_in(p)? {
                let (rec, r) = loader.record_of(&f, rubric, "hfb-label")?;
                records.push((f.display().to_string(), rec));
                rubrics.push(r);
            }
        }
        Ok((records, rubrics))
    };
    py.detach(read).map_err(|e| errors::to_py(py, &e, Doc::Assessment))
}

fn as_of_date(py: Python<'_>, as_of: Option<&Bound<'_, PyAny>>) -> PyResult<hf_fidelity::Date> {
    match as_of {
        None => Ok(hf_fidelity::Date::today()),
        Some(v) => {
            crate::convert::date(v, "as_of").map_err(|b| errors::raise(py, Doc::Engine, format!("as_of: {}", b.message), None, Vec::new()))
        }
    }
}

/// The history of one project as JSON (what `hf-fidelity history --format json` prints);
/// `hf_fidelity.history` makes frames of it.
#[pyfunction]
#[pyo3(signature = (paths, *, project = None, as_of = None, rubric = None))]
pub fn _history_json(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    project: Option<&str>,
    as_of: Option<&Bound<'_, PyAny>>,
    rubric: Option<&str>,
) -> PyResult<String> {
    let as_of = as_of_date(py, as_of)?;
    let (records, rubrics) = records_of(py, paths, rubric)?;
    let rubric_of = |rec: &hf_fidelity::AuditRecord| {
        rubrics
            .iter()
            .find(|r| r.rubric().id == rec.rubric.id && r.rubric().version == rec.rubric.version && r.sha256() == rec.rubric.sha256)
    };
    let h = hf_fidelity::history::history(records, project, as_of, rubric_of).map_err(|e| errors::to_py(py, &e, Doc::Engine))?;
    serde_json::to_string(&h).map_err(|e| errors::raise(py, Doc::Engine, e.to_string(), None, Vec::new()))
}

/// A network's picture as JSON (what `hf-fidelity network --format json` prints);
/// `hf_fidelity.network` makes frames of it.
#[pyfunction]
#[pyo3(signature = (paths, *, as_of = None, expiring_within = 6, rubric = None))]
pub fn _network_json(
    py: Python<'_>,
    paths: Vec<PathBuf>,
    as_of: Option<&Bound<'_, PyAny>>,
    expiring_within: u32,
    rubric: Option<&str>,
) -> PyResult<String> {
    let as_of = as_of_date(py, as_of)?;
    let (records, rubrics) = records_of(py, paths, rubric)?;
    let first = rubrics.first().ok_or_else(|| errors::raise(py, Doc::Engine, "no rating given".into(), None, Vec::new()))?;
    let n = hf_fidelity::network::network(records, first, as_of, expiring_within).map_err(|e| errors::to_py(py, &e, Doc::Engine))?;
    serde_json::to_string(&n).map_err(|e| errors::raise(py, Doc::Engine, e.to_string(), None, Vec::new()))
}
