//! hf-fidelity scores Housing First fidelity self-assessments against rubrics written as
//! data, and decides, auditably, whether a project earns the "Housing First" label.
//!
//! ```
//! use hf_fidelity::{Loader, shipped_rubric};
//!
//! let rubric = shipped_rubric("hfb-label")?; // validated and compiled once
//! let path = std::path::Path::new("examples/staircase-refused.yaml");
//! let assessment = Loader::default().assessment_from_path(path)?;
//! let record = rubric.audit(&assessment)?;
//! assert_eq!(record.decision.outcome, "refused");
//! // Every rule is reported with its observed value, threshold and verdict.
//! let gate = record.decision.rules.iter().find(|r| r.id == "core_gates").unwrap();
//! assert_eq!(gate.failing[0], "no_housing_readiness");
//! # Ok::<(), hf_fidelity::Error>(())
//! ```
//!
//! # How data flows
//!
//! text -> [`Loader`] (size limits, exact decimals, errors with paths and lines) ->
//! [`Rubric`] compiled into a [`CompiledRubric`] once, and [`Assessment`] ->
//! [`CompiledRubric::decide`] (scores, rules, outcome, plan) -> [`CompiledRubric::audit`]
//! ([`AuditRecord`] with hashes and engine version) -> [`report`] renderers and
//! [`verify`]. Nothing downstream reaches back upstream.
//!
//! # Scope of this crate
//!
//! - Rubrics and label policies are data (`rubrics/*.yaml`); a new rubric needs no code.
//! - Numbers are [`rust_decimal::Decimal`]s read from their text; means compare exactly as
//!   fractions, and rounding is what the rubric states.
//! - Output is deterministic: ordered collections, byte-identical records for the same
//!   inputs.
//! - Invalid input is an [`Error`] listing every problem; a refused label is a
//!   [`Decision`], never an error. The library does not panic on any input.
//! - The command-line tool is behind the default `cli` feature.

pub mod agreement;
pub mod assessment;
pub mod date;
pub mod decimal;
pub mod decision;
pub mod diff;
mod engine;
pub mod error;
pub mod explain;
pub mod history;
pub mod id;
pub mod load;
mod locate;
pub mod network;
pub mod organisation;
mod ratio;
pub mod record;
pub mod report;
pub mod review;
pub mod rubric;
pub mod schema;
pub mod shared;
pub(crate) mod source;
pub mod target;
pub mod template;
pub mod text;

pub use assessment::Assessment;
pub use date::Date;
pub use decision::{Decision, Outcome};
pub use engine::{Cell, CompiledRubric, DenseAnswer, EvidenceCheck, Summary, SummaryOptions};
pub use error::{DocKind, Error, Problem, ProblemKind};
pub use load::{Loader, SHIPPED, assessment_from_str, rubric_from_str, shipped_rubric};
pub use record::{AuditRecord, Verification, verify};
pub use rubric::model::{Rubric, TeamModel};
pub use shared::SharedStr;
pub use source::Limits;
pub use text::{Lang, Text};
