//! Python exceptions for the engine's errors.
//!
//! `HfFidelityError` is the base; `RubricError`, `AssessmentError` and `RecordError` say which
//! document is at fault. Every instance carries `message`, `origin` (the file, or
//! `<string>` / `<dict>`), `problems` (a list of [`Problem`]) and, from the first problem,
//! `kind`, `path`, `line` and `column` (`None` where unknown).

use hf_fidelity::{DocKind, Error};
use pyo3::exceptions::PyException;
use pyo3::prelude::*;
use pyo3::types::PyDict;

pyo3::create_exception!(
    hf_fidelity,
    HfFidelityError,
    PyException,
    "Base of every hf-fidelity error: `message`, `origin`, `problems`, and the first problem's `kind`, `path`, `line`, `column`."
);
pyo3::create_exception!(hf_fidelity, RubricError, HfFidelityError, "A rubric could not be read, is invalid, or is not the one expected.");
pyo3::create_exception!(
    hf_fidelity,
    AssessmentError,
    HfFidelityError,
    "A self-assessment could not be read, is malformed, or breaks what its rubric allows."
);
pyo3::create_exception!(hf_fidelity, RecordError, HfFidelityError, "An audit record could not be read.");

/// One problem in one document: what, where (path inside the document), and at which line
/// and column of its text (1-based, `None` when the document was not text, e.g. a dict).
#[pyclass(frozen, module = "hf_fidelity", name = "Problem", get_all)]
#[derive(Debug, Clone)]
pub struct Problem {
    /// A stable code: `shape`, `syntax`, `out_of_range`, `answer`, ...
    pub kind: String,
    /// Where in the document, e.g. `responses.privacy.level`; empty for the whole.
    pub path: String,
    /// Line, 1-based, where known.
    pub line: Option<usize>,
    /// Column, 1-based, where known.
    pub column: Option<usize>,
    /// What is wrong, in plain words.
    pub message: String,
}

#[pymethods]
impl Problem {
    fn __repr__(&self) -> String {
        format!(
            "Problem(kind={:?}, path={:?}, line={}, column={}, message={:?})",
            self.kind,
            self.path,
            self.line.map_or("None".into(), |l| l.to_string()),
            self.column.map_or("None".into(), |c| c.to_string()),
            self.message
        )
    }

    fn __str__(&self) -> String {
        let mut out = String::new();
        if let (Some(l), Some(c)) = (self.line, self.column) {
            out.push_str(&format!("{l}:{c}: "));
        }
        if !self.path.is_empty() {
            out.push_str(&format!("at `{}`: ", self.path));
        }
        out.push_str(&self.message);
        out
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other.cast::<Problem>().is_ok_and(|o| {
            let o = o.get();
            o.kind == self.kind && o.path == self.path && o.line == self.line && o.column == self.column && o.message == self.message
        })
    }

    /// The problem as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("kind", &self.kind)?;
        d.set_item("path", &self.path)?;
        d.set_item("line", self.line)?;
        d.set_item("column", self.column)?;
        d.set_item("message", &self.message)?;
        Ok(d)
    }
}

impl From<&hf_fidelity::Problem> for Problem {
    fn from(p: &hf_fidelity::Problem) -> Self {
        Problem { kind: p.kind.code().to_owned(), path: p.path.clone(), line: p.line, column: p.column, message: p.message.clone() }
    }
}

/// Which document an error is about, when the error itself does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doc {
    /// A rubric.
    Rubric,
    /// An assessment.
    Assessment,
    /// An audit record.
    Record,
    /// None in particular (scoring, serialising).
    Engine,
}

impl From<DocKind> for Doc {
    fn from(d: DocKind) -> Self {
        match d {
            DocKind::Rubric => Doc::Rubric,
            DocKind::Assessment => Doc::Assessment,
            DocKind::Record => Doc::Record,
            // A document not yet known to be one of them: the base class.
            DocKind::Document => Doc::Engine,
        }
    }
}

/// A Python exception of the class for `doc`, with `message`, `origin` and `problems` set.
pub fn raise(py: Python<'_>, doc: Doc, message: String, origin: Option<String>, problems: Vec<Problem>) -> PyErr {
    let err = match doc {
        Doc::Rubric => RubricError::new_err(message.clone()),
        Doc::Assessment => AssessmentError::new_err(message.clone()),
        Doc::Record => RecordError::new_err(message.clone()),
        Doc::Engine => HfFidelityError::new_err(message.clone()),
    };
    // Setting attributes on a fresh exception instance cannot fail in practice; if it
    // did, the exception is still raised with its message.
    let _ = annotate(py, &err, message, origin, problems);
    err
}

fn annotate(py: Python<'_>, err: &PyErr, message: String, origin: Option<String>, problems: Vec<Problem>) -> PyResult<()> {
    let v = err.value(py);
    let first = problems.first().cloned();
    v.setattr("message", message)?;
    v.setattr("origin", origin)?;
    v.setattr("kind", first.as_ref().map(|p| p.kind.clone()))?;
    v.setattr("path", first.as_ref().map(|p| p.path.clone()))?;
    v.setattr("line", first.as_ref().and_then(|p| p.line))?;
    v.setattr("column", first.as_ref().and_then(|p| p.column))?;
    v.setattr("problems", problems)?;
    // Set by batches (the position in a list, the row of a table); `None` otherwise.
    v.setattr("index", py.None())?;
    v.setattr("row", py.None())?;
    Ok(())
}

/// Converts an engine error into the matching Python exception; `doc` names the document
/// being handled, for the errors that do not say (a file that cannot be read).
pub fn to_py(py: Python<'_>, e: &Error, doc: Doc) -> PyErr {
    let message = e.to_string();
    match e {
        Error::Invalid { doc: d, origin, problems } => {
            raise(py, (*d).into(), message, Some(origin.clone()), problems.iter().map(Problem::from).collect())
        }
        Error::Read { path, .. } => raise(py, doc, message, Some(path.display().to_string()), Vec::new()),
        Error::UnknownRubric(_) => raise(py, Doc::Rubric, message, None, Vec::new()),
        Error::RubricMismatch { doc: d, .. } => raise(py, (*d).into(), message, None, Vec::new()),
        Error::Overflow(_) | Error::Serialise(..) | Error::Internal(_) => raise(py, Doc::Engine, message, None, Vec::new()),
        _ => raise(py, doc, message, None, Vec::new()),
    }
}

/// An assessment error with one problem at `path` (a dict or table cell that does not fit).
pub fn assessment_problem(py: Python<'_>, origin: &str, path: &str, message: String) -> PyErr {
    let p = hf_fidelity::Problem::at(hf_fidelity::ProblemKind::Shape, path, message);
    let e = Error::Invalid { doc: DocKind::Assessment, origin: origin.to_owned(), problems: vec![p] };
    to_py(py, &e, Doc::Assessment)
}
