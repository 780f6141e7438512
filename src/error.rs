//! Errors: what is wrong, in which document, at which path, and where in the text.

use std::fmt;
use std::path::PathBuf;

pub use crate::locate::locate_problems;

/// What kind of problem a [`Problem`] is: stable codes that tests and tools can match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, strum::IntoStaticStr, strum::VariantArray)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// The document is empty.
    Empty,
    /// The document is larger than the configured limit.
    TooLarge,
    /// The bytes are not UTF-8, or start with a byte-order mark.
    Encoding,
    /// The text is not well-formed YAML or JSON, or nests or repeats too deeply.
    Syntax,
    /// A value has the wrong type, an unknown field, a duplicate key or a bad number.
    Shape,
    /// The `format` tag is missing or not the one expected.
    Format,
    /// Two things share an id that must be unique.
    DuplicateId,
    /// An id refers to an item, domain, tag or team model that does not exist.
    UnknownReference,
    /// A text lacks one of the required languages.
    MissingText,
    /// A level has no anchor text, or an anchor is outside the scale.
    Anchors,
    /// Bands leave a gap, overlap, or are malformed.
    Bands,
    /// A level, threshold or value lies outside what the scale or indicator allows.
    OutOfRange,
    /// A container that must have members is empty.
    EmptyList,
    /// The policy's rules or outcomes are inconsistent.
    Policy,
    /// An answer breaks what its item allows (not-applicable, justification, evidence).
    Answer,
    /// An assessment names a rubric version the rubric used does not accept.
    Version,
}

impl ProblemKind {
    /// The snake_case code of the kind.
    pub fn code(self) -> &'static str {
        self.into()
    }
}

/// One problem in one document, located by path and, where the parser knows it, line and
/// column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// Where in the document, e.g. `domains[2].items[4].anchors`; empty for the whole.
    pub path: String,
    /// Line, 1-based, where known.
    pub line: Option<usize>,
    /// Column, 1-based, where known.
    pub column: Option<usize>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl Problem {
    /// A problem at `path` with no known line.
    pub fn at(kind: ProblemKind, path: impl Into<String>, message: impl Into<String>) -> Self {
        Problem { kind, path: path.into(), line: None, column: None, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, "{l}:{c}: ")?;
        }
        if !self.path.is_empty() {
            write!(f, "at `{}`: ", self.path)?;
        }
        f.write_str(&self.message)
    }
}

/// Which kind of document a problem is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocKind {
    /// A rubric.
    Rubric,
    /// A self-assessment or audit answers.
    Assessment,
    /// An audit record.
    Record,
    /// A document not yet known to be any of these (see [`crate::Loader::document_kind`]).
    Document,
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DocKind::Rubric => "rubric",
            DocKind::Assessment => "assessment",
            DocKind::Record => "record",
            DocKind::Document => "document",
        })
    }
}

/// The errors of the engine.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read `{}`: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A document is malformed or invalid; every problem found is listed.
    #[error("{}", render(*doc, origin, problems))]
    Invalid {
        /// Which kind of document.
        doc: DocKind,
        /// The file name, or `<string>` for text passed directly.
        origin: String,
        /// The problems, in document order.
        problems: Vec<Problem>,
    },
    /// No shipped rubric has this id.
    #[error("no shipped rubric has the id `{0}`: run `hf-fidelity rubrics` to list them")]
    UnknownRubric(String),
    /// An assessment or record names a different rubric than the one given.
    #[error("the {doc} is for rubric `{wanted}`, but rubric `{given}` was given")]
    RubricMismatch {
        /// Which kind of document names the rubric.
        doc: DocKind,
        /// The rubric the document names.
        wanted: String,
        /// The rubric given.
        given: String,
    },
    /// A certificate was asked for an outcome that is no label.
    #[error(
        "outcome `{outcome}` of rubric `{rubric}` is no label (a self-assessment can reach it, or no decision was made): it has no certificate"
    )]
    NotALabel {
        /// The rubric's id.
        rubric: String,
        /// The outcome decided.
        outcome: String,
    },
    /// A team model the rubric does not cover (e.g. in `template --team-model`).
    #[error("rubric `{rubric}` does not cover team model `{given}`: it covers {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))]
    UnknownTeamModel {
        /// The rubric's id.
        rubric: String,
        /// The model asked for.
        given: String,
        /// The models the rubric covers.
        known: Vec<String>,
    },
    /// An outcome id that the rubric's policy does not have (e.g. in `--fail-on`).
    #[error("rubric `{rubric}` has no outcome `{given}`: its outcomes are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", "))]
    UnknownOutcome {
        /// The rubric.
        rubric: String,
        /// The id given.
        given: String,
        /// The policy's outcomes and `incomplete`, best first.
        known: Vec<String>,
    },
    /// Records that cannot be put together: none to make a history, network or
    /// organisation of, several projects for one history, the same rating twice, ratings of
    /// two rubric versions side by side.
    #[error("{0}")]
    Records(String),
    /// Scoring overflowed: the numbers are too large to compare exactly.
    #[error("arithmetic overflow while computing {0}")]
    Overflow(&'static str),
    /// Writing output failed.
    #[error("cannot serialise the {0}: {1}")]
    Serialise(&'static str, String),
    /// A state the engine's own invariants rule out: a bug, reported instead of a
    /// plausible wrong decision.
    #[error("internal error (a bug in hf-fidelity, please report it): {0}")]
    Internal(&'static str),
}

fn render(doc: DocKind, origin: &str, problems: &[Problem]) -> String {
    let mut out = match problems.len() {
        1 => format!("invalid {doc} `{origin}`: "),
        n => format!("invalid {doc} `{origin}` ({n} problems):\n  "),
    };
    let body: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
    out.push_str(&body.join("\n  "));
    out
}

/// [`Error::Internal`], made only when it is returned: `ok_or_else(|| internal("..."))` on
/// hot paths, where `ok_or(Error::Internal(..))` would build and drop an `Error` (it has
/// drop glue) on every call that succeeds.
pub(crate) fn internal(what: &'static str) -> Error {
    Error::Internal(what)
}

impl Error {
    /// Adds line and column to the problems of an [`Error::Invalid`] that have a path but no
    /// location, by finding each path in `text`, the document they were found in.
    pub fn locate(mut self, text: &str) -> Self {
        if let Error::Invalid { problems, .. } = &mut self {
            crate::locate::locate_problems(text, problems);
        }
        self
    }

    /// The problems of an [`Error::Invalid`], or none.
    pub fn problems(&self) -> &[Problem] {
        match self {
            Error::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_problem_reads_as_one_line() {
        let e = Error::Invalid {
            doc: DocKind::Rubric,
            origin: "r.yaml".into(),
            problems: vec![Problem {
                kind: ProblemKind::DuplicateId,
                path: "domains[1].items[0].id".into(),
                line: Some(12),
                column: Some(9),
                message: "duplicate item id `privacy`".into(),
            }],
        };
        assert_eq!(e.to_string(), "invalid rubric `r.yaml`: 12:9: at `domains[1].items[0].id`: duplicate item id `privacy`");
    }

    #[test]
    fn several_problems_are_listed() {
        let e = Error::Invalid {
            doc: DocKind::Assessment,
            origin: "a.yaml".into(),
            problems: vec![Problem::at(ProblemKind::Answer, "responses.x", "first"), Problem::at(ProblemKind::Answer, "", "second")],
        };
        assert_eq!(e.to_string(), "invalid assessment `a.yaml` (2 problems):\n  at `responses.x`: first\n  second");
    }
}

#[cfg(test)]
mod codes {
    use strum::VariantArray;

    /// Every enum written as a code in files and reports: the code is the name serde
    /// writes and reads, for every variant.
    #[test]
    fn codes_are_the_serde_names() {
        fn check<T: serde::Serialize + Copy + Into<&'static str> + std::fmt::Debug>(all: &[T]) {
            for v in all {
                let code: &str = (*v).into();
                assert_eq!(serde_json::to_value(v).ok(), Some(serde_json::Value::from(code)), "{v:?}");
            }
        }
        check(super::ProblemKind::VARIANTS);
        check(crate::decision::Verdict::VARIANTS);
        check(crate::rubric::model::RuleKind::VARIANTS);
        check(crate::assessment::AssessorKind::VARIANTS);
        check(crate::text::Lang::VARIANTS);
    }
}
